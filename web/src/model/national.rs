//! The national diagnosis list (core's `diagnosis::National`), once the disease box has fetched
//! `diagnoses.idx` (`ui/national.rs`): kept for the page's life, shared by every widget on it.
//! Before that, the search and the form read the policy's catalogue alone.

use std::cell::RefCell;
use std::rc::Rc;
use yibao_core::diagnosis::National;

#[derive(Clone, Default)]
pub enum Index {
    /// Not asked for yet.
    #[default]
    Idle,
    Loading,
    Ready(Rc<National>),
    /// The fetch or the file failed; asked again on the next keystroke.
    Failed,
}

thread_local! {
    static INDEX: RefCell<Index> = const { RefCell::new(Index::Idle) };
}

pub fn index() -> Index {
    INDEX.with(|i| i.borrow().clone())
}

pub fn set_index(to: Index) {
    INDEX.with(|i| *i.borrow_mut() = to);
}

/// The list, when loaded.
pub fn national() -> Option<Rc<National>> {
    match index() {
        Index::Ready(n) => Some(n),
        _ => None,
    }
}
