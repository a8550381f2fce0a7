//! The text output shows each amount taken from the settlement slip: its own step (按结算单录入
//! when the policy has no rule for it) and its settlement row marked, in both languages.

mod common;
use common::yibao;

#[test]
fn amounts_from_the_slip_are_shown_in_their_rows() {
    let dir = std::env::temp_dir().join(format!("yibao-known-rows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = dir.join("case.json");
    // Issue 27's example (tests/fixtures/known-payments/tilt-only.cases.toml).
    std::fs::write(
        &case,
        r#"{"date":"2025-06-01","level":"county","bill":{"total":"90000","in_scope":"90000"},
            "known":{"hifp_pay":"60000","hifmi_pay":"12000","maf_pay":"8000"}}"#,
    )
    .unwrap();
    let policy = "tests/fixtures/known-payments/tilt-only.toml";
    for (lang, step, mark) in [
        ("zh", "按结算单录入", "按结算单录入"),
        (
            "en",
            "as entered from the settlement slip",
            "as entered from the settlement slip",
        ),
    ] {
        let out = yibao(&[
            "estimate",
            "--policy",
            policy,
            "--case",
            case.to_str().unwrap(),
            "--lang",
            lang,
        ]);
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{said}");
        let lines: Vec<&str> = said.lines().collect();
        // A step each for 大病 and 医疗救助, which the policy has no layer for.
        for key in ["hifmi_pay", "maf_pay"] {
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains(key) && l.contains(step) && l.contains(". ")),
                "{lang}: no step for {key}:\n{said}"
            );
        }
        // The settlement rows of the three slip amounts are marked; the computed one is not.
        let row = |key: &str| {
            *lines
                .iter()
                .find(|l| l.starts_with("  ") && l.split_whitespace().any(|w| w == key))
                .unwrap_or_else(|| panic!("{lang}: no row {key}:\n{said}"))
        };
        for key in ["hifp_pay", "hifmi_pay", "maf_pay"] {
            assert!(row(key).ends_with(mark), "{lang}: {}", row(key));
        }
        assert!(!row("oth_pay").contains(mark), "{lang}: {}", row("oth_pay"));
    }
    std::fs::remove_dir_all(&dir).ok();
}
