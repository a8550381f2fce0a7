//! Every bad input gives one clear bilingual message, a non-zero exit code, and never a panic.

use std::path::PathBuf;
use std::process::Output;

mod common;
use common::yibao;

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yibao-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Fails unless the command was rejected cleanly with both languages and the given fragments.
fn rejected(out: &Output, fragments: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr:\n{err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "panic:\n{err}"
    );
    assert!(
        err.contains("错误 / error") || err.contains("命令行参数有误"),
        "bilingual prefix missing:\n{err}"
    );
    assert!(
        err.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "no Chinese:\n{err}"
    );
    for f in fragments {
        assert!(err.contains(f), "missing {f:?} in:\n{err}");
    }
}

const DEMO: &str = "policies/demo-county/resident-2024.toml";

#[test]
fn missing_file() {
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", "no/such/case.toml"]),
        &["文件不存在", "cannot read", "no/such/case.toml"],
    );
    rejected(
        &yibao(&["validate", "no/such/policy.toml"]),
        &["文件不存在"],
    );
}

#[test]
fn malformed_toml_names_the_line() {
    let c = tmp(
        "malformed.toml",
        "level = \"county\"\nbill = { total = \"100\" \n",
    );
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]),
        &["malformed.toml:2", "TOML"],
    );
}

#[test]
fn negative_amount() {
    let c = tmp(
        "negative.toml",
        "date = 2025-01-01\nlevel = \"county\"\nbill = { total = \"-5\" }\n",
    );
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]),
        &["负数", "negative", "negative.toml:3"],
    );
}

#[test]
fn non_numeric_amount() {
    let c = tmp(
        "nan.toml",
        "date = 2025-01-01\nlevel = \"county\"\nbill = { total = \"abc\" }\n",
    );
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]),
        &["不是有效的数字", "not a decimal", "nan.toml:3"],
    );
    let f = tmp(
        "float.toml",
        "date = 2025-01-01\nlevel = \"county\"\nbill = { total = 100.1 }\n",
    );
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", f.to_str().unwrap()]),
        &["binary float"],
    );
}

#[test]
fn huge_amounts_are_refused_not_overflowed() {
    let items: String = (0..3).map(|i| format!("[[bill.items]]\nname = \"x{i}\"\nclass = \"jia\"\namount = \"79000000000000000000000000000\"\n")).collect();
    let c = tmp(
        "huge.toml",
        &format!("date = 2025-01-01\nlevel = \"county\"\n{items}"),
    );
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]),
        &["金额过大", "too large"],
    );
    rejected(
        &yibao(&["compare", "--disease", "肺炎", "--cost", "5000000000000"]),
        &["金额过大"],
    );
}

#[test]
fn unknown_level_and_category() {
    let c = tmp("unknown.toml", "date = 2025-01-01\nlevel = \"moon\"\npatient = { category = \"vip\" }\nbill = { total = \"100\" }\n");
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]),
        &[
            "未知的医疗机构级别",
            "unknown facility level \"moon\"",
            "[level]",
            "未知的人员类别",
            "[patient.category]",
        ],
    );
    rejected(
        &yibao(&["refer", "--level", "moon"]),
        &["unknown facility level \"moon\"", "[--level]"],
    );
}

#[test]
fn date_outside_every_effective_period() {
    let c = tmp(
        "old.toml",
        "date = 2019-01-01\nlevel = \"county\"\nbill = { total = \"100\" }\n",
    );
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]),
        &["不在本政策有效期", "outside the policy's effective period"],
    );
}

#[test]
fn unknown_keys_are_all_reported_with_lines() {
    let c = tmp("typos.toml", "date = 2025-01-01\nlevle = \"county\"\nlevel = \"county\"\nbill = { totl = \"100\", total = \"100\" }\n");
    rejected(
        &yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]),
        &[
            "typos.toml:2: [levle]",
            "typos.toml:4: [bill.totl]",
            "未知的键",
            "unknown key",
        ],
    );
}

#[test]
fn policy_problems_are_all_reported_at_once() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../",
        "policies/demo-county/resident-2024.toml"
    ))
    .unwrap();
    let broken = text
        .replace(
            "rates = { township = \"80%\"",
            "rates = { township = \"80%\", moon = \"50%\"",
        )
        .replace(
            "source = \"seed003\", clause = \"无责任方",
            "source = \"nowhere\", clause = \"无责任方",
        )
        .replace(
            "[inpatient.caps]\n",
            "[inpatient.caps]\nanual_fund = \"1\"\n",
        );
    let p = tmp("broken-policy.toml", &broken);
    rejected(
        &yibao(&["validate", p.to_str().unwrap()]),
        &[
            "[inpatient.caps.anual_fund]",
            "[inpatient.ratio.rates.moon]",
            "[inpatient.caps.cite.source]",
            "nowhere",
            "broken-policy.toml:",
        ],
    );
}

#[test]
fn bad_command_line_is_bilingual() {
    rejected(
        &yibao(&["compare", "--disease", "肺炎", "--cost", "-3"]),
        &["负数"],
    );
    rejected(
        &yibao(&["compare", "--disease", "肺炎", "--cost", "lots"]),
        &["不是有效的金额"],
    );
    rejected(
        &yibao(&["compare", "--disease", "不存在的病", "--cost", "100"]),
        &["找不到"],
    );
    rejected(&yibao(&["estimate"]), &["invalid command line"]);
}

#[test]
fn good_input_still_works() {
    let out = yibao(&[
        "estimate",
        "--policy",
        "demo-county/resident-2024",
        "--case",
        "policies/demo-county/examples/pneumonia-county.toml",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("基本医保统筹支付")
            && text.contains("依据 / source")
            && text.contains("预计个人负担")
    );
    let json = yibao(&[
        "estimate",
        "--policy",
        DEMO,
        "--case",
        "policies/demo-county/examples/pneumonia-county.toml",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["settlement"]["medfee_sumamt"], "9000");
    assert!(v["receipt"]["policy_sha256"].as_str().unwrap().len() == 64);
}

#[test]
fn export_gives_the_policy_as_json_with_its_hash() {
    let out = yibao(&["export", "--policy", DEMO]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["policy"]["meta"]["id"], "demo-county/resident-2024");
    assert_eq!(v["sha256"].as_str().unwrap().len(), 64);
    rejected(
        &yibao(&["export", "--policy", "no/such.toml"]),
        &["文件不存在"],
    );
}

#[test]
fn an_impossible_admission_count_is_refused_not_overflowed() {
    // Once "attempt to add with overflow" (a panic), and in a release build a wrapped count.
    for n in ["4294967295", "367"] {
        let c = tmp(
            &format!("admissions-{n}.toml"),
            &format!(
                "date = 2025-01-01\nlevel = \"county\"\nbill = {{ total = \"8000\" }}\n[ytd]\nadmissions = {n}\n"
            ),
        );
        let out = yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]);
        rejected(
            &out,
            &[
                "(invalid_value)",
                "[ytd.admissions]",
                "不可能",
                "not possible",
            ],
        );
    }
    let c = tmp(
        "admissions-366.toml",
        "date = 2025-01-01\nlevel = \"county\"\nbill = { total = \"8000\" }\n[ytd]\nadmissions = 366\n",
    );
    let out = yibao(&["estimate", "--policy", DEMO, "--case", c.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn testing_a_directory_without_policies_fails_instead_of_passing() {
    let empty = std::env::temp_dir().join(format!("yibao-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let out = yibao(&["test", empty.to_str().unwrap()]);
    rejected(
        &out,
        &[
            "(no_files)",
            "没有可读的政策文件",
            "no readable policy files",
        ],
    );
}

#[test]
fn a_device_or_fifo_is_refused_without_hanging() {
    // `/dev/zero` never ends and a FIFO blocks until a writer comes: both were read as files.
    let out = yibao(&["estimate", "--policy", DEMO, "--case", "/dev/zero"]);
    rejected(
        &out,
        &["(unreadable_file)", "不是普通文件", "not a regular file"],
    );
    let fifo = std::env::temp_dir().join(format!("yibao-fifo-{}", std::process::id()));
    let _ = std::fs::remove_file(&fifo);
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let out = yibao(&[
            "estimate",
            "--policy",
            DEMO,
            "--case",
            fifo.to_str().unwrap(),
        ]);
        rejected(&out, &["(unreadable_file)", "not a regular file"]);
        let _ = std::fs::remove_file(&fifo);
    }
}
