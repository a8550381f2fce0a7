//! The JS API of the wasm package, in headless Chromium (`cargo xtask pkg test` runs it with
//! wasm-bindgen-test-runner). Published figures through the API, handles, and a structured
//! `YibaoError` — never a panic — for every kind of bad input.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use yibao::*;
use yibao::{estimate_js as estimate, estimate_range_js as estimate_range};

wasm_bindgen_test_configure!(run_in_browser);

const YUBEI: &str = "chongqing-yubei/resident-2023";
const DEMO: &str = "demo-county/resident-2024";

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap_or_else(|_| panic!("test JSON does not parse: {json}"))
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, k| {
        Reflect::get(&v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    })
}

fn text(v: &JsValue, path: &str) -> String {
    get(v, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string"))
}

fn yubei_case() -> JsValue {
    js(
        r#"{"date":"2023-06-01","level":"level2","patient":{"category":"dibao_edge"},
           "bill":{"total":"52000","in_scope":"50000"}}"#,
    )
}

/// The thrown value: a YibaoError with `code`, `path`, both messages and `problems`.
fn error(r: Result<JsValue, JsValue>) -> (String, String) {
    let e = r.expect_err("expected a YibaoError");
    assert!(e.is_instance_of::<js_sys::Error>(), "not an Error");
    assert_eq!(text(&e, "name"), "YibaoError");
    assert!(!text(&e, "message_zh").is_empty());
    assert!(!text(&e, "message_en").is_empty());
    let problems: Array = get(&e, "problems")
        .dyn_into()
        .expect("problems is an array");
    assert!(problems.length() >= 1);
    for p in problems.iter() {
        assert!(!text(&p, "code").is_empty());
        assert!(get(&p, "path").is_string());
        assert!(!text(&p, "message_zh").is_empty());
        assert!(!text(&p, "message_en").is_empty());
    }
    (text(&e, "code"), text(&e, "path"))
}

/// All problem codes of a thrown error, as `code@path`.
fn all_codes(r: Result<JsValue, JsValue>) -> Vec<String> {
    let e = r.expect_err("expected a YibaoError");
    let problems: Array = get(&e, "problems").dyn_into().unwrap();
    problems
        .iter()
        .map(|p| format!("{}@{}", text(&p, "code"), text(&p, "path")))
        .collect()
}

fn with(case: &JsValue, path: &str, value: JsValue) -> JsValue {
    let (head, last) = path.rsplit_once('.').unwrap_or(("", path));
    let target = if head.is_empty() {
        case.clone()
    } else {
        get(case, head)
    };
    Reflect::set(&target, &JsValue::from_str(last), &value).unwrap();
    case.clone()
}

fn est(case: JsValue) -> Result<JsValue, JsValue> {
    estimate(JsValue::from_str(YUBEI), case, None)
}

#[wasm_bindgen_test]
fn version_and_bundled_policies() {
    // The package's version is that of the engine that answers: a real estimate's receipt.
    let e = est(yubei_case()).unwrap();
    assert_eq!(
        text(&e, "receipt.engine"),
        format!("yibao-core {}", version())
    );
    let list: Array = list_bundled_policies().unwrap().dyn_into().unwrap();
    assert!(list.length() >= 4);
    assert_eq!(text(&list.get(0), "id"), DEMO, "demo first");
    let ids: Vec<String> = list.iter().map(|h| text(&h, "id")).collect();
    assert!(ids.contains(&YUBEI.to_string()));
    for h in list.iter() {
        assert_eq!(text(&h, "sha256").len(), 64);
        assert!(get(&h, "key").as_f64().is_some());
        assert!(text(&h, "bundled").ends_with(".toml"));
    }
}

#[wasm_bindgen_test]
fn yubei_published_example() {
    let e = est(yubei_case()).unwrap();
    let s = get(&e, "settlement");
    assert_eq!(text(&s, "medfee_sumamt"), "52000");
    assert_eq!(text(&s, "act_pay_dedc"), "300");
    assert_eq!(text(&s, "hifp_pay"), "34790");
    assert_eq!(text(&s, "maf_pay"), "10647");
    assert_eq!(text(&s, "oth_pay"), "937.8");
    assert_eq!(text(&s, "fund_pay_sumamt"), "46374.8");
    assert_eq!(text(&s, "psn_part_amt"), "5625.2");
    assert_eq!(text(&e, "receipt.policy_id"), YUBEI);
    let steps: Array = get(&e, "steps").dyn_into().unwrap();
    assert!(steps.length() >= 4);
    assert!(!text(&steps.get(0), "cite.title").is_empty());
    // The year so far comes back with maps as plain objects.
    assert!(get(&e, "ytd_after.layers").is_object());
    assert!(!get(&e, "ytd_after.layers").is_instance_of::<js_sys::Map>());
}

/// A 0 % answer carries core's reason (`why_nothing_paid`), so that a host never shows it as
/// reimbursed normally without a word; a paying answer has it `null`.
#[wasm_bindgen_test]
fn the_reason_nothing_is_paid() {
    let zero = js(
        r#"{"date":"2024-06-01","level":"township","patient":{"age":40},"bill":{"total":"250","in_scope":"250"}}"#,
    );
    let e = estimate(JsValue::from_str(DEMO), zero, None).unwrap();
    assert_eq!(text(&e, "settlement.fund_pay_sumamt"), "0");
    let zh = text(&e, "why_nothing_paid.zh");
    let en = text(&e, "why_nothing_paid.en");
    assert!(zh.contains("起付线") && zh.contains("250"), "{zh}");
    assert!(en.contains("deductible"), "{en}");
    let paying = est(yubei_case()).unwrap();
    assert!(get(&paying, "why_nothing_paid").is_null());
    // The blank-age assumption cites its clause through the package too.
    let blank =
        js(r#"{"date":"2024-06-01","level":"county","disease":"J18.9","bill":{"total":"30000"}}"#);
    let e = estimate(JsValue::from_str(DEMO), blank, None).unwrap();
    let a: Array = get(&e, "assumptions").dyn_into().unwrap();
    assert_eq!(a.length(), 1);
    assert!(text(&a.get(0), "cites.0.clause").contains("65"));
}

#[wasm_bindgen_test]
fn integers_as_numbers_and_ytd_argument() {
    let case = js(
        r#"{"date":"2023-06-01","level":"level2","patient":{"category":"dibao_edge"},
                     "bill":{"total":52000,"in_scope":50000}}"#,
    );
    let first = est(case.clone()).unwrap();
    assert_eq!(text(&first, "settlement.hifp_pay"), "34790");
    // A second admission in the same year, passing the first one's year-to-date back.
    let ytd = get(&first, "ytd_after");
    assert_eq!(get(&ytd, "admissions").as_f64(), Some(1.0));
    let second = estimate(JsValue::from_str(YUBEI), case, Some(ytd.unchecked_into())).unwrap();
    assert_eq!(get(&second, "ytd_after.admissions").as_f64(), Some(2.0));
}

#[wasm_bindgen_test]
fn handles_are_loaded_once_and_reused() {
    let a = load_policy(JsValue::from_str(YUBEI)).unwrap();
    let b = load_policy(JsValue::from_str(
        "policies/chongqing-yubei/resident-2023.toml",
    ))
    .unwrap();
    assert_eq!(get(&a, "key").as_f64(), get(&b, "key").as_f64());
    let e = estimate(a.clone(), yubei_case(), None).unwrap();
    assert_eq!(text(&e, "settlement.fund_pay_sumamt"), "46374.8");
    // A host's own policy as JSON text and as an object: the shipped one's rules, re-keyed.
    let rules = yubei_rules_json();
    let from_text = load_policy(JsValue::from_str(&rules)).unwrap();
    let from_text_again = load_policy(JsValue::from_str(&rules)).unwrap();
    assert_eq!(
        get(&from_text, "key").as_f64(),
        get(&from_text_again, "key").as_f64()
    );
    assert!(get(&from_text, "bundled").is_undefined());
    let from_object = load_policy(js(&rules)).unwrap();
    // What `yibao export` prints keeps the TOML file's fingerprint.
    let exported = format!(r#"{{"policy":{rules},"sha256":"{}"}}"#, "ab".repeat(32));
    let h = load_policy(JsValue::from_str(&exported)).unwrap();
    assert_eq!(text(&h, "sha256"), "ab".repeat(32));
    for h in [from_text, from_object] {
        let e = estimate(h, yubei_case(), None).unwrap();
        assert_eq!(text(&e, "settlement.oth_pay"), "937.8");
    }
}

/// The Yubei policy's rules as a host would write them (JSON of the TOML file's keys).
fn yubei_rules_json() -> String {
    let data = include_str!(concat!(env!("OUT_DIR"), "/bundled-policies.json"));
    let all: Array = js(data).dyn_into().unwrap();
    let entry = all
        .iter()
        .find(|e| text(e, "path") == format!("{YUBEI}.toml"))
        .unwrap();
    JSON::stringify(&get(&entry, "doc.policy"))
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn range_pathway_compare_transfer_search() {
    let case = js(r#"{"date":"2024-06-01","level":"county","bill":{"total":"20000"}}"#);
    let r = estimate_range(JsValue::from_str(DEMO), case, None).unwrap();
    assert!(get(&r, "exact").as_bool().is_some());
    assert!(get(&r, "typical.settlement.psn_part_amt").is_string());

    // No bill needed for a pathway check.
    let v = check_pathway(
        JsValue::from_str(DEMO),
        js(r#"{"date":"2024-06-01","level":"county","disease":"J18.9"}"#),
    )
    .unwrap();
    assert!(get(&v, "eligibility").is_string());
    assert!(get(&v, "findings").is_array());

    let c = compare_pathways(
        JsValue::from_str(DEMO),
        js(r#"{"date":"2024-06-01","disease":"J18.9","expected_cost":"8000"}"#),
    )
    .unwrap();
    let options: Array = get(&c, "options").dyn_into().unwrap();
    assert!(options.length() >= 2);

    let t = suggest_transfer_down(
        JsValue::from_str(DEMO),
        js(r#"{"date":"2024-06-01","level":"county","disease":"J18.9",
               "daily_costs":["1500","900","880","890","870","880"]}"#),
    )
    .unwrap();
    assert!(get(&t, "suggest").as_bool().is_some());

    let hits: Array = search_diseases(JsValue::from_str(DEMO), "fy", None)
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(hits.length() >= 1);
    assert!(get(&hits.get(0), "disease.code").is_string());
}

#[wasm_bindgen_test]
fn malformed_cases() {
    assert_eq!(error(est(JsValue::from_f64(5.0))).0, "invalid_type");
    assert_eq!(error(est(JsValue::UNDEFINED)).0, "missing_argument");
    assert_eq!(error(est(JsValue::from_str("level2"))).0, "invalid_type");
    assert_eq!(error(est(js("[1,2]"))).0, "invalid_type");
    assert_eq!(
        error(est(js(r#"{"bill":{"total":"100"}}"#))),
        ("missing_field".into(), "level".into())
    );
    assert_eq!(
        error(est(js(r#"{"level":"level2"}"#))),
        ("missing_field".into(), "bill".into())
    );
    // A misspelt key is an error (as in the CLI), reported with the other problems.
    let codes = all_codes(est(js(r#"{"levl":"level2","bill":{"totl":"100"}}"#)));
    assert!(codes.contains(&"unknown_key@levl".to_string()), "{codes:?}");
    assert!(
        codes.contains(&"unknown_key@bill.totl".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"missing_field@level".to_string()),
        "{codes:?}"
    );
}

#[wasm_bindgen_test]
fn wrong_types() {
    let cases = [
        ("bill.total", JsValue::TRUE, "invalid_type"),
        ("bill", JsValue::from_str("52000"), "invalid_type"),
        ("level", JsValue::from_f64(2.0), "invalid_type"),
        ("patient.age", JsValue::from_str("70"), "invalid_type"),
        ("patient.age", JsValue::from_f64(-1.0), "invalid_value"),
        ("emergency", JsValue::from_str("yes"), "invalid_type"),
        ("setting", JsValue::from_str("daycare"), "invalid_value"),
        ("date", JsValue::from_str("2023-02-30"), "invalid_date"),
        ("bill.items", js(r#"{"a":1}"#), "invalid_type"),
    ];
    for (path, value, code) in cases {
        let case = with(&yubei_case(), path, value);
        assert_eq!(
            error(est(case)),
            (code.to_string(), path.to_string()),
            "{path}"
        );
    }
    // Functions and symbols are not data.
    let f = js_sys::Function::new_no_args("return 1");
    let r = est(with(&yubei_case(), "bill.total", f.into()));
    let e = r.clone().unwrap_err();
    assert_eq!(error(r).0, "invalid_type");
    // Worded by the adapter, not by serde-wasm-bindgen (whose `Debug` of the value is empty in
    // the size build).
    let en = text(&e, "message_en");
    assert!(en.contains("not functions"), "{en}");
    assert!(text(&e, "message_zh").contains("不能是函数"), "{en}");
}

#[wasm_bindgen_test]
fn bad_amounts() {
    let cases = [
        (JsValue::from_str("-5"), "negative_amount"),
        (JsValue::from_f64(-5.0), "negative_amount"),
        (JsValue::from_f64(0.1), "not_exact"),
        (JsValue::from_f64(52000.5), "not_exact"),
        (JsValue::from_f64(f64::NAN), "not_finite"),
        (JsValue::from_f64(f64::INFINITY), "not_finite"),
        (JsValue::from_f64(f64::NEG_INFINITY), "not_finite"),
        (JsValue::from_f64(1e300), "amount_too_large"),
        (JsValue::from_str("1000000000001"), "amount_too_large"),
        (
            JsValue::from_str("79228162514264337593543950335"),
            "amount_too_large",
        ),
        (JsValue::from_str("12abc"), "invalid_number"),
        (JsValue::from_str("abc"), "invalid_number"),
        (JsValue::from_str(""), "invalid_number"),
    ];
    for (value, code) in cases {
        let shown = format!("{value:?}");
        let case = with(&yubei_case(), "bill.total", value);
        assert_eq!(
            error(est(case)),
            (code.to_string(), "bill.total".to_string()),
            "{shown}"
        );
    }
    // Exact large amounts under the limit, and whole numbers as BigInt, are fine.
    let big = js(r#"{"date":"2023-06-01","level":"level2","bill":{"total":"999999999999.99"}}"#);
    assert!(est(big).is_ok());
    let bigint = js_sys::BigInt::from(52000u32);
    let case = with(&yubei_case(), "bill.total", bigint.into());
    assert_eq!(
        text(&est(case).unwrap(), "settlement.medfee_sumamt"),
        "52000"
    );
    // In-scope above the total, and items together with a total, are the engine's rejections.
    let both = js(r#"{"date":"2023-06-01","level":"level2",
        "bill":{"total":"100","items":[{"name":"x","class":"jia","amount":"100"}]}}"#);
    assert_eq!(error(est(both)).0, "bill_twice");
    let item = js(r#"{"date":"2023-06-01","level":"level2",
        "bill":{"items":[{"name":"x","class":"jia","amount":"-1"}]}}"#);
    assert_eq!(
        error(est(item)),
        ("negative_amount".into(), "bill.items[0].amount".into())
    );
}

#[wasm_bindgen_test]
fn unknown_codes() {
    assert_eq!(
        error(est(with(&yubei_case(), "level", "level9".into()))),
        ("unknown_level".into(), "level".into())
    );
    assert_eq!(
        error(est(with(&yubei_case(), "patient.category", "wubao".into()))),
        ("unknown_category".into(), "patient.category".into())
    );
    assert_eq!(
        error(est(with(&yubei_case(), "disease", "pneumonia".into()))),
        ("bad_icd10".into(), "disease".into())
    );
    assert_eq!(
        error(est(with(&yubei_case(), "date", "2030-01-01".into()))).0,
        "date_outside_policy"
    );
    let r = estimate(JsValue::from_str("nowhere/2099"), yubei_case(), None);
    assert_eq!(error(r).0, "unknown_policy");
    let r = estimate(js(r#"{"key":9999}"#), yubei_case(), None);
    assert_eq!(error(r).0, "not_a_policy");
    let r = estimate(JsValue::NULL, yubei_case(), None);
    assert_eq!(error(r).0, "not_a_policy");
    let r = check_pathway(JsValue::from_str(DEMO), js(r#"{"level":"moon"}"#));
    assert_eq!(error(r).0, "unknown_level");
    let r = suggest_transfer_down(
        JsValue::from_str(DEMO),
        js(r#"{"level":"county","daily_costs":["1",2,"x"]}"#),
    );
    assert_eq!(error(r), ("invalid_number".into(), "daily_costs[2]".into()));
}

#[wasm_bindgen_test]
fn corrupt_policies() {
    assert_eq!(
        error(load_policy(JsValue::from_str("{ not json"))).0,
        "invalid_json"
    );
    assert_eq!(
        error(load_policy(JsValue::from_str("[meta]\nid = \"x\"\n"))).0,
        "toml_not_supported"
    );
    assert_eq!(error(load_policy(JsValue::from_f64(3.0))).0, "invalid_type");
    assert_eq!(error(load_policy(js("[]"))).0, "invalid_type");
    assert_eq!(
        error(load_policy(js("{}"))),
        ("missing_field".into(), "meta".into())
    );
    let rules = yubei_rules_json();
    // A ratio above 100%.
    let bad = rules.replace("\"70%\"", "\"170%\"");
    assert_eq!(
        error(load_policy(JsValue::from_str(&bad))),
        ("invalid_rate".into(), "inpatient.ratio.rates.level2".into())
    );
    // A deductible for a level the policy does not define: the validator's problem.
    let bad = rules.replace("\"by_level\":{\"level2\"", "\"by_level\":{\"level7\"");
    let codes = all_codes(load_policy(JsValue::from_str(&bad)));
    assert!(
        codes.iter().any(|c| c.starts_with("unknown_level@")),
        "{codes:?}"
    );
    // A misspelt key deep inside.
    let bad = rules.replace("\"threshold\"", "\"threshhold\"");
    let codes = all_codes(load_policy(JsValue::from_str(&bad)));
    assert!(
        codes.iter().any(|c| c.starts_with("unknown_key@layers[")),
        "{codes:?}"
    );
    // A cycle cannot be a policy.
    let cyclic = js(&rules);
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert_eq!(error(load_policy(cyclic)).0, "invalid_type");
    // After all that, the module still works.
    assert_eq!(
        text(&est(yubei_case()).unwrap(), "settlement.fund_pay_sumamt"),
        "46374.8"
    );
}
