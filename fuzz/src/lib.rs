//! Fuzz targets for every input yibao reads, as plain functions over bytes: the libFuzzer
//! entries in `fuzz_targets/` call them (coverage-guided, built by `cargo xtask fuzz` with the
//! stable `-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-…` flags that `cargo fuzz
//! -s none` uses), and `tests/corpus.rs` replays the kept corpus through them under `cargo test`.
//!
//! A target fails only by panicking (an overflow, a slice inside a character, an `unwrap` on
//! input, a result that cannot be written as JSON) or by running too long / allocating too much
//! (libFuzzer's `-timeout` and `-rss_limit_mb`): a reader that refuses the input with problems is
//! the expected outcome for most inputs.
//!
//! | target | input | what runs |
//! |---|---|---|
//! | `toml` | TOML text | the policy reader (`parse_policy`), a cases file and a case as TOML; what reads is estimated |
//! | `policy_json` | JSON text | `policy_doc_from_json` (exported `{policy, sha256}` or bare rules); a policy that reads is estimated |
//! | `case_json` | JSON text | a case and a year-to-date record as JSON (`input::from_json`) |
//! | `js_value` | JSON text, then `\0` and twist bytes | a value tree as serde-wasm-bindgen makes it from a JS object (undefined, NaN, ±Infinity, −0, BigInt, non-string Map keys, Uint8Array), read as a case, a year-to-date record and a policy, as the npm package does |
//! | `estimate` | JSON case, then `\0` and twist bytes (as `js_value`) | `estimate_range` on every shipped policy whose levels include the case's, then a second visit chained on `ytd_after` |
//! | `claims_csv` | a claims CSV | the claims reader; what it kept written back and read again (the same claims, no problem); a replay under two shipped policies by the fastest path and by the general one (the same results) |

use serde_value::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use yibao_core::case::{Case, Ytd};
use yibao_core::input::{self, Shipped};
use yibao_core::policy::load::{parse_policy, parse_strict};
use yibao_core::worked::CaseFile;
use yibao_core::{estimate, estimate_range, Date, PolicyDoc};

/// The targets, by the names of their binaries and corpus folders.
pub const TARGETS: [&str; 6] = [
    "toml",
    "policy_json",
    "case_json",
    "js_value",
    "estimate",
    "claims_csv",
];

/// The date used when a case has none (a fixed day: a run is repeatable).
fn today() -> Date {
    Date::parse("2025-06-01").expect("a valid date")
}

/// Every shipped policy, parsed once.
pub fn shipped() -> &'static [Shipped] {
    static SHIPPED: OnceLock<Vec<Shipped>> = OnceLock::new();
    SHIPPED.get_or_init(|| yibao_shipped::shipped().expect("the shipped policies read"))
}

/// Every shipped worked case's input, parsed once (what a fuzzed policy is estimated on).
pub fn worked_cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| {
        yibao_shipped::cases()
            .flat_map(|(path, text)| {
                parse_strict::<CaseFile>(text, path)
                    .expect("the shipped cases read")
                    .cases
            })
            .map(|wc| wc.input)
            .collect()
    })
}

/// The most worked cases a fuzzed policy is estimated on (an execution stays short).
const CASES_PER_POLICY: usize = 6;

/// The most cases of one fuzzed cases file that are estimated.
const CASES_PER_FILE: usize = 4;

/// Estimate `case` on `doc` as a front end would (with its range), write the result as JSON
/// (the npm package and the CLI do; it must not fail), then chain a second visit on the
/// year-to-date record the first one left.
fn run(doc: &PolicyDoc, case: &Case) {
    let Ok(r) = estimate_range(doc, case, today()) else {
        return;
    };
    serde_json::to_string(&r).expect("an estimate can be written as JSON");
    let mut next = case.clone();
    next.ytd = r.typical.ytd_after.clone();
    if let Ok(e) = estimate(doc, &next, today()) {
        serde_json::to_string(&e).expect("an estimate can be written as JSON");
    }
}

/// A policy that read: estimated on the worked cases whose level it has.
fn exercise_policy(doc: &PolicyDoc) {
    worked_cases()
        .iter()
        .filter(|c| doc.policy.level(&c.level).is_some())
        .take(CASES_PER_POLICY)
        .for_each(|c| run(doc, c));
}

/// A case that read: estimated on every shipped policy that has its level.
fn exercise_case(case: &Case) {
    shipped()
        .iter()
        .filter(|s| s.doc.policy.level(&case.level).is_some())
        .for_each(|s| run(&s.doc, case));
}

/// `toml`: TOML text as a policy, a worked-cases file and a case (the CLI's readers).
pub fn toml_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = parse_policy(text, "fuzz.toml") {
        exercise_policy(&doc);
    }
    if let Ok(file) = parse_strict::<CaseFile>(text, "fuzz.cases.toml") {
        let _ = file.target();
        file.cases
            .iter()
            .take(CASES_PER_FILE)
            .for_each(|wc| exercise_case(&wc.input));
    }
    if let Ok(case) = parse_strict::<Case>(text, "case.toml") {
        exercise_case(&case);
    }
}

/// `policy_json`: JSON text as a policy (`yibao export`'s form or bare rules).
pub fn policy_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(doc) = input::policy_doc_from_json(text) {
        exercise_policy(&doc);
    }
}

/// `case_json`: JSON text as a case and as a year-to-date record (reading only: `estimate`
/// goes on to the calculation).
pub fn case_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = input::from_json::<Case>(text);
    let _ = input::from_json::<Ytd>(text);
}

/// `estimate`: a case as [`js_tree`] reads it (JSON, then twists that put edge values — the
/// most admissions a `u32` holds, the largest amount, a rate of 100.01 % — in place of a few
/// nodes, which byte mutations of the text alone reach rarely), estimated on every shipped
/// policy that has its level.
pub fn estimate_case(data: &[u8]) {
    if let Ok(case) = input::from_value::<Case>(js_tree(data)) {
        exercise_case(&case);
    }
}

/// `js_value`: the value tree the npm package reads from a JS object. The input is JSON text,
/// optionally followed by a NUL byte and pairs of twist bytes: (node < 0x80, operation) replaces
/// one node of the tree with something only a JS value can be, or an edge value (see
/// [`twist`]); (0x80 + field, edge) sets one of a case's counts, amounts or dates ([`FIELDS`])
/// to an edge value.
pub fn js_value(data: &[u8]) {
    let v = js_tree(data);
    if let Ok(case) = input::from_value::<Case>(v.clone()) {
        exercise_case(&case);
    }
    let _ = input::from_value::<Ytd>(v.clone());
    if let Ok(doc) = input::policy_doc_from_value(v, || "0".repeat(64)) {
        exercise_policy(&doc);
    }
}

/// The tree [`js_value`] reads: the JSON part converted as serde-wasm-bindgen converts a JS
/// value (`null` → unit, a safe integer → i64, any other number → f64), then twisted.
///
/// Our own small decoder on top of libFuzzer's byte mutations, not the `arbitrary` crate: a
/// derived `Arbitrary` would need derives on core's types (core stays free of fuzzing), and
/// readable JSON seeds — the shipped cases, the bad inputs — would have no `arbitrary` encoding.
pub fn js_tree(data: &[u8]) -> Value {
    let (json, twists) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let mut v = serde_json::from_slice::<serde_json::Value>(json)
        .map(|j| from_json(&j))
        .unwrap_or(Value::Unit);
    for pair in twists.chunks_exact(2) {
        if pair[0] < 0x80 {
            let mut i = pair[0] as usize % count(&v);
            twist_nth(&mut v, &mut i, pair[1]);
        } else {
            let path = FIELDS[(pair[0] - 0x80) as usize % FIELDS.len()];
            let mut edge = Value::Unit;
            twist(&mut edge, 16 + pair[1] % 16 + (pair[1] & 0x20));
            set_field(&mut v, path, pair[1] as usize, edge);
        }
    }
    v
}

/// The counts, amounts and dates of a case (and its year-to-date record), by key path, that a
/// twist byte ≥ 0x80 sets to an edge value, making the tables on the way: a byte mutation of
/// the text alone seldom writes `"ytd":{"admissions":4294967295}`. `*` is a layer or
/// outpatient route id (an existing key, else one of the shipped policies' ids).
const FIELDS: [&str; 26] = [
    "ytd.admissions",
    "ytd.hifp_pay",
    "ytd.accident_fund",
    "ytd.deductible_paid",
    "ytd.layers.*.base",
    "ytd.layers.*.paid",
    "ytd.outpatient.*.paid",
    "ytd.outpatient.*.deductible_used",
    "units",
    "prescription_weeks",
    "patient.age",
    "patient.continuous_years",
    "patient.claim_free_years",
    "bill.total",
    "bill.in_scope",
    "bill.items.0.amount",
    "bill.items.0.limit",
    "account.balance",
    "account.family_balance",
    "known.hifp_pay",
    "known.hifmi_pay",
    "known.hifob_pay",
    "known.maf_pay",
    "known.oth_pay",
    "date",
    "referral.slip_date",
];

/// Every layer and outpatient route id of the shipped policies (what `*` in [`FIELDS`] takes).
fn ids() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let mut ids: Vec<String> = shipped()
            .iter()
            .flat_map(|s| {
                let p = &s.doc.policy;
                let layers = p.layers.iter().map(|l| l.id.clone());
                layers.chain(p.outpatient.iter().map(|r| r.id.clone()))
            })
            .collect();
        ids.sort();
        ids.dedup();
        ids
    })
}

/// Set the value at `path` (see [`FIELDS`]; `choice` picks the id for `*`) to `to`.
fn set_field(v: &mut Value, path: &str, choice: usize, to: Value) {
    let mut at = v;
    for seg in path.split('.') {
        if let Ok(i) = seg.parse::<usize>() {
            if !matches!(at, Value::Seq(_)) {
                *at = Value::Seq(Vec::new());
            }
            let Value::Seq(items) = at else { return };
            if items.len() <= i {
                items.resize(i + 1, Value::Map(BTreeMap::new()));
            }
            at = &mut items[i];
            continue;
        }
        if !matches!(at, Value::Map(_)) {
            *at = Value::Map(BTreeMap::new());
        }
        let Value::Map(m) = at else { return };
        let key = if seg == "*" {
            m.keys()
                .next()
                .cloned()
                .unwrap_or_else(|| Value::String(ids()[choice % ids().len()].clone()))
        } else {
            Value::String(seg.to_string())
        };
        at = m.entry(key).or_insert(Value::Unit);
    }
    *at = to;
}

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: i64 = (1 << 53) - 1;

fn from_json(j: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match j {
        J::Null => Value::Unit,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) if (-MAX_SAFE..=MAX_SAFE).contains(&i) => Value::I64(i),
            _ => Value::F64(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::String(s.clone()),
        J::Array(a) => Value::Seq(a.iter().map(from_json).collect()),
        J::Object(o) => Value::Map(
            o.iter()
                .map(|(k, v)| (Value::String(k.clone()), from_json(v)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// Nodes in the tree (map keys not counted).
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Seq(items) => items.iter().map(count).sum(),
        Value::Map(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

/// Twist the `i`-th node in pre-order (`i` < [`count`]); true once it is done.
fn twist_nth(v: &mut Value, i: &mut usize, op: u8) -> bool {
    if *i == 0 {
        twist(v, op);
        return true;
    }
    *i -= 1;
    match v {
        Value::Seq(items) => items.iter_mut().any(|c| twist_nth(c, i, op)),
        Value::Map(m) => m.values_mut().any(|c| twist_nth(c, i, op)),
        _ => false,
    }
}

/// Replace a node by what a JS value can be and JSON cannot say (or a near miss of a value).
fn twist(node: &mut Value, op: u8) {
    let old = std::mem::replace(node, Value::Unit);
    let text = |s: &str| Value::String(s.to_string());
    let pick = |a: &str, b: &str| text(if op & 0x20 == 0 { a } else { b });
    *node = match op % 32 {
        0 => Value::Unit, // undefined, or null
        1 => Value::Bool(op & 0x20 != 0),
        2 => Value::F64(f64::NAN),
        3 => Value::F64(f64::INFINITY),
        4 => Value::F64(f64::NEG_INFINITY),
        5 => Value::F64(-0.0),
        6 => match old {
            Value::I64(i) => Value::F64(i as f64 + 0.5),
            Value::String(s) => Value::F64(s.trim().parse().unwrap_or(1e21)),
            _ => Value::F64(1e21),
        },
        7 => Value::U64(u64::MAX), // a BigInt beyond i64
        8 => Value::I64(i64::MIN), // a BigInt
        9 => match old {
            Value::I64(i) => Value::String(i.to_string()),
            Value::F64(f) => Value::String(f.to_string()),
            _ => Value::String(String::new()),
        },
        10 => Value::Seq(vec![old]),
        11 => Value::Map([(Value::I64(0), old)].into_iter().collect()), // a JS Map, number key
        12 => Value::Bytes(vec![0xff, 0, 0x80]),                        // a Uint8Array
        13 => Value::F64(9_007_199_254_740_993.0),                      // past MAX_SAFE_INTEGER
        14 => match old {
            Value::Map(mut m) => {
                let first = m.keys().next().cloned();
                if let Some(k) = first {
                    m.remove(&k);
                }
                Value::Map(m)
            }
            Value::Seq(mut s) => {
                s.pop();
                Value::Seq(s)
            }
            other => other,
        },
        15 => {
            text(["１２３", "\u{0}", "１e3", "0x10", "5%", "%元", "1_000", "∞"][(op >> 5) as usize])
        }
        // Edges of the ranges the readers and the arithmetic know: counts, amounts, rates, dates.
        16 => Value::I64(u32::MAX.into()),
        17 => Value::I64(i64::from(u32::MAX) + 1),
        18 => Value::I64(if op & 0x20 == 0 { i64::MAX } else { -1 }),
        19 => Value::I64(MAX_SAFE),
        20 => Value::I64(if op & 0x20 == 0 { 366 } else { 367 }),
        21 => pick("4294967295", "4294967296"),
        22 => pick("999999999999.99", "1000000000000"),
        23 => pick("0.001", "0.005"),
        24 => pick("-0", "1e3"),
        25 => pick("100%", "0%"),
        26 => pick("100.01%", "-1%"),
        27 => pick("9999-12-31", "0001-01-01"),
        28 => pick("2024-02-29", "2023-12-31"),
        29 => Value::I64(0),
        30 => pick("0", "0.01"),
        _ => Value::F64(if op & 0x20 == 0 { 1e-7 } else { 4294967295.5 }),
    };
}

/// Run the target named `name` on `data`.
pub fn by_name(name: &str) -> Option<fn(&[u8])> {
    Some(match name {
        "toml" => toml_text,
        "policy_json" => policy_json,
        "case_json" => case_json,
        "js_value" => js_value,
        "estimate" => estimate_case,
        "claims_csv" => claims_csv,
        _ => return None,
    })
}

/// The most claims of one input that are replayed (an execution stays short).
const MAX_REPLAYED: usize = 64;

/// The policies a fuzzed claims file is replayed under: the demo (the general path for most of
/// its claims) and one that compiles (重庆 职工).
fn replay_policies() -> impl Iterator<Item = &'static PolicyDoc> {
    shipped()
        .iter()
        .filter(|s| {
            s.path.starts_with("demo-county/resident") || s.path.starts_with("chongqing/employee")
        })
        .map(|s| &s.doc)
}

/// The claims reader never panics; what it kept is written back as CSV and read again — the
/// same claims, with no problem (the writer's output always reads); and the claims replay under
/// two shipped policies by the fastest path and by the general one with the same results,
/// claim by claim.
pub fn claims_csv(data: &[u8]) {
    let Ok(loaded) = yibao_batch::text::read_claims(data) else {
        return;
    };
    let mut out = Vec::new();
    yibao_batch::text::write_claims(&mut out, &loaded.claims).expect("claims written as CSV");
    let again = yibao_batch::text::read_claims(&out[..]).expect("the writer's CSV reads");
    assert!(again.bad.is_empty(), "{:?}", again.bad);
    assert_eq!(again.claims, loaded.claims);
    if loaded.claims.len() > MAX_REPLAYED {
        return;
    }
    use yibao_batch::{run, Keep, Path};
    for doc in replay_policies() {
        let replay = |path| {
            run::run(
                doc,
                &loaded.claims,
                &loaded.keys,
                &|_| {},
                Keep::Results,
                path,
            )
        };
        let (fast, general) = (replay(Path::Fastest), replay(Path::General));
        assert_eq!(fast.results, general.results, "{}", doc.policy.meta.id);
        assert_eq!(fast.summary, general.summary, "{}", doc.policy.meta.id);
    }
}
