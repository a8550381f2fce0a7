//! The JavaScript adapter: the API of the npm package in `pkg/` (`cargo xtask pkg`).
//!
//! The only crate that calls wasm-bindgen. Plain JS objects in and out: a good input is read as
//! the browser's JSON text with serde_json; any other is copied with serde-wasm-bindgen into the
//! value tree of `yibao_core::input` and read there by the types' serde derives (the same reader
//! as the CLI's and the widget's, so the same codes and paths: `from_js`);
//! results go out as JSON text that JS parses (fewer boundary crossings than building objects
//! member by member). Money crosses as exact decimal strings; every failure is thrown as a
//! `YibaoError` (`{ code, path, message_zh, message_en, problems }`), never as a raw panic.
//! The TypeScript types of every input and output are generated from the core types by tsify;
//! `cargo xtask pkg test` type-checks real outputs against them.

use js_sys::{Array, Reflect, JSON};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yibao_core::case::{Case, Ytd};
use yibao_core::date::Date;
use yibao_core::error::{Code, Problem, Problems};
use yibao_core::input::{from_value, json_value, policy_doc_from_value, prefix, Shipped, Value};
use yibao_core::policy::lookup::{self, Named};
use yibao_core::policy::PolicyDoc;
use yibao_core::{estimate, referral};

// ---------------------------------------------------------------------------------------------
// TypeScript: the types of every input and output are generated from the core types by tsify
// (core's `ts` feature). Declared here are only the shapes that exist in JS alone.
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen(typescript_custom_section)]
const JS_ONLY_TYPES: &'static str = r#"
/** A shipped policy id (see `listBundledPolicies`) or a handle from `loadPolicy`. */
export type PolicyRef = string | PolicyHandle;
/** A case for `checkPathway`: no bill is needed. */
export type PathwayCase = Omit<Case, "bill"> & { bill?: Bill };
/** What every function throws: the first problem's fields, and all of them in `problems`. */
/** One case's outcome in `estimateMany`: its estimate, or its problems (as a thrown error's). */
export type EstimateOutcome = { estimate: Estimate } | { problems: Problem[] };
export interface YibaoError extends Error {
  name: "YibaoError";
  code: Code;
  path: string;
  message_zh: string;
  message_en: string;
  problems: Problem[];
}
"#;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

type JsResult = Result<JsValue, JsValue>;

/// The thrown value: an `Error` (so hosts get a stack) carrying the first problem's fields and
/// the full list in `problems`.
fn to_error(ps: Problems) -> JsValue {
    let first =
        ps.0.first()
            .cloned()
            .unwrap_or_else(|| Problem::new(Code::Internal, "", "内部错误", "internal error"));
    let where_ = if first.path.is_empty() {
        String::new()
    } else {
        format!(" [{}]", first.path)
    };
    let err = js_sys::Error::new(&format!("{}{where_}: {}", first.code, first.message_en));
    err.set_name("YibaoError");
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&err, &JsValue::from_str(k), &v);
    };
    set("code", first.code.as_str().into());
    set("path", first.path.as_str().into());
    set("message_zh", first.message_zh.as_str().into());
    set("message_en", first.message_en.as_str().into());
    let list = Array::new();
    for p in &ps.0 {
        list.push(&to_js(p).unwrap_or(JsValue::NULL));
    }
    set("problems", list.into());
    err.into()
}

fn problem(code: Code, path: &str, zh: String, en: String) -> Problems {
    Problem::new(code, path, zh, en).into()
}

// ---------------------------------------------------------------------------------------------
// JS values → core types, strictly (unknown keys are errors, as in the CLI), by `yibao_core::input`
// ---------------------------------------------------------------------------------------------

/// Copy a JS value into a [`Value`] tree, rejecting what JSON cannot say (functions, symbols …);
/// NaN, infinities and numbers no amount can reach are refused by the amounts' own readers.
fn read_js(value: JsValue) -> Result<Value, Problems> {
    let v = Value::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(|_| {
        problem(
            Code::InvalidType,
            "",
            "无法读取的输入:值只能是字符串、数字、true/false、null、数组或对象(不能是函数、Symbol 等)".into(),
            "unreadable input: values must be strings, numbers, true/false, null, arrays or objects (not functions, symbols …)".into(),
        )
    })?;
    Ok(v)
}

/// An argument that must be given, as a value tree; `undefined` or `null` is a missing argument.
fn argument(value: JsValue, what_zh: &str, what_en: &str) -> Result<Value, Problems> {
    if value.is_undefined() || value.is_null() {
        return Err(problem(
            Code::MissingArgument,
            "",
            format!("缺少{what_zh}"),
            format!("the {what_en} is missing"),
        ));
    }
    read_js(value)
}

#[wasm_bindgen(inline_js = r#"
// The value as JSON text when it is plain JSON data (objects of Object's own kind, arrays,
// strings, finite numbers, booleans, null); anything else (a function, undefined, NaN, a Date, a
// Map …) throws, and the caller reads the value with the placed reader, which names it.
export function plain_json(value) {
  return JSON.stringify(value, function (key, v) {
    const o = this[key];
    const t = typeof o;
    if (t === "function" || t === "symbol" || t === "undefined" || t === "bigint") throw 0;
    if (t === "number" && !Number.isFinite(o)) throw 0;
    if (o !== null && t === "object" && !Array.isArray(o)) {
      const p = Object.getPrototypeOf(o);
      if (p !== Object.prototype && p !== null) throw 0;
    }
    return v;
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn plain_json(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// An argument read into `T`. Good input takes the short way: the browser's own JSON.stringify
/// (plain data only) and serde_json, with no value tree (building it, member by member across
/// the boundary, was most of a call's time). What that does not take exactly as given — a value
/// its type refuses, anything but plain data, or a key the types do not have (serde_ignored sees
/// every key a derive would skip) — is read again by core's placed reader, which reports every
/// problem with its code and key path, as the CLI does.
fn from_js<T: DeserializeOwned>(
    value: JsValue,
    what_zh: &str,
    what_en: &str,
) -> Result<T, Problems> {
    if let Some(text) = plain_json(&value).ok().and_then(|t| t.as_string()) {
        let mut skipped = false;
        let de = &mut serde_json::Deserializer::from_str(&text);
        if let Ok(t) = serde_ignored::deserialize(de, |_| skipped = true) {
            if !skipped {
                return Ok(t);
            }
        }
    }
    from_value(argument(value, what_zh, what_en)?)
}

// ---------------------------------------------------------------------------------------------
// core types → JS values
// ---------------------------------------------------------------------------------------------

/// Results cross as one JSON string that JS parses: far fewer calls across the boundary than
/// building the object member by member (an estimate with its trace has ~300 members).
fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, Problems> {
    // Writing our own types cannot fail (string keys, no floats); should it ever, say so.
    let text = serde_json::to_string(v).map_err(|_| {
        problem(
            Code::Internal,
            "",
            "内部错误:结果无法写成 JSON".into(),
            "internal error: the result could not be written as JSON".into(),
        )
    })?;
    JSON::parse(&text).map_err(|_| {
        problem(
            Code::Internal,
            "",
            "内部错误".into(),
            "internal error: unparsable result".into(),
        )
    })
}

fn respond<T: Serialize>(r: Result<T, Problems>) -> JsResult {
    r.and_then(|v| to_js(&v)).map_err(to_error)
}

// ---------------------------------------------------------------------------------------------
// Policies: loaded (parsed and validated) once, then referred to by a handle
// ---------------------------------------------------------------------------------------------

struct Loaded {
    doc: Rc<PolicyDoc>,
    /// Path under `policies/` for a shipped policy.
    bundled: Option<String>,
}

thread_local! {
    static POLICIES: RefCell<Vec<Loaded>> = const { RefCell::new(Vec::new()) };
    /// The handle's member name, made once: a JS string from Rust is a `TextDecoder` call, which
    /// cost 2 % of an `estimate` when made per call.
    static KEY: JsValue = JsValue::from_str("key");
    /// Keys of the shipped policies, demo first, once they are loaded.
    static BUNDLED: RefCell<Option<Vec<usize>>> = const { RefCell::new(None) };
}

/// The shipped policies as JSON of their validated `PolicyDoc`s (with the SHA-256 of the TOML
/// text each came from), converted by `build.rs` from `policies/`: the browser has no TOML parser.
const BUNDLED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/bundled-policies.json"));

/// Register a loaded policy (or find it, when the same text was loaded before); its key.
fn register(doc: PolicyDoc, bundled: Option<String>) -> usize {
    POLICIES.with(|ps| {
        let mut ps = ps.borrow_mut();
        if let Some(i) = ps.iter().position(|l| l.doc.sha256 == doc.sha256) {
            return i;
        }
        ps.push(Loaded {
            doc: Rc::new(doc),
            bundled,
        });
        ps.len() - 1
    })
}

fn known_by_sha(sha: &str) -> Option<usize> {
    POLICIES.with(|ps| ps.borrow().iter().position(|l| l.doc.sha256 == sha))
}

fn get(key: usize) -> Option<Rc<PolicyDoc>> {
    POLICIES.with(|ps| ps.borrow().get(key).map(|l| l.doc.clone()))
}

/// Keys of every shipped policy, loading them all on first use. They were validated when the
/// package was built (`build.rs`), so they are not validated again in the browser.
fn bundled_keys() -> Result<Vec<usize>, Problems> {
    if let Some(keys) = BUNDLED.with(|b| b.borrow().clone()) {
        return Ok(keys);
    }
    let shipped: Vec<Shipped> = yibao_core::input::from_json(BUNDLED_JSON)?;
    let keys: Vec<usize> = shipped
        .into_iter()
        .map(|s| register(s.doc, Some(s.path)))
        .collect();
    BUNDLED.with(|b| *b.borrow_mut() = Some(keys.clone()));
    Ok(keys)
}

/// A shipped policy by its id or its path under `policies/` (with or without `.toml`).
fn load_bundled(spec: &str) -> Result<Option<usize>, Problems> {
    let want = lookup::shipped_id(spec);
    for key in bundled_keys()? {
        let hit = POLICIES.with(|ps| {
            let ps = ps.borrow();
            let l = &ps[key];
            l.doc.policy.meta.id == want
                || l.bundled.as_deref().and_then(|p| p.strip_suffix(".toml")) == Some(want)
        });
        if hit {
            return Ok(Some(key));
        }
    }
    Ok(None)
}

fn load_text(text: &str) -> Result<usize, Problems> {
    // Core's one order (`policy::lookup`, as the CLI's `--policy`): the policy's text, else a
    // file (the browser has none), else a shipped id.
    let mut failed = None;
    let named = lookup::name(
        text,
        |_| false,
        |id| {
            load_bundled(id).unwrap_or_else(|e| {
                failed = Some(e);
                None
            })
        },
        &[],
    );
    if let Some(e) = failed {
        return Err(e);
    }
    match named {
        Ok(Named::Shipped(key)) => return Ok(key),
        Ok(Named::Text(_)) => {}
        Ok(Named::File(_)) | Err(_) => return Err(unknown_policy(text)),
    }
    let sha = yibao_core::trace::sha256_hex(text.as_bytes());
    if let Some(k) = known_by_sha(&sha) {
        return Ok(k);
    }
    if !text.trim_start().starts_with('{') {
        return Err(problem(
            Code::TomlNotSupported,
            "",
            "浏览器版不解析 TOML:请传入政策的 JSON 文本或对象,或内置政策的编号".into(),
            "the browser package does not parse TOML: pass the policy as JSON text or an object, or a shipped policy id".into(),
        ));
    }
    read_policy(json_value(text)?, sha)
}

/// A policy object: the rules (`PolicyFile`), or what `yibao export` prints (`{ policy, sha256 }`,
/// which keeps the fingerprint of the TOML file it came from).
fn read_policy(v: Value, sha: String) -> Result<usize, Problems> {
    Ok(register(policy_doc_from_value(v, || sha)?, None))
}

fn unknown_policy(id: &str) -> Problems {
    let known: Vec<String> = bundled_keys()
        .unwrap_or_default()
        .into_iter()
        .filter_map(get)
        .map(|d| d.policy.meta.id.clone())
        .collect();
    problem(
        Code::UnknownPolicy,
        "policy",
        format!(
            "没有内置政策 \"{id}\";内置的有:{}。自带政策请先用 loadPolicy 载入",
            known.join("、")
        ),
        format!(
            "no shipped policy \"{id}\"; shipped: {}. Load your own with loadPolicy first",
            known.join(", ")
        ),
    )
}

fn load_any(source: JsValue) -> Result<usize, Problems> {
    if let Some(text) = source.as_string() {
        return load_text(&text);
    }
    if !source.is_object() || js_sys::Array::is_array(&source) {
        return Err(problem(
            Code::InvalidType,
            "",
            "政策应为内置政策编号、JSON 文本或对象".into(),
            "a policy is a shipped policy id, JSON text, or an object".into(),
        ));
    }
    // The fingerprint of an object is that of its JSON text.
    let text: String = JSON::stringify(&source)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            problem(
                Code::InvalidType,
                "",
                "政策对象无法转换为 JSON(含循环引用或 BigInt?)".into(),
                "the policy object cannot be written as JSON (a cycle or a BigInt?)".into(),
            )
        })?;
    let sha = yibao_core::trace::sha256_hex(text.as_bytes());
    if let Some(k) = known_by_sha(&sha) {
        return Ok(k);
    }
    read_policy(read_js(source)?, sha)
}

/// The object JS holds for a loaded policy.
#[derive(Serialize, tsify::Tsify)]
#[tsify(rename = "PolicyHandle")]
pub struct Handle<'a> {
    key: usize,
    id: &'a str,
    sha256: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    region_zh: &'a str,
    region_en: &'a str,
    scheme: yibao_core::policy::Scheme,
    status: yibao_core::policy::Status,
    effective_from: Date,
    effective_to: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    bundled: Option<&'a str>,
    /// For a host's pickers.
    levels: &'a [yibao_core::policy::Level],
    categories: &'a [yibao_core::policy::Category],
}

fn handle(key: usize) -> Result<JsValue, Problems> {
    POLICIES.with(|ps| {
        let ps = ps.borrow();
        let l = &ps[key];
        let m = &l.doc.policy.meta;
        to_js(&Handle {
            key,
            id: &m.id,
            sha256: &l.doc.sha256,
            name_zh: &m.name_zh,
            name_en: &m.name_en,
            region_zh: &m.region_zh,
            region_en: &m.region_en,
            scheme: m.scheme,
            status: m.status,
            effective_from: m.effective_from,
            effective_to: m.effective_to,
            bundled: l.bundled.as_deref(),
            levels: &l.doc.policy.levels,
            categories: &l.doc.policy.categories,
        })
    })
}

/// A `PolicyRef`: a handle from `loadPolicy`, or the id of a shipped policy.
fn policy_of(r: &JsValue) -> Result<Rc<PolicyDoc>, Problems> {
    if let Some(id) = r.as_string() {
        return match load_bundled(&id)? {
            Some(key) => Ok(get(key).expect("registered")),
            None => Err(unknown_policy(&id)),
        };
    }
    let key = if r.is_object() {
        KEY.with(|key| Reflect::get(r, key))
            .ok()
            .and_then(|k| k.as_f64())
    } else {
        None
    };
    match key
        .filter(|k| *k >= 0.0 && k.fract() == 0.0)
        .and_then(|k| get(k as usize))
    {
        Some(doc) => Ok(doc),
        None => Err(problem(
            Code::NotAPolicy,
            "policy",
            "第一个参数应为 loadPolicy 返回的政策句柄,或内置政策编号".into(),
            "the first argument must be a policy handle from loadPolicy or a shipped policy id"
                .into(),
        )),
    }
}

/// The request's date, else today: the engine uses "today" only for a request without a date,
/// and reading the host's clock is a call across the boundary.
fn date_or_today(date: Option<Date>) -> Date {
    date.unwrap_or_else(today)
}

/// Today in China (`Date::in_china_at`), for cases without a date: the CLI and the widget take
/// the same day, whatever the host's time zone.
fn today() -> Date {
    Date::in_china_at(js_sys::Date::now() as i64)
}

fn case_of(value: JsValue) -> Result<Case, Problems> {
    from_js(value, "就诊信息", "case")
}

fn ytd_into(case: &mut Case, ytd: Option<YtdArg>) -> Result<(), Problems> {
    if let Some(y) = ytd
        .map(JsValue::from)
        .filter(|y| !y.is_undefined() && !y.is_null())
    {
        case.ytd = from_value::<Ytd>(read_js(y)?).map_err(|ps| prefix(ps, "ytd"))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen]
extern "C" {
    /// Year-to-date totals from JS (typed for the `.d.ts`).
    #[wasm_bindgen(typescript_type = "Ytd")]
    pub type YtdArg;
}

/// The engine version, as quoted on every receipt (`receipt.engine` is `"yibao-core " + version()`).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Every shipped policy (loaded and validated on first use), demo county first.
#[wasm_bindgen(js_name = listBundledPolicies, unchecked_return_type = "PolicyHandle[]")]
pub fn list_bundled_policies() -> JsResult {
    let list = Array::new();
    for key in bundled_keys().map_err(to_error)? {
        list.push(&handle(key).map_err(to_error)?);
    }
    Ok(list.into())
}

/// Parse and validate a policy once; pass the returned handle to the other calls.
/// `source`: a shipped policy id (`"demo-county/resident-2024"`), policy JSON text, or a policy
/// object — the rules, or `yibao export`'s `{ policy, sha256 }`. Loading the same text again
/// returns the same handle.
#[wasm_bindgen(js_name = loadPolicy, unchecked_return_type = "PolicyHandle")]
pub fn load_policy(
    #[wasm_bindgen(unchecked_param_type = "string | Policy | PolicyDoc")] source: JsValue,
) -> JsResult {
    load_any(source).and_then(handle).map_err(to_error)
}

/// Estimate one case: the settlement (setlinfo keys), every step with its citation, the referral
/// verdict and the year-to-date totals after it. `ytd`, when given, replaces `case.ytd`.
#[wasm_bindgen(js_name = estimate, unchecked_return_type = "Estimate")]
pub fn estimate_js(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Case")] input: JsValue,
    ytd: Option<YtdArg>,
) -> JsResult {
    with_case(policy, input, ytd, estimate::estimate)
}

/// Many cases under one policy in one call (one crossing of the JS/wasm boundary each way): an
/// array of the same length, each `{ estimate }` or, for a case that cannot be estimated,
/// `{ problems }` with the codes and paths `estimate` would throw (their paths prefixed with the
/// case's index, `[3].bill.total`). Throws only when the policy or the list itself is wrong.
#[wasm_bindgen(js_name = estimateMany, unchecked_return_type = "EstimateOutcome[]")]
pub fn estimate_many_js(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Case[]")] cases: JsValue,
) -> JsResult {
    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Outcome {
        Estimate(Box<estimate::Estimate>),
        Problems(Vec<Problem>),
    }
    respond((|| {
        let doc = policy_of(&policy)?;
        if !Array::is_array(&cases) {
            return Err(problem(
                Code::InvalidType,
                "",
                "cases 应为就诊信息的数组".into(),
                "cases must be an array of cases".into(),
            ));
        }
        let out: Vec<Outcome> = Array::from(&cases)
            .iter()
            .enumerate()
            .map(|(i, case)| {
                case_of(case)
                    .and_then(|c| estimate::estimate(&doc, &c, date_or_today(c.date)))
                    .map(|e| Outcome::Estimate(Box::new(e)))
                    .unwrap_or_else(|ps| Outcome::Problems(prefix(ps, &format!("[{i}]")).0))
            })
            .collect();
        Ok(out)
    })())
}

/// Low / typical / high estimates when only a total is known (the policy's typical cost mix).
#[wasm_bindgen(js_name = estimateRange, unchecked_return_type = "RangeEstimate")]
pub fn estimate_range_js(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Case")] input: JsValue,
    ytd: Option<YtdArg>,
) -> JsResult {
    with_case(policy, input, ytd, estimate::estimate_range)
}

/// Read the policy, the case and an optional separate year-to-date, then run `f` on them.
fn with_case<T: Serialize>(
    policy: JsValue,
    input: JsValue,
    ytd: Option<YtdArg>,
    f: fn(&PolicyDoc, &Case, Date) -> Result<T, Problems>,
) -> JsResult {
    respond((|| {
        let doc = policy_of(&policy)?;
        let mut c = case_of(input)?;
        ytd_into(&mut c, ytd)?;
        f(&doc, &c, date_or_today(c.date))
    })())
}

/// May this patient be treated at this level for this disease, with what paperwork?
/// The case needs no bill.
#[wasm_bindgen(js_name = checkPathway, unchecked_return_type = "Verdict")]
pub fn check_pathway(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "PathwayCase")] input: JsValue,
) -> JsResult {
    respond((|| {
        let doc = policy_of(&policy)?;
        let mut v = argument(input, "就诊信息", "case")?;
        if let Value::Map(m) = &mut v {
            m.entry(Value::String("bill".into()))
                .or_insert_with(|| Value::Map(Default::default()));
        }
        let mut c: Case = from_value(v)?;
        let p = &doc.policy;
        let date = c.date.unwrap_or_else(today);
        // The CLI's `yibao refer` checks the same way (a disease by name resolves alike); the
        // national list once `loadDiagnoses` has read it.
        let national = NATIONAL.with(|n| n.borrow().clone());
        referral::check::check(p, national.as_deref(), &mut c)?;
        Ok(referral::assess(p, &c, date))
    })())
}

/// Every sensible place to be treated for a disease and an expected cost, side by side:
/// eligibility, paperwork and what the patient would pay (low / typical / high) at each.
#[wasm_bindgen(js_name = comparePathways, unchecked_return_type = "Comparison")]
pub fn compare_pathways(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CompareRequest")] request: JsValue,
) -> JsResult {
    respond((|| {
        let doc = policy_of(&policy)?;
        let req: referral::compare::CompareRequest = from_js(request, "比较条件", "request")?;
        referral::compare::compare(&doc, &req, date_or_today(req.date))
    })())
}

/// 下转: whether an inpatient's daily cost has been stable long enough to finish the stay at a
/// lower level, and what that would save the patient.
#[wasm_bindgen(js_name = suggestTransferDown, unchecked_return_type = "TransferSuggestion")]
pub fn suggest_transfer_down(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TransferRequest")] request: JsValue,
) -> JsResult {
    respond((|| {
        let doc = policy_of(&policy)?;
        let req: referral::transfer::TransferRequest = from_js(request, "住院信息", "request")?;
        referral::transfer::suggest(&doc, &req, date_or_today(req.date))
    })())
}

/// Type-ahead over the policy's disease catalogue: ICD-10 code or prefix, Chinese name,
/// pinyin initials or English name; best matches first (at most `limit`, default 10).
#[wasm_bindgen(js_name = searchDiseases, unchecked_return_type = "DiseaseHit[]")]
pub fn search_diseases(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    query: &str,
    limit: Option<u32>,
) -> JsResult {
    respond(policy_of(&policy).map(|doc| {
        yibao_core::catalogue::search(&doc.policy, query, limit.unwrap_or(10).min(1000) as usize)
    }))
}

thread_local! {
    /// The national diagnosis list, once `loadDiagnoses` has read it.
    static NATIONAL: RefCell<Option<Rc<yibao_core::diagnosis::National>>> = const { RefCell::new(None) };
}

/// Reads the national diagnosis index, `diagnoses.idx`, shipped beside this module (33,304
/// 医保版 2.0 diagnoses, the 国临版 map, the everyday words): fetch it, or read it from disk, and
/// pass its text once; `searchDiagnoses` then searches it. Returns the number of diagnoses.
/// Throws `bad_diagnosis_index` for a wrong or damaged file.
#[wasm_bindgen(js_name = loadDiagnoses)]
pub fn load_diagnoses(text: &str) -> Result<u32, JsValue> {
    let nat = yibao_core::diagnosis::National::parse(text).map_err(|p| to_error(p.into()))?;
    let n = nat.len() as u32;
    NATIONAL.with(|s| *s.borrow_mut() = Some(Rc::new(nat)));
    Ok(n)
}

/// One search for a diagnosis, best first (at most `limit`, default 10): the policy's catalogue
/// (where the disease is treated), then the national list once `loadDiagnoses` has read it — by
/// everyday word (心梗, 胆结石), ICD-10 code or prefix, 国临版 code (mapped to 医保版), name,
/// pinyin (full or initials); one typo tolerated when nothing matches. A national hit the
/// catalogue does not place has `listed` `not_listed` (or `no_catalogue`).
#[wasm_bindgen(js_name = searchDiagnoses, unchecked_return_type = "DiagnosisHit[]")]
pub fn search_diagnoses(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    query: &str,
    limit: Option<u32>,
) -> JsResult {
    let nat = NATIONAL.with(|s| s.borrow().clone());
    respond(policy_of(&policy).map(|doc| {
        yibao_core::diagnosis::search(
            &doc.policy,
            nat.as_deref(),
            query,
            limit.unwrap_or(10).min(1000) as usize,
        )
    }))
}
