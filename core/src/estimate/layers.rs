//! Layers after the basic fund (大病保险, 医疗救助, 倾斜救助, 二次补助) and the overall
//! ceilings and floors (综合封顶, 五保 full relief, 兜底 ratio).

use super::schedule::pay_increment;
use super::Amounts;
use crate::case::{Case, Setting, Ytd};
use crate::error::{Code, Problem, Problems};
use crate::message::{Msg, Names};
use crate::money::Money;
use crate::policy::{
    icd_matches, CapRaise, Layer, LayerBase, LayerOverride, PaysInto, Policy, Tier,
};
use crate::trace::Trace;
use rust_decimal::Decimal;

/// The layers of one kind, in policy order: the funds' layers (before the overall ceilings) or
/// the commercial supplements (after them: they pay on what the funds leave).
///
/// A payment the slip states (`case.known`) is always paid as entered: by the first eligible
/// layer reported under its key, or, when the policy has no such layer, in a row of its own
/// placed where its payer comes on the slip (大病 → 大额 → 救助 → 其他), so that the layers after it
/// work on what it leaves. A known payment above what is still owed when it is applied is a
/// [`Code::KnownAboveScope`] problem, never clipped.
pub fn layers(
    p: &Policy,
    case: &Case,
    a: &mut Amounts,
    ytd: &mut Ytd,
    tr: &mut Trace,
    commercial: bool,
) -> Result<(), Problems> {
    let mut known_used: Vec<PaysInto> = vec![];
    let mut entered: Vec<(PaysInto, Money)> = if commercial {
        vec![]
    } else {
        without_layer(p, case, a)
    };
    for layer in &p.layers {
        if (layer.pays_into == PaysInto::CommercialPay) != commercial || !eligible(layer, case, a) {
            continue;
        }
        // The slip's payments of the payers that come before this layer's.
        while let Some(&(into, known)) = entered.first() {
            if slip_order(into) >= slip_order(layer.pays_into) {
                break;
            }
            entered.remove(0);
            pay_entered(a, into, known, tr)?;
        }
        let before = case.ytd.layers.get(&layer.id).cloned().unwrap_or_default();
        let burden = match layer.on {
            LayerBase::InScope => a.burden,
            LayerBase::OutOfScope => (a.fulamt + a.overlmt).sat_sub(a.outside_paid),
            LayerBase::AboveBasicCap => a.above_cap.min(a.burden),
        };
        let name = Names::of(&layer.name_zh, &layer.name_en);
        if let Some(known) = case.known.of(layer.pays_into) {
            let pay = if known_used.contains(&layer.pays_into) {
                Money::ZERO
            } else if known > burden {
                let key = layer.pays_into.field();
                return Err(known_above(key, known, burden, layer.on).into());
            } else {
                known
            };
            known_used.push(layer.pays_into);
            pay_out(a, layer, burden, pay);
            ytd.layers.entry(layer.id.clone()).or_default().base = before.base + burden;
            tr.push_input(
                ["layer:", layer.id.as_str()].concat(),
                pay,
                Msg::KnownLayer { name, pay, burden },
            );
            continue;
        }
        let Terms {
            ov,
            threshold,
            tiers,
            points,
            mut cap,
        } = terms(layer, case);
        if let (Some(c), Some(raise)) = (cap, &layer.cap_raise) {
            let (more, text) = cap_raise(raise, c, case);
            if !more.is_zero() {
                cap = Some(c + more);
                tr.push(
                    ["layer:", layer.id.as_str()].concat(),
                    more,
                    &raise.cite,
                    text,
                );
            }
        }

        let (raw, bands) = pay_increment(tiers, layer.base, threshold, before.base, burden, points);
        let cap_left = cap.map(|c| c.sat_sub(before.paid));
        let pay = cap_left.map_or(raw, |c| raw.min(c)).min(burden);
        if cap_left.is_some_and(|l| raw > l) {
            tr.limit(["layer:", layer.id.as_str()].concat());
        }
        pay_out(a, layer, burden, pay);
        let entry = ytd.layers.entry(layer.id.clone()).or_default();
        entry.base = before.base + burden;

        let text = Msg::Layer {
            name,
            burden,
            before: before.base,
            threshold,
            bands,
            cap: match (cap, cap_left) {
                (Some(c), Some(l)) if raw > l => Some((c, l)),
                _ => None,
            },
            pay,
        };
        let cite = ov.map(|o| &o.cite).unwrap_or(&layer.cite);
        tr.push(["layer:", layer.id.as_str()].concat(), pay, cite, text);
    }
    for (into, known) in entered {
        pay_entered(a, into, known, tr)?;
    }
    Ok(())
}

/// The payers whose amount the slip states and for which the policy has no eligible layer of
/// the funds, in slip order.
fn without_layer(p: &Policy, case: &Case, a: &Amounts) -> Vec<(PaysInto, Money)> {
    PaysInto::ALL
        .into_iter()
        .filter(|into| *into != PaysInto::CommercialPay)
        .filter(|into| {
            !p.layers
                .iter()
                .any(|l| l.pays_into == *into && eligible(l, case, a))
        })
        .filter_map(|into| case.known.of(into).map(|m| (into, m)))
        .collect()
}

/// Where a payer comes on the slip (`PaysInto::ALL`'s order): 大病, 大额, 救助, 其他.
fn slip_order(into: PaysInto) -> usize {
    PaysInto::ALL
        .iter()
        .position(|i| *i == into)
        .unwrap_or(usize::MAX)
}

/// A known payment no layer computes: paid as entered, on the in-scope amount still owed.
fn pay_entered(
    a: &mut Amounts,
    into: PaysInto,
    pay: Money,
    tr: &mut Trace,
) -> Result<(), Problems> {
    let key = into.field();
    let burden = a.burden;
    if pay > burden {
        return Err(known_above(key, pay, burden, LayerBase::InScope).into());
    }
    a.burden = burden - pay;
    a.paid.push((["known:", key].concat(), into, pay));
    let left = a.burden;
    tr.push_input(
        key,
        pay,
        Msg::KnownEntered {
            key,
            pay,
            burden,
            left,
        },
    );
    Ok(())
}

/// A known payment (`known.<key>`) above what was still owed when it was applied.
pub(crate) fn known_above(key: &str, known: Money, left: Money, on: LayerBase) -> Problem {
    let (zh, en) = match on {
        LayerBase::InScope => ("政策范围内个人负担", "the in-scope amount still owed"),
        LayerBase::OutOfScope => ("范围外自付", "the out-of-scope self-pay still owed"),
        LayerBase::AboveBasicCap => (
            "统筹基金最高支付限额以上的政策范围内费用",
            "the in-scope cost above the basic fund's cap",
        ),
    };
    Problem::new(
        Code::KnownAboveScope,
        ["known.", key].concat(),
        format!(
            "结算单录入的 {key} {known} 元超过计入它时尚余的{zh} {left} 元;请核对结算单上的各项金额"
        ),
        format!(
            "the known {key} {known} is more than {en} when it is applied, {left}; check the slip's amounts"
        ),
    )
}

/// A layer's terms for this patient: its own, or those of the first override that applies.
pub(crate) struct Terms<'p> {
    pub ov: Option<&'p LayerOverride>,
    pub threshold: Money,
    pub tiers: &'p [Tier],
    pub points: Decimal,
    /// The annual cap before any raise for years of enrolment.
    pub cap: Option<Money>,
}

pub(crate) fn terms<'p>(layer: &'p Layer, case: &Case) -> Terms<'p> {
    let ov = layer.overrides.iter().find(|o| applies(o, case));
    Terms {
        ov,
        threshold: ov.and_then(|o| o.threshold).unwrap_or(layer.threshold),
        tiers: ov.and_then(|o| o.tiers.as_deref()).unwrap_or(&layer.tiers),
        points: ov
            .and_then(|o| o.rate_points)
            .map_or(Decimal::ZERO, |p| p.0),
        cap: if ov.is_some_and(|o| o.no_cap) {
            None
        } else {
            ov.and_then(|o| o.annual_cap).or(layer.annual_cap)
        },
    }
}

/// Record a layer's payment against what it paid on.
fn pay_out(a: &mut Amounts, layer: &Layer, burden: Money, pay: Money) {
    let pay = pay.min(burden);
    match layer.on {
        LayerBase::InScope => a.burden = a.burden.sat_sub(pay),
        LayerBase::OutOfScope => a.outside_paid += pay,
        LayerBase::AboveBasicCap => {
            a.burden = a.burden.sat_sub(pay);
            a.above_cap = a.above_cap.sat_sub(pay);
        }
    }
    a.paid.push((layer.id.clone(), layer.pays_into, pay));
}

/// How much the incentives raise a cap of `cap`, and the sentence saying so.
pub(crate) fn cap_raise(r: &CapRaise, cap: Money, case: &Case) -> (Money, Msg) {
    let continuous = case.patient.continuous_years.unwrap_or(0);
    let claim_free = case.patient.claim_free_years.unwrap_or(0);
    let extra_years = continuous.saturating_sub(r.after_years);
    let raw = Money(
        r.per_continuous_year.0 * Decimal::from(extra_years)
            + r.per_claim_free_year.0 * Decimal::from(claim_free),
    );
    let limit = r.max_share.map(|s| cap.times(s));
    let more = limit.map_or(raw, |l| raw.min(l));
    let text = Msg::CapRaise {
        continuous,
        extra_years,
        claim_free,
        raw,
        limit,
        cap: cap + more,
    };
    (more, text)
}

/// Whether an override's terms are this patient's: the category and the disease, each when listed.
fn applies(o: &LayerOverride, case: &Case) -> bool {
    (o.categories.is_empty() || o.categories.contains(&case.patient.category))
        && (o.diseases.is_empty()
            || case
                .disease
                .as_deref()
                .is_some_and(|c| o.diseases.iter().any(|d| icd_matches(d, c))))
}

fn eligible(layer: &Layer, case: &Case, a: &Amounts) -> bool {
    layer
        .categories
        .as_ref()
        .is_none_or(|cs| cs.contains(&case.patient.category))
        && layer.min_bill.is_none_or(|m| a.total >= m)
        && (case.setting == Setting::Inpatient || layer.outpatient)
        && (!layer.opt_in || case.supplements.contains(&layer.id))
}

pub fn overall(p: &Policy, case: &Case, a: &mut Amounts, tr: &mut Trace) {
    let o = &p.overall;
    if let Some(max) = &o.max_share {
        let limit = a.shared().times(max.rate);
        let mut excess = a.fund_total().sat_sub(limit);
        if !excess.is_zero() {
            let over = excess;
            // Trim the last layer first, the basic fund last; what the slip states is paid as
            // entered and never trimmed.
            for (_, into, paid) in a.paid.iter_mut().rev() {
                if case.known.of(*into).is_some() {
                    continue;
                }
                let cut = excess.min(*paid);
                *paid = *paid - cut;
                excess = excess - cut;
            }
            if case.known.hifp_pay.is_none() {
                let cut = excess.min(a.hifp);
                a.hifp = a.hifp - cut;
                excess = excess - cut;
            }
            let trimmed = over - excess;
            let text = Msg::MaxShare {
                rate: max.rate,
                limit,
                trimmed,
                hospital: a.hosp,
            };
            tr.limit("overall:max_share");
            tr.push("overall", limit, &max.cite, text);
        }
    }
    let patient = |a: &Amounts| a.total.sat_sub(a.fund_total()).sat_sub(a.hosp);
    for f in o
        .floor
        .iter()
        .filter(|f| f.categories.contains(&case.patient.category))
    {
        let target = a.shared().times(f.min_ratio);
        let top_up = target.sat_sub(a.fund_total()).min(patient(a));
        if !top_up.is_zero() {
            a.paid.push(("floor".into(), f.pays_into, top_up));
            let text = Msg::Floor {
                min: f.min_ratio,
                top_up,
                hospital: a.hosp,
            };
            tr.push("overall", top_up, &f.cite, text);
        }
    }
    if let Some(f) = o
        .full_relief
        .iter()
        .find(|f| f.categories.contains(&case.patient.category))
    {
        let rest = patient(a);
        if !rest.is_zero() {
            a.paid.push(("full_relief".into(), f.pays_into, rest));
            let category = p
                .category(&case.patient.category)
                .map(|c| Names::of(&c.name_zh, &c.name_en))
                .unwrap_or_else(|| Names::of("", ""));
            tr.push("overall", rest, &f.cite, Msg::FullRelief { category, rest });
        }
    }
}
