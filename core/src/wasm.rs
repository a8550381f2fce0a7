//! The JavaScript adapter: the API of the npm package in `pkg/` (`cargo xtask pkg`).
//!
//! The only module that knows wasm-bindgen. Plain JS objects in and out: inputs are copied with
//! serde-wasm-bindgen into a small value tree and read field by field (`Read`, below — serde's
//! derived visitors would double the module's size); results go out as JSON text that JS parses
//! (fewer boundary crossings than building objects member by member). Money crosses as exact
//! decimal strings; every failure is thrown as a `YibaoError`
//! (`{ code, path, message_zh, message_en, problems }`), never as a raw panic.
//! The TypeScript types of every input and output are declared below by hand
//! (`typescript_custom_section`) so that no core type needs a wasm derive; `cargo xtask pkg test`
//! type-checks real outputs against them.

use crate::case::{Case, Ytd};
use crate::date::Date;
use crate::error::{Problem, Problems};
use crate::policy::validate::validate;
use crate::policy::{Policy, PolicyDoc};
use crate::{estimate, referral};
use js_sys::{Array, Reflect, JSON};
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, Visitor};
use serde::Serialize;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

// ---------------------------------------------------------------------------------------------
// TypeScript declarations (the `.d.ts` of the package). Keep in step with the serde shapes of
// the core types; `cargo xtask test` type-checks real outputs against them.
// ---------------------------------------------------------------------------------------------

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
// ---- Inputs -------------------------------------------------------------------------------

/** An amount in yuan as an exact decimal string ("52000", "937.8"). Whole numbers may be given
 *  as JS numbers; fractional numbers must be strings (binary floats are refused). */
export type MoneyInput = string | number;
/** A rate: "70%" or "0.7" (0–100%). */
export type RateInput = string | number;
/** Percentage points, may be negative: "-10". */
export type PointsInput = string | number;
/** A calendar date "YYYY-MM-DD". */
export type DateString = string;

/** A shipped policy id (see `listBundledPolicies`) or a handle from `loadPolicy`. */
export type PolicyRef = string | PolicyHandle;

export type Setting = "inpatient" | "outpatient";
export type ItemClass = "jia" | "yi" | "bing" | "special";

/** One visit: what a clerk or resident tells the engine. */
export interface Case {
  /** Evaluation (admission) date; today in the host's time zone when absent. */
  date?: DateString | null;
  setting?: Setting;
  /** Facility level id from the policy (`township`, `county`, `level2` …). */
  level: string;
  patient?: Patient;
  /** ICD-10 code, e.g. "J18.9". */
  disease?: string | null;
  /** A fixed-amount or outpatient route id chosen by the clerk. */
  route?: string | null;
  /** Units for per-unit routes (eyes for 白内障). */
  units?: number | null;
  /** 意外伤害 without a liable third party. */
  accident?: boolean;
  /** 急危重症. */
  emergency?: boolean;
  referral?: ReferralFacts;
  bill: Bill;
  ytd?: YtdInput;
  known?: Known;
  /** 长处方 length in weeks (outpatient). */
  prescription_weeks?: number | null;
}

/** A case for `checkPathway`: the bill is not needed. */
export type PathwayCase = Omit<Case, "bill"> & { bill?: Bill };

export interface Patient {
  /** Category id from the policy; "general" when absent. */
  category?: string;
  age?: number | null;
  pregnant?: boolean;
  severe_disability?: boolean;
}

export interface ReferralFacts {
  /** Level the patient was transferred from in this episode (上转 or 下转). */
  from_level?: string | null;
  /** Holds a 转诊单. */
  slip?: boolean;
  slip_date?: DateString | null;
  /** Holds an 异地就医备案. */
  filing?: boolean;
}

/** Either line items, or a total (with its in-scope part when known). */
export interface Bill {
  total?: MoneyInput | null;
  in_scope?: MoneyInput | null;
  items?: Item[];
}

export interface Item {
  name: string;
  class: ItemClass;
  amount: MoneyInput;
  /** 最高限价: the excess is 超限价自付. */
  limit?: MoneyInput | null;
}

/** Year-to-date totals before this visit (an `Estimate.ytd_after` can be passed back as is). */
export interface YtdInput {
  admissions?: number;
  hifp_pay?: MoneyInput;
  accident_fund?: MoneyInput;
  layers?: { [layerId: string]: { base?: MoneyInput; paid?: MoneyInput } };
  outpatient?: { [routeId: string]: { paid?: MoneyInput; deductible_used?: MoneyInput } };
}

export interface Known {
  /** The basic fund's payment from a settlement slip. */
  hifp_pay?: MoneyInput | null;
}

export interface CompareRequest {
  patient?: Patient;
  disease?: string | null;
  /** What the stay is expected to cost in total. */
  expected_cost: MoneyInput;
  date?: DateString | null;
  emergency?: boolean;
  ytd?: YtdInput;
}

export interface TransferRequest {
  /** Current facility level. */
  level: string;
  patient?: Patient;
  disease?: string | null;
  date?: DateString | null;
  /** Cost of each inpatient day so far, oldest first. */
  daily_costs: MoneyInput[];
  /** Days still expected in hospital. */
  remaining_days?: number | null;
  /** Daily cost at the lower level, when known. */
  lower_daily_cost?: MoneyInput | null;
}

// ---- Outputs ------------------------------------------------------------------------------

/** An amount in yuan as an exact decimal string, trailing zeros removed ("34790", "937.8"). */
export type Money = string;
/** A rate as a percentage string ("70%", "89.18%"). */
export type Rate = string;

/** A loaded policy. Pass it (or a shipped policy id) as the first argument of the other calls. */
export interface PolicyHandle {
  readonly key: number;
  readonly id: string;
  /** SHA-256 of the policy text (for shipped policies: of the TOML file), quoted on receipts. */
  readonly sha256: string;
  readonly name_zh: string;
  readonly name_en: string;
  readonly region_zh: string;
  readonly region_en: string;
  readonly scheme: Scheme;
  readonly status: PolicyStatus;
  readonly effective_from: DateString;
  readonly effective_to: DateString;
  /** Path under `policies/` of a shipped policy. */
  readonly bundled?: string;
  /** Facility levels, lowest first as the policy lists them (for a host's pickers). */
  readonly levels: { id: string; name_zh: string; name_en: string; rank: number; scope: Scope }[];
  /** Patient categories (`general` is always there). */
  readonly categories: { id: string; name_zh: string; name_en: string }[];
}

/** The settlement, under the national platform's `setlinfo` keys. */
export interface Settlement {
  /** 医疗费总额 */ medfee_sumamt: Money;
  /** 全自费 */ fulamt_ownpay_amt: Money;
  /** 超限价自付 */ overlmt_selfpay: Money;
  /** 先行自付 */ preselfpay_amt: Money;
  /** 政策范围内 */ inscp_scp_amt: Money;
  /** 实际起付线 */ act_pay_dedc: Money;
  /** 基本统筹支付 */ hifp_pay: Money;
  /** 统筹内个人自付 */ pool_prop_selfpay: Money;
  /** 居民大病保险 */ hifmi_pay: Money;
  /** 职工大额补助 */ hifob_pay: Money;
  /** 医疗救助 */ maf_pay: Money;
  /** 其他支付 */ oth_pay: Money;
  /** 基金支付合计 */ fund_pay_sumamt: Money;
  /** 个人负担 */ psn_part_amt: Money;
  /** 医院负担 */ hosp_part_amt: Money;
}

export interface Estimate {
  settlement: Settlement;
  /** fund_pay_sumamt / medfee_sumamt. */
  actual_ratio: Rate;
  /** `general`, a fixed route id, an outpatient route id, or `not_reimbursed`. */
  route: string;
  referral: Verdict;
  /** Every step of the calculation, in order, with the clause it applies. */
  steps: Step[];
  /** Year-to-date totals after this visit. */
  ytd_after: Ytd;
  receipt: Receipt;
}

export interface RangeEstimate {
  /** True when the bill was detailed enough that low, typical and high are the same. */
  exact: boolean;
  low: Estimate;
  typical: Estimate;
  high: Estimate;
}

export interface Step {
  /** What the step determines: `act_pay_dedc`, `hifp_pay`, `layer:<id>`, `referral` … */
  key: string;
  /** The amount the step produced, unrounded. */
  amount: Money;
  zh: string;
  en: string;
  cite: Citation;
}

export interface Citation {
  source: string;
  doc_no?: string;
  title: string;
  clause: string;
  url?: string;
  effective_from: DateString;
}

export interface Receipt {
  /** "yibao-core <version>" */
  engine: string;
  policy_id: string;
  policy_sha256: string;
  evaluated_at: DateString;
}

export interface Ytd {
  admissions: number;
  hifp_pay: Money;
  accident_fund: Money;
  layers: { [layerId: string]: { base: Money; paid: Money } };
  outpatient: { [routeId: string]: { paid: Money; deductible_used: Money } };
}

export type Eligibility = "allowed" | "penalised" | "not_reimbursed";

/** The referral check: may the patient be treated there, with what paperwork, at what cost. */
export interface Verdict {
  eligibility: Eligibility;
  findings: Finding[];
  advice_zh: string[];
  advice_en: string[];
  /** All penalties combined, as the estimate applies them. */
  penalty: Penalty<Money, Rate, string>;
}

export interface Finding {
  /** `exempt`, `primary_first`, `upward`, `out_of_area`. */
  rule: string;
  penalty?: Penalty<Money, Rate, string>;
  zh: string;
  en: string;
  cite: Citation;
}

/** What breaking a referral rule costs. */
/** (In results every key is present, `null` when unset.) */
export interface Penalty<M = MoneyInput, R = RateInput, P = PointsInput> {
  ratio_points?: P | null;
  ratio?: R | null;
  deductible?: M | null;
  preselfpay?: R | null;
  not_reimbursed?: boolean;
}

export type Paperwork = "none" | "slip" | "filing";

export interface Comparison {
  options: PathOption[];
  /** Index into `options` of the recommended one. */
  recommended: number | null;
  reason_zh: string;
  reason_en: string;
}

export interface PathOption {
  level: string;
  level_zh: string;
  level_en: string;
  paperwork: Paperwork;
  paperwork_zh: string;
  paperwork_en: string;
  /** The catalogue lists this level for the disease (or no disease was given). */
  designated: boolean;
  eligibility: Eligibility;
  patient_low: Money;
  patient_typical: Money;
  patient_high: Money;
  recommended: boolean;
  estimate: RangeEstimate;
}

export interface TransferSuggestion {
  suggest: boolean;
  /** Mean daily cost of the stable window, when there is one. */
  daily_mean: Money | null;
  zh: string;
  en: string;
  saving: Saving | null;
  cite: Citation | null;
}

export interface Saving {
  target_level: string;
  remaining_cost_here: Money;
  remaining_cost_lower: Money;
  stay_patient_pays: Money;
  transfer_patient_pays: Money;
  saving: Money;
}

export type MatchKind =
  | "exact_code" | "code_prefix" | "name_start" | "pinyin_start" | "name" | "pinyin" | "english";

export interface DiseaseHit {
  matched: MatchKind;
  disease: Disease;
}

/** One problem with an input. */
export interface Problem {
  /** Stable machine code: `missing_field`, `invalid_type`, `unknown_key`, `negative_amount`,
   *  `not_exact`, `not_finite`, `amount_too_large`, `unknown_level`, `unknown_policy` … */
  code: string;
  /** Where in the input, e.g. `bill.items[0].amount` (empty: the whole argument). */
  path: string;
  file?: string;
  line?: number;
  message_zh: string;
  message_en: string;
}

/** What every function throws on bad input: an `Error` whose fields describe the first problem;
 *  `problems` lists all of them. Check with `e instanceof Error && e.name === "YibaoError"`. */
export interface YibaoError extends Error {
  name: "YibaoError";
  code: string;
  path: string;
  message_zh: string;
  message_en: string;
  problems: Problem[];
}

// ---- The policy file (what `loadPolicy` accepts; the same keys as the TOML files) ----------

export type Scheme = "resident" | "ncms" | "employee";
export type PolicyStatus = "official" | "example" | "excerpt";
export type Scope = "county" | "city" | "province" | "national";
export type TierBase = "cumulative" | "above_threshold";
export type FixedKind = "single_disease" | "childbirth" | "graded_quota" | "per_unit";
export type PaysInto = "hifmi_pay" | "hifob_pay" | "maf_pay" | "oth_pay";
export type OutpatientKind = "general" | "chronic" | "two_diseases";

export interface Cite { source: string; clause: string }

export interface PolicyFile {
  meta: {
    id: string; name_zh: string; name_en: string; region_zh: string; region_en: string;
    region_code?: string | null; scheme: Scheme; effective_from: DateString;
    effective_to: DateString; status: PolicyStatus; note?: string | null;
  };
  sources: {
    id: string; doc_no?: string | null; title: string; publisher?: string | null;
    url?: string | null; published?: DateString | null;
  }[];
  rounding: { mode: "half_up" | "truncate"; unit: "fen" | "jiao" | "yuan"; cite: Cite };
  levels: { id: string; name_zh: string; name_en: string; rank: number; scope: Scope }[];
  categories: { id: string; name_zh: string; name_en: string }[];
  bill?: { preselfpay: { [cls in ItemClass]?: RateInput }; cite: Cite } | null;
  inpatient: {
    deductible: {
      by_level: { [level: string]: MoneyInput };
      percent_of_bill?: {
        [level: string]: { rate: RateInput; floor: MoneyInput; ceiling: MoneyInput; cite: Cite };
      };
      nth_admission?: { from: number; factor: RateInput; cite: Cite }[];
      by_category?: { categories: string[]; factor: RateInput; cite: Cite }[];
      upward_difference_only?: boolean;
      waived_after_downward?: boolean;
      transfer_cite?: Cite | null;
      cite: Cite;
    };
    ratio: {
      rates?: { [level: string]: RateInput };
      tiered?: { [level: string]: Schedule };
      adjust?: {
        name_zh: string; name_en: string; when: Condition; points: PointsInput; cite: Cite;
      }[];
      floor?: { [level: string]: RateInput };
      floor_cite?: Cite | null;
      cite: Cite;
    };
    caps: {
      annual_fund?: MoneyInput | null; per_admission?: MoneyInput | null;
      accident_annual?: MoneyInput | null; cite: Cite;
    };
  };
  fixed?: {
    id: string; kind: FixedKind; name_zh: string; name_en: string; diseases?: string[];
    automatic?: boolean; quota?: { [level: string]: MoneyInput };
    fund_rate?: { [level: string]: RateInput }; fund_amount?: { [level: string]: MoneyInput };
    hospital_bears_excess?: boolean; cite: Cite;
  }[];
  layers?: {
    id: string; name_zh: string; name_en: string; pays_into: PaysInto;
    categories?: string[] | null; min_bill?: MoneyInput | null; outpatient?: boolean;
    threshold: MoneyInput; base: TierBase; tiers: Tier[]; annual_cap?: MoneyInput | null;
    overrides?: {
      categories: string[]; threshold?: MoneyInput | null; tiers?: Tier[] | null;
      rate_points?: PointsInput | null; annual_cap?: MoneyInput | null; no_cap?: boolean;
      cite: Cite;
    }[];
    cite: Cite;
  }[];
  overall?: {
    max_share?: { rate: RateInput; cite: Cite } | null;
    full_relief?: { categories: string[]; pays_into: PaysInto; cite: Cite }[];
    floor?: { categories: string[]; min_ratio: RateInput; pays_into: PaysInto; cite: Cite }[];
  };
  outpatient?: {
    id: string; kind: OutpatientKind; name_zh: string; name_en: string; diseases?: string[];
    rates: { [level: string]: RateInput }; deductible?: MoneyInput | null;
    per_visit_cap?: MoneyInput | null; annual_cap?: MoneyInput | null;
    max_prescription_weeks?: number | null; cite: Cite;
  }[];
  typical_mix?: {
    by_level: {
      [level: string]: {
        out_of_scope: [RateInput, RateInput, RateInput];
        preselfpay: [RateInput, RateInput, RateInput];
      };
    };
    cite: Cite;
  } | null;
  referral?: {
    primary_first?: { penalty: Penalty; cite: Cite } | null;
    upward?: { validity_days?: number | null; penalty: Penalty; cite: Cite } | null;
    out_of_area?: { scope: Scope; filing_accepted?: boolean; penalty: Penalty; cite: Cite }[];
    exemptions: {
      emergency?: boolean; age_at_least?: number | null; age_at_most?: number | null;
      pregnancy?: boolean; severe_disability?: boolean; cite: Cite;
    };
    transfer_down?: { stable_days: number; tolerance: RateInput; cite: Cite } | null;
  } | null;
  catalogue?: { diseases: Disease[]; cite: Cite } | null;
}

/** What `yibao export --policy FILE` prints: the rules and the SHA-256 of the TOML file. */
export interface ExportedPolicy { policy: PolicyFile; sha256: string }

export interface Schedule { base: TierBase; tiers: Tier[] }
export interface Tier { up_to?: MoneyInput | null; rate: RateInput }
export interface Condition {
  categories?: string[] | null; levels?: string[] | null;
  age_min?: number | null; age_max?: number | null;
}

export interface Disease {
  /** ICD-10 code or prefix. */
  code: string;
  name_zh: string;
  name_en: string;
  /** 拼音首字母 of the Chinese name. */
  pinyin: string;
  /** Levels that treat it. */
  levels: string[];
  /** 基层首诊: where it must be seen first. */
  first_level?: string | null;
  emergency?: boolean;
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
            .unwrap_or_else(|| Problem::new("internal", "", "内部错误", "internal error"));
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
    set("code", first.code.into());
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

fn problem(code: &'static str, path: &str, zh: String, en: String) -> Problems {
    Problem::new(code, path, zh, en).into()
}

// ---------------------------------------------------------------------------------------------
// JS values → core types, strictly (unknown keys are errors, as in the CLI)
// ---------------------------------------------------------------------------------------------

/// A JS value copied into Rust, so that serde sees every key of every object (serde-wasm-bindgen
/// reads only the declared fields of a struct, which would let a misspelt key pass silently).
#[derive(Clone, Debug)]
enum V {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    Seq(Vec<V>),
    Map(Vec<(String, V)>),
}

impl<'de> Deserialize<'de> for V {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<V, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = V;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a plain value, array or object")
            }
            fn visit_unit<E>(self) -> Result<V, E> {
                Ok(V::Null)
            }
            fn visit_none<E>(self) -> Result<V, E> {
                Ok(V::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V, D::Error> {
                V::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<V, E> {
                Ok(V::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<V, E> {
                Ok(V::I64(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<V, E> {
                Ok(V::U64(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<V, E> {
                Ok(V::F64(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<V, E> {
                Ok(V::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<V, E> {
                Ok(V::Str(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<V, A::Error> {
                let mut out = vec![];
                while let Some(v) = a.next_element()? {
                    out.push(v);
                }
                Ok(V::Seq(out))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<V, A::Error> {
                let mut out = vec![];
                while let Some((k, v)) = a.next_entry::<String, V>()? {
                    // `undefined` and `null` members are absent members, as JS code writes them.
                    if !matches!(v, V::Null) {
                        out.push((k, v));
                    }
                }
                Ok(V::Map(out))
            }
        }
        d.deserialize_any(Vis)
    }
}

impl V {
    /// What the value is, for "invalid type" messages (not serde's `Unexpected`, whose
    /// `Display` formats floats: kilobytes of code).
    fn kind(&self) -> &'static str {
        match self {
            V::Null => "null",
            V::Bool(_) => "a boolean",
            V::I64(_) | V::U64(_) => "an integer",
            V::F64(_) => "a fractional number",
            V::Str(_) => "a string",
            V::Seq(_) => "an array",
            V::Map(_) => "an object",
        }
    }

    /// Numbers no amount can reach, and numbers that are not numbers, anywhere in the input:
    /// rejected before the engine sees them (exact decimals overflow near 7.9e28).
    fn check_numbers(&self, path: &mut String, out: &mut Vec<Problem>) {
        let limit = rust_decimal::Decimal::from(MAX_AMOUNT);
        match self {
            V::F64(f) if !f.is_finite() => {
                let v = if f.is_nan() { "NaN" } else { "Infinity" };
                out.push(Problem::new(
                    "not_finite",
                    path.clone(),
                    format!("{v} 不是有效数字"),
                    format!("{v} is not a number; amounts are decimal strings such as \"1234.56\""),
                ))
            }
            V::F64(f) if f.abs() > MAX_AMOUNT as f64 => out.push(too_large(path, "a number")),
            V::I64(n) if n.unsigned_abs() > MAX_AMOUNT => out.push(too_large(path, &n.to_string())),
            V::U64(n) if *n > MAX_AMOUNT => out.push(too_large(path, &n.to_string())),
            V::Str(s) => {
                let t = s.trim().replace([',', '_'], "");
                if let Ok(d) = t.parse::<rust_decimal::Decimal>() {
                    if d.abs() > limit {
                        out.push(too_large(path, s));
                    }
                }
            }
            V::Seq(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    let n = path.len();
                    path.push_str(&format!("[{i}]"));
                    x.check_numbers(path, out);
                    path.truncate(n);
                }
            }
            V::Map(m) => {
                for (k, x) in m {
                    let n = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    x.check_numbers(path, out);
                    path.truncate(n);
                }
            }
            _ => {}
        }
    }
}

/// One trillion yuan: far above any bill, cap or year total, far below decimal overflow.
const MAX_AMOUNT: u64 = 1_000_000_000_000;

fn too_large(path: &str, v: &str) -> Problem {
    Problem::new(
        "amount_too_large",
        path,
        format!("数值 {v} 过大(上限 1 万亿)"),
        format!("{v} is too large (the limit is 1,000,000,000,000)"),
    )
}

/// Where a value sits in the input (`bill.items[0].amount`), rendered only for messages.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, k) => f.write_str(k),
            Path::Key(parent, k) => write!(f, "{parent}.{k}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

type R<T> = Result<T, Problems>;

/// Problems found while reading an input; reading goes on after one, to report them all.
#[derive(Default)]
struct Cx {
    problems: Vec<Problem>,
}

impl Cx {
    fn fail<T>(&mut self, p: Problems) -> Option<T> {
        self.problems.extend(p.0);
        None
    }
}

/// Reading a [`V`] into a core type. Structs are read field by field below (`reader!`): serde's
/// derived visitors for the policy model alone would be larger than the whole engine in wasm.
/// Leaves (amounts, rates, dates, enums) go through their own serde impls, so the rules are
/// the CLI's. A struct literal names every field, so a field added to a core type stops this
/// module compiling until it is read here too. `None` means a problem was recorded in `cx`.
trait Read: Sized {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self>;
}

fn invalid_type<T>(v: &V, at: &Path, expected: &str, cx: &mut Cx) -> Option<T> {
    let msg = format!("invalid type: {}, expected {expected}", v.kind());
    cx.fail(serde_problem(msg, at.to_string()))
}

/// The members of one JS object, taken by the fields that read them; what is left is unknown.
struct Obj<'a> {
    members: Vec<(String, V)>,
    at: &'a Path<'a>,
}

impl<'a> Obj<'a> {
    #[inline(never)]
    fn new(v: V, at: &'a Path<'a>, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Map(members) => Some(Obj { members, at }),
            other => invalid_type(&other, at, "an object", cx),
        }
    }
    #[inline(never)]
    fn take(&mut self, key: &str) -> Option<V> {
        let i = self.members.iter().position(|(k, _)| k == key)?;
        Some(self.members.swap_remove(i).1)
    }
    /// A required field.
    #[inline(never)]
    fn req<T: Read>(&mut self, key: &str, cx: &mut Cx) -> Option<T> {
        match self.take(key) {
            Some(v) => T::read(v, &Path::Key(self.at, key), cx),
            None => self.missing(key, cx),
        }
    }
    #[inline(never)]
    fn missing<T>(&self, key: &str, cx: &mut Cx) -> Option<T> {
        let path = Path::Key(self.at, key).to_string();
        cx.fail(serde_problem(format!("missing field `{key}`"), path))
    }
    /// A field with a default (`#[serde(default)]`, or any `Option`).
    #[inline(never)]
    fn def<T: Read + Default>(&mut self, key: &str, cx: &mut Cx) -> Option<T> {
        match self.take(key) {
            Some(v) => T::read(v, &Path::Key(self.at, key), cx),
            None => Some(T::default()),
        }
    }
    #[inline(never)]
    fn finish(self, cx: &mut Cx) {
        for (k, _) in self.members {
            let path = Path::Key(self.at, &k).to_string();
            cx.problems.push(Problem::new(
                "unknown_key",
                path.clone(),
                format!("未知的键 \"{path}\"(拼写错误或不支持的设置)"),
                format!("unknown key \"{path}\" (a typo or an unsupported setting)"),
            ));
        }
    }
}

// Every field is read (and every problem recorded) before the struct is built, in one match:
// `?` after each field would give each early return its own drop code (kilobytes per struct).
macro_rules! reader {
    ($($ty:ident { $($field:ident : $how:ident),* $(,)? })*) => {$(
        impl Read for $ty {
            #[inline(never)]
            fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
                let mut o = Obj::new(v, at, cx)?;
                $(let $field = o.$how(stringify!($field), cx);)*
                o.finish(cx);
                match ($($field,)*) {
                    ($(Some($field),)*) => Some($ty { $($field,)* }),
                    _ => None,
                }
            }
        }
    )*};
}

/// Leaves through their serde impls (exact amounts, rates in 0–100%, dates, enum names).
struct Leaf(V);

impl<'de> Deserializer<'de> for Leaf {
    type Error = de::value::Error;
    fn deserialize_any<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Self::Error> {
        match self.0 {
            V::Bool(b) => w.visit_bool(b),
            V::I64(n) => w.visit_i64(n),
            V::U64(n) => w.visit_u64(n),
            // Integral numbers arrive as I64; a float here is not exact. Refused without
            // handing it to the visitor (whose message would format the float).
            V::F64(_) => Err(de::Error::custom(
                "a fractional number is a binary float; write it as a string such as \"1234.56\"",
            )),
            V::Str(s) => w.visit_string(s),
            other => Err(de::Error::custom(format_args!(
                "invalid type: {}, expected {}",
                other.kind(),
                &w as &dyn de::Expected
            ))),
        }
    }
    fn deserialize_enum<W: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        w: W,
    ) -> Result<W::Value, Self::Error> {
        match self.0 {
            V::Str(s) => w.visit_enum(s.into_deserializer()),
            other => Err(de::Error::custom(format_args!(
                "invalid type: {}, expected {}",
                other.kind(),
                &w as &dyn de::Expected
            ))),
        }
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        struct identifier ignored_any
    }
}

macro_rules! leaf {
    ($($ty:ty),*) => {$(
        impl Read for $ty {
            #[inline(never)]
            fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
                match <$ty>::deserialize(Leaf(v)) {
                    Ok(x) => Some(x),
                    Err(e) => cx.fail(serde_problem(e.to_string(), at.to_string())),
                }
            }
        }
    )*};
}

use crate::case::{Bill, Item, Known, LayerYtd, Patient, ReferralFacts, RouteYtd, Setting};
use crate::money::{Money, Points, Rate, RoundMode, RoundUnit};
use crate::policy::{
    Adjust, BillRules, Caps, Catalogue, Category, CategoryFactor, Cite, Condition, Deductible,
    Disease, Exemptions, FixedKind, FixedRoute, FloorRatio, FullRelief, Inpatient, ItemClass,
    Layer, LayerOverride, Level, MaxShare, Meta, Mix, NthAdmission, OutOfAreaRule, OutpatientKind,
    OutpatientRoute, Overall, PaysInto, Penalty, PercentDeductible, RatioRules, ReferralRules,
    Rounding, Rule, Schedule, Scheme, Scope, Source, Status, Tier, TierBase, TransferDown,
    TypicalMix, UpwardRule,
};
use crate::referral::compare::CompareRequest;
use crate::referral::transfer::TransferRequest;
use std::collections::BTreeMap;
use std::sync::Arc;

leaf!(
    Money,
    Rate,
    Points,
    Date,
    Setting,
    ItemClass,
    Scheme,
    Status,
    Scope,
    RoundMode,
    RoundUnit,
    TierBase,
    FixedKind,
    PaysInto,
    OutpatientKind
);

impl Read for String {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Str(s) => Some(s),
            other => invalid_type(&other, at, "a string", cx),
        }
    }
}

impl Read for Arc<str> {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        String::read(v, at, cx).map(Arc::from)
    }
}

/// Counts (days, weeks, ages, ranks): whole numbers in range.
fn count(v: V, at: &Path, max: u32, cx: &mut Cx) -> Option<u32> {
    match v {
        V::I64(n) if (0..=max as i64).contains(&n) => Some(n as u32),
        V::I64(_) | V::U64(_) => {
            let msg = format!("invalid value: expected a whole number from 0 to {max}");
            cx.fail(serde_problem(msg, at.to_string()))
        }
        other => invalid_type(&other, at, "a whole number", cx),
    }
}

impl Read for u32 {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        count(v, at, u32::MAX, cx)
    }
}

impl Read for u8 {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        count(v, at, u8::MAX as u32, cx).map(|n| n as u8)
    }
}

impl Read for bool {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Bool(b) => Some(b),
            other => invalid_type(&other, at, "true or false", cx),
        }
    }
}

impl<T: Read> Read for Option<T> {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        T::read(v, at, cx).map(Some)
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Seq(xs) => {
                let mut out = Vec::with_capacity(xs.len());
                let mut ok = true;
                for (i, x) in xs.into_iter().enumerate() {
                    match T::read(x, &Path::Index(at, i), cx) {
                        Some(t) => out.push(t),
                        None => ok = false,
                    }
                }
                ok.then_some(out)
            }
            other => invalid_type(&other, at, "an array", cx),
        }
    }
}

impl<K: Read + Ord, T: Read> Read for BTreeMap<K, T> {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Map(m) => {
                let mut out = BTreeMap::new();
                let mut ok = true;
                for (k, x) in m {
                    let p = Path::Key(at, &k);
                    match (K::read(V::Str(k.clone()), &p, cx), T::read(x, &p, cx)) {
                        (Some(k), Some(x)) => {
                            out.insert(k, x);
                        }
                        _ => ok = false,
                    }
                }
                ok.then_some(out)
            }
            other => invalid_type(&other, at, "an object", cx),
        }
    }
}

impl Read for [Rate; 3] {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        let xs: Vec<Rate> = Vec::read(v, at, cx)?;
        match <[Rate; 3]>::try_from(xs) {
            Ok(a) => Some(a),
            Err(xs) => {
                let msg = format!("invalid length {}, expected [low, typical, high]", xs.len());
                cx.fail(serde_problem(msg, at.to_string()))
            }
        }
    }
}

impl Read for Patient {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        let mut o = Obj::new(v, at, cx)?;
        let category = o.def::<Option<String>>("category", cx);
        let age = o.def("age", cx);
        let pregnant = o.def("pregnant", cx);
        let severe_disability = o.def("severe_disability", cx);
        o.finish(cx);
        Some(Patient {
            category: category?.unwrap_or_else(|| "general".into()),
            age: age?,
            pregnant: pregnant?,
            severe_disability: severe_disability?,
        })
    }
}

reader! {
    Case {
        date: def, setting: def, level: req, patient: def, disease: def, route: def, units: def,
        accident: def, emergency: def, referral: def, bill: req, ytd: def, known: def,
        prescription_weeks: def,
    }
    ReferralFacts { from_level: def, slip: def, slip_date: def, filing: def }
    Bill { total: def, in_scope: def, items: def }
    Item { name: req, class: req, amount: req, limit: def }
    Ytd { admissions: def, hifp_pay: def, accident_fund: def, layers: def, outpatient: def }
    LayerYtd { base: def, paid: def }
    RouteYtd { paid: def, deductible_used: def }
    Known { hifp_pay: def }
    CompareRequest {
        patient: def, disease: def, expected_cost: req, date: def, emergency: def, ytd: def,
    }
    TransferRequest {
        level: req, patient: def, disease: def, date: def, daily_costs: req, remaining_days: def,
        lower_daily_cost: def,
    }

    PolicyDoc { policy: req, sha256: req }
    Policy {
        meta: req, sources: req, rounding: req, levels: req, categories: req, bill: def,
        inpatient: req, fixed: def, layers: def, overall: def, outpatient: def, typical_mix: def,
        referral: def, catalogue: def,
    }
    Cite { source: req, clause: req }
    Meta {
        id: req, name_zh: req, name_en: req, region_zh: req, region_en: req, region_code: def,
        scheme: req, effective_from: req, effective_to: req, status: req, note: def,
    }
    Source { id: req, doc_no: def, title: req, publisher: def, url: def, published: def }
    Rounding { mode: req, unit: req, cite: req }
    Level { id: req, name_zh: req, name_en: req, rank: req, scope: req }
    Category { id: req, name_zh: req, name_en: req }
    BillRules { preselfpay: req, cite: req }
    Inpatient { deductible: req, ratio: req, caps: req }
    Deductible {
        by_level: req, percent_of_bill: def, nth_admission: def, by_category: def,
        upward_difference_only: def, waived_after_downward: def, transfer_cite: def, cite: req,
    }
    PercentDeductible { rate: req, floor: req, ceiling: req, cite: req }
    NthAdmission { from: req, factor: req, cite: req }
    CategoryFactor { categories: req, factor: req, cite: req }
    Tier { up_to: def, rate: req }
    Schedule { base: req, tiers: req }
    RatioRules { rates: def, tiered: def, adjust: def, floor: def, floor_cite: def, cite: req }
    Adjust { name_zh: req, name_en: req, when: req, points: req, cite: req }
    Condition { categories: def, levels: def, age_min: def, age_max: def }
    Caps { annual_fund: def, per_admission: def, accident_annual: def, cite: req }
    FixedRoute {
        id: req, kind: req, name_zh: req, name_en: req, diseases: def, automatic: def, quota: def,
        fund_rate: def, fund_amount: def, hospital_bears_excess: def, cite: req,
    }
    Layer {
        id: req, name_zh: req, name_en: req, pays_into: req, categories: def, min_bill: def,
        outpatient: def, threshold: req, base: req, tiers: req, annual_cap: def, overrides: def,
        cite: req,
    }
    LayerOverride {
        categories: req, threshold: def, tiers: def, rate_points: def, annual_cap: def, no_cap: def,
        cite: req,
    }
    Overall { max_share: def, full_relief: def, floor: def }
    MaxShare { rate: req, cite: req }
    FullRelief { categories: req, pays_into: req, cite: req }
    FloorRatio { categories: req, min_ratio: req, pays_into: req, cite: req }
    OutpatientRoute {
        id: req, kind: req, name_zh: req, name_en: req, diseases: def, rates: req, deductible: def,
        per_visit_cap: def, annual_cap: def, max_prescription_weeks: def, cite: req,
    }
    TypicalMix { by_level: req, cite: req }
    Mix { out_of_scope: req, preselfpay: req }
    Penalty { ratio_points: def, ratio: def, deductible: def, preselfpay: def, not_reimbursed: def }
    ReferralRules {
        primary_first: def, upward: def, out_of_area: def, exemptions: req, transfer_down: def,
    }
    Rule { penalty: req, cite: req }
    UpwardRule { validity_days: def, penalty: req, cite: req }
    OutOfAreaRule { scope: req, filing_accepted: def, penalty: req, cite: req }
    Exemptions {
        emergency: def, age_at_least: def, age_at_most: def, pregnancy: def, severe_disability: def,
        cite: req,
    }
    TransferDown { stable_days: req, tolerance: req, cite: req }
    Catalogue { diseases: req, cite: req }
    Disease {
        code: req, name_zh: req, name_en: req, pinyin: req, levels: req, first_level: def,
        emergency: def,
    }
    Shipped { path: req, doc: req }
}

/// Copy a JS value into [`V`], rejecting what JSON cannot say (functions, symbols, NaN …).
fn read_js(value: JsValue) -> Result<V, Problems> {
    let v: V = serde_wasm_bindgen::from_value(value).map_err(|e| {
        problem(
            "invalid_type",
            "",
            format!("无法读取的输入:{e}"),
            format!("unreadable input: {e}"),
        )
    })?;
    let mut out = vec![];
    v.check_numbers(&mut String::new(), &mut out);
    if out.is_empty() {
        Ok(v)
    } else {
        Err(Problems(out))
    }
}

/// Read `T` from a copied JS value: every problem (unknown keys, wrong values) with its path.
fn from_v<T: Read>(v: V) -> R<T> {
    let mut cx = Cx::default();
    match T::read(v, &Path::Root, &mut cx) {
        Some(t) if cx.problems.is_empty() => Ok(t),
        _ => Err(Problems(cx.problems)),
    }
}

fn join(head: &str, key: &str) -> String {
    match (head.is_empty(), key.is_empty()) {
        (true, _) => key.to_string(),
        (_, true) => head.to_string(),
        _ => format!("{head}.{key}"),
    }
}

/// A serde-style message as a problem, with the Chinese wording the CLI uses.
fn serde_problem(msg: String, path: String) -> Problems {
    let (code, zh) = if let Some(field) = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        ("missing_field", format!("缺少必填项 {field}"))
    } else if msg.starts_with("unknown variant") {
        (
            "invalid_value",
            format!(
                "取值不在允许范围内:{}",
                msg.trim_start_matches("unknown variant").trim()
            ),
        )
    } else if msg.contains("negative") {
        ("negative_amount", format!("金额不能为负数:{msg}"))
    } else if msg.contains("binary float") {
        (
            "not_exact",
            format!("小数金额请写成字符串,如 \"1234.56\":{msg}"),
        )
    } else if msg.contains("not a decimal") {
        ("invalid_number", format!("不是有效的数字:{msg}"))
    } else if msg.contains("outside 0–100%") {
        ("invalid_rate", format!("比例必须在 0–100% 之间:{msg}"))
    } else if msg.contains("invalid type") {
        ("invalid_type", format!("类型错误:{msg}"))
    } else if msg.contains("date") {
        (
            "invalid_date",
            format!("日期格式错误(应为 YYYY-MM-DD):{msg}"),
        )
    } else {
        ("invalid_value", format!("取值错误:{msg}"))
    };
    Problem::new(code, path, zh, msg).into()
}

fn from_js<T: Read>(value: JsValue, what_zh: &str, what_en: &str) -> Result<T, Problems> {
    if value.is_undefined() || value.is_null() {
        return Err(problem(
            "missing_argument",
            "",
            format!("缺少{what_zh}"),
            format!("the {what_en} is missing"),
        ));
    }
    from_v(read_js(value)?)
}

// ---------------------------------------------------------------------------------------------
// core types → JS values
// ---------------------------------------------------------------------------------------------

/// Results cross as one JSON string that JS parses: far fewer calls across the boundary than
/// building the object member by member (an estimate with its trace has ~300 members).
fn to_js<T: Serialize + ?Sized>(v: &T) -> Result<JsValue, Problems> {
    let text = serde_json::to_string(v).map_err(|e| {
        problem(
            "internal",
            "",
            format!("内部错误:{e}"),
            format!("internal error: {e}"),
        )
    })?;
    JSON::parse(&text).map_err(|_| {
        problem(
            "internal",
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
    /// Keys of the shipped policies, demo first, once they are loaded.
    static BUNDLED: RefCell<Option<Vec<usize>>> = const { RefCell::new(None) };
}

/// The shipped policies as JSON of their validated `PolicyDoc`s (with the SHA-256 of the TOML
/// text each came from), written by `cargo xtask pkg` from `policies/`: the browser has no TOML
/// parser. `core/tests/wasm_bundled.rs` keeps it in step with the TOML files.
const BUNDLED_JSON: &str = include_str!("../../pkg/bundled-policies.json");

/// One entry of [`BUNDLED_JSON`].
struct Shipped {
    path: String,
    doc: PolicyDoc,
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

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

fn checked(policy: Policy, sha256: String) -> Result<PolicyDoc, Problems> {
    let problems = validate(&policy);
    if problems.is_empty() {
        Ok(PolicyDoc { policy, sha256 })
    } else {
        Err(Problems(problems))
    }
}

/// Keys of every shipped policy, loading (and validating) them all on first use.
fn bundled_keys() -> Result<Vec<usize>, Problems> {
    if let Some(keys) = BUNDLED.with(|b| b.borrow().clone()) {
        return Ok(keys);
    }
    let value = JSON::parse(BUNDLED_JSON).map_err(|_| {
        problem(
            "internal",
            "",
            "内置政策数据损坏".into(),
            "the shipped policy data is corrupt".into(),
        )
    })?;
    let shipped: Vec<Shipped> = from_v(read_js(value)?)?;
    let mut keys = vec![];
    for s in shipped {
        let doc = checked(s.doc.policy, s.doc.sha256).map_err(|ps| prefix(ps, &s.path))?;
        keys.push(register(doc, Some(s.path)));
    }
    BUNDLED.with(|b| *b.borrow_mut() = Some(keys.clone()));
    Ok(keys)
}

/// A shipped policy by its id or its path under `policies/` (with or without `.toml`).
fn load_bundled(spec: &str) -> Result<Option<usize>, Problems> {
    let want = spec.trim().trim_start_matches("policies/");
    let want = want.strip_suffix(".toml").unwrap_or(want);
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
    if !text.contains(['\n', '{', '=']) {
        if let Some(key) = load_bundled(text)? {
            return Ok(key);
        }
        return Err(unknown_policy(text));
    }
    let sha = sha256_hex(text.as_bytes());
    if let Some(k) = known_by_sha(&sha) {
        return Ok(k);
    }
    if !text.trim_start().starts_with('{') {
        return Err(problem(
            "toml_not_supported",
            "",
            "浏览器版不解析 TOML:请传入政策的 JSON 文本或对象,或内置政策的编号".into(),
            "the browser package does not parse TOML: pass the policy as JSON text or an object, or a shipped policy id".into(),
        ));
    }
    let value = JSON::parse(text).map_err(|e| {
        let msg: String = js_sys::Error::from(e).message().into();
        problem(
            "invalid_json",
            "",
            format!("政策 JSON 格式错误:{msg}"),
            format!("the policy is not valid JSON: {msg}"),
        )
    })?;
    read_policy(read_js(value)?, sha)
}

/// A policy object: the rules (`PolicyFile`), or what `yibao export` prints (`{ policy, sha256 }`,
/// which keeps the fingerprint of the TOML file it came from).
fn read_policy(v: V, sha: String) -> Result<usize, Problems> {
    let exported = matches!(&v, V::Map(m) if m.iter().any(|(k, _)| k == "policy"));
    let doc = if exported {
        let d: PolicyDoc = from_v(v)?;
        checked(d.policy, d.sha256)?
    } else {
        checked(from_v(v)?, sha)?
    };
    Ok(register(doc, None))
}

fn unknown_policy(id: &str) -> Problems {
    let known: Vec<String> = bundled_keys()
        .unwrap_or_default()
        .into_iter()
        .filter_map(get)
        .map(|d| d.policy.meta.id.clone())
        .collect();
    problem(
        "unknown_policy",
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
    panic_hook();
    if let Some(text) = source.as_string() {
        return load_text(&text);
    }
    if !source.is_object() || js_sys::Array::is_array(&source) {
        return Err(problem(
            "invalid_type",
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
                "invalid_type",
                "",
                "政策对象无法转换为 JSON(含循环引用或 BigInt?)".into(),
                "the policy object cannot be written as JSON (a cycle or a BigInt?)".into(),
            )
        })?;
    let sha = sha256_hex(text.as_bytes());
    if let Some(k) = known_by_sha(&sha) {
        return Ok(k);
    }
    read_policy(read_js(source)?, sha)
}

/// The object JS holds for a loaded policy.
#[derive(Serialize)]
struct Handle<'a> {
    key: usize,
    id: &'a str,
    sha256: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    region_zh: &'a str,
    region_en: &'a str,
    scheme: crate::policy::Scheme,
    status: crate::policy::Status,
    effective_from: Date,
    effective_to: Date,
    #[serde(skip_serializing_if = "Option::is_none")]
    bundled: Option<&'a str>,
    /// For a host's pickers.
    levels: &'a [crate::policy::Level],
    categories: &'a [crate::policy::Category],
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
    panic_hook();
    if let Some(id) = r.as_string() {
        return match load_bundled(&id)? {
            Some(key) => Ok(get(key).expect("registered")),
            None => Err(unknown_policy(&id)),
        };
    }
    let key = if r.is_object() {
        Reflect::get(r, &JsValue::from_str("key"))
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
            "not_a_policy",
            "policy",
            "第一个参数应为 loadPolicy 返回的政策句柄,或内置政策编号".into(),
            "the first argument must be a policy handle from loadPolicy or a shipped policy id"
                .into(),
        )),
    }
}

/// Today in the host's time zone, for cases without a date.
fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date {
        year: d.get_full_year() as u16,
        month: d.get_month() as u8 + 1,
        day: d.get_date() as u8,
    }
}

fn case_of(value: JsValue) -> Result<Case, Problems> {
    from_js(value, "就诊信息", "case")
}

fn ytd_into(case: &mut Case, ytd: Option<YtdArg>) -> Result<(), Problems> {
    if let Some(y) = ytd
        .map(JsValue::from)
        .filter(|y| !y.is_undefined() && !y.is_null())
    {
        case.ytd = from_v::<Ytd>(read_js(y)?).map_err(|ps| prefix(ps, "ytd"))?;
    }
    Ok(())
}

fn prefix(mut ps: Problems, head: &str) -> Problems {
    for p in &mut ps.0 {
        p.path = join(head, &p.path);
    }
    ps
}

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

/// A panic is a bug (every input error is a YibaoError): say what it was on the console, since
/// JS only sees "unreachable". Installed on the first call into the engine.
fn panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!("yibao: internal error: {info}"))
        }))
    });
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(s: &str);

    /// Year-to-date totals from JS (typed for the `.d.ts`).
    #[wasm_bindgen(typescript_type = "YtdInput")]
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
    #[wasm_bindgen(unchecked_param_type = "string | PolicyFile | ExportedPolicy")] source: JsValue,
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
    respond((|| {
        let doc = policy_of(&policy)?;
        let mut c = case_of(input)?;
        ytd_into(&mut c, ytd)?;
        estimate::estimate(&doc, &c, today())
    })())
}

/// Low / typical / high estimates when only a total is known (the policy's typical cost mix).
#[wasm_bindgen(js_name = estimateRange, unchecked_return_type = "RangeEstimate")]
pub fn estimate_range_js(
    #[wasm_bindgen(unchecked_param_type = "PolicyRef")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Case")] input: JsValue,
    ytd: Option<YtdArg>,
) -> JsResult {
    respond((|| {
        let doc = policy_of(&policy)?;
        let mut c = case_of(input)?;
        ytd_into(&mut c, ytd)?;
        estimate::estimate_range(&doc, &c, today())
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
        if input.is_undefined() || input.is_null() {
            return Err(problem(
                "missing_argument",
                "",
                "缺少就诊信息".into(),
                "the case is missing".into(),
            ));
        }
        let mut v = read_js(input)?;
        if let V::Map(m) = &mut v {
            if !m.iter().any(|(k, _)| k == "bill") {
                m.push(("bill".into(), V::Map(vec![])));
            }
        }
        let c: Case = from_v(v)?;
        let p = &doc.policy;
        let date = c.date.unwrap_or_else(today);
        let mut ps = vec![];
        for (path, id) in [
            ("level", Some(&c.level)),
            ("referral.from_level", c.referral.from_level.as_ref()),
        ] {
            if let Some(id) = id {
                if p.level(id).is_none() {
                    let known: Vec<_> = p.levels.iter().map(|l| l.id.as_str()).collect();
                    ps.push(Problem::new(
                        "unknown_level",
                        path,
                        format!(
                            "未知的医疗机构级别 \"{id}\";本政策的级别有:{}",
                            known.join("、")
                        ),
                        format!(
                            "unknown facility level \"{id}\"; this policy has: {}",
                            known.join(", ")
                        ),
                    ));
                }
            }
        }
        if let Some(code) = &c.disease {
            if !estimate::looks_like_icd10(code) {
                ps.push(Problem::new(
                    "bad_icd10",
                    "disease",
                    format!("\"{code}\" 不是有效的 ICD-10 编码(例如 J18.9)"),
                    format!("\"{code}\" is not an ICD-10 code (e.g. J18.9)"),
                ));
            }
        }
        if !ps.is_empty() {
            return Err(Problems(ps));
        }
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
        referral::compare::compare(&doc, &req, today())
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
        referral::transfer::suggest(&doc, &req, today())
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
        crate::catalogue::search(&doc.policy, query, limit.unwrap_or(10).min(1000) as usize)
    }))
}
