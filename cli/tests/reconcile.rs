//! `yibao reconcile` through the real binary: a slip the engine itself wrote (its own
//! `estimate --json` settlement) matches every figure; the same slip with one figure changed is
//! reported different for exactly that figure, with the step that made it; bad input exits 2.

use serde_json::{json, Value};
use std::path::PathBuf;

mod common;
use common::yibao;

/// The published 渝北 example: basic fund, 医疗救助 and 倾斜救助 (policies/chongqing-yubei).
const POLICY: &str = "chongqing-yubei/resident-2023";
const CASE: &str = r#"date = 2023-06-01
level = "level2"
patient = { category = "dibao_edge" }
bill = { total = "52000", in_scope = "50000" }
"#;

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yibao-reconcile-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The settlement the CLI prints for the case, as a slip wrapped the way the interface returns it.
fn engine_slip(case: &str) -> Value {
    let out = yibao(&["estimate", "--policy", POLICY, "--case", case, "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e: Value = serde_json::from_slice(&out.stdout).unwrap();
    json!({ "infcode": 0, "output": { "setlinfo": e["settlement"].clone() } })
}

fn reconcile(case: &str, slip: &Value, extra: &[&str]) -> (Option<i32>, String, String) {
    let slip = tmp(
        &format!("slip-{}.json", extra.len()),
        &serde_json::to_string(slip).unwrap(),
    );
    let mut args = vec![
        "reconcile",
        "--policy",
        POLICY,
        "--case",
        case,
        "--slip",
        slip.to_str().unwrap(),
    ];
    args.extend(extra);
    let out = yibao(&args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn statuses(report: &Value) -> Vec<(String, String)> {
    report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["key"].as_str().unwrap().to_string(),
                l["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_engine_s_own_slip_matches_and_one_changed_figure_is_explained() {
    let case = tmp("case.toml", CASE);
    let case = case.to_str().unwrap();
    let mut slip = engine_slip(case);

    let (code, out, err) = reconcile(case, &slip, &["--json"]);
    assert_eq!(code, Some(0), "{err}\n{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let lines = statuses(&report);
    assert!(lines.iter().any(|(k, _)| k == "pool_prop_selfpay"));
    for (k, s) in &lines {
        // The balance is on neither side: the case states no account.
        let want = if k == "balc" {
            "missing_on_both"
        } else {
            "matched"
        };
        assert_eq!(s, want, "{k}");
    }
    // The engine's slip carries our own keys too, and they are compared, not listed as unknown.
    assert!(lines.iter().any(|(k, _)| k == "yb_pool_selfpay_amt"));
    assert_eq!(report["unknown"], json!([]));

    // The slip says 医疗救助 paid 10,600.00; the estimate 10,647.
    slip["output"]["setlinfo"]["maf_pay"] = json!(10600.00);
    slip["output"]["setlinfo"]["setl_id"] = json!("S0001");
    let (code, out, err) = reconcile(case, &slip, &["--json", "--lang", "en"]);
    assert_eq!(code, Some(1), "{err}\n{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let different: Vec<&Value> = report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["status"] == "different")
        .collect();
    assert_eq!(different.len(), 1, "{out}");
    let line = different[0];
    assert_eq!(line["key"], "maf_pay");
    assert_eq!(line["slip"], "10600.00");
    assert_eq!(line["estimate"], "10647.00");
    assert_eq!(line["difference"], "-47.00");
    // Made by the policy's 医疗救助 layer, with its clause.
    let steps = line["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 1, "{line}");
    assert!(steps[0]["key"].as_str().unwrap().starts_with("layer:"));
    assert!(steps[0]["cite"]["clause"].as_str().unwrap().contains("70%"));
    let zh = line["explanation_zh"].as_str().unwrap();
    let en = line["explanation_en"].as_str().unwrap();
    assert!(
        zh.contains("10600.00") && zh.contains("10647") && zh.contains("救助"),
        "{zh}"
    );
    assert!(en.contains("difference -47.00"), "{en}");
    assert_eq!(report["different"], 1);
    assert_eq!(
        report["unknown"],
        json!([{ "key": "setl_id", "value": "S0001" }])
    );

    // The readable table says the same.
    let (code, out, _) = reconcile(case, &slip, &[]);
    assert_eq!(code, Some(1));
    let row = out
        .lines()
        .find(|l| l.trim_start().starts_with("maf_pay"))
        .expect("a maf_pay row");
    assert!(
        row.contains("10600.00") && row.contains("-47.00") && row.contains("不一致"),
        "{row}"
    );
    assert!(out.contains("setl_id = S0001"), "{out}");
}

#[test]
fn a_slip_that_is_not_numbers_is_bad_input() {
    let case = tmp("case-bad.toml", CASE);
    let slip = json!({ "output": { "setlinfo": { "hifp_pay": "三万四" } } });
    let (code, _, err) = reconcile(case.to_str().unwrap(), &slip, &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("invalid_number") && err.contains("output.setlinfo.hifp_pay"),
        "{err}"
    );
    assert!(
        err.contains("不是有效的数字") && err.contains("not a decimal number"),
        "{err}"
    );
}
