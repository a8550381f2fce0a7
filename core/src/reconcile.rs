//! The clerk's "why does the slip say this": an estimate set beside the national platform's
//! settlement slip (its `setlinfo` block), figure by figure. Each settlement field is matched
//! (equal to the fen; the ratio `pool_prop_selfpay` to four decimals), different (with both
//! values and the difference), or missing on one side, and comes with the steps of the estimate
//! that made it — their sentences and clauses — in Chinese and English. Keys of the slip that are
//! not settlement fields are listed, never dropped. Pure: the slip arrives as JSON text.

use crate::error::{Code, Problem, Problems};
use crate::estimate::{Estimate, Field, Figure, FIELDS};
use crate::policy::Policy;
use crate::trace::Step;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use serde_json::Value;

/// How one figure compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Equal to the fen (the ratio to four decimals).
    Matched,
    /// Both sides have it, and they differ.
    Different,
    /// The estimate has it; the slip does not (or gives `null` or `""`).
    MissingOnSlip,
    /// The slip has it; the estimate does not (`balc` when the case states no balance).
    MissingInEstimate,
    /// Neither has it (`balc` when the case states no balance and the slip gives none).
    MissingOnBoth,
}

impl Status {
    /// What the status is called in a table (the CLI's, the desk's), in Chinese and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Status::Matched => ("一致", "matched"),
            Status::Different => ("不一致", "different"),
            Status::MissingOnSlip => ("结算单无此项", "not on the slip"),
            Status::MissingInEstimate => ("估算无此项", "not in the estimate"),
            Status::MissingOnBoth => ("双方均无", "on neither"),
        }
    }
}

/// One settlement field, both sides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub key: &'static str,
    /// The field's meaning, as the interface words it.
    pub zh: &'static str,
    pub en: &'static str,
    pub status: Status,
    /// The slip's value, as a slip writes it ("34790.00", "0.7000").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<String>,
    /// Slip − estimate, signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<String>,
    /// The steps of the estimate that made this figure (with their clauses).
    pub steps: Vec<Step>,
    /// What the line says: the comparison, then how the estimate came to its figure.
    pub explanation_zh: String,
    pub explanation_en: String,
}

/// A key of the slip that is not a settlement field (`setl_id`, `psn_name` …), with its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unknown {
    pub key: String,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// Every national settlement field, in slip order; the project's own (`yb_`) only when the
    /// slip has them (a slip the engine wrote).
    pub lines: Vec<Line>,
    pub unknown: Vec<Unknown>,
    /// How many figures differ (missing ones are not counted: they are listed as missing).
    pub different: usize,
}

impl Reconciliation {
    /// No figure differs.
    pub fn all_match(&self) -> bool {
        self.different == 0
    }
}

/// A slip's settlement figures, read from JSON text: the `setlinfo` object itself, or wrapped as
/// the interface returns it (`{"output":{"setlinfo":{…}}}`), or `{"setlinfo":{…}}`, or an
/// estimate as `yibao estimate --json` writes it (`{"settlement":{…}}`).
pub struct Slip {
    /// The path of the block in the file (`output.setlinfo.`, or empty), for problems.
    prefix: String,
    /// Each settlement field the slip gives a value for.
    figures: Vec<(&'static Field, Decimal)>,
    unknown: Vec<Unknown>,
}

impl Slip {
    pub fn from_json(text: &str) -> Result<Slip, Problems> {
        let top: Value = serde_json::from_str(text).map_err(|e| crate::input::json_problem(&e))?;
        let (prefix, block) = unwrap_block(&top);
        let Value::Object(map) = block else {
            return Err(Problem::new(
                Code::InvalidType,
                prefix.trim_end_matches('.'),
                "结算单应为 JSON 对象(setlinfo 的各项)",
                "the slip must be a JSON object (the setlinfo block)",
            )
            .into());
        };
        let mut figures = vec![];
        let mut unknown = vec![];
        let mut probs = vec![];
        for (key, v) in map {
            let Some(field) = Field::of(key) else {
                let value = match v {
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                };
                unknown.push(Unknown {
                    key: key.clone(),
                    value,
                });
                continue;
            };
            match number(v) {
                Ok(Some(d)) => figures.push((field, d)),
                Ok(None) => {}
                Err((code, zh, en)) => {
                    probs.push(Problem::new(code, format!("{prefix}{key}"), zh, en));
                }
            }
        }
        if probs.is_empty() {
            Ok(Slip {
                prefix,
                figures,
                unknown,
            })
        } else {
            Err(Problems(probs))
        }
    }

    fn get(&self, key: &str) -> Option<Decimal> {
        self.figures
            .iter()
            .find(|(f, _)| f.key == key)
            .map(|(_, d)| *d)
    }

    /// Where the settlement block was found in the file (`output.setlinfo`, `setlinfo`, or
    /// empty: the top level).
    pub fn block_path(&self) -> &str {
        self.prefix.trim_end_matches('.')
    }
}

/// The settlement block inside the wrappers a slip comes in, and its path.
fn unwrap_block(top: &Value) -> (String, &Value) {
    if let Some(b) = top.get("output").and_then(|o| o.get("setlinfo")) {
        return ("output.setlinfo.".into(), b);
    }
    for key in ["setlinfo", "settlement"] {
        if let Some(b) = top.get(key) {
            return (format!("{key}."), b);
        }
    }
    (String::new(), top)
}

/// Significant digits a JSON number may have and still be the decimal that was written: a
/// double holds every decimal of up to 15 significant digits exactly enough to give it back.
const EXACT_DIGITS: usize = 15;

type Refusal = (Code, String, String);

/// A slip value: a JSON number or a string holding one; `None` for `null` or an empty string.
fn number(v: &Value) -> Result<Option<Decimal>, Refusal> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Decimal::from_str_exact(s.trim()).map(Some).map_err(|_| {
            (
                Code::InvalidNumber,
                format!("不是有效的数字:{}", crate::error::quoted(s)),
                format!("not a decimal number: {}", crate::error::quoted(s)),
            )
        }),
        Value::Number(n) => {
            let text = n.to_string();
            let digits = text
                .trim_start_matches('-')
                .split(['e', 'E'])
                .next()
                .unwrap_or("")
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>();
            let significant = digits.trim_start_matches('0').len();
            match Decimal::from_str_exact(&text) {
                Ok(d) if significant <= EXACT_DIGITS || n.is_i64() || n.is_u64() => Ok(Some(d)),
                _ => Err((
                    Code::NotExact,
                    format!("数字 {text} 超出精确范围,请写成字符串(如 \"1234.56\")"),
                    format!("the number {text} cannot be read exactly; write it as a string such as \"1234.56\""),
                )),
            }
        }
        other => Err((
            Code::InvalidType,
            format!("应为数字或数字字符串,实际是 {other}"),
            format!("expected a number or a string holding one, found {other}"),
        )),
    }
}

/// Round to a slip's decimals (四舍五入).
fn to_places(d: Decimal, places: u32) -> Decimal {
    let mut r = d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(places);
    r
}

/// Set an estimate beside a slip (JSON text, see [`Slip::from_json`]). `policy` is the one the
/// estimate was made under: it says which field each layer pays into.
pub fn reconcile(policy: &Policy, e: &Estimate, slip: &str) -> Result<Reconciliation, Problems> {
    let slip = Slip::from_json(slip)?;
    Ok(compare(policy, e, &slip))
}

/// [`reconcile`] on a slip already read.
pub fn compare(policy: &Policy, e: &Estimate, slip: &Slip) -> Reconciliation {
    let mut lines = vec![];
    for f in FIELDS {
        let ours = e.settlement.get(f.key);
        let theirs = slip.get(f.key);
        if !f.national() && theirs.is_none() {
            continue;
        }
        let places = f.places;
        let show = |d: Decimal| to_places(d, places).to_string();
        let (status, difference) = match (theirs, ours) {
            (Some(t), Some(o)) => {
                let diff = to_places(t, places) - to_places(o.value(), places);
                if diff.is_zero() {
                    (Status::Matched, None)
                } else {
                    (Status::Different, Some(show(diff)))
                }
            }
            (None, Some(_)) => (Status::MissingOnSlip, None),
            (Some(_), None) => (Status::MissingInEstimate, None),
            (None, None) => (Status::MissingOnBoth, None),
        };
        let steps = made_by(policy, e, f.key);
        let slip_text = theirs.map(show);
        let est_text = ours.map(Figure::slip);
        let (zh, en) = explain(
            f,
            status,
            slip_text.as_deref(),
            est_text.as_deref(),
            difference.as_deref(),
            &steps,
        );
        lines.push(Line {
            key: f.key,
            zh: f.zh,
            en: f.en,
            status,
            slip: slip_text,
            estimate: est_text,
            difference,
            steps,
            explanation_zh: zh,
            explanation_en: en,
        });
    }
    let different = lines
        .iter()
        .filter(|l| l.status == Status::Different)
        .count();
    Reconciliation {
        lines,
        unknown: slip.unknown.clone(),
        different,
    }
}

/// The steps of the estimate that made a field: those whose key is the field, a layer's that
/// pays into it, and the steps its figure is the direct result of (the bill's split for its
/// parts, the ratio for the basic fund, the account for the cash and the balance).
fn made_by(policy: &Policy, e: &Estimate, key: &str) -> Vec<Step> {
    let related: &[&str] = match key {
        "medfee_sumamt" | "fulamt_ownpay_amt" | "overlmt_selfpay" | "inscp_scp_amt" => &["split"],
        "preselfpay_amt" => &["split"],
        "hifp_pay" | "pool_prop_selfpay" => &["ratio", "hifp_pay"],
        "psn_cash_pay" => &["acct_pay", "acct_mulaid_pay"],
        "balc" => &["acct_pay"],
        _ => &[],
    };
    e.steps
        .iter()
        .filter(|s| {
            s.key == key
                || related.contains(&s.key.as_str())
                || s.key.strip_prefix("layer:").is_some_and(|id| {
                    policy
                        .layers
                        .iter()
                        .any(|l| l.id == id && l.pays_into.field() == key)
                })
        })
        .cloned()
        .collect()
}

/// How a figure follows from others, for the figures no step makes by itself.
fn formula(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "fund_pay_sumamt" => (
            "基金支付总额 = 基本医疗保险统筹基金支出 + 公务员医疗补助、企业补充、大病保险、职工大额、伤残人员、医疗救助和其他支出",
            "funds' total = the basic fund + civil servants' subsidy, enterprise supplement, critical illness, large-expense subsidy, disabled persons' fund, medical assistance and other payments",
        ),
        "psn_part_amt" => (
            "个人负担总金额 = 医疗费总额 − 基金支付总额 − 医院负担金额",
            "patient's share = total bill − funds' total − borne by the hospital",
        ),
        "psn_cash_pay" => (
            "个人现金支出 = 个人负担总金额 − 个人账户支出 − 个人账户共济支付金额",
            "paid in cash = patient's share − personal account − family member's account",
        ),
        "pool_prop_selfpay" => (
            "基本医疗保险统筹基金支付比例 = 统筹基金支出 ÷ (符合政策范围金额 − 实际支付起付线 − 医院负担金额),四舍五入到四位小数",
            "basic fund's ratio = basic fund ÷ (in scope − deductible − borne by the hospital), to four decimals",
        ),
        "yb_pool_selfpay_amt" => (
            "统筹内个人自付 = 符合政策范围金额 − 实际支付起付线 − 统筹基金支出 − 医院负担金额",
            "patient's share within the pooled part = in scope − deductible − basic fund − borne by the hospital",
        ),
        "balc" => (
            "本次结算后账户余额 = 填写的个人账户余额 − 个人账户支出",
            "balance after = the stated account balance − personal account payment",
        ),
        _ => return None,
    })
}

fn explain(
    f: &Field,
    status: Status,
    slip: Option<&str>,
    est: Option<&str>,
    diff: Option<&str>,
    steps: &[Step],
) -> (String, String) {
    let (s, e, d) = (slip.unwrap_or(""), est.unwrap_or(""), diff.unwrap_or(""));
    let (mut zh, mut en) = match status {
        Status::Matched => (format!("一致:{s}。"), format!("Matches: {s}.")),
        Status::Different => (
            format!("不一致:结算单 {s},估算 {e},相差 {d}(结算单 − 估算)。"),
            format!("Differs: slip {s}, estimate {e}, difference {d} (slip − estimate)."),
        ),
        Status::MissingOnSlip => (
            format!("结算单没有此项;估算为 {e}。"),
            format!("Not on the slip; the estimate has {e}."),
        ),
        Status::MissingInEstimate => (
            format!("估算没有此项(例如未填写个人账户余额);结算单为 {s}。"),
            format!("Not in the estimate (e.g. no account balance was given); the slip has {s}."),
        ),
        Status::MissingOnBoth => (
            "结算单和估算都没有此项。".to_string(),
            "Neither the slip nor the estimate has it.".to_string(),
        ),
    };
    if !steps.is_empty() {
        zh.push_str("估算中此数来自:");
        en.push_str(" In the estimate it comes from: ");
        let mut first = true;
        for st in steps {
            if !first {
                zh.push(';');
                en.push_str("; ");
            }
            first = false;
            let cite = st.cite.short();
            zh.push_str(&format!("{}(依据 {cite})", st.zh()));
            en.push_str(&format!("{} (source: {cite})", st.en()));
        }
        zh.push('。');
        en.push('.');
    } else if let Some((fz, fe)) = formula(f.key) {
        zh.push_str(&format!("估算中:{fz}。"));
        en.push_str(&format!(" In the estimate: {fe}."));
    } else if status != Status::MissingInEstimate && status != Status::MissingOnBoth {
        zh.push_str("估算中没有得出此项的步骤(本政策没有计算此项的规则)。");
        en.push_str(" No step of the estimate makes this figure (the policy has no rule for it).");
    }
    (zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(text: &str) -> Vec<(&'static str, String)> {
        let s = Slip::from_json(text).unwrap_or_else(|e| panic!("{e}"));
        s.figures
            .iter()
            .map(|(f, d)| (f.key, d.to_string()))
            .collect()
    }

    #[test]
    fn a_slip_is_read_bare_or_in_the_interface_s_wrappers() {
        let block = r#"{"hifp_pay": 34790.5, "maf_pay": "10647.00", "balc": null, "oth_pay": ""}"#;
        let want = vec![
            ("hifp_pay", "34790.5".to_string()),
            ("maf_pay", "10647.00".to_string()),
        ];
        for (text, path) in [
            (block.to_string(), ""),
            (format!(r#"{{"setlinfo": {block}}}"#), "setlinfo"),
            (
                format!(r#"{{"infcode": 0, "output": {{"setlinfo": {block}}}}}"#),
                "output.setlinfo",
            ),
        ] {
            let mut got = figures(&text);
            got.sort();
            assert_eq!(got, want, "{text}");
            assert_eq!(Slip::from_json(&text).unwrap().block_path(), path);
        }
    }

    #[test]
    fn keys_that_are_not_settlement_fields_are_listed() {
        let s = Slip::from_json(
            r#"{"setlinfo":{"setl_id":"S001","psn_name":"张三","hifp_pay":"1","clr_type":11}}"#,
        )
        .unwrap();
        let unknown: Vec<(&str, &str)> = s
            .unknown
            .iter()
            .map(|u| (u.key.as_str(), u.value.as_str()))
            .collect();
        assert_eq!(
            unknown,
            vec![
                ("clr_type", "11"),
                ("psn_name", "张三"),
                ("setl_id", "S001")
            ]
        );
    }

    #[test]
    fn a_value_that_is_not_a_number_is_a_coded_problem_at_its_key() {
        let e = Slip::from_json(
            r#"{"output":{"setlinfo":{"hifp_pay":"三万","maf_pay":true,"oth_pay":"0"}}}"#,
        )
        .err()
        .expect("refused");
        let got: Vec<(&str, &str)> =
            e.0.iter()
                .map(|p| (p.code.as_str(), p.path.as_str()))
                .collect();
        assert_eq!(
            got,
            vec![
                ("invalid_number", "output.setlinfo.hifp_pay"),
                ("invalid_type", "output.setlinfo.maf_pay"),
            ]
        );
        assert!(e
            .0
            .iter()
            .all(|p| !p.message_zh.is_empty() && !p.message_en.is_empty()));
        let bad = Slip::from_json("{\"hifp_pay\": ").err().expect("refused");
        assert_eq!(bad.0[0].code, Code::InvalidJson);
        let list = Slip::from_json("[1, 2]").err().expect("refused");
        assert_eq!(list.0[0].code, Code::InvalidType);
        let wrapped = Slip::from_json(r#"{"setlinfo": "none"}"#)
            .err()
            .expect("refused");
        assert_eq!(
            (wrapped.0[0].code, wrapped.0[0].path.as_str()),
            (Code::InvalidType, "setlinfo")
        );
        // More digits than a JSON number carries exactly: written as a string instead.
        let long = Slip::from_json(r#"{"hifp_pay": 1234567890123456.78}"#)
            .err()
            .expect("refused");
        assert_eq!(long.0[0].code, Code::NotExact);
    }
}
