//! Outpatient routes: 门诊统筹, 特慢病门诊, 两病 — ratio, annual deductible, per-visit and annual limits.

use super::Amounts;
use crate::case::Case;
use crate::error::{Code, Problem, Problems};
use crate::message::{Msg, Names};
use crate::money::{Money, Rate};
use crate::policy::{icd_matches, OutpatientKind, OutpatientRoute, PolicyDoc};
use crate::referral::Verdict;
use crate::trace::Trace;

/// The route a visit takes: the one it names, else the chronic route its disease is on, else
/// the general one (门诊统筹). Also what the compiled replay (`replay::compiled`) resolves a
/// visit's route by.
pub(crate) fn select<'p>(doc: &'p PolicyDoc, case: &Case) -> Result<&'p OutpatientRoute, Problems> {
    let routes = &doc.policy.outpatient;
    let found = match (&case.route, &case.disease) {
        (Some(id), _) => routes.iter().find(|r| &r.id == id),
        (None, Some(code)) => routes
            .iter()
            .find(|r| {
                r.kind != OutpatientKind::General && r.diseases.iter().any(|d| icd_matches(d, code))
            })
            .or_else(|| routes.iter().find(|r| r.kind == OutpatientKind::General)),
        (None, None) => routes.iter().find(|r| r.kind == OutpatientKind::General),
    };
    let r = found.ok_or_else(|| {
        Problem::new(
            Code::NoOutpatientRoute,
            "route",
            "本政策没有适用的门诊报销项目",
            "the policy has no outpatient route for this case",
        )
    })?;
    if r.kind != OutpatientKind::General {
        let covered = case
            .disease
            .as_deref()
            .is_some_and(|c| r.diseases.iter().any(|d| icd_matches(d, c)));
        if !covered {
            return Err(Problem::new(
                Code::DiseaseNotOnRoute,
                "disease",
                format!("该疾病不在{}病种范围内", r.name_zh),
                format!("the disease is not on the {} list", r.name_en),
            )
            .into());
        }
    }
    Ok(r)
}

pub fn basic(
    doc: &PolicyDoc,
    case: &Case,
    verdict: &Verdict,
    a: &mut Amounts,
    tr: &mut Trace,
) -> Result<String, Problems> {
    let r = select(doc, case)?;
    if let (Some(max), Some(w)) = (r.max_prescription_weeks, case.prescription_weeks) {
        if w > max {
            return Err(Problem::new(
                Code::PrescriptionTooLong,
                "prescription_weeks",
                format!("长处方最长 {max} 周,填写的是 {w} 周"),
                format!("a long prescription covers at most {max} weeks; {w} given"),
            )
            .into());
        }
    }
    let Terms {
        cite,
        rate,
        annual_ded,
        per_visit_ded,
        annual_cap,
    } = terms(r, case, verdict)?;
    let before = case.ytd.outpatient.get(&r.id).cloned().unwrap_or_default();
    let ded_left = annual_ded.map_or(Default::default(), |d| d.sat_sub(before.deductible_used));
    // A per-visit deductible is paid at every visit, on top of what is left of an annual one.
    a.dedc = (ded_left + per_visit_ded.unwrap_or_default()).min(a.inscope);
    let raw = (a.inscope - a.dedc).times(rate);
    let mut pay = raw;
    let mut per_visit = None;
    if let Some(cap) = r.per_visit_cap {
        if pay > cap {
            pay = cap;
            per_visit = Some(cap);
        }
    }
    let mut annual = None;
    if let Some(cap) = annual_cap {
        let left = cap.sat_sub(before.paid);
        if pay > left {
            pay = left;
            annual = Some((cap, before.paid, left));
        }
    }
    let text = Msg::Outpatient {
        route: Names::of(&r.name_zh, &r.name_en),
        inscope: a.inscope,
        dedc: a.dedc,
        rate,
        raw,
        per_visit,
        annual,
    };
    tr.push("hifp_pay", pay, cite, text);
    let pay = shared_limits(doc, case, r, pay, tr);
    a.hifp = pay;
    a.burden = a.inscope - pay;
    Ok(r.id.clone())
}

/// A route's terms for one visit's patient and level: what depends on who and where, not on
/// the amounts (the compiled replay, `replay::compiled`, takes them from here too).
pub(crate) struct Terms<'p> {
    pub cite: &'p crate::policy::Cite,
    /// The ratio, with the referral penalty's points and factor applied.
    pub rate: Rate,
    pub annual_ded: Option<Money>,
    pub per_visit_ded: Option<Money>,
    pub annual_cap: Option<Money>,
}

pub(crate) fn terms<'p>(
    r: &'p OutpatientRoute,
    case: &Case,
    verdict: &Verdict,
) -> Result<Terms<'p>, Problem> {
    // A category's own terms first (退休: lower deductible, higher ratio and cap).
    let terms = r
        .by_category
        .iter()
        .find(|t| t.categories.contains(&case.patient.category));
    let cite = terms.map_or(&r.cite, |t| &t.cite);
    let own_rate = terms.and_then(|t| t.rates.get(&case.level));
    let rate = *own_rate.or(r.rates.get(&case.level)).ok_or_else(|| {
        Problem::new(
            Code::RouteNotAtLevel,
            "level",
            format!("{}在该级别医疗机构不适用", r.name_zh),
            format!("{} does not apply at this facility level", r.name_en),
        )
    })?;
    let rate = match verdict.penalty.ratio_points {
        Some(pts) => rate.add_points(pts.0),
        None => rate,
    };
    let rate = match verdict.penalty.ratio_factor {
        Some(f) => Rate(rate.0 * f.0),
        None => rate,
    };
    Ok(Terms {
        cite,
        rate,
        annual_ded: terms.and_then(|t| t.deductible).or(r.deductible),
        per_visit_ded: r.per_visit_deductible.get(&case.level).copied(),
        annual_cap: terms.and_then(|t| t.annual_cap).or(r.annual_cap),
    })
}

/// The limits the route shares with others, after its own: each annual limit it shares with
/// other outpatient routes (what all of them paid this year counts), then the basic fund's
/// inpatient annual limit for a route paid on inpatient terms. A limit that binds is a step of
/// its own, citing its clause.
fn shared_limits(
    doc: &PolicyDoc,
    case: &Case,
    r: &OutpatientRoute,
    mut pay: Money,
    tr: &mut Trace,
) -> Money {
    let p = &doc.policy;
    for c in p
        .outpatient_caps
        .iter()
        .filter(|c| c.routes.contains(&r.id))
    {
        let before: Money = c
            .routes
            .iter()
            .filter_map(|id| case.ytd.outpatient.get(id))
            .map(|y| y.paid)
            .sum();
        let left = c.annual_cap.sat_sub(before);
        if pay > left {
            pay = left;
            tr.limit(format!("hifp_pay:combined:{}", c.id));
            let text = Msg::CapCombined {
                name: Names::of(&c.name_zh, &c.name_en),
                cap: c.annual_cap,
                before,
                left,
            };
            tr.push("hifp_pay", pay, &c.cite, text);
        }
    }
    if r.shares_inpatient_cap {
        // Validation requires the policy to have the limit; the stays and every route that
        // shares it count against it (update_ytd adds such a route's payments to hifp_pay).
        if let Some((cap, cite)) = super::general::annual_cap(p, case) {
            let before = case.ytd.hifp_pay;
            let left = cap.sat_sub(before);
            if pay > left {
                pay = left;
                tr.limit("hifp_pay:annual");
                let text = Msg::CapSharedInpatient { cap, before, left };
                tr.push("hifp_pay", pay, cite, text);
            }
        }
    }
    pay
}
