//! The estimate: a pure function of (policy, case, year-to-date) → settlement with its trace.
//!
//! Order follows the published worked examples (domain brief): split the bill → fixed-amount
//! route or 起付线 + 统筹 ratio + caps → layers after the basic fund → overall ceilings and
//! floors → rounding of the reported amounts only.

mod account;
pub mod assume;
mod fixed;
pub(crate) mod general;
pub(crate) mod layers;
pub(crate) mod outpatient;
pub mod schedule;
mod settlement;
mod split;

use crate::case::{Case, RouteYtd, Setting, Ytd};
use crate::date::Date;
use crate::error::{Code, Problem, Problems};
use crate::message::Msg;
use crate::money::{round, Money, Rate};
/// Defined with the policy's disease lists (its validator checks them too); named here as well,
/// where the front ends look for it.
pub use crate::policy::looks_like_icd10;
use crate::policy::{PaysInto, PolicyDoc};
use crate::referral::{self, Eligibility, Verdict};
use crate::trace::{Receipt, Step, Trace, ENGINE_VERSION};
use rust_decimal::Decimal;
use serde::Serialize;
pub use settlement::{
    ByKey, Field, Figure, Key, Settlement, COUNT, FIELDS, OWN_PREFIX, SUMMED_COUNT,
};
pub use split::MixPoint;

/// The full answer for one case (an output: serialized, never read back).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Estimate {
    pub settlement: Settlement,
    /// fund_pay_sumamt / medfee_sumamt (实际报销比例), to a hundredth of a percent.
    pub actual_ratio: Rate,
    /// `general`, a fixed route id, or an outpatient route id.
    pub route: String,
    pub referral: Verdict,
    pub steps: Vec<Step>,
    /// What this estimate leaves out: shown beside the figure in every front end.
    pub caveats: crate::caveats::Caveats,
    /// The blank questions the estimate answered for the patient (the most favourable value the
    /// policy allows) and what the other answers would pay: shown beside the figure like the
    /// caveats (`assume`).
    pub assumptions: Vec<assume::Assumption>,
    /// Why the funds pay nothing although the stay or visit is reimbursable ([`nothing_paid`]):
    /// `null` when they pay something, or when the referral verdict already says it is not
    /// reimbursed. A front end shows it in place of "reimbursed normally".
    pub why_nothing_paid: Option<Reason>,
    pub ytd_after: Ytd,
    pub receipt: Receipt,
}

/// A reason, in Chinese and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Reason {
    pub zh: String,
    pub en: String,
}

impl Estimate {
    /// Why the funds pay nothing although the stay or visit is reimbursable (zh, en): a 0 %
    /// answer is never shown as "reimbursed normally" without its reason. `None` when the funds
    /// pay something, or when the referral verdict already says it is not reimbursed.
    pub fn why_nothing_paid(&self) -> Option<(String, String)> {
        self.why_nothing_paid
            .as_ref()
            .map(|r| (r.zh.clone(), r.en.clone()))
    }
}

/// The one definition of [`Estimate::why_nothing_paid`], from the settlement and the verdict.
fn nothing_paid(s: &Settlement, eligibility: Eligibility) -> Option<Reason> {
    if !s.fund_pay_sumamt.is_zero() || s.medfee_sumamt.is_zero() {
        return None;
    }
    if eligibility == Eligibility::NotReimbursed {
        return None;
    }
    let (zh, en): (String, String) = if s.inscp_scp_amt.is_zero() {
        (
            "本次医保支付 0 元:费用中没有政策范围内的部分,全部由个人负担。".into(),
            "The funds pay nothing: no part of the bill is within the policy's scope.".into(),
        )
    } else if s.act_pay_dedc >= s.inscp_scp_amt {
        (
                format!(
                    "本次医保支付 0 元:政策范围内费用 {} 元未超过起付线,由个人负担。",
                    s.inscp_scp_amt.grouped()
                ),
                format!(
                    "The funds pay nothing: the in-scope cost of {} yuan does not exceed the deductible.",
                    s.inscp_scp_amt.grouped()
                ),
            )
    } else {
        (
            "本次医保支付 0 元,原因见计算步骤。".into(),
            "The funds pay nothing; the steps say why.".into(),
        )
    };
    Some(Reason { zh, en })
}

/// Low / typical / high patient payment when only a total is known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct RangeEstimate {
    /// True when the bill was detailed enough that all three are the same estimate.
    pub exact: bool,
    pub low: Estimate,
    pub typical: Estimate,
    pub high: Estimate,
}

/// Unrounded amounts while the calculation runs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Amounts {
    pub total: Money,
    pub fulamt: Money,
    pub overlmt: Money,
    pub pre: Money,
    pub inscope: Money,
    pub dedc: Money,
    pub hifp: Money,
    /// In-scope amount the patient still owes after the basic fund: what layers work on.
    pub burden: Money,
    /// Layer payments in the order they were made.
    pub paid: Vec<(String, PaysInto, Money)>,
    pub hosp: Money,
    /// What layers paid of the out-of-scope self-pay (全自费 + 超限价).
    pub outside_paid: Money,
    /// The basic fund's bands as the ratio paid them, before any cap (`general::basic`).
    pub basic_bands: Vec<schedule::Band>,
    /// In-scope cost above the point where the basic fund reached its cap, still owed
    /// (`LayerBase::AboveBasicCap`); 0 while no cap binds.
    pub above_cap: Money,
}

impl Amounts {
    /// What the funds' layers paid (commercial supplements are not a fund).
    fn layer_sum(&self) -> Money {
        self.paid
            .iter()
            .filter(|(_, into, _)| *into != PaysInto::CommercialPay)
            .map(|(_, _, m)| *m)
            .sum()
    }
    fn fund_total(&self) -> Money {
        self.hifp + self.layer_sum()
    }
    /// The part of the bill the funds and the patient share: a quota's excess borne by the
    /// hospital is charged to neither, so overall ratios are taken on what is left.
    fn shared(&self) -> Money {
        self.total.sat_sub(self.hosp)
    }
}

/// Estimate one case. `today` is used when the case has no date.
pub fn estimate(doc: &PolicyDoc, case: &Case, today: Date) -> Result<Estimate, Problems> {
    let assumed = assume(doc, case, today)?;
    run(doc, case, &assumed, today, MixPoint::Typical)
}

/// The case as settled: with the blank questions a rule depends on answered in the patient's
/// favour, and what was assumed (`assume::age`); the case itself when nothing was.
fn assume(
    doc: &PolicyDoc,
    case: &Case,
    today: Date,
) -> Result<Option<(Case, assume::Assumption)>, Problems> {
    let date = case.date.unwrap_or(today);
    check_case(doc, case, date)?;
    assume::age(&doc.policy, case, |c| {
        let mut tr = Trace::silent(&doc.policy);
        compute(doc, c, date, MixPoint::Typical, &mut tr).map(|r| r.0.psn_part_amt)
    })
}

/// Estimate with a range: when only a total is known, the policy's low / typical / high cost mix.
pub fn estimate_range(
    doc: &PolicyDoc,
    case: &Case,
    today: Date,
) -> Result<RangeEstimate, Problems> {
    let assumed = assume(doc, case, today)?;
    let typical = run(doc, case, &assumed, today, MixPoint::Typical)?;
    let detailed = !case.bill.items.is_empty() || case.bill.in_scope.is_some();
    let has_mix = doc
        .policy
        .typical_mix
        .as_ref()
        .is_some_and(|t| t.by_level.contains_key(&case.level));
    if detailed || !has_mix {
        // The mix point plays no part here: all three are the typical estimate.
        return Ok(RangeEstimate {
            exact: true,
            low: typical.clone(),
            high: typical.clone(),
            typical,
        });
    }
    Ok(RangeEstimate {
        exact: false,
        low: run(doc, case, &assumed, today, MixPoint::Low)?,
        high: run(doc, case, &assumed, today, MixPoint::High)?,
        typical,
    })
}

/// What the settlement-only path returns besides the year to date: the slip and the route,
/// without the worded steps, the verdict's findings or the receipt (a replay of a year of
/// claims keeps only these for each claim, person after person).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settled {
    pub settlement: Settlement,
    pub route: String,
    pub eligibility: Eligibility,
    /// The caps and ceilings that bound (`hifp_pay:annual`, `layer:<id>`, `overall:max_share`).
    pub limits: Vec<String>,
}

/// The settlement of one case without its explanation, and the year to date after it: the same
/// arithmetic as [`estimate`] (one function computes both; only the trace is silent), for
/// replays of many claims.
pub fn settle(doc: &PolicyDoc, case: &Case, today: Date) -> Result<(Settled, Ytd), Problems> {
    let date = case.date.unwrap_or(today);
    check_case(doc, case, date)?;
    let mut tr = Trace::silent(&doc.policy);
    let (settlement, route, ytd, verdict) = compute(doc, case, date, MixPoint::Typical, &mut tr)?;
    let settled = Settled {
        settlement,
        route,
        eligibility: verdict.eligibility,
        limits: tr.limits,
    };
    Ok((settled, ytd))
}

/// One estimate of `case` at a mix point, settled as `assumed` when a blank was answered.
fn run(
    doc: &PolicyDoc,
    case: &Case,
    assumed: &Option<(Case, assume::Assumption)>,
    today: Date,
    mix: MixPoint,
) -> Result<Estimate, Problems> {
    let p = &doc.policy;
    let date = case.date.unwrap_or(today);
    check_case(doc, case, date)?;
    let settled = assumed.as_ref().map_or(case, |a| &a.0);
    let mut tr = Trace::new(p);
    let (settlement, route, ytd, verdict) = compute(doc, settled, date, mix, &mut tr)?;
    let actual_ratio = Rate(ratio(&settlement));
    // The caveats are the case's as entered: a rule left out for some ages still may matter.
    let caveats =
        crate::caveats::for_case(p, case, &tr.steps, &tr.limits, settlement.medfee_sumamt);
    Ok(Estimate {
        why_nothing_paid: nothing_paid(&settlement, verdict.eligibility),
        settlement,
        actual_ratio,
        route,
        referral: verdict,
        steps: tr.steps,
        caveats,
        assumptions: assumed.iter().map(|a| a.1.clone()).collect(),
        ytd_after: ytd,
        receipt: Receipt {
            engine: ENGINE_VERSION.into(),
            policy_id: p.meta.id.clone(),
            policy_sha256: doc.sha256.clone(),
            evaluated_at: date,
        },
    })
}

/// The one calculation behind [`estimate`] and [`settle`], on a checked case.
fn compute(
    doc: &PolicyDoc,
    case: &Case,
    date: Date,
    mix: MixPoint,
    tr: &mut Trace,
) -> Result<(Settlement, String, Ytd, Verdict), Problems> {
    let p = &doc.policy;
    let verdict = referral::assess(p, case, date);
    for f in &verdict.findings {
        let text = Msg::Text {
            zh: f.zh.clone(),
            en: f.en.clone(),
        };
        tr.push_citation("referral", Money::ZERO, f.cite.clone(), text);
    }

    let mut a = split::split(p, &case.level, &case.bill, mix, tr)?;
    let mut ytd = case.ytd.clone();
    let route;

    if verdict.eligibility == Eligibility::NotReimbursed {
        route = "not_reimbursed".to_string();
        a.burden = Money::ZERO;
        if let Some(cite) = verdict.cite_for(|p| p.not_reimbursed) {
            tr.push_citation("hifp_pay", Money::ZERO, cite, Msg::NotReimbursed);
        }
    } else {
        if let Some(share) = verdict.penalty.preselfpay {
            let moved = split::penalty_preselfpay(&mut a, share);
            if let Some(c) = verdict.cite_for(|x| x.preselfpay.is_some()) {
                let text = Msg::PenaltyPreselfpay { share, moved };
                tr.push_citation("preselfpay_amt", moved, c, text);
            }
        }
        route = match case.setting {
            Setting::Outpatient => outpatient::basic(doc, case, &verdict, &mut a, tr)?,
            Setting::Inpatient => match fixed::select(p, case)? {
                Some(r) => {
                    fixed::apply(case, r, &mut a, tr);
                    r.id.clone()
                }
                None => {
                    general::basic(p, case, &verdict, &mut a, tr)?;
                    "general".into()
                }
            },
        };
        if case.setting == Setting::Inpatient {
            general::caps(p, case, &mut a, tr);
        }
        layers::layers(p, case, &mut a, &mut ytd, tr, false)?;
        layers::overall(p, case, &mut a, tr);
        layers::layers(p, case, &mut a, &mut ytd, tr, true)?;
    }

    let mut settlement = round_settlement(doc, &a);
    account::pay(p, case, &mut settlement, tr);
    update_ytd(&mut ytd, case, &route, &a, &settlement, doc);
    Ok((settlement, route, ytd, verdict))
}

/// Round the reported amounts per the policy. Parts that must add up (the bill split; the
/// payers) are rounded as running totals, so each part is within a fen of its own rounding and
/// the parts always sum to the rounded whole: fund + patient + hospital = bill, to the fen.
fn round_settlement(doc: &PolicyDoc, a: &Amounts) -> Settlement {
    let r = &doc.policy.rounding;
    let rd = |m: Money| round(m, r.mode, r.unit);
    let by = |k: PaysInto| {
        a.paid
            .iter()
            .filter(|(_, into, _)| *into == k)
            .map(|(_, _, m)| *m)
            .sum()
    };
    let split = round_parts(&[a.fulamt, a.overlmt, a.pre, a.inscope], rd);
    // The payers in the slip's order, the hospital last; a payer that paid nothing changes no
    // other's rounding.
    let mut unrounded = vec![a.hifp];
    unrounded.extend(PaysInto::FUNDS.map(by));
    unrounded.push(a.hosp);
    let payers = round_parts(&unrounded, rd);
    let medfee = rd(a.total);
    let commercial = rd(by(PaysInto::CommercialPay));
    let mut s = Settlement {
        medfee_sumamt: medfee,
        fulamt_ownpay_amt: split[0],
        overlmt_selfpay: split[1],
        preselfpay_amt: split[2],
        inscp_scp_amt: split[3],
        act_pay_dedc: rd(a.dedc),
        hifp_pay: payers[0],
        hosp_part_amt: payers[payers.len() - 1],
        ..Settlement::default()
    };
    for (k, m) in PaysInto::FUNDS.into_iter().zip(&payers[1..]) {
        *s.paid_into_mut(k) = *m;
    }
    s.pool();
    s.fund_pay_sumamt = payers[..payers.len() - 1].iter().copied().sum();
    // Payers never exceed the bill unrounded, and rounding is monotone, so this is never negative.
    s.psn_part_amt = medfee.sat_sub(s.fund_pay_sumamt + s.hosp_part_amt);
    // Commercial supplements pay on the patient's share, so they never exceed it.
    s.yb_commercial_pay = commercial.min(s.psn_part_amt);
    s.psn_cash_pay = s.psn_part_amt;
    s
}

/// Round a list of parts as running totals: part i = round(sum of 0..=i) − round(sum of 0..i).
fn round_parts(parts: &[Money], rd: impl Fn(Money) -> Money) -> Vec<Money> {
    let mut out = Vec::with_capacity(parts.len());
    let (mut sum, mut prev) = (Money::ZERO, Money::ZERO);
    for p in parts {
        sum += *p;
        let now = rd(sum);
        out.push(now - prev);
        prev = now;
    }
    out
}

fn update_ytd(
    ytd: &mut Ytd,
    case: &Case,
    route: &str,
    a: &Amounts,
    s: &Settlement,
    doc: &PolicyDoc,
) {
    match case.setting {
        Setting::Inpatient => {
            ytd.admissions += 1;
            ytd.hifp_pay += s.hifp_pay;
            ytd.deductible_paid += s.act_pay_dedc;
            if case.accident {
                ytd.accident_fund += s.hifp_pay;
            }
        }
        // The route's totals, like every total here, count what the slip reports.
        Setting::Outpatient => {
            // A route paid out of the inpatient annual limit counts toward it.
            let shares = doc
                .policy
                .outpatient
                .iter()
                .any(|r| r.id == route && r.shares_inpatient_cap);
            if shares {
                ytd.hifp_pay += s.hifp_pay;
            }
            let before = case.ytd.outpatient.get(route).cloned().unwrap_or_default();
            ytd.outpatient.insert(
                route.to_string(),
                RouteYtd {
                    paid: before.paid + s.hifp_pay,
                    deductible_used: before.deductible_used + s.act_pay_dedc,
                },
            );
        }
    }
    // Count what was reported, so the year's totals match the slips to the fen: each settlement
    // field is shared out over the layers that paid into it, the last taking the remainder.
    let r = &doc.policy.rounding;
    for key in PaysInto::ALL {
        let mut left = s.paid_into(key);
        let payers: Vec<_> = a.paid.iter().filter(|(_, into, _)| *into == key).collect();
        for (i, (id, _, m)) in payers.iter().enumerate() {
            let share = if i + 1 == payers.len() {
                left
            } else {
                round(*m, r.mode, r.unit).min(left)
            };
            left = left - share;
            if let Some(l) = ytd.layers.get_mut(id) {
                l.paid += share;
            }
        }
    }
}

/// A claim's 实际报销比例: fund ÷ bill, to a hundredth of a percent as the estimate reports it.
/// Rounded before it is summed, so that sums are exact and the same in any order (an unrounded
/// quotient has 28 digits, and adding such numbers rounds in the last one).
pub fn ratio(s: &Settlement) -> Decimal {
    if s.medfee_sumamt.is_zero() {
        Decimal::ZERO
    } else {
        (s.fund_pay_sumamt.0 / s.medfee_sumamt.0).round_dp(4)
    }
}

/// Reject what the engine cannot estimate, with the field that is wrong.
/// Admissions in a year before this one: one a day at the most. A larger count is a typing
/// mistake, and would overflow the count of the admission being estimated.
pub const MAX_ADMISSIONS: u32 = 366;
/// Years of enrolment: a lifetime at the most.
pub const MAX_YEARS: u32 = 150;

fn check_case(doc: &PolicyDoc, case: &Case, date: Date) -> Result<(), Problems> {
    let p = &doc.policy;
    let mut probs = vec![];
    let refs = [
        p.level_or_problem(&case.level, "level").err(),
        p.category_or_problem(&case.patient.category, "patient.category")
            .err(),
        case.referral
            .from_level
            .as_deref()
            .and_then(|f| p.level_or_problem(f, "referral.from_level").err()),
    ];
    probs.extend(refs.into_iter().flatten().flat_map(|ps| ps.0));
    if date < p.meta.effective_from || date > p.meta.effective_to {
        probs.push(Problem::new(
            Code::DateOutsidePolicy,
            "date",
            format!(
                "日期 {date} 不在本政策有效期 {} 至 {} 内",
                p.meta.effective_from, p.meta.effective_to
            ),
            format!(
                "date {date} is outside the policy's effective period {} to {}",
                p.meta.effective_from, p.meta.effective_to
            ),
        ));
    }
    if case.ytd.admissions > MAX_ADMISSIONS {
        probs.push(Problem::new(
            Code::InvalidValue,
            "ytd.admissions",
            format!(
                "本年已住院次数 {} 不可能(每年最多 {MAX_ADMISSIONS} 次)",
                case.ytd.admissions
            ),
            format!(
                "{} admissions so far this year is not possible (at most {MAX_ADMISSIONS})",
                case.ytd.admissions
            ),
        ));
    }
    if !case.bill.items.is_empty() && (case.bill.total.is_some() || case.bill.in_scope.is_some()) {
        probs.push(Problem::new(
            Code::BillTwice,
            "bill",
            "费用明细和总额只能填一种",
            "give either line items or a total, not both",
        ));
    }
    if let Some(code) = &case.disease {
        if !looks_like_icd10(code) {
            probs.push(Problem::new(
                Code::BadIcd10,
                "disease",
                format!("\"{code}\" 不是有效的 ICD-10 编码(例如 J18.9)"),
                format!("\"{code}\" is not an ICD-10 code (e.g. J18.9)"),
            ));
        }
    }
    let k = &case.known;
    let known = [k.hifp_pay, k.hifmi_pay, k.hifob_pay, k.maf_pay, k.oth_pay];
    if known.iter().any(Option::is_some) {
        let sum: Money = known.iter().flatten().copied().sum();
        // A bill of line items has its in-scope part found by the split: the estimate checks
        // each known payment against what is still owed when it is applied.
        let scope = case.bill.in_scope.or(case.bill.total);
        if let Some(scope) = scope.filter(|s| sum > *s) {
            probs.push(Problem::new(
                Code::KnownAboveScope,
                "known",
                format!("已知的各项基金支付合计 {sum} 元超过政策范围内费用 {scope} 元"),
                format!(
                    "the known fund payments total {sum}, more than the in-scope amount {scope}"
                ),
            ));
        }
    }
    if let Some(problem) = known_not_applicable(doc, case, date) {
        probs.push(problem);
    }
    let years = [
        ("patient.continuous_years", case.patient.continuous_years),
        ("patient.claim_free_years", case.patient.claim_free_years),
    ];
    for (path, y) in years {
        if let Some(y) = y.filter(|y| *y > MAX_YEARS) {
            probs.push(Problem::new(
                Code::InvalidValue,
                path,
                format!("{y} 年不可能(最多 {MAX_YEARS} 年)"),
                format!("{y} years is not possible (at most {MAX_YEARS})"),
            ));
        }
    }
    for (i, id) in case.supplements.iter().enumerate() {
        if !p.layers.iter().any(|l| l.opt_in && &l.id == id) {
            let known: Vec<_> = p
                .layers
                .iter()
                .filter(|l| l.opt_in)
                .map(|l| l.id.as_str())
                .collect();
            probs.push(Problem::new(
                Code::InvalidValue,
                format!("supplements[{i}]"),
                format!(
                    "本政策没有可自愿参加的补充保险 \"{id}\";可选:{}",
                    known.join("、")
                ),
                format!(
                    "the policy has no opt-in supplement \"{id}\"; it has: {}",
                    known.join(", ")
                ),
            ));
        }
    }
    if probs.is_empty() {
        Ok(())
    } else {
        Err(Problems(probs))
    }
}

/// A known payment the estimate would have to drop: a basic-fund payment where a fixed-amount or
/// outpatient route computes its own, or any fund payment for a visit not reimbursed at all.
fn known_not_applicable(doc: &PolicyDoc, case: &Case, date: Date) -> Option<Problem> {
    let k = &case.known;
    let layers = [k.hifmi_pay, k.hifob_pay, k.maf_pay, k.oth_pay];
    if k.hifp_pay.is_none() && layers.iter().all(Option::is_none) {
        return None;
    }
    let p = &doc.policy;
    if referral::assess(p, case, date).eligibility == Eligibility::NotReimbursed {
        return Some(Problem::new(
            Code::KnownNotApplicable,
            "known",
            "录入了结算单上的基金支付,但按本政策和所填转诊/备案情况,此次就医不予报销;请核对转诊和备案情况",
            "fund payments from a settlement slip are entered, but under this policy and the referral facts given the visit is not reimbursed; check the referral and filing facts",
        ));
    }
    k.hifp_pay?;
    let route = match case.setting {
        Setting::Outpatient => true,
        // A route that cannot be found is reported by the estimate itself.
        Setting::Inpatient => fixed::select(p, case).ok().flatten().is_some(),
    };
    route.then(|| {
        Problem::new(
            Code::KnownNotApplicable,
            "known.hifp_pay",
            "按结算单录入的基本医保支付只用于住院按一般方法计算的情形;门诊和定额病种由其规则计算基本医保支付,请去掉 known.hifp_pay",
            "a basic-fund payment from the slip is used only for an inpatient stay on the general formula; outpatient and fixed-amount routes compute their own: leave out known.hifp_pay",
        )
    })
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    fn demo() -> PolicyDoc {
        let text = yibao_shipped::file(yibao_shipped::DEMO).unwrap();
        crate::policy::load::parse_policy(text, yibao_shipped::DEMO).unwrap()
    }

    fn json_of(case: &str) -> serde_json::Value {
        let case: Case = crate::input::from_json(case).unwrap();
        let e = estimate(&demo(), &case, Date::parse("2024-06-01").unwrap()).unwrap();
        serde_json::to_value(&e).unwrap()
    }

    /// A 0 % answer carries its reason in what every binding serializes, not only in a method
    /// a Rust front end can call.
    #[test]
    fn the_reason_nothing_is_paid_is_serialized() {
        // 250 yuan, all in scope, under the township's 300 deductible.
        let v = json_of(
            r#"{"level":"township","patient":{"age":40},"bill":{"total":"250","in_scope":"250"}}"#,
        );
        assert_eq!(v["settlement"]["fund_pay_sumamt"], "0");
        let zh = v["why_nothing_paid"]["zh"].as_str().unwrap();
        let en = v["why_nothing_paid"]["en"].as_str().unwrap();
        assert!(zh.contains("起付线") && zh.contains("250"), "{zh}");
        assert!(en.contains("deductible") && en.contains("250"), "{en}");
        // Nothing in scope at all: the other reason.
        let v = json_of(
            r#"{"level":"township","patient":{"age":40},"bill":{"total":"800","in_scope":"0"}}"#,
        );
        assert!(v["why_nothing_paid"]["zh"]
            .as_str()
            .unwrap()
            .contains("没有政策范围内"));
        // The funds pay something: present and null.
        let v = json_of(r#"{"level":"township","patient":{"age":40},"bill":{"total":"8000"}}"#);
        assert_ne!(v["settlement"]["fund_pay_sumamt"], "0");
        assert!(v.as_object().unwrap().contains_key("why_nothing_paid"));
        assert!(v["why_nothing_paid"].is_null());
    }
}
