//! The browser builds' memory allocator: size classes with free lists, over pages from
//! `memory.grow`.
//!
//! Why not the standard library's dlmalloc: it was ≈ 5 KB of the wasm, in the package and in
//! the widget, for a program that is single-threaded, short of nothing but download bytes, and
//! whose allocations are small strings and vectors. This is the smallest design that reuses
//! memory: each request is rounded up to a power of two from 16 bytes to 32 KiB and kept on that
//! class's free list when freed; larger requests take whole 64 KiB pages, kept on a list of free
//! runs of pages. Nothing is coalesced or returned (wasm memory cannot shrink anyway).
//!
//! The logic is generic over where pages come from ([`Pages`]) so that the native tests can run
//! it against the system allocator. On wasm32 with the `heap` feature (which the package's
//! `wasm` feature and the widget turn on) it is the `#[global_allocator]`; a host crate that
//! brings its own allocator leaves the feature off.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr::{self, null_mut};

pub const PAGE: usize = 65536;
/// Classes 16, 32, … 32768 bytes.
const CLASSES: usize = 12;
const LARGEST: usize = 16 << (CLASSES - 1);

/// Where fresh, `PAGE`-aligned memory comes from.
pub trait Pages {
    /// `n` new pages, or null.
    fn grow(&mut self, n: usize) -> *mut u8;
}

/// A free run of large pages, written into its own first bytes.
struct Run {
    next: *mut Run,
    pages: usize,
}

pub struct Heap<P> {
    pages: P,
    /// Free blocks of each class, linked through their first word.
    free: [*mut u8; CLASSES],
    runs: *mut Run,
    /// Unused tail of the last page taken for small blocks.
    bump: *mut u8,
    end: *mut u8,
}

/// The class of a request, or `None` for whole pages. Alignment above 16 (no type here has it)
/// goes to whole pages, so every small block is 16-aligned and serves any request of its class;
/// alignment above a page cannot be met and [`Heap::alloc`] refuses it.
fn class(l: Layout) -> Option<usize> {
    if l.align() > 16 || l.size() > LARGEST {
        return None;
    }
    let size = l.size().max(16).next_power_of_two();
    Some(size.trailing_zeros() as usize - 4)
}

impl<P: Pages> Heap<P> {
    pub const fn new(pages: P) -> Self {
        Heap {
            pages,
            free: [null_mut(); CLASSES],
            runs: null_mut(),
            bump: null_mut(),
            end: null_mut(),
        }
    }

    /// # Safety
    /// As `GlobalAlloc::alloc`.
    pub unsafe fn alloc(&mut self, l: Layout) -> *mut u8 {
        if l.align() > PAGE {
            return null_mut();
        }
        match class(l) {
            Some(c) => unsafe { self.small(c) },
            None => unsafe { self.large(l.size().div_ceil(PAGE).max(1)) },
        }
    }

    unsafe fn small(&mut self, c: usize) -> *mut u8 {
        let head = self.free[c];
        if !head.is_null() {
            self.free[c] = unsafe { *(head as *mut *mut u8) };
            return head;
        }
        let size = 16 << c;
        if (self.end as usize).wrapping_sub(self.bump as usize) < size {
            // The old tail (a multiple of 16 bytes, under `size`) is given to smaller classes.
            unsafe { self.scatter_tail() };
            let p = self.pages.grow(1);
            if p.is_null() {
                return p;
            }
            self.bump = p;
            self.end = p.wrapping_add(PAGE);
        }
        let p = self.bump;
        self.bump = p.wrapping_add(size);
        p
    }

    /// Cut what is left of the bump page into free blocks, largest first.
    unsafe fn scatter_tail(&mut self) {
        let mut left = (self.end as usize).wrapping_sub(self.bump as usize);
        for c in (0..CLASSES).rev() {
            let size = 16 << c;
            while left >= size {
                unsafe { self.release(self.bump, c) };
                self.bump = self.bump.wrapping_add(size);
                left -= size;
            }
        }
    }

    unsafe fn release(&mut self, p: *mut u8, c: usize) {
        unsafe { *(p as *mut *mut u8) = self.free[c] };
        self.free[c] = p;
    }

    unsafe fn large(&mut self, pages: usize) -> *mut u8 {
        // First fit; a longer run is split and its tail stays free.
        let mut link: *mut *mut Run = &mut self.runs;
        unsafe {
            while !(*link).is_null() {
                let run = *link;
                if (*run).pages >= pages {
                    if (*run).pages == pages {
                        *link = (*run).next;
                    } else {
                        let tail = (run as *mut u8).add(pages * PAGE) as *mut Run;
                        tail.write(Run {
                            next: (*run).next,
                            pages: (*run).pages - pages,
                        });
                        *link = tail;
                    }
                    return run as *mut u8;
                }
                link = &mut (*run).next;
            }
        }
        self.pages.grow(pages)
    }

    /// # Safety
    /// As `GlobalAlloc::dealloc`.
    pub unsafe fn dealloc(&mut self, p: *mut u8, l: Layout) {
        match class(l) {
            Some(c) => unsafe { self.release(p, c) },
            None => unsafe {
                let run = p as *mut Run;
                run.write(Run {
                    next: self.runs,
                    pages: l.size().div_ceil(PAGE).max(1),
                });
                self.runs = run;
            },
        }
    }

    /// # Safety
    /// As `GlobalAlloc::realloc`.
    pub unsafe fn realloc(&mut self, p: *mut u8, l: Layout, size: usize) -> *mut u8 {
        let new = unsafe { Layout::from_size_align_unchecked(size, l.align()) };
        // Same class, or the same number of pages: the block already has room.
        let same = match (class(l), class(new)) {
            (Some(a), Some(b)) => a == b,
            (None, None) => l.size().div_ceil(PAGE) == size.div_ceil(PAGE),
            _ => false,
        };
        if same {
            return p;
        }
        let q = unsafe { self.alloc(new) };
        if !q.is_null() {
            unsafe {
                ptr::copy_nonoverlapping(p, q, l.size().min(size));
                self.dealloc(p, l);
            }
        }
        q
    }
}

/// The allocator of the wasm builds: one heap, used by one thread.
pub struct Global<P>(pub UnsafeCell<Heap<P>>);

// SAFETY: wasm32 without the atomics feature has one thread.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<P> Sync for Global<P> {}

unsafe impl<P: Pages> GlobalAlloc for Global<P> {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        unsafe { (*self.0.get()).alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { (*self.0.get()).dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, size: usize) -> *mut u8 {
        unsafe { (*self.0.get()).realloc(p, l, size) }
    }
}

#[cfg(target_arch = "wasm32")]
pub struct Memory;

#[cfg(target_arch = "wasm32")]
impl Pages for Memory {
    fn grow(&mut self, n: usize) -> *mut u8 {
        match core::arch::wasm32::memory_grow(0, n) {
            usize::MAX => null_mut(),
            old => ptr::with_exposed_provenance_mut(old * PAGE),
        }
    }
}

#[cfg(all(
    target_arch = "wasm32",
    not(target_feature = "atomics"),
    feature = "heap"
))]
#[global_allocator]
static ALLOCATOR: Global<Memory> = Global(UnsafeCell::new(Heap::new(Memory)));

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Pages from the system allocator, aligned as wasm pages are; freed with the test.
    #[derive(Default)]
    struct Host(Vec<(*mut u8, Layout)>);
    impl Pages for Host {
        fn grow(&mut self, n: usize) -> *mut u8 {
            let l = Layout::from_size_align(n * PAGE, PAGE).unwrap();
            let p = unsafe { std::alloc::alloc_zeroed(l) };
            self.0.push((p, l));
            p
        }
    }
    impl Drop for Host {
        fn drop(&mut self) {
            for (p, l) in self.0.drain(..) {
                unsafe { std::alloc::dealloc(p, l) }
            }
        }
    }

    #[derive(Clone, Debug)]
    enum Op {
        Alloc(usize, usize),
        Free(usize),
        Grow(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        let size = prop_oneof![1usize..64, 1usize..5000, 30_000usize..200_000];
        prop_oneof![
            4 => (size.clone(), 0usize..7).prop_map(|(s, a)| Op::Alloc(s, 1 << a)),
            2 => any::<usize>().prop_map(Op::Free),
            2 => (any::<usize>(), size).prop_map(|(i, s)| Op::Grow(i, s)),
        ]
    }

    proptest! {
        /// Live blocks never overlap, are aligned, and keep their contents through `realloc`.
        #[test]
        fn blocks_are_disjoint_aligned_and_kept(ops in proptest::collection::vec(op(), 1..300)) {
            let mut heap = Heap::new(Host::default());
            let mut live: Vec<(*mut u8, Layout, u8)> = vec![];
            for (n, op) in ops.into_iter().enumerate() {
                let tag = n as u8;
                match op {
                    Op::Alloc(size, align) => {
                        let l = Layout::from_size_align(size, align).unwrap();
                        let p = unsafe { heap.alloc(l) };
                        prop_assert!(!p.is_null());
                        prop_assert_eq!(p as usize % align, 0);
                        unsafe { p.write_bytes(tag, size) };
                        live.push((p, l, tag));
                    }
                    Op::Free(i) if !live.is_empty() => {
                        let (p, l, _) = live.swap_remove(i % live.len());
                        unsafe { heap.dealloc(p, l) };
                    }
                    Op::Grow(i, size) if !live.is_empty() => {
                        let k = i % live.len();
                        let (p, l, t) = live[k];
                        let q = unsafe { heap.realloc(p, l, size) };
                        prop_assert!(!q.is_null());
                        let kept = l.size().min(size);
                        let s = unsafe { std::slice::from_raw_parts(q, kept) };
                        prop_assert!(s.iter().all(|&b| b == t), "contents lost in realloc");
                        let l = Layout::from_size_align(size, l.align()).unwrap();
                        unsafe { q.write_bytes(t, size) };
                        live[k] = (q, l, t);
                    }
                    _ => {}
                }
                let mut spans: Vec<(usize, usize)> =
                    live.iter().map(|(p, l, _)| (*p as usize, *p as usize + l.size())).collect();
                spans.sort();
                prop_assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "overlap");
            }
            for (p, l, t) in &live {
                let s = unsafe { std::slice::from_raw_parts(*p, l.size()) };
                prop_assert!(s.iter().all(|b| b == t), "a block was overwritten");
            }
        }
    }

    #[test]
    fn freed_blocks_and_pages_are_reused() {
        let mut heap = Heap::new(Host::default());
        let small = Layout::from_size_align(24, 8).unwrap();
        let a = unsafe { heap.alloc(small) };
        unsafe { heap.dealloc(a, small) };
        assert_eq!(unsafe { heap.alloc(small) }, a);
        let big = Layout::from_size_align(3 * PAGE, 8).unwrap();
        let b = unsafe { heap.alloc(big) };
        unsafe { heap.dealloc(b, big) };
        let one = Layout::from_size_align(PAGE, 8).unwrap();
        assert_eq!(unsafe { heap.alloc(one) }, b, "first fit splits the run");
        assert_eq!(unsafe { heap.alloc(one) }, b.wrapping_add(PAGE));
        assert_eq!(
            heap.pages.0.len(),
            2,
            "one page for small blocks, one run of three"
        );
    }
}
