//! A province's claims on one machine: a file grouped by person (every person's claims in
//! consecutive rows, as a file sorted by person is, or a Spark partition) replayed part by part —
//! a few hundred thousand claims at a time, each part holding whole persons — so memory holds one
//! part, not the year; each part's results go to the caller (who writes them) as soon as they
//! are settled. The summaries, refused claims and who gains and who loses merge over the parts
//! into the same report a replay of the whole file gives (`streaming_equals_the_whole_file` in
//! `tests/tests/stream.rs`).
//!
//! A file that is not grouped — a person whose claims resume after another person's — cannot
//! be replayed this way without settling their year to date wrongly: it is found (every person
//! seen is kept, exactly, in an [`IdSet`]) before any part holding that person is settled, and
//! the replay stops with [`Stop::NotGrouped`]; the caller replays the file whole instead.

use crate::report::{Change, Report};
use crate::run::{self, Engine, Keep, Path, Replay};
use crate::table::{IdSet, Loaded, RowProblem};
use yibao_core::estimate::Key;
use yibao_core::replay::{Extremes, Summary};
use yibao_core::{PolicyDoc, Problem};

/// A claims file's rows, read a step at a time into a [`Loaded`] (a CSV record, a Parquet
/// batch).
pub trait Rows {
    /// Read the next step's rows into `loaded`; false at the end of the file.
    fn step(&mut self, loaded: &mut Loaded) -> Result<bool, Problem>;
}

/// Claims in a part, at least (a part ends at the first change of person after this many).
pub const PART: usize = 1 << 18;

/// Why a streaming replay stopped.
#[derive(Debug)]
pub enum Stop {
    /// The file is not grouped by person: `person_id`'s claims resume at `row` after another
    /// person's. Nothing of the part holding that row was settled.
    NotGrouped { row: u64, person_id: String },
    /// The file cannot be read (a line too long, a broken Parquet file).
    Unreadable(Problem),
    /// The caller could not take a part's results (a write failed).
    Written(String),
}

/// A file's rows, parted into whole persons.
pub struct Parts<R: Rows> {
    rows: R,
    loaded: Loaded,
    /// Every person read so far (their claims are consecutive rows while the file is grouped).
    persons: IdSet,
    /// Claims of `loaded` whose person was checked.
    checked: usize,
    part: usize,
    ended: bool,
}

impl<R: Rows> Parts<R> {
    /// `loaded`: what reading the header gave (its problems); `part`: claims in a part, at least.
    pub fn new(rows: R, loaded: Loaded, part: usize) -> Parts<R> {
        Parts {
            rows,
            loaded,
            persons: IdSet::default(),
            checked: 0,
            part: part.max(1),
            ended: false,
        }
    }

    /// Every person of the claims read since the last check is new, or goes on from the claim
    /// before.
    fn check(&mut self) -> Result<(), Stop> {
        let claims = &self.loaded.claims;
        for i in self.checked..claims.len() {
            let id = &claims[i].person_id;
            let goes_on = i > 0 && &claims[i - 1].person_id == id;
            if !goes_on && !self.persons.insert(id) {
                return Err(Stop::NotGrouped {
                    row: self.loaded.rows[i],
                    person_id: id.clone(),
                });
            }
        }
        self.checked = claims.len();
        Ok(())
    }

    /// The next part: whole persons, in the file's order; `None` at the end.
    pub fn next_part(&mut self) -> Result<Option<Loaded>, Stop> {
        while !self.ended {
            if self.loaded.claims.len() > self.part {
                // A carried person (whose run began the part) is checked already.
                if let Some(part) = self.loaded.split_whole_persons() {
                    self.checked = self.loaded.claims.len();
                    return Ok(Some(part));
                }
            }
            self.ended = !self.rows.step(&mut self.loaded).map_err(Stop::Unreadable)?;
            self.check()?;
        }
        if self.loaded.claims.is_empty() {
            return Ok(None);
        }
        self.checked = 0;
        Ok(Some(self.loaded.take_all()))
    }

    /// The bad rows of the whole file, in its order (once every part has been taken).
    pub fn bad_rows(&mut self) -> Vec<RowProblem> {
        std::mem::take(&mut self.loaded.bad)
    }
}

/// What takes each part's runs (a per-claim results writer); an error stops the replay.
pub type Each<'a> = dyn FnMut(&Loaded, &[Replay]) -> Result<(), String> + 'a;

/// What a streaming replay keeps from part to part, per policy.
struct Kept {
    summary: Summary,
    engine: Engine,
    refused: Vec<RowProblem>,
}

/// A streaming replay's result: the report (as `Report::new` makes it for the whole file) and
/// the claims read.
pub struct Streamed {
    pub report: Report,
    /// Seconds reading (and parting) the file, and replaying under each policy.
    pub read_seconds: f64,
    pub replay_seconds: Vec<f64>,
}

/// Replay every part of `parts` under each of `docs` (one or two), keeping `keep` (with two
/// policies, results are kept to find who gains and who loses), by the paths `path` allows; each
/// part's runs go to `each` with the part, in the file's order. `progress`: claims done so far.
/// With the feature `parallel` and more than one of rayon's threads, the next part is read on a
/// thread of its own while this one is settled (`read_seconds` is then the time spent waiting for
/// it); on one thread (`RAYON_NUM_THREADS=1`) reading and settling take turns on that thread.
#[allow(clippy::too_many_arguments)]
pub fn replay<R: Rows + Send>(
    docs: &[PolicyDoc],
    parts: Parts<R>,
    keep: Keep,
    path: Path,
    top: usize,
    each: &mut Each,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Streamed, Stop> {
    let mut settle_all = |next: &mut dyn FnMut() -> Result<Option<Loaded>, Stop>| {
        settle(docs, next, keep, path, top, each, progress)
    };
    #[cfg(feature = "parallel")]
    if rayon::current_num_threads() > 1 {
        let (r, parts) = std::thread::scope(|s| {
            // One part read ahead, at most: memory holds the part being settled and the next.
            let (tx, rx) = std::sync::mpsc::sync_channel(0);
            let reader = s.spawn(move || {
                let mut parts = parts;
                loop {
                    let p = parts.next_part();
                    let more = matches!(p, Ok(Some(_)));
                    if tx.send(p).is_err() || !more {
                        break;
                    }
                }
                parts
            });
            let mut next = move || rx.recv().unwrap_or(Ok(None));
            let r = settle_all(&mut next);
            // The receiver dropped, a reader still sending (the replay stopped early) stops too.
            drop(next);
            let parts = reader
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (r, parts)
        });
        return with_bad_rows(r, parts);
    }
    let mut parts = parts;
    let r = settle_all(&mut || parts.next_part());
    with_bad_rows(r, parts)
}

/// The replay's report with the rows its file could not read.
fn with_bad_rows<R: Rows>(
    r: Result<Streamed, Stop>,
    mut parts: Parts<R>,
) -> Result<Streamed, Stop> {
    r.map(|mut s| {
        s.report.bad_rows = parts.bad_rows();
        s
    })
}

/// [`replay`] of the parts `next` gives, the report without its bad rows.
#[allow(clippy::too_many_arguments)]
fn settle(
    docs: &[PolicyDoc],
    next: &mut dyn FnMut() -> Result<Option<Loaded>, Stop>,
    keep: Keep,
    path: Path,
    top: usize,
    each: &mut Each,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Streamed, Stop> {
    let keep = if docs.len() == 2 { Keep::Results } else { keep };
    let mut kept: Vec<Kept> = docs
        .iter()
        .map(|_| Kept {
            summary: Summary::default(),
            engine: Engine::default(),
            refused: vec![],
        })
        .collect();
    let mut extremes = (docs.len() == 2).then(|| Extremes::new(top));
    let (mut read_seconds, mut replay_seconds) = (0.0, vec![0.0; docs.len()]);
    let mut claims_read = 0usize;
    let mut first = true;
    loop {
        let clock = std::time::Instant::now();
        let part = next()?;
        read_seconds += clock.elapsed().as_secs_f64();
        // An empty file still gives its caller one (empty) part: a results file with a header.
        let part = match part {
            Some(p) => p,
            None if first => Loaded::default(),
            None => break,
        };
        first = false;
        let done = claims_read as u64;
        let runs: Vec<Replay> = docs
            .iter()
            .zip(&mut replay_seconds)
            .map(|(d, secs)| {
                let clock = std::time::Instant::now();
                let r = run::run(
                    d,
                    &part.claims,
                    &part.keys,
                    &|n| progress(done + n),
                    keep,
                    path,
                );
                *secs += clock.elapsed().as_secs_f64();
                r
            })
            .collect();
        for (k, r) in kept.iter_mut().zip(&runs) {
            k.summary.merge(&r.summary);
            k.engine.compiled_claims += r.engine.compiled_claims;
            k.engine.general_claims += r.engine.general_claims;
            k.engine.not_compiled.clone_from(&r.engine.not_compiled);
            k.refused.extend(r.refused.iter().flat_map(|(i, ps)| {
                let (row, id) = (part.rows[*i], &part.claims[*i].claim_id);
                ps.0.iter().map(move |p| RowProblem {
                    row,
                    claim_id: Some(id.clone()),
                    problem: p.clone(),
                })
            }));
        }
        if let Some(e) = extremes.as_mut() {
            e.merge(run::extremes(&part.claims, &runs[0], &runs[1], top));
        }
        each(&part, &runs).map_err(Stop::Written)?;
        claims_read += part.claims.len();
    }
    let change = extremes.map(|persons| {
        let diff =
            |k: Key| (kept[1].summary.all.get(k).0 - kept[0].summary.all.get(k).0).to_string();
        Change {
            fund_pay_sumamt: diff(Key::FundPaySumamt),
            psn_part_amt: diff(Key::PsnPartAmt),
            persons,
        }
    });
    let refused = kept
        .iter_mut()
        .flat_map(|k| std::mem::take(&mut k.refused))
        .collect();
    let policies = docs
        .iter()
        .zip(kept)
        .map(|(d, k)| crate::report::policy_report(d, k.summary, k.engine))
        .collect();
    let report = Report {
        claims_read,
        bad_rows: vec![],
        refused,
        policies,
        change,
    };
    Ok(Streamed {
        report,
        read_seconds,
        replay_seconds,
    })
}
