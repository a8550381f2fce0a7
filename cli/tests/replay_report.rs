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
