//! The office's replay worker and `yibao replay --json` give one report: the same claims file
//! under the same two policies, run by the real binary and by the worker, compared as JSON (the
//! CLI adds only its file name and wall-clock times); and the text the worker posts to the office
//! page reads back, as the page reads it, into the one `Report` type, equal to the CLI's.

mod common;
use common::yibao;
use serde_json::Value;
use yibao_batch::report::{Posted, Report};

#[test]
fn the_workers_report_is_the_clis_json() {
    let dir = std::env::temp_dir().join(format!("yibao-replay-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let claims = dir.join("claims.csv");
    let out = yibao(&[
        "claims",
        "generate",
        "--policy",
        "demo-county/resident-2024",
        "--claims",
        "3000",
        "--seed",
        "5",
        "--out",
        claims.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A bad row, so that the rows' problems are compared too.
    let mut csv = std::fs::read_to_string(&claims).unwrap();
    let good = csv.lines().nth(1).unwrap().to_string();
    let mut cells: Vec<&str> = good.split(',').collect();
    cells[0] = "BAD-DATE";
    cells[2] = "2024-13-40";
    csv += &cells.join(",");
    csv.push('\n');
    std::fs::write(&claims, &csv).unwrap();
    let policies = ["demo-county/resident-2024", "chongqing-yubei/resident-2023"];
    let exports: Vec<String> = policies
        .iter()
        .map(|p| {
            let out = yibao(&["export", "--policy", p]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        })
        .collect();

    let out = yibao(&[
        "replay",
        "--claims",
        claims.to_str().unwrap(),
        "--policy",
        policies[0],
        "--policy",
        policies[1],
        "--json",
        "-",
        "--top",
        "5",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let obj = cli.as_object_mut().unwrap();
    assert!(obj.remove("seconds").is_some() && obj.remove("claims_file").is_some());

    let report =
        yibao_replay_worker::compare(csv.as_bytes(), [&exports[0], &exports[1]], 5, &|_, _, _| {})
            .unwrap();
    let worker = serde_json::to_value(&report).unwrap();
    assert_eq!(worker["bad_rows"].as_array().unwrap().len(), 1);
    assert!(worker["change"]["persons"].is_object());
    assert_eq!(cli, worker);

    // The office page reads the worker's posted text as the shared type (web/src/ui/office/replay.rs)
    // and the CLI's JSON reads as the same type, to the same value, losslessly.
    let posted = serde_json::to_string(&Posted::Report(report)).unwrap();
    let Ok(Posted::Report(page)) = serde_json::from_str::<Posted>(&posted) else {
        panic!("the worker's text does not read as a report: {posted:.200}")
    };
    let from_cli: Report = serde_json::from_value(cli.clone()).unwrap();
    assert_eq!(serde_json::to_value(&from_cli).unwrap(), cli);
    assert_eq!(page.policies, from_cli.policies);
    assert_eq!(page.bad_rows, from_cli.bad_rows);
    assert_eq!(page.change, from_cli.change);
    assert_eq!(from_cli.policies.len(), 2);
    assert!(from_cli.policies[0].summary.all.claims > 2000);
    std::fs::remove_dir_all(&dir).ok();
}

/// A claims file not grouped by person (a person's claims resume after another's) is not
/// replayed part by part — that would settle their year to date in pieces: the CLI says where
/// (standard error, and `not_grouped` in `--json`) and replays it whole, to the report the
/// worker (which reads every file whole) gives, and to the per-claim results of the whole file;
/// the same file grouped has no `not_grouped`.
#[test]
fn a_file_not_grouped_by_person_is_replayed_whole_and_says_so() {
    let dir = std::env::temp_dir().join(format!("yibao-not-grouped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let grouped = dir.join("grouped.csv");
    let policies = ["demo-county/resident-2024", "chongqing-yubei/resident-2023"];
    let out = yibao(&[
        "claims",
        "generate",
        "--policy",
        policies[0],
        "--claims",
        "2000",
        "--seed",
        "9",
        "--out",
        grouped.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    // A claim of a person with several moved to the end of the file.
    let text = std::fs::read_to_string(&grouped).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let person = |l: &str| l.split(',').nth(1).unwrap().to_string();
    let at = (1..lines.len() - 1)
        .find(|&i| person(lines[i]) == person(lines[i + 1]))
        .unwrap();
    let moved = lines.remove(at);
    lines.push(moved);
    let csv = lines.join("\n") + "\n";
    let claims = dir.join("not-grouped.csv");
    std::fs::write(&claims, &csv).unwrap();
    let results = dir.join("results.csv");
    let run = |file: &std::path::Path| {
        yibao(&[
            "replay",
            "--claims",
            file.to_str().unwrap(),
            "--policy",
            policies[0],
            "--policy",
            policies[1],
            "--json",
            "-",
            "--top",
            "5",
            "--out",
            results.to_str().unwrap(),
        ])
    };
    let out = run(&claims);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not grouped by person"), "{stderr}");
    assert!(stderr.contains("未按参保人排序"), "{stderr}");
    let mut cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    let obj = cli.as_object_mut().unwrap();
    let ng = obj.remove("not_grouped").expect("not_grouped in --json");
    assert_eq!(ng["row"], lines.len() as u64);
    assert_eq!(ng["person_id"], person(moved).as_str());
    assert!(obj.remove("seconds").is_some() && obj.remove("claims_file").is_some());

    let exports: Vec<String> = policies
        .iter()
        .map(|p| String::from_utf8(yibao(&["export", "--policy", p]).stdout).unwrap())
        .collect();
    let report =
        yibao_replay_worker::compare(csv.as_bytes(), [&exports[0], &exports[1]], 5, &|_, _, _| {})
            .unwrap();
    assert_eq!(cli, serde_json::to_value(&report).unwrap());

    // The per-claim results are the whole file's, row for row.
    use yibao_batch::{run, table, text};
    let loaded = text::read_claims(csv.as_bytes()).unwrap();
    let docs: Vec<_> = exports
        .iter()
        .map(|e| yibao_core::input::policy_doc_from_json(e).unwrap())
        .collect();
    let runs: Vec<_> = docs
        .iter()
        .map(|d| run::replay_loaded(d, &loaded, &|_| {}))
        .collect();
    let rs: Vec<&[_]> = runs.iter().map(|r| r.results.as_slice()).collect();
    let mut want = vec![];
    text::write_results(&mut want, &table::results(&loaded.claims, &rs)).unwrap();
    assert_eq!(std::fs::read(&results).unwrap(), want);

    let out = run(&grouped);
    assert!(out.status.success());
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(cli.get("not_grouped").is_none());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("not grouped"));
    std::fs::remove_dir_all(&dir).ok();
}
