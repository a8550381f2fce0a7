//! `yibao_core::read`, the serde-free reader of the browser front ends (the npm package and the
//! widget), agrees with serde: every shipped policy and every worked case, written as JSON by
//! serde_json, reads back into exactly what serde reads. Bad input gives the right problem codes
//! at the right paths.
#![cfg(all(not(target_arch = "wasm32"), feature = "toml"))]

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use yibao_core::case::{Case, Ytd};
use yibao_core::policy::load::parse_policy;
use yibao_core::read::{self, Read, V};
use yibao_core::referral::compare::CompareRequest;
use yibao_core::referral::transfer::TransferRequest;
use yibao_core::worked::CaseFile;
use yibao_core::{bundled, Policy, PolicyDoc, Problems};

/// `T` read from `json` by `read` and by serde_json, as JSON values; they must be equal.
fn both<T: Read + DeserializeOwned + Serialize>(json: &str) -> (Value, Value) {
    let ours: T = read::from_json(json).unwrap_or_else(|e| panic!("read: {e}\n{json}"));
    let serde: T = serde_json::from_str(json).unwrap();
    (
        serde_json::to_value(&ours).unwrap(),
        serde_json::to_value(&serde).unwrap(),
    )
}

fn agree<T: Read + DeserializeOwned + Serialize>(json: &str) {
    let (ours, serde) = both::<T>(json);
    assert_eq!(ours, serde);
}

#[test]
fn every_shipped_policy_reads_as_serde_reads_it() {
    let mut n = 0;
    for (path, text) in bundled::policies() {
        let doc = parse_policy(text, path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let want = serde_json::to_value(&doc).unwrap();
        // Exported form `{ policy, sha256 }`: the fingerprint of the TOML file is kept.
        let json = serde_json::to_string(&doc).unwrap();
        let back = read::policy_doc_from_json(&json).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(serde_json::to_value(&back).unwrap(), want, "{path}");
        agree::<PolicyDoc>(&json);
        // Pretty-printed, too (whitespace everywhere).
        let pretty = serde_json::to_string_pretty(&doc).unwrap();
        let back = read::policy_doc_from_json(&pretty).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), want, "{path}");
        // A bare policy: the fingerprint is that of the JSON text.
        let bare = serde_json::to_string(&doc.policy).unwrap();
        let back = read::policy_doc_from_json(&bare).unwrap();
        assert_eq!(
            serde_json::to_value(&back.policy).unwrap(),
            want["policy"],
            "{path}"
        );
        assert_eq!(back.sha256, yibao_core::sha256::hex(bare.as_bytes()));
        agree::<Policy>(&bare);
        n += 1;
    }
    assert!(n >= 4, "only {n} shipped policies");
}

#[test]
fn every_worked_case_reads_as_serde_reads_it() {
    let mut n = 0;
    for (path, text) in bundled::policies() {
        let Some(cases) = bundled::file(&path.replace(".toml", ".cases.toml")) else {
            continue;
        };
        let file: CaseFile = toml::from_str(cases).unwrap_or_else(|e| panic!("{path}: {e}"));
        let doc = parse_policy(text, path).unwrap();
        for wc in file.cases {
            let json = serde_json::to_string(&wc.input).unwrap();
            agree::<Case>(&json);
            // The year to date an estimate reports reads back (it is passed back as is).
            if let Ok(e) = yibao_core::estimate(
                &doc,
                &wc.input,
                yibao_core::Date::parse("2025-06-01").unwrap(),
            ) {
                agree::<Ytd>(&serde_json::to_string(&e.ytd_after).unwrap());
            }
            n += 1;
        }
    }
    assert!(n >= 10, "only {n} worked cases");
}

#[test]
fn requests_read_as_serde_reads_them() {
    agree::<CompareRequest>(
        r#"{"patient":{"category":"dibao","age":70},"disease":"I63.9","expected_cost":"12000.50",
            "date":"2024-05-01","emergency":false,"ytd":{"admissions":1,"hifp_pay":"3000"}}"#,
    );
    agree::<CompareRequest>(r#"{"expected_cost":12000}"#);
    agree::<TransferRequest>(
        r#"{"level":"county","daily_costs":["900",850,"820.5"],"remaining_days":4,
            "lower_daily_cost":"300","date":"2024-05-01"}"#,
    );
    // Whole numbers written with a fraction or an exponent are whole numbers (as in JS).
    let c: Case =
        read::from_json(r#"{"level":"county","bill":{"total":5.2e4,"in_scope":50000.00}}"#)
            .unwrap();
    assert_eq!(c.bill.total.unwrap().to_string(), "52000");
    assert_eq!(c.bill.in_scope.unwrap().to_string(), "50000");
    // `null` is an absent member.
    let c: Case =
        read::from_json(r#"{"level":"county","bill":{"total":null},"disease":null}"#).unwrap();
    assert!(c.bill.total.is_none() && c.disease.is_none());
}

/// (code, path) of every problem.
fn problems<T: Read>(json: &str) -> Vec<(String, String)> {
    match read::from_json::<T>(json) {
        Ok(_) => panic!("accepted: {json}"),
        Err(Problems(ps)) => ps
            .into_iter()
            .map(|p| {
                assert!(!p.message_zh.is_empty() && !p.message_en.is_empty());
                (p.code.to_string(), p.path)
            })
            .collect(),
    }
}

fn one(code: &str, path: &str) -> Vec<(String, String)> {
    vec![(code.to_string(), path.to_string())]
}

#[test]
fn bad_cases_name_the_problem_and_where() {
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{"totl":"5"}}"#),
        one("unknown_key", "bill.totl")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":3,"bill":{}}"#),
        one("invalid_type", "level")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{"total":52000.5}}"#),
        one("not_exact", "bill.total")
    );
    assert_eq!(
        problems::<Case>(
            r#"{"level":"county","bill":{"items":[{"name":"x","class":"jia","amount":0.1}]}}"#
        ),
        one("not_exact", "bill.items[0].amount")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{"total":"-5"}}"#),
        one("negative_amount", "bill.total")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{"total":1000000000001}}"#),
        one("amount_too_large", "bill.total")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{"total":123456789012345678901234567890}}"#),
        one("amount_too_large", "bill.total")
    );
    // Inside arrays, and as text with separators or a sign: the walk that finds them writes
    // the way down only for the problem it reports.
    assert_eq!(
        problems::<Case>(
            r#"{"level":"county","bill":{"items":[{"name":"x","class":"jia","amount":"1"},{"name":"y","class":"jia","amount":"2,000,000,000,000"}]}}"#
        ),
        one("amount_too_large", "bill.items[1].amount")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{"total":" +1_000_000_000_001 "}}"#),
        one("amount_too_large", "bill.total")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{"total":"12abc"}}"#),
        one("invalid_number", "bill.total")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{},"units":1.5}"#),
        one("invalid_type", "units")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{},"setting":"home"}"#),
        one("invalid_value", "setting")
    );
    assert_eq!(
        problems::<Case>(r#"{"level":"county","bill":{},"date":"2024-13-01"}"#),
        one("invalid_date", "date")
    );
    assert_eq!(
        problems::<Case>(r#"{"bill":{}}"#),
        one("missing_field", "level")
    );
    // Every problem, not just the first.
    assert_eq!(
        problems::<Case>(r#"{"levl":"county","bill":{"total":0.5},"accident":"yes"}"#),
        vec![
            ("missing_field".into(), "level".into()),
            ("invalid_type".into(), "accident".into()),
            ("not_exact".into(), "bill.total".into()),
            ("unknown_key".into(), "levl".into()),
        ]
    );
}

#[test]
fn bad_json_text_is_invalid_json() {
    for text in [
        "",
        "{ not json",
        r#"{"a":1,}"#,
        "[1 2]",
        r#""abc"#,
        "01",
        "1.",
        "-",
        "1e",
        r#"{"a":1,"a":2}"#,
        r#"{"a":null,"b":1,"a":2}"#,
        r#"{"a":1,"b":null,"b":null}"#,
        "\"a\u{1}\"",
        r#""\x""#,
        r#""\u12"#,
        "{} x",
        &"[".repeat(100),
    ] {
        let e = read::parse_json(text).expect_err(text);
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].code, "invalid_json", "{text}");
        assert!(
            e.0[0].message_en.contains("line 1, column"),
            "{}",
            e.0[0].message_en
        );
    }
    let e = read::parse_json("{\n  \"a\": tru\n}").unwrap_err();
    assert!(
        e.0[0].message_en.contains("line 2, column 8"),
        "{}",
        e.0[0].message_en
    );
    assert_eq!(
        read::parse_json(
            r#" {"a": [1, -2, 3.50, "x\"y\u00e9\ud83d\ude00\ud800"], "b": {"c": null, "d": true}} "#
        )
        .unwrap(),
        V::Map(vec![
            (
                "a".into(),
                V::Seq(vec![
                    V::I64(1),
                    V::I64(-2),
                    V::Num("3.50".into()),
                    V::Str("x\"yé😀\u{FFFD}".into()),
                ])
            ),
            ("b".into(), V::Map(vec![("d".into(), V::Bool(true))])),
        ])
    );
    assert_eq!(
        read::parse_json("18446744073709551615").unwrap(),
        V::U64(u64::MAX)
    );
    assert_eq!(
        read::parse_json("-9223372036854775808").unwrap(),
        V::I64(i64::MIN)
    );
    assert_eq!(read::parse_json("-0").unwrap(), V::I64(0));
    assert_eq!(read::parse_json("2.50e1").unwrap(), V::I64(25));
    assert_eq!(read::parse_json("2.55e1").unwrap(), V::Num("2.55e1".into()));
    assert_eq!(read::parse_json("-1e0").unwrap(), V::I64(-1));
    assert_eq!(read::parse_json("0e99999999999").unwrap(), V::I64(0));
    assert_eq!(
        read::parse_json("1e99999999999").unwrap(),
        V::Num("1e99999999999".into())
    );
}

#[test]
fn bad_policies_name_the_problem_and_where() {
    let doc = parse_policy(bundled::file(bundled::DEMO).unwrap(), bundled::DEMO).unwrap();
    let mut v = serde_json::to_value(&doc).unwrap();
    let codes = |v: &Value| -> Vec<(String, String)> {
        match read::policy_doc_from_json(&v.to_string()) {
            Ok(_) => panic!("accepted"),
            Err(Problems(ps)) => ps
                .into_iter()
                .map(|p| (p.code.to_string(), p.path))
                .collect(),
        }
    };
    // A misspelt key deep inside.
    let layer = &mut v["policy"]["layers"][0];
    let t = layer["threshold"].take();
    layer.as_object_mut().unwrap().remove("threshold");
    layer["threshhold"] = t;
    let got = codes(&v);
    assert!(
        got.contains(&("unknown_key".into(), "policy.layers[0].threshhold".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&("missing_field".into(), "policy.layers[0].threshold".into())),
        "{got:?}"
    );
    // A rate above 100%, a rank that is not a whole number, a fractional amount.
    let mut v = serde_json::to_value(&doc.policy).unwrap();
    let level = v["levels"][0]["id"].as_str().unwrap().to_string();
    v["inpatient"]["ratio"]["rates"][&level] = json!("170%");
    v["levels"][0]["rank"] = json!("1");
    v["inpatient"]["deductible"]["by_level"][&level] = json!(300.5);
    let got = codes(&v);
    assert!(
        got.contains(&(
            "invalid_rate".into(),
            format!("inpatient.ratio.rates.{level}")
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&("invalid_type".into(), "levels[0].rank".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "not_exact".into(),
            format!("inpatient.deductible.by_level.{level}")
        )),
        "{got:?}"
    );
    // Read, but invalid: the validator's problems.
    let mut v = serde_json::to_value(&doc.policy).unwrap();
    v["inpatient"]["deductible"]["by_level"]["level7"] = json!("100");
    let got = codes(&v);
    assert!(got.iter().any(|(c, _)| c == "unknown_level"), "{got:?}");
    // Not a policy at all.
    assert_eq!(codes(&json!([])), one("invalid_type", ""));
    assert_eq!(
        codes(&json!({}))[0],
        ("missing_field".into(), "meta".into())
    );
}

proptest::proptest! {
    /// Any string serde_json writes (escapes, control characters, CJK, astral characters) reads
    /// back as itself: the parser copies runs of plain characters whole and decodes the rest.
    #[test]
    fn any_string_serde_json_writes_reads_back(s in "\\PC*|[\\x00-\\x1f\"\\\\é肺炎😀]{0,12}") {
        let text = serde_json::to_string(&s).unwrap();
        proptest::prop_assert_eq!(read::parse_json(&text).unwrap(), V::Str(s));
    }
}
