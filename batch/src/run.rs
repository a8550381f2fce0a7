//! A replay on every core: persons (core's partition, `replay::by_person`) are shared out over
//! rayon's threads; each person's claims run in date order with the year to date chained; the
//! per-person summaries merge. The result is the same whatever the number of threads. Without the
//! feature `parallel` (the browser's replay worker: no threads there) the same persons run one
//! after the other on the calling thread, with the same results.

#[cfg(feature = "parallel")]
use rayon::prelude::*;
#[cfg(feature = "parallel")]
use std::sync::atomic::{AtomicU64, Ordering};
use yibao_core::claims::Claim;
use yibao_core::replay::{self, Extremes, PersonChange, Summary};
use yibao_core::{Money, PolicyDoc, Problems, Settled};

/// One policy over the claims: each claim's result (in the claims' order) and the summary.
pub struct Replay {
    pub results: Vec<Result<Settled, Problems>>,
    pub summary: Summary,
}

/// Without threads, how many claims between two calls of `progress` (at least; it is called
/// between persons, never inside one).
pub const PROGRESS_EVERY: u64 = 2048;

/// Replay `claims` under `doc`. `progress` is called with the number of claims done so far
/// (from any thread, now and then), and once at the end with all of them.
#[cfg(feature = "parallel")]
pub fn replay(doc: &PolicyDoc, claims: &[Claim], progress: &(dyn Fn(u64) + Sync)) -> Replay {
    let persons = replay::by_person(claims);
    let done = AtomicU64::new(0);
    type Part<'a> = (Vec<Results<'a>>, Summary);
    // Each thread folds its persons into one summary (a summary per person would be a few
    // kilobytes of maps each, gigabytes for a county), then the threads' parts merge.
    let (parts, summary): Part = persons
        .par_iter()
        .fold(
            || (Vec::new(), Summary::default()),
            |(mut out, mut s): Part, idx| {
                let results = person(doc, claims, idx, &mut s);
                let n = idx.len() as u64;
                if (done.fetch_add(n, Ordering::Relaxed) + n) % 8192 < n {
                    progress(done.load(Ordering::Relaxed));
                }
                out.push((idx.as_slice(), results));
                (out, s)
            },
        )
        .reduce(
            || (Vec::new(), Summary::default()),
            |(mut a, mut sa), (b, sb)| {
                a.extend(b);
                sa.merge(&sb);
                (a, sa)
            },
        );
    progress(claims.len() as u64);
    ordered(claims.len(), parts, summary)
}

/// Replay `claims` under `doc` (without the feature `parallel`: [`replay_in_order`]).
#[cfg(not(feature = "parallel"))]
pub fn replay(doc: &PolicyDoc, claims: &[Claim], progress: &(dyn Fn(u64) + Sync)) -> Replay {
    replay_in_order(doc, claims, progress)
}

/// Replay `claims` under `doc`, one person after the other on this thread. `progress` is called
/// between persons every [`PROGRESS_EVERY`] claims or so, and once at the end with all of them.
/// The same results as the threaded [`replay`] (tested).
pub fn replay_in_order(
    doc: &PolicyDoc,
    claims: &[Claim],
    progress: &(dyn Fn(u64) + Sync),
) -> Replay {
    let persons = replay::by_person(claims);
    let mut summary = Summary::default();
    let mut parts = Vec::with_capacity(persons.len());
    let (mut done, mut told) = (0u64, 0u64);
    for idx in &persons {
        let results = person(doc, claims, idx, &mut summary);
        done += idx.len() as u64;
        if done - told >= PROGRESS_EVERY {
            progress(done);
            told = done;
        }
        parts.push((idx.as_slice(), results));
    }
    progress(claims.len() as u64);
    ordered(claims.len(), parts, summary)
}

/// One person's claims (`idx`) through the policy, added to `summary`.
fn person(
    doc: &PolicyDoc,
    claims: &[Claim],
    idx: &[usize],
    summary: &mut Summary,
) -> Vec<Result<Settled, Problems>> {
    let mine: Vec<&Claim> = idx.iter().map(|&i| &claims[i]).collect();
    let results = replay::person(doc, &mine);
    summary.add_person(&mine, &results);
    results
}

/// One person's claims (indices) and their results.
type Results<'a> = (&'a [usize], Vec<Result<Settled, Problems>>);

/// Each person's results back into the claims' order.
fn ordered(n: usize, parts: Vec<Results>, summary: Summary) -> Replay {
    // Every claim belongs to exactly one person, so every placeholder is overwritten.
    let mut ordered: Vec<Result<Settled, Problems>> =
        (0..n).map(|_| Err(Problems(vec![]))).collect();
    for (idx, results) in parts {
        for (&i, r) in idx.iter().zip(results) {
            ordered[i] = r;
        }
    }
    Replay {
        results: ordered,
        summary,
    }
}

/// Who gains and who loses most between two replays of the same claims.
pub fn extremes(claims: &[Claim], a: &Replay, b: &Replay, n: usize) -> Extremes {
    #[cfg(not(feature = "parallel"))]
    return extremes_in_order(claims, a, b, n);
    #[cfg(feature = "parallel")]
    replay::by_person(claims)
        .par_iter()
        .map(|idx| {
            let mut e = Extremes::new(n);
            e.add(change(claims, a, b, idx));
            e
        })
        .reduce(
            || Extremes::new(n),
            |mut x, y| {
                x.merge(y);
                x
            },
        )
}

/// [`extremes`] one person after the other on this thread (the same result).
pub fn extremes_in_order(claims: &[Claim], a: &Replay, b: &Replay, n: usize) -> Extremes {
    replay::by_person(claims)
        .iter()
        .fold(Extremes::new(n), |mut e, idx| {
            e.add(change(claims, a, b, idx));
            e
        })
}

/// What one person (`idx`: their claims) pays under `a` and under `b`. A refused claim counts
/// for nothing under either policy.
fn change(claims: &[Claim], a: &Replay, b: &Replay, idx: &[usize]) -> PersonChange {
    let burden = |r: &Replay| -> Money {
        idx.iter()
            .filter_map(|&i| r.results[i].as_ref().ok())
            .map(|s| s.settlement.psn_part_amt)
            .sum()
    };
    let id = &claims[idx[0]].person_id;
    PersonChange::new(id, idx.len() as u64, burden(a), burden(b))
}
