//! A file grouped by person replayed part by part (`yibao_batch::stream`) gives what the whole
//! file gives: the same report (summaries, refused claims, bad rows, who gains and who loses) and
//! the same per-claim results, byte for byte — with parts small enough that persons run across
//! the place a part was cut, from CSV and from Parquet. A file that is not grouped is found
//! before the part that shows it is settled.

mod common;
use yibao_batch::generate::{self, Spec};
use yibao_batch::report::Report;
use yibao_batch::stream::{self, Parts, Stop};
use yibao_batch::table::{self, IdSet, Loaded};
use yibao_batch::{columnar, run, text, Keep, Replay};
use yibao_core::claims::Claim;
use yibao_core::PolicyDoc;

fn quiet(_: u64) {}

/// A generated county-year as CSV (grouped by person, as the generator writes it), with a row
/// of a bad date, a claim id written twice and a row the engine refuses (an unknown level).
fn file(doc: &PolicyDoc, n: usize, seed: u64) -> String {
    let spec = Spec {
        seed,
        claims: n,
        inpatient_only: false,
    };
    let claims = generate::claims(&doc.policy, &spec);
    let mut csv = vec![];
    text::write_claims(&mut csv, &claims).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    // Row 41 is given a date no calendar has; row 90 repeats row 89's claim id; the claims of
    // row 200 are at a level no policy has.
    let bad_date: Vec<String> = lines[40].split(',').map(str::to_string).collect();
    lines[40] = [&bad_date[..2], &["2024-13-40".to_string()], &bad_date[3..]]
        .concat()
        .join(",");
    let id = lines[88].split(',').next().unwrap().to_string();
    let rest: Vec<&str> = lines[89].split(',').skip(1).collect();
    lines[89] = format!("{id},{}", rest.join(","));
    let mut odd: Vec<&str> = lines[199].split(',').collect();
    odd[4] = "no-such-level";
    lines[199] = odd.join(",");
    lines.join("\n") + "\n"
}

/// The whole file read and replayed (as `yibao replay` does for a file not grouped by person):
/// its report and its per-claim results as CSV.
fn whole(docs: &[PolicyDoc], mut loaded: Loaded, keep: Keep) -> (Report, Vec<u8>) {
    let runs: Vec<Replay> = docs
        .iter()
        .map(|d| {
            run::run(
                d,
                &loaded.claims,
                &loaded.keys,
                &quiet,
                keep,
                run::Path::Fastest,
            )
        })
        .collect();
    let mut out = vec![];
    if keep == Keep::Results {
        let results: Vec<&[_]> = runs.iter().map(|r| r.results.as_slice()).collect();
        text::write_results(&mut out, &table::results(&loaded.claims, &results)).unwrap();
    }
    (Report::new(docs, &mut loaded, &runs, 10), out)
}

/// A streaming replay's report, its per-claim results as CSV, and each part's claims.
type Streamed = (Report, Vec<u8>, Vec<Vec<Claim>>);

/// The same part by part.
fn streamed<R: stream::Rows + Send>(
    docs: &[PolicyDoc],
    parts: Parts<R>,
    keep: Keep,
) -> Result<Streamed, Stop> {
    let mut w = text::ResultsWriter::new(vec![]);
    let mut seen = vec![];
    let s = stream::replay(
        docs,
        parts,
        keep,
        run::Path::Fastest,
        10,
        &mut |part, runs| {
            seen.push(part.claims.clone());
            if keep == Keep::Results {
                let results: Vec<&[_]> = runs.iter().map(|r| r.results.as_slice()).collect();
                w.write(&table::results(&part.claims, &results))?;
            }
            Ok(())
        },
        &quiet,
    )?;
    let out = w.into_inner().unwrap();
    Ok((s.report, out, seen))
}

/// Persons whose claims were read across the place a part was cut: every part but the last ends
/// where a person ends, and a part shorter than the parts' size means the person after it had
/// claims read before the cut (they were carried to the next part).
fn carried(parts: &[Vec<Claim>], size: usize) -> usize {
    for w in parts.windows(2) {
        let (a, b) = (w[0].last().unwrap(), w[1].first().unwrap());
        assert_ne!(a.person_id, b.person_id, "a part ends where a person ends");
    }
    let n = parts.len().saturating_sub(1);
    parts[..n].iter().filter(|p| p.len() < size).count()
}

#[test]
fn streaming_equals_the_whole_file() {
    let policies = ["demo-county/resident-2024", "sichuan-dazhou/employee-2024"];
    let docs: Vec<PolicyDoc> = policies
        .iter()
        .map(|id| common::shipped(id).clone())
        .collect();
    let csv = file(&docs[0], 1500, 11);
    let mut split = 0;
    for docs in [&docs[..1], &docs[..]] {
        for keep in [Keep::Results, Keep::Totals] {
            if docs.len() == 2 && keep == Keep::Totals {
                continue;
            }
            let (want, want_out) = whole(docs, text::read_claims(csv.as_bytes()).unwrap(), keep);
            assert_eq!(want.bad_rows.len(), 2, "{:?}", want.bad_rows);
            assert!(!want.refused.is_empty());
            for size in [5, 150, 1499, 100_000] {
                let (rows, loaded) = text::CsvRows::new(csv.as_bytes()).unwrap();
                let (got, out, parts) =
                    streamed(docs, Parts::new(rows, loaded, size), keep).unwrap();
                assert_eq!(got, want, "{} policies, parts of {size}", docs.len());
                assert_eq!(out, want_out, "parts of {size}");
                let all: Vec<&Claim> = parts.iter().flatten().collect();
                assert_eq!(all.len(), want.claims_read);
                split += carried(&parts, size);
            }
        }
    }
    // Persons with several claims ran across the cuts (parts of 5 and 150 claims).
    assert!(split > 50, "{split}");
}

#[test]
fn a_parquet_file_streams_the_same() {
    let docs = [common::shipped("tianjin/resident-2024").clone()];
    let spec = Spec {
        seed: 3,
        claims: 5000,
        inpatient_only: false,
    };
    let claims = generate::claims(&docs[0].policy, &spec);
    let dir = std::env::temp_dir().join(format!("yibao-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("claims.parquet");
    // Written in batches, as `claims generate` writes a large file.
    let mut w = columnar::ParquetWriter::new(std::fs::File::create(&path).unwrap());
    for batch in claims.chunks(777) {
        w.write_claims(batch).unwrap();
    }
    w.finish().unwrap();
    let loaded = columnar::read_parquet(std::fs::File::open(&path).unwrap()).unwrap();
    assert_eq!(loaded.claims, claims);
    let (want, want_out) = whole(&docs, loaded, Keep::Results);
    let mut split = 0;
    for size in [5, 300, 4000] {
        let rows = columnar::ParquetRows::new(std::fs::File::open(&path).unwrap()).unwrap();
        let (got, out, parts) = streamed(
            &docs,
            Parts::new(rows, Loaded::default(), size),
            Keep::Results,
        )
        .unwrap();
        assert_eq!(got, want, "parts of {size}");
        assert_eq!(out, want_out, "parts of {size}");
        split += parts.len();
    }
    assert!(split > 10, "{split}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A person whose claims resume after another's stops the streaming replay at that row, before
/// the part holding it is settled — wherever the parts are cut.
#[test]
fn a_file_not_grouped_by_person_is_found() {
    let docs = [common::shipped("demo-county/resident-2024").clone()];
    let csv = file(&docs[0], 2000, 12);
    let mut lines: Vec<&str> = csv.lines().collect();
    // The first claim moved to the end: its person's claims resume after everyone else's
    // (unless the first person had one claim only: then take one with more).
    let person = |l: &str| l.split(',').nth(1).unwrap().to_string();
    let first = (1..lines.len())
        .find(|&i| person(lines[i]) == person(lines[i + 1]))
        .unwrap();
    let moved = lines.remove(first);
    lines.push(moved);
    let csv = lines.join("\n") + "\n";
    let row = lines.len() as u64;
    for size in [1, 50, 1999, 100_000] {
        let (rows, loaded) = text::CsvRows::new(csv.as_bytes()).unwrap();
        let mut settled = 0;
        let r = stream::replay(
            &docs,
            Parts::new(rows, loaded, size),
            Keep::Results,
            run::Path::Fastest,
            10,
            &mut |part, _| {
                settled += part.claims.len();
                assert!(part.rows.iter().all(|&r| r < row));
                Ok(())
            },
            &quiet,
        );
        match r {
            Err(Stop::NotGrouped { row: at, person_id }) => {
                assert_eq!(at, row, "parts of {size}");
                assert_eq!(person_id, person(moved));
            }
            Err(e) => panic!("{e:?}"),
            Ok(_) => panic!("parts of {size}: the file is not grouped"),
        }
        assert!(settled < 2000);
    }
}

#[test]
fn an_id_set_holds_ids_exactly() {
    let mut s = IdSet::default();
    let long = "长".repeat(100);
    let ids = ["", "a", "C00000001", "C00000010", long.as_str(), "P1"];
    for id in ids {
        assert!(!s.contains(id));
        assert!(s.insert(id), "{id}");
        assert!(s.contains(id));
        assert!(!s.insert(id), "{id} twice");
    }
    assert_eq!(s.len(), ids.len());
    assert!(!s.contains("C0000000"));
    assert!(!s.contains(&"长".repeat(99)));
    for i in 0..100_000 {
        assert!(s.insert(&format!("X{i}")));
    }
    assert!((0..100_000).all(|i| s.contains(&format!("X{i}"))));
    assert!(!s.contains("X100000"));
    assert_eq!(s.len(), ids.len() + 100_000);
}
