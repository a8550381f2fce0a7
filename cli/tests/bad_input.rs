//! Every bad input gives one clear bilingual message, a non-zero exit code, and never a panic.
//! The single-message cases are input/output files (`cli/tests/cmd`, compared whole); these are
//! the ones that build their input or check across several runs.

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
fn referral_commands_default_to_the_policys_first_category_and_check_a_given_one() {
    // An employee policy has no `general` category: the default is its first one (在职).
    let out = yibao(&[
        "refer",
        "--policy",
        "sichuan-dazhou/employee-2024",
        "--level",
        "level3",
        "--date",
        "2025-05-01",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    rejected(
        &yibao(&[
            "refer",
            "--policy",
            "sichuan-dazhou/employee-2024",
            "--level",
            "level3",
            "--category",
            "retird",
        ]),
        &[
            "unknown patient category \"retird\"",
            "[--category]",
            "in_service、retired",
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

/// Good input still works, and the binary's outputs agree: the example patient's settlement as
/// `--json` writes it is the worked case `demo-items-referred-up` expects for the same patient
/// (figures reasoned by hand in the cases file), and the text's table says the same figures.
#[test]
fn good_input_still_works() {
    let example = "policies/demo-county/examples/pneumonia-county.toml";
    let out = yibao(&["estimate", "--policy", DEMO, "--case", example]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("依据 / source") && text.contains("预计个人负担"));
    let json = yibao(&["estimate", "--policy", DEMO, "--case", example, "--json"]);
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let got = &v["settlement"];
    let figure = |s: &str| {
        s.parse::<f64>()
            .map(|x| (x * 100.0).round() as i64)
            .unwrap()
    };

    // The worked case for the same patient, read from its file (not through the CLI).
    let cases: toml::Value = toml::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../policies/demo-county/resident-2024.cases.toml"
        ))
        .unwrap(),
    )
    .unwrap();
    let case = cases["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"].as_str() == Some("demo-items-referred-up"))
        .unwrap();
    let example_case: toml::Value = toml::from_str(
        &std::fs::read_to_string(format!("{}/../{example}", env!("CARGO_MANIFEST_DIR"))).unwrap(),
    )
    .unwrap();
    assert_eq!(
        case["input"], example_case,
        "the worked case is the example's patient"
    );
    let expect = case["expect"].as_table().unwrap();
    let mut compared = 0;
    for (key, want) in expect {
        let want = want.as_str().unwrap();
        if key == "eligibility" {
            assert_eq!(v["referral"]["eligibility"], want);
            continue;
        }
        let have = got[key.as_str()]
            .as_str()
            .unwrap_or_else(|| panic!("{key} not in {got}"));
        assert_eq!(figure(have), figure(want), "{key}");
        compared += 1;
    }
    assert!(compared >= 8, "only {compared} figures compared");

    // Every settlement row of the text table is the JSON's figure.
    let mut rows = 0;
    for line in text.lines() {
        let cells: Vec<&str> = line.split_whitespace().collect();
        if let [.., key, amount] = cells.as_slice() {
            if let Some(json) = got[*key].as_str() {
                assert_eq!(figure(amount), figure(json), "{line}");
                rows += 1;
            }
        }
    }
    assert!(rows >= 20, "only {rows} settlement rows in:\n{text}");
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

/// A fresh directory for one test, emptied first.
fn tmp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yibao-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn shipped(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../policies/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Each `错误 / error (code): … / …` line's two halves: Chinese in the first, English in the
/// second, once the quoted text the user wrote, file names and key paths are set aside.
fn halves_in_their_languages(stderr: &str) {
    fn plain(s: &str) -> String {
        let mut out = String::new();
        let (mut quote, mut brackets) = (None, 0);
        for c in s.chars() {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '`') => quote = Some(c),
                // A key path: `[layers[0].tiers[1].up_to]`.
                (None, '[') => brackets += 1,
                (None, ']') => brackets -= 1,
                (None, _) if brackets > 0 => {}
                (None, _) => out.push(c),
            }
        }
        out
    }
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut seen = 0;
    for line in stderr.lines() {
        let Some(rest) = line.strip_prefix("错误 / error (") else {
            continue;
        };
        seen += 1;
        // After the code and the file position ("file:line: ").
        let (_, msg) = rest.split_once("): ").unwrap();
        let msg = msg.split_once(": ").map_or(msg, |(_, m)| m);
        let (zh, en) = msg
            .split_once(" / ")
            .unwrap_or_else(|| panic!("no halves: {line}"));
        let (zh, en) = (plain(zh), plain(en));
        assert!(zh.chars().any(cjk), "no Chinese: {line}");
        assert!(
            !zh.chars().any(|c| c.is_ascii_alphabetic()),
            "Latin letters in the Chinese half: {line}"
        );
        assert!(!en.chars().any(cjk), "Chinese in the English half: {line}");
    }
    assert!(seen > 0, "no problem lines in:\n{stderr}");
}

#[test]
fn a_typo_a_wrong_ratio_and_a_tier_out_of_order_are_reported_together() {
    let text = shipped("demo-county/resident-2024.toml")
        .replacen(
            "[inpatient.caps]\n",
            "[inpatient.caps]\nanual_fund = \"1\"\n",
            1,
        )
        .replacen("county = \"75%\"", "county = \"800%\"", 1)
        .replacen(
            "{ up_to = \"100000\", rate = \"50%\" }",
            "{ up_to = \"5000\", rate = \"50%\" }",
            1,
        );
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let p = tmp("three-problems.toml", &text);
    let out = yibao(&["validate", p.to_str().unwrap()]);
    rejected(
        &out,
        &[
            &format!(
                "(unknown_key): {}:{}: [inpatient.caps.anual_fund] 未知的键 \"inpatient.caps.anual_fund\",是否想写 \"inpatient.caps.annual_fund\"? / unknown key \"inpatient.caps.anual_fund\"; did you mean \"inpatient.caps.annual_fund\"?",
                p.display(),
                line("anual_fund")
            ),
            &format!(
                "(invalid_rate): {}:{}: [inpatient.ratio.rates.county]",
                p.display(),
                line("\"800%\"")
            ),
            &format!(
                "(tiers_not_ordered): {}:{}: [layers[0].tiers[0].up_to]",
                p.display(),
                line("up_to = \"5000\"")
            ),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 3, "{err}");
    halves_in_their_languages(&err);
}

#[test]
fn validate_takes_directories_and_files_in_any_mix() {
    let dir = tmp_dir("validate-dirs");
    write(
        &dir.join("a/demo.toml"),
        &shipped("demo-county/resident-2024.toml"),
    );
    write(
        &dir.join("a/demo.cases.toml"),
        &shipped("demo-county/resident-2024.cases.toml"),
    );
    write(
        &dir.join("a/examples/case.toml"),
        &shipped("demo-county/examples/pneumonia-county.toml"),
    );
    let export = yibao(&["export", "--policy", "anhui-bengbu/resident"]);
    assert!(export.status.success());
    write(
        &dir.join("b/deeper/bengbu.json"),
        &String::from_utf8(export.stdout).unwrap(),
    );
    let out = yibao(&["validate", dir.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("a/demo.toml: demo-county/resident-2024"),
        "{said}"
    );
    assert!(
        said.contains("bengbu.json: anhui-bengbu/resident"),
        "{said}"
    );
    assert_eq!(
        said.lines().filter(|l| l.starts_with('✓')).count(),
        2,
        "cases files are not policies:\n{said}"
    );

    // A directory and a file; a file named twice is checked once.
    let out = yibao(&[
        "validate",
        dir.join("a").to_str().unwrap(),
        "policies/sichuan-yaan/ncms-2014.toml",
        dir.join("a/demo.toml").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(said.lines().filter(|l| l.starts_with('✓')).count(), 2);

    // The shipped policies, as a directory.
    let out = yibao(&["validate", "policies"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() >= 7);

    // A broken policy inside a directory is reported with its file and line.
    write(
        &dir.join("b/broken.toml"),
        &shipped("demo-county/resident-2024.toml").replacen(
            "county = \"75%\"",
            "county = \"-5%\"",
            1,
        ),
    );
    let out = yibao(&["validate", dir.to_str().unwrap()]);
    rejected(
        &out,
        &[
            "(invalid_rate)",
            "broken.toml:",
            "[inpatient.ratio.rates.county]",
        ],
    );
}

#[test]
fn validate_without_any_policy_says_so() {
    let empty = tmp_dir("validate-empty");
    write(&empty.join("only.cases.toml"), "cases = []\n");
    for args in [
        vec!["validate", empty.to_str().unwrap()],
        vec!["validate", empty.to_str().unwrap(), DEMO],
    ] {
        let out = yibao(&args);
        rejected(
            &out,
            &[
                "(no_files)",
                "目录中没有可读的政策文件",
                "no readable policy files",
                empty.to_str().unwrap(),
            ],
        );
    }
    rejected(
        &yibao(&["validate"]),
        &["(no_files)", "请指定至少一个政策文件或目录"],
    );
}

#[test]
fn a_closed_last_tier_is_refused() {
    let text = shipped("demo-county/resident-2024.toml").replacen(
        "{ rate = \"60%\" }]",
        "{ up_to = \"500000\", rate = \"60%\" }]",
        1,
    );
    let p = tmp("closed-tier.toml", &text);
    let out = yibao(&["validate", p.to_str().unwrap()]);
    rejected(
        &out,
        &[
            "(closed_last_tier)",
            "[layers[0].tiers[1].up_to]",
            "不设上限的分段",
            "add an open last tier",
        ],
    );
    halves_in_their_languages(&String::from_utf8_lossy(&out.stderr));
}

const ONE_CASE: &str = r#"
[[cases]]
id = "township"
title = "乡镇卫生院住院 5,000 元"
[cases.input]
date = 2025-03-10
level = "township"
bill = { total = "5000", in_scope = "4500" }
[cases.expect]
hifp_pay = "3360"
"#;

#[test]
fn a_cases_file_may_name_the_policy_it_checks() {
    let dir = tmp_dir("cases-name-policy");
    // By the id of a shipped policy that is not in the directory.
    write(
        &dir.join("extra/demo-more.cases.toml"),
        &format!("policy = \"demo-county/resident-2024\"\n{ONE_CASE}"),
    );
    // By a path relative to the cases file, to a policy in the directory …
    write(
        &dir.join("rules/county.toml"),
        &shipped("demo-county/resident-2024.toml"),
    );
    write(
        &dir.join("extra/by-path.cases.toml"),
        &format!("policy = \"../rules/county.toml\"\n{ONE_CASE}"),
    );
    // … and by the id of a policy read in the same run (its meta.id, changed here so that it
    // is not a shipped id).
    write(
        &dir.join("rules/other.toml"),
        &shipped("demo-county/resident-2024.toml")
            .replacen(
                "id = \"demo-county/resident-2024\"",
                "id = \"my-county/resident\"",
                1,
            )
            .replacen("region_zh = \"示例县\"", "region_zh = \"我的县\"", 1),
    );
    write(
        &dir.join("extra/by-id.cases.toml"),
        &format!("policy = \"my-county/resident\"\n{ONE_CASE}"),
    );
    let out = yibao(&["test", dir.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("3 passed, 0 failed"), "{said}");
    assert!(!said.contains("no worked cases"), "{said}");

    // A wrong id or path is a clear failure in both languages, at the `policy` key's line.
    write(
        &dir.join("extra/wrong-id.cases.toml"),
        &format!("# a comment\npolicy = \"no-such/policy\"\n{ONE_CASE}"),
    );
    write(
        &dir.join("extra/wrong-path.cases.toml"),
        &format!("policy = \"../nowhere.toml\"\n{ONE_CASE}"),
    );
    // A cases file with no policy beside it and none named.
    write(&dir.join("extra/orphan.cases.toml"), ONE_CASE);
    let out = yibao(&["test", dir.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("3 passed, 3 failed"), "{said}");
    for fragment in [
        "(unknown_policy): ",
        "wrong-id.cases.toml:2: [policy] 找不到编号为 \"no-such/policy\" 的政策",
        "no policy has the id \"no-such/policy\"",
        "wrong-path.cases.toml:1: [policy] 案例文件所指的政策文件 \"../nowhere.toml\" 不存在",
        "the policy file \"../nowhere.toml\" does not exist",
        "orphan.cases.toml: 案例文件旁没有同名的政策文件",
        "no policy file of the same name is beside this cases file",
    ] {
        assert!(said.contains(fragment), "missing {fragment:?} in:\n{said}");
    }
    halves_in_their_languages(&said);
}
