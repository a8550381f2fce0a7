//! A replay on every core: persons (core's partition, `replay::by_person`) are shared out over
//! rayon's threads; each person's claims run in date order with the year to date chained; the
//! per-thread summaries merge. The result is the same whatever the number of threads. Without
//! the feature `parallel` (the browser's replay worker: no threads there) the same persons run
//! one after the other on the calling thread, with the same results.
//!
//! Each person is settled by the policy's compiled form (`replay::compiled`, integer tables)
//! when it covers all their claims, and by the general settlement path otherwise; both give the
//! same amounts (property-tested), the compiled one in a few hundred instructions a claim.

#[cfg(feature = "parallel")]
use rayon::prelude::*;
use serde::Serialize;
#[cfg(feature = "parallel")]
use std::sync::atomic::{AtomicU64, Ordering};
use yibao_core::claims::{Claim, Key, Keys};
use yibao_core::replay::compiled::{Binding, Compiled, Slip};
use yibao_core::replay::{self, Extremes, PersonChange, Persons, Summary, Tally};
use yibao_core::{Money, PolicyDoc, Problems, Settled};

/// One policy over the claims.
pub struct Replay {
    /// Each claim's result, in the claims' order; empty when results were not kept
    /// ([`Keep::Totals`]).
    pub results: Vec<Result<Settled, Problems>>,
    /// The claims the engine refused (by index in the claims, in order) with their problems.
    pub refused: Vec<(usize, Problems)>,
    pub summary: Summary,
    pub engine: Engine,
    /// The claims' partition by person (the replay's own, kept for [`extremes`]).
    pub persons: Persons,
}

/// Which path settled the claims, for the report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Engine {
    /// Claims settled by the compiled path and by the general one.
    pub compiled_claims: u64,
    pub general_claims: u64,
    /// Why the policy did not compile, when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_compiled: Option<String>,
}

/// What a replay keeps besides the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Every claim's result (per-claim output files, who gains and who loses).
    Results,
    /// The summary and the refused claims only: a replay's full speed.
    Totals,
}

/// Which paths a replay may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// The compiled path where it covers a person, the general one elsewhere.
    Fastest,
    /// The general path for everyone (to measure it, and to test the compiled one against it).
    General,
}

/// Without threads, how many claims between two calls of `progress` (at least; it is called
/// between persons, never inside one).
pub const PROGRESS_EVERY: u64 = 2048;

/// Replay `claims` under `doc`, keeping every claim's result. `progress` is called with the
/// number of claims done so far (from any thread, now and then), and once at the end with all.
pub fn replay(doc: &PolicyDoc, claims: &[Claim], progress: &(dyn Fn(u64) + Sync)) -> Replay {
    let keys = Keys::of(claims);
    run(doc, claims, &keys, progress, Keep::Results, Path::Fastest)
}

/// [`replay`] of claims read from a file, with the keys its reader built.
pub fn replay_loaded(
    doc: &PolicyDoc,
    loaded: &crate::Loaded,
    progress: &(dyn Fn(u64) + Sync),
) -> Replay {
    let (claims, keys) = (&loaded.claims, &loaded.keys);
    run(doc, claims, keys, progress, Keep::Results, Path::Fastest)
}

/// [`replay`] one person after the other on this thread (the same results).
pub fn replay_in_order(
    doc: &PolicyDoc,
    claims: &[Claim],
    progress: &(dyn Fn(u64) + Sync),
) -> Replay {
    let keys = Keys::of(claims);
    run_on(
        doc,
        claims,
        &keys,
        progress,
        Keep::Results,
        Path::Fastest,
        false,
    )
}

/// Replay `claims` (with their `keys`, as a file reader builds them: `table::Loaded`) under
/// `doc`, keeping what `keep` says, by the paths `path` allows.
pub fn run(
    doc: &PolicyDoc,
    claims: &[Claim],
    keys: &Keys,
    progress: &(dyn Fn(u64) + Sync),
    keep: Keep,
    path: Path,
) -> Replay {
    run_on(doc, claims, keys, progress, keep, path, true)
}

/// The persons of `claims` shared out over threads, or on this one (`threads` false).
fn run_on(
    doc: &PolicyDoc,
    claims: &[Claim],
    keys: &Keys,
    progress: &(dyn Fn(u64) + Sync),
    keep: Keep,
    path: Path,
    threads: bool,
) -> Replay {
    let persons = replay::by_person_keyed(keys);
    let compiled = match path {
        Path::Fastest => Compiled::new(doc),
        Path::General => Err("the general path was asked for".to_string()),
    };
    let c = compiled.as_ref().ok();
    let binding = c.map(|c| c.bind(keys));
    let job = Job {
        doc,
        claims,
        keys: &keys.keys,
        persons: &persons,
        compiled: c.zip(binding.as_ref()),
        keep,
    };
    let told = Told::new(progress);
    let part = if threads {
        spread(&job, &told)
    } else {
        in_order(&job, &told)
    };
    told.tell(claims.len() as u64);
    let why = compiled.as_ref().err().cloned();
    let mut r = part.finish(claims.len(), why, keep);
    r.persons = persons;
    r
}

/// `progress` as callers are promised it, whichever thread finishes a chunk first: rising, each
/// count once, the last one all the claims.
struct Told<'p> {
    progress: &'p (dyn Fn(u64) + Sync),
    last: std::sync::Mutex<Option<u64>>,
}

impl<'p> Told<'p> {
    fn new(progress: &'p (dyn Fn(u64) + Sync)) -> Self {
        Told {
            progress,
            last: std::sync::Mutex::new(None),
        }
    }
    fn tell(&self, done: u64) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_none_or(|l| done > l) {
            *last = Some(done);
            (self.progress)(done);
        }
    }
}

/// What every person goes through.
struct Job<'a> {
    doc: &'a PolicyDoc,
    claims: &'a [Claim],
    keys: &'a [Key],
    persons: &'a Persons,
    compiled: Option<(&'a Compiled, &'a Binding)>,
    keep: Keep,
}

/// Every person of the job, on every core: persons in chunks, each chunk folded into one part
/// (a summary per person would be a few kilobytes of maps each, gigabytes for a county; and a
/// part handed from person to person would be copied each time), the parts merged.
#[cfg(feature = "parallel")]
fn spread<'a>(job: &Job<'a>, told: &Told) -> Part<'a> {
    let done = AtomicU64::new(0);
    let chunks = job.persons.len().div_ceil(CHUNK);
    (0..chunks)
        .into_par_iter()
        .map(|ch| {
            let mut part = Part::new(job.compiled.map(|c| c.0));
            let mut n = 0;
            for i in ch * CHUNK..((ch + 1) * CHUNK).min(job.persons.len()) {
                let idx = job.persons.get(i);
                part.person(job, idx);
                n += idx.len() as u64;
            }
            told.tell(done.fetch_add(n, Ordering::Relaxed) + n);
            part
        })
        .reduce(|| Part::new(job.compiled.map(|c| c.0)), Part::merge)
}

/// Persons in a chunk of work for one thread.
#[cfg(feature = "parallel")]
const CHUNK: usize = 2048;

/// Without threads (the browser's worker has none), every person on this one.
#[cfg(not(feature = "parallel"))]
fn spread<'a>(job: &Job<'a>, told: &Told) -> Part<'a> {
    in_order(job, told)
}

/// Every person in turn, `progress` every [`PROGRESS_EVERY`] claims or so.
fn in_order<'a>(job: &Job<'a>, told: &Told) -> Part<'a> {
    let mut part = Part::new(job.compiled.map(|c| c.0));
    let (mut done, mut since) = (0u64, 0u64);
    for idx in job.persons.iter() {
        part.person(job, idx);
        done += idx.len() as u64;
        if done - since >= PROGRESS_EVERY {
            told.tell(done);
            since = done;
        }
    }
    part
}

/// A person's kept results, as their path gave them.
enum Kept {
    Slips(Vec<Slip>),
    General(Vec<Result<Settled, Problems>>),
}

/// What one thread has replayed so far.
struct Part<'a> {
    compiled: Option<&'a Compiled>,
    /// The general path's persons, and the compiled path's (in integers until the end).
    summary: Summary,
    tally: Option<Tally>,
    /// The compiled path's slips for the person at hand (kept from person to person).
    slips: Vec<Slip>,
    kept: Vec<(&'a [u32], Kept)>,
    refused: Vec<(usize, Problems)>,
    engine: Engine,
}

impl<'a> Part<'a> {
    fn new(compiled: Option<&'a Compiled>) -> Part<'a> {
        Part {
            compiled,
            summary: Summary::default(),
            tally: compiled.map(Tally::new),
            slips: vec![],
            kept: vec![],
            refused: vec![],
            engine: Engine::default(),
        }
    }

    /// One person's claims (`idx`, by date) through the policy.
    fn person(&mut self, job: &Job<'a>, idx: &'a [u32]) {
        let (doc, claims, keep) = (job.doc, job.claims, job.keep);
        if let (Some((c, b)), Some(tally)) = (job.compiled, self.tally.as_mut()) {
            if c.settle_person(b, job.keys, claims, idx, &mut self.slips) {
                tally.add_person(c, b, job.keys, idx, &self.slips);
                self.engine.compiled_claims += idx.len() as u64;
                if keep == Keep::Results {
                    self.kept.push((idx, Kept::Slips(self.slips.clone())));
                }
                return;
            }
        }
        let mine: Vec<&Claim> = idx.iter().map(|&i| &claims[i as usize]).collect();
        let results = replay::person(doc, &mine);
        self.summary.add_person(&mine, &results);
        self.engine.general_claims += idx.len() as u64;
        for (&i, r) in idx.iter().zip(&results) {
            if let Err(ps) = r {
                self.refused.push((i as usize, ps.clone()));
            }
        }
        if keep == Keep::Results {
            self.kept.push((idx, Kept::General(results)));
        }
    }

    #[cfg(feature = "parallel")]
    fn merge(mut self, o: Part<'a>) -> Part<'a> {
        self.summary.merge(&o.summary);
        if let (Some(a), Some(b)) = (self.tally.as_mut(), o.tally.as_ref()) {
            a.merge(b);
        }
        self.kept.extend(o.kept);
        self.refused.extend(o.refused);
        self.engine.compiled_claims += o.engine.compiled_claims;
        self.engine.general_claims += o.engine.general_claims;
        self
    }

    /// The replay: the two paths' summaries as one, each kept result in the claims' order.
    fn finish(self, n: usize, not_compiled: Option<String>, keep: Keep) -> Replay {
        let mut summary = self.summary;
        if let (Some(c), Some(t)) = (self.compiled, &self.tally) {
            summary.merge(&t.summary(c));
        }
        let mut results: Vec<Result<Settled, Problems>> = vec![];
        if keep == Keep::Results {
            // Every claim belongs to exactly one person, so every placeholder is overwritten.
            results = (0..n).map(|_| Err(Problems(vec![]))).collect();
            for (idx, kept) in self.kept {
                match kept {
                    Kept::Slips(slips) => {
                        let c = self.compiled.expect("slips come from the compiled path");
                        for (&i, s) in idx.iter().zip(&slips) {
                            results[i as usize] = Ok(c.settled(s));
                        }
                    }
                    Kept::General(rs) => {
                        for (&i, r) in idx.iter().zip(rs) {
                            results[i as usize] = r;
                        }
                    }
                }
            }
        }
        let mut refused = self.refused;
        refused.sort_by_key(|(i, _)| *i);
        let mut engine = self.engine;
        engine.not_compiled = not_compiled;
        Replay {
            results,
            refused,
            summary,
            engine,
            persons: Persons::default(),
        }
    }
}

/// Who gains and who loses most between two replays of the same claims (both with results),
/// person by person as the replays partitioned them.
pub fn extremes(claims: &[Claim], a: &Replay, b: &Replay, n: usize) -> Extremes {
    #[cfg(not(feature = "parallel"))]
    return extremes_in_order(claims, a, b, n);
    #[cfg(feature = "parallel")]
    {
        let persons = &a.persons;
        (0..persons.len())
            .into_par_iter()
            .map(|i| {
                let mut e = Extremes::new(n);
                e.add(change(claims, a, b, persons.get(i)));
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
}

/// [`extremes`] one person after the other on this thread (the same result).
pub fn extremes_in_order(claims: &[Claim], a: &Replay, b: &Replay, n: usize) -> Extremes {
    a.persons.iter().fold(Extremes::new(n), |mut e, idx| {
        e.add(change(claims, a, b, idx));
        e
    })
}

/// What one person (`idx`: their claims) pays under `a` and under `b`. A refused claim counts
/// for nothing under either policy.
fn change(claims: &[Claim], a: &Replay, b: &Replay, idx: &[u32]) -> PersonChange {
    let burden = |r: &Replay| -> Money {
        idx.iter()
            .filter_map(|&i| r.results[i as usize].as_ref().ok())
            .map(|s| s.settlement.psn_part_amt)
            .sum()
    };
    let id = &claims[idx[0] as usize].person_id;
    PersonChange::new(id, idx.len() as u64, burden(a), burden(b))
}
