//! The general formula: 起付线 with its variants, the 统筹 ratio with adjustments, and caps.

use super::schedule::{self, describe_bands};
use super::Amounts;
use crate::case::Case;
use crate::error::{Problem, Problems};
use crate::money::{Money, Rate};
use crate::policy::{Condition, Policy, Schedule, Tier, TierBase};
use crate::referral::Verdict;
use crate::trace::Trace;
use rust_decimal::Decimal;

/// 起付线, ratio and fund payment for the general inpatient route.
pub fn basic(
    p: &Policy,
    case: &Case,
    verdict: &Verdict,
    a: &mut Amounts,
    tr: &mut Trace,
) -> Result<(), Problems> {
    if let Some(known) = case.known.hifp_pay {
        a.hifp = known;
        a.burden = a.inscope.sat_sub(known);
        tr.push_input(
            "hifp_pay",
            known,
            format!("基本医保已支付 {known} 元(按结算单录入),政策范围内个人负担 {} 元", a.burden),
            format!("basic fund already paid {known} (from the settlement slip); in-scope personal burden {}", a.burden),
        );
        return Ok(());
    }
    a.dedc = deductible(p, case, verdict, a, tr).min(a.inscope);
    let (sched, points) = ratio(p, case, verdict, tr)?;
    let bands = schedule::pay(&sched.tiers, sched.base, a.dedc, a.inscope, points);
    a.hifp = bands.iter().map(|b| b.pay).sum();
    a.burden = a.inscope.sat_sub(a.hifp);
    let (zh, en) = describe_bands(&bands);
    tr.push(
        "hifp_pay",
        a.hifp,
        &p.inpatient.ratio.cite,
        format!(
            "基本医保统筹支付:(政策范围内 {} − 起付线 {})按比例:{zh};合计 {} 元",
            a.inscope, a.dedc, a.hifp
        ),
        format!(
            "basic fund: (in scope {} − deductible {}) at the ratio: {en}; total {}",
            a.inscope, a.dedc, a.hifp
        ),
    );
    Ok(())
}

/// The 起付线 for this admission, each variant a step of its own.
fn deductible(p: &Policy, case: &Case, verdict: &Verdict, a: &Amounts, tr: &mut Trace) -> Money {
    let d = &p.inpatient.deductible;
    let level = p.level(&case.level).expect("level checked");
    let mut ded = if let Some(pct) = d.percent_of_bill.get(&case.level) {
        let v = a.total.times(pct.rate).max(pct.floor).min(pct.ceiling);
        tr.push(
            "act_pay_dedc",
            v,
            &pct.cite,
            format!(
                "{}起付线按费用总额的 {}(最低 {} 元,最高 {} 元):{v} 元",
                level.name_zh, pct.rate, pct.floor, pct.ceiling
            ),
            format!(
                "{} deductible is {} of the bill (floor {}, ceiling {}): {v}",
                level.name_en, pct.rate, pct.floor, pct.ceiling
            ),
        );
        v
    } else {
        let v = d.by_level.get(&case.level).copied().unwrap_or_default();
        tr.push(
            "act_pay_dedc",
            v,
            &d.cite,
            format!("{}住院起付线 {v} 元", level.name_zh),
            format!("inpatient deductible at a {}: {v}", level.name_en),
        );
        v
    };
    if let Some(pen) = verdict.penalty.deductible {
        if let Some(f) = verdict
            .findings
            .iter()
            .find(|f| f.penalty.as_ref().is_some_and(|x| x.deductible.is_some()))
        {
            ded = pen;
            tr.push_citation(
                "act_pay_dedc",
                ded,
                f.cite.clone(),
                format!("未按规定转诊/备案,起付线按 {pen} 元计"),
                format!("referral rule broken: deductible set to {pen}"),
            );
        }
    }
    let nth = case.ytd.admissions + 1;
    if let Some(rule) = d
        .nth_admission
        .iter()
        .filter(|r| r.from <= nth)
        .max_by_key(|r| r.from)
    {
        ded = ded.times(rule.factor);
        tr.push(
            "act_pay_dedc",
            ded,
            &rule.cite,
            format!("本年第 {nth} 次住院,起付线按 {} 计:{ded} 元", rule.factor),
            format!(
                "admission no. {nth} this year: deductible at {}: {ded}",
                rule.factor
            ),
        );
    }
    if let Some(rule) = d
        .by_category
        .iter()
        .find(|r| r.categories.contains(&case.patient.category))
    {
        ded = ded.times(rule.factor);
        let cat = p
            .category(&case.patient.category)
            .expect("category checked");
        tr.push(
            "act_pay_dedc",
            ded,
            &rule.cite,
            format!("{}起付线按 {} 计:{ded} 元", cat.name_zh, rule.factor),
            format!("{}: deductible at {}: {ded}", cat.name_en, rule.factor),
        );
    }
    if let Some(from) = case.referral.from_level.as_deref().and_then(|f| p.level(f)) {
        let cite = d.transfer_cite.as_ref().unwrap_or(&d.cite);
        if from.rank < level.rank && d.upward_difference_only {
            let paid = d.by_level.get(&from.id).copied().unwrap_or_default();
            ded = ded.sat_sub(paid);
            tr.push(
                "act_pay_dedc",
                ded,
                cite,
                format!("由{}上转,只补起付线差额(已付 {paid} 元):{ded} 元", from.name_zh),
                format!("referred up from a {}: only the difference to the deductible already paid ({paid}): {ded}", from.name_en),
            );
        } else if from.rank > level.rank && d.waived_after_downward {
            ded = Money::ZERO;
            tr.push(
                "act_pay_dedc",
                ded,
                cite,
                format!("由{}下转,同一疗程不再计起付线", from.name_zh),
                format!(
                    "transferred down from a {}: no new deductible in the same episode",
                    from.name_en
                ),
            );
        }
    }
    ded
}

/// The ratio schedule for the level and the points added by adjustments and penalties.
fn ratio(
    p: &Policy,
    case: &Case,
    verdict: &Verdict,
    tr: &mut Trace,
) -> Result<(Schedule, Decimal), Problems> {
    let r = &p.inpatient.ratio;
    let level = p.level(&case.level).expect("level checked");
    let mut sched = match (r.rates.get(&case.level), r.tiered.get(&case.level)) {
        (Some(rate), _) => {
            tr.push(
                "ratio",
                Money::ZERO,
                &r.cite,
                format!("{}统筹支付比例 {rate}", level.name_zh),
                format!("fund ratio at a {}: {rate}", level.name_en),
            );
            Schedule {
                base: TierBase::Cumulative,
                tiers: vec![Tier {
                    up_to: None,
                    rate: *rate,
                }],
            }
        }
        (None, Some(s)) => {
            tr.push(
                "ratio",
                Money::ZERO,
                &r.cite,
                format!("{}统筹支付比例按费用分段计", level.name_zh),
                format!("fund ratio at a {} is tiered by amount", level.name_en),
            );
            s.clone()
        }
        (None, None) => {
            return Err(Problem::new(
                "no_ratio_for_level",
                "level",
                format!("本政策未规定{}的住院报销比例", level.name_zh),
                format!("the policy sets no inpatient ratio for a {}", level.name_en),
            )
            .into())
        }
    };
    if let Some(set) = verdict.penalty.ratio {
        if let Some(f) = verdict
            .findings
            .iter()
            .find(|f| f.penalty.as_ref().is_some_and(|x| x.ratio.is_some()))
        {
            sched = Schedule {
                base: TierBase::Cumulative,
                tiers: vec![Tier {
                    up_to: None,
                    rate: set,
                }],
            };
            tr.push_citation(
                "ratio",
                Money::ZERO,
                f.cite.clone(),
                format!("未按规定转诊/备案,报销比例按 {set} 计"),
                format!("referral rule broken: ratio set to {set}"),
            );
        }
    }
    let mut points = Decimal::ZERO;
    for adj in r.adjust.iter().filter(|adj| matches(&adj.when, case)) {
        points += adj.points.0;
        tr.push(
            "ratio",
            Money::ZERO,
            &adj.cite,
            format!(
                "{}:报销比例 {:+} 个百分点",
                adj.name_zh,
                adj.points.0.normalize()
            ),
            format!(
                "{}: ratio {:+} points",
                adj.name_en,
                adj.points.0.normalize()
            ),
        );
    }
    if let Some(pts) = verdict.penalty.ratio_points {
        if let Some(f) = verdict
            .findings
            .iter()
            .find(|f| f.penalty.as_ref().is_some_and(|x| x.ratio_points.is_some()))
        {
            points += pts.0;
            tr.push_citation(
                "ratio",
                Money::ZERO,
                f.cite.clone(),
                format!("未按规定就医:报销比例 {:+} 个百分点", pts.0.normalize()),
                format!("referral rule broken: ratio {:+} points", pts.0.normalize()),
            );
        }
    }
    // A floor keeps every band at or above the level's minimum after adjustments.
    if let Some(floor) = r.floor.get(&case.level) {
        let lowest = sched
            .tiers
            .iter()
            .map(|t| t.rate.add_points(points))
            .min()
            .unwrap_or(Rate::ZERO);
        if lowest < *floor {
            for t in &mut sched.tiers {
                t.rate = t.rate.add_points(points).max(*floor);
            }
            points = Decimal::ZERO;
            let cite = r.floor_cite.as_ref().unwrap_or(&r.cite);
            tr.push(
                "ratio",
                Money::ZERO,
                cite,
                format!("报销比例不低于 {floor}"),
                format!("the ratio does not fall below {floor}"),
            );
        }
    }
    Ok((sched, points))
}

pub fn matches(c: &Condition, case: &Case) -> bool {
    c.categories
        .as_ref()
        .is_none_or(|cs| cs.contains(&case.patient.category))
        && c.levels.as_ref().is_none_or(|ls| ls.contains(&case.level))
        && c.age_min
            .is_none_or(|m| case.patient.age.is_some_and(|a| a >= m))
        && c.age_max
            .is_none_or(|m| case.patient.age.is_some_and(|a| a <= m))
}

/// Per-admission, annual and 意外伤害 caps on the basic fund, against the year to date.
pub fn caps(p: &Policy, case: &Case, a: &mut Amounts, tr: &mut Trace) {
    let c = &p.inpatient.caps;
    let limit = |a: &mut Amounts, cap: Money, zh: String, en: String, tr: &mut Trace| {
        if a.hifp > cap {
            let cut = a.hifp - cap;
            a.hifp = cap;
            // What the fund no longer pays falls back on the patient, within the same scope.
            a.burden += cut;
            tr.push("hifp_pay", a.hifp, &c.cite, zh, en);
        }
    };
    if let Some(cap) = c.per_admission {
        limit(
            a,
            cap,
            format!("单次住院基金支付不超过 {cap} 元"),
            format!("per-admission fund cap {cap}"),
            tr,
        );
    }
    if let Some(cap) = c.annual_fund {
        let left = cap.sat_sub(case.ytd.hifp_pay);
        limit(
            a,
            left,
            format!(
                "年度封顶线 {cap} 元,本年已支付 {} 元,本次最多支付 {left} 元",
                case.ytd.hifp_pay
            ),
            format!(
                "annual cap {cap}; {} already paid this year; at most {left} now",
                case.ytd.hifp_pay
            ),
            tr,
        );
    }
    if case.accident {
        if let Some(cap) = c.accident_annual {
            let left = cap.sat_sub(case.ytd.accident_fund);
            limit(
                a,
                left,
                format!(
                    "意外伤害年度限额 {cap} 元,本年已支付 {} 元,本次最多 {left} 元",
                    case.ytd.accident_fund
                ),
                format!(
                    "accident injury annual cap {cap}; {} already paid; at most {left} now",
                    case.ytd.accident_fund
                ),
                tr,
            );
        }
    }
}
