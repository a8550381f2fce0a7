//! A replay on every core: persons (core's partition, `replay::by_person`) are shared out over
//! rayon's threads; each person's claims run in date order with the year to date chained; the
//! per-person summaries merge. The result is the same whatever the number of threads.

use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};
use yibao_core::claims::Claim;
use yibao_core::replay::{self, Extremes, PersonChange, Summary};
use yibao_core::{Money, PolicyDoc, Problems, Settled};

/// One policy over the claims: each claim's result (in the claims' order) and the summary.
pub struct Replay {
    pub results: Vec<Result<Settled, Problems>>,
    pub summary: Summary,
}

/// Replay `claims` under `doc`. `progress` is called with the number of claims done so far
/// (from any thread, now and then).
pub fn replay(doc: &PolicyDoc, claims: &[Claim], progress: &(dyn Fn(u64) + Sync)) -> Replay {
    let persons = replay::by_person(claims);
    let done = AtomicU64::new(0);
    type Part<'a> = (Vec<(&'a [usize], Vec<Result<Settled, Problems>>)>, Summary);
    // Each thread folds its persons into one summary (a summary per person would be a few
    // kilobytes of maps each, gigabytes for a county), then the threads' parts merge.
    let (parts, summary): Part = persons
        .par_iter()
        .fold(
            || (Vec::new(), Summary::default()),
            |(mut out, mut s): Part, idx| {
                let mine: Vec<&Claim> = idx.iter().map(|&i| &claims[i]).collect();
                let results = replay::person(doc, &mine);
                s.add_person(&mine, &results);
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
    // Back into the claims' order. Every claim belongs to exactly one person, so every
    // placeholder is overwritten.
    let mut ordered: Vec<Result<Settled, Problems>> =
        (0..claims.len()).map(|_| Err(Problems(vec![]))).collect();
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
    replay::by_person(claims)
        .par_iter()
        .map(|idx| {
            // A refused claim counts for nothing under either policy.
            let burden = |r: &Replay| -> Money {
                idx.iter()
                    .filter_map(|&i| r.results[i].as_ref().ok())
                    .map(|s| s.settlement.psn_part_amt)
                    .sum()
            };
            let mut e = Extremes::new(n);
            let id = &claims[idx[0]].person_id;
            e.add(PersonChange::new(
                id,
                idx.len() as u64,
                burden(a),
                burden(b),
            ));
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
