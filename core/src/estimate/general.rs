//! The general formula: 起付线 with its variants, the 统筹 ratio with adjustments, and caps.

use super::schedule;
use super::Amounts;
use crate::case::Case;
use crate::error::{Code, Problem, Problems};
use crate::message::{Msg, Names, NthHow};
use crate::money::{Money, Points, Rate};
use crate::policy::{
    icd_matches, CategoryTable, Cite, Condition, Policy, Schedule, Tier, TierBase,
};
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
        if known > a.inscope {
            let on = crate::policy::LayerBase::InScope;
            return Err(super::layers::known_above("hifp_pay", known, a.inscope, on).into());
        }
        a.hifp = known;
        a.burden = a.inscope - known;
        tr.push_input(
            "hifp_pay",
            known,
            Msg::KnownFund {
                paid: known,
                burden: a.burden,
            },
        );
        return Ok(());
    }
    a.dedc = deductible(p, case, verdict, a, tr).min(a.inscope);
    let (sched, points, cite) = ratio(p, case, verdict, tr)?;
    let bands = schedule::pay(&sched.tiers, sched.base, a.dedc, a.inscope, points);
    a.hifp = bands.iter().map(|b| b.pay).sum();
    a.burden = a.inscope.sat_sub(a.hifp);
    // Kept only for a layer on the cost above the cap point: every other estimate (and every
    // claim of a replay's general path) would copy them for nothing.
    if p.layers
        .iter()
        .any(|l| l.on == crate::policy::LayerBase::AboveBasicCap)
    {
        a.basic_bands = bands.clone();
    }
    let text = Msg::Fund {
        inscope: a.inscope,
        dedc: a.dedc,
        bands,
        total: a.hifp,
    };
    tr.push("hifp_pay", a.hifp, cite, text);
    Ok(())
}

/// The 起付线 for this admission, each variant a step of its own.
pub(crate) fn deductible(
    p: &Policy,
    case: &Case,
    verdict: &Verdict,
    a: &Amounts,
    tr: &mut Trace,
) -> Money {
    let d = &p.inpatient.deductible;
    let level = p.level(&case.level).expect("level checked");
    let mut ded = if let Some(pct) = d.percent_of_bill.get(&case.level) {
        let v = a.total.times(pct.rate).max(pct.floor).min(pct.ceiling);
        let text = Msg::DeductiblePercent {
            level: names(level),
            rate: pct.rate,
            floor: pct.floor,
            ceiling: pct.ceiling,
            v,
        };
        tr.push("act_pay_dedc", v, &pct.cite, text);
        v
    } else {
        // A category's own table first, then the general one.
        let (v, cite) = table(p, case)
            .and_then(|t| t.deductible.get(&case.level).map(|v| (*v, &t.cite)))
            .unwrap_or_else(|| {
                let v = d.by_level.get(&case.level).copied().unwrap_or_default();
                (v, &d.cite)
            });
        tr.push(
            "act_pay_dedc",
            v,
            cite,
            Msg::Deductible {
                level: names(level),
                v,
            },
        );
        v
    };
    if let Some(pen) = verdict.penalty.deductible {
        if let Some(cite) = verdict.cite_for(|x| x.deductible.is_some()) {
            ded = pen;
            tr.push_citation("act_pay_dedc", ded, cite, Msg::DeductiblePenalty { v: pen });
        }
    }
    let nth = case.ytd.admissions + 1;
    if let Some(rule) = d
        .nth_admission
        .iter()
        // A rule by level says nothing of the levels it does not list.
        .filter(|r| {
            r.from <= nth
                && (r.by_level.is_empty() || r.by_level.contains_key(&case.level))
                && (r.ages.is_empty()
                    || case
                        .patient
                        .age
                        .is_some_and(|age| r.ages.iter().any(|a| a.contains(age))))
                && (r.diseases.is_empty()
                    || case
                        .disease
                        .as_deref()
                        .is_some_and(|c| r.diseases.iter().any(|d| icd_matches(d, c))))
        })
        // A rule for the case's disease wins over the general ones (精神病 no 起付线 at every
        // stay); then the rule for the latest admission.
        .max_by_key(|r| (!r.diseases.is_empty(), r.from))
    {
        let how;
        let by_level = rule.by_level.get(&case.level).copied();
        (ded, how) = match (rule.factor, rule.amount.or(by_level), rule.step_down) {
            (Some(f), ..) => (ded.times(f), NthHow::Factor(f)),
            (_, Some(v), _) => (v, NthHow::Amount),
            (.., Some(step)) => {
                // Lowered once for each admission from `from` on: nth ≥ from, so at least once.
                let times = Money(rust_decimal::Decimal::from(nth - rule.from + 1));
                let lowered = ded.sat_sub(Money(step.0 * times.0));
                let min = rule.min.unwrap_or_default().min(ded);
                (lowered.max(min), NthHow::StepDown { step, min })
            }
            // Validation requires one of the four.
            _ => (ded, NthHow::Amount),
        };
        let text = Msg::DeductibleNth {
            n: nth,
            how,
            v: ded,
        };
        tr.push("act_pay_dedc", ded, &rule.cite, text);
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
        let text = Msg::DeductibleCategory {
            category: Names::of(&cat.name_zh, &cat.name_en),
            factor: rule.factor,
            v: ded,
        };
        tr.push("act_pay_dedc", ded, &rule.cite, text);
    }
    if let Some(from) = case.referral.from_level.as_deref().and_then(|f| p.level(f)) {
        let cite = d.transfer_cite.as_ref().unwrap_or(&d.cite);
        if from.rank < level.rank && d.upward_difference_only {
            let paid = d.by_level.get(&from.id).copied().unwrap_or_default();
            ded = ded.sat_sub(paid);
            let text = Msg::DeductibleUpward {
                from: names(from),
                paid,
                v: ded,
            };
            tr.push("act_pay_dedc", ded, cite, text);
        } else if from.rank > level.rank && d.waived_after_downward {
            ded = Money::ZERO;
            tr.push(
                "act_pay_dedc",
                ded,
                cite,
                Msg::DeductibleDownward { from: names(from) },
            );
        }
    }
    if let Some(once) = &d.once_a_year {
        let paid = case.ytd.deductible_paid;
        let full = once.cap.map_or(ded, |c| ded.min(c));
        if !paid.is_zero() || full != ded {
            ded = full.sat_sub(paid);
            let text = Msg::DeductibleOnceAYear {
                paid,
                cap: once.cap,
                v: ded,
            };
            tr.push("act_pay_dedc", ded, &once.cite, text);
        }
    }
    ded
}

/// The category's own inpatient table, when the policy gives it one.
pub(crate) fn table<'p>(p: &'p Policy, case: &Case) -> Option<&'p CategoryTable> {
    p.inpatient
        .tables
        .iter()
        .find(|t| t.categories.contains(&case.patient.category))
}

/// The ratio schedule for the level, the points added by adjustments and penalties, and the
/// clause of the table it came from (a retiree's payment cites the retirees' table).
pub(crate) fn ratio<'p>(
    p: &'p Policy,
    case: &Case,
    verdict: &Verdict,
    tr: &mut Trace,
) -> Result<(Schedule, Decimal, &'p Cite), Problems> {
    let r = &p.inpatient.ratio;
    let level = p.level(&case.level).expect("level checked");
    let own = table(p, case)
        .filter(|t| t.rates.contains_key(&case.level) || t.tiered.contains_key(&case.level));
    let (rates, tiered, cite) = match own {
        Some(t) => (&t.rates, &t.tiered, &t.cite),
        None => (&r.rates, &r.tiered, &r.cite),
    };
    let mut table_cite = cite;
    let mut sched = match (rates.get(&case.level), tiered.get(&case.level)) {
        (Some(rate), _) => {
            let text = Msg::Ratio {
                level: names(level),
                rate: *rate,
            };
            tr.push("ratio", Money::ZERO, cite, text);
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
                cite,
                Msg::RatioTiered {
                    level: names(level),
                },
            );
            s.clone()
        }
        (None, None) => {
            return Err(Problem::new(
                Code::NoRatioForLevel,
                "level",
                format!("本政策未规定{}的住院报销比例", level.name_zh),
                format!("the policy sets no inpatient ratio for a {}", level.name_en),
            )
            .into())
        }
    };
    if let Some(set) = verdict.penalty.ratio {
        if let Some(cite) = verdict.cite_for(|x| x.ratio.is_some()) {
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
                cite,
                Msg::RatioPenaltySet { rate: set },
            );
        }
    }
    if let Some(t) = table(p, case) {
        if let Some(f) = t.copay_factor {
            for tier in &mut sched.tiers {
                tier.rate = tier.rate.copay_times(f);
            }
            tr.push("ratio", Money::ZERO, &t.cite, Msg::RatioCopay { factor: f });
            table_cite = &t.cite;
        }
    }
    let mut points = Points::default();
    for adj in r.adjust.iter().filter(|adj| matches(&adj.when, case)) {
        points += adj.points;
        let text = Msg::RatioAdjust {
            name: Names::of(&adj.name_zh, &adj.name_en),
            points: adj.points.0,
        };
        tr.push("ratio", Money::ZERO, &adj.cite, text);
    }
    if let Some(pts) = verdict.penalty.ratio_points {
        if let Some(cite) = verdict.cite_for(|x| x.ratio_points.is_some()) {
            points += pts;
            let text = Msg::RatioPenaltyPoints { points: pts.0 };
            tr.push_citation("ratio", Money::ZERO, cite, text);
        }
    }
    if let Some(f) = verdict.penalty.ratio_factor {
        if let Some(cite) = verdict.cite_for(|x| x.ratio_factor.is_some()) {
            // Points first, then the multiplier: "按调整后比例的90%".
            for t in &mut sched.tiers {
                t.rate = Rate(t.rate.add_points(points.0).0 * f.0);
            }
            points = Points::default();
            let text = Msg::RatioPenaltyFactor { factor: f };
            tr.push_citation("ratio", Money::ZERO, cite, text);
        }
    }
    // A floor keeps every band at or above the level's minimum after adjustments.
    if let Some(floor) = r.floor.get(&case.level) {
        let lowest = sched
            .tiers
            .iter()
            .map(|t| t.rate.add_points(points.0))
            .min()
            .unwrap_or(Rate::ZERO);
        if lowest < *floor {
            for t in &mut sched.tiers {
                t.rate = t.rate.add_points(points.0).max(*floor);
            }
            points = Points::default();
            let cite = r.floor_cite.as_ref().unwrap_or(&r.cite);
            tr.push(
                "ratio",
                Money::ZERO,
                cite,
                Msg::RatioFloor { floor: *floor },
            );
        }
    }
    Ok((sched, points.0, table_cite))
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

/// The basic fund's annual limit for this case and its clause: a category's own limit replaces
/// the general one. Outpatient routes that share it (`shares_inpatient_cap`) use it too.
pub(crate) fn annual_cap<'p>(p: &'p Policy, case: &Case) -> Option<(Money, &'p Cite)> {
    let c = &p.inpatient.caps;
    match table(p, case).filter(|t| t.annual_fund.is_some()) {
        Some(t) => t.annual_fund.map(|m| (m, &t.cite)),
        None => c.annual_fund.map(|m| (m, &c.cite)),
    }
}

/// Per-admission, annual and 意外伤害 caps on the basic fund, against the year to date.
pub fn caps(p: &Policy, case: &Case, a: &mut Amounts, tr: &mut Trace) {
    // The slip's payment is paid as entered: the caps computed payments have do not cut it.
    if case.known.hifp_pay.is_some() {
        return;
    }
    let c = &p.inpatient.caps;
    // The sentence is made only when the cap binds.
    let limit = |a: &mut Amounts,
                 cap: Money,
                 cite: &Cite,
                 text: &dyn Fn() -> Msg,
                 tr: &mut Trace,
                 which: &str| {
        if a.hifp > cap {
            let cut = a.hifp - cap;
            a.hifp = cap;
            // What the fund no longer pays falls back on the patient, within the same scope.
            a.burden += cut;
            tr.limit(which);
            tr.push("hifp_pay", a.hifp, cite, text());
        }
    };
    if let Some(cap) = c.per_admission {
        let text = || Msg::CapPerAdmission { cap };
        limit(a, cap, &c.cite, &text, tr, "hifp_pay:per_admission");
    }
    if let Some((cap, cite)) = annual_cap(p, case) {
        let before = case.ytd.hifp_pay;
        let left = cap.sat_sub(before);
        let text = || Msg::CapAnnual { cap, before, left };
        limit(a, left, cite, &text, tr, "hifp_pay:annual");
    }
    a.above_cap = above_cap_point(&a.basic_bands, a.hifp);
    if case.accident {
        if let Some(cap) = c.accident_annual {
            let before = case.ytd.accident_fund;
            let left = cap.sat_sub(before);
            let text = || Msg::CapAccident { cap, before, left };
            limit(a, left, &c.cite, &text, tr, "hifp_pay:accident");
        }
    }
}

/// The in-scope cost above the point where the bands' cumulative payment reached `paid` (what
/// the basic fund pays after its caps): the cost whose basic-fund share a cap took away. A band
/// paid in full lies below the point; in the band where the payment ends, the point is
/// `from + (paid − earlier bands) ÷ rate`; every band after it lies above. 0 when the bands
/// paid no more than `paid` (no cap bound).
pub(crate) fn above_cap_point(bands: &[super::schedule::Band], paid: Money) -> Money {
    let mut before = Money::ZERO;
    let mut above = Money::ZERO;
    let mut reached = false;
    for b in bands {
        if reached {
            above += b.to - b.from;
        } else if before + b.pay > paid {
            // rate > 0 here: a band paying nothing cannot pass `paid`.
            let point = b.from + Money((paid - before).0 / b.rate.0);
            above += b.to.sat_sub(point);
            reached = true;
        } else {
            before += b.pay;
        }
    }
    above
}

fn names(l: &crate::policy::Level) -> Names {
    Names::of(&l.name_zh, &l.name_en)
}
