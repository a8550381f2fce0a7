//! Layers after the basic fund (大病保险, 医疗救助, 倾斜救助, 二次补助) and the overall
//! ceilings and floors (综合封顶, 五保 full relief, 兜底 ratio).

use super::schedule::pay_increment;
use super::Amounts;
use crate::case::{Case, Setting, Ytd};
use crate::message::{Msg, Names};
use crate::policy::{Layer, Policy};
use crate::trace::Trace;
use rust_decimal::Decimal;

pub fn layers(p: &Policy, case: &Case, a: &mut Amounts, ytd: &mut Ytd, tr: &mut Trace) {
    for layer in &p.layers {
        if !eligible(layer, case, a) {
            continue;
        }
        let ov = layer
            .overrides
            .iter()
            .find(|o| o.categories.contains(&case.patient.category));
        let threshold = ov.and_then(|o| o.threshold).unwrap_or(layer.threshold);
        let tiers = ov.and_then(|o| o.tiers.as_ref()).unwrap_or(&layer.tiers);
        let points = ov
            .and_then(|o| o.rate_points)
            .map_or(Decimal::ZERO, |p| p.0);
        let cap = if ov.is_some_and(|o| o.no_cap) {
            None
        } else {
            ov.and_then(|o| o.annual_cap).or(layer.annual_cap)
        };
        let before = case.ytd.layers.get(&layer.id).cloned().unwrap_or_default();

        let burden = a.burden;
        let (raw, bands) = pay_increment(tiers, layer.base, threshold, before.base, burden, points);
        let cap_left = cap.map(|c| c.sat_sub(before.paid));
        let pay = cap_left.map_or(raw, |c| raw.min(c)).min(burden);
        a.burden = burden - pay;
        a.paid.push((layer.id.clone(), layer.pays_into, pay));
        let entry = ytd.layers.entry(layer.id.clone()).or_default();
        entry.base = before.base + burden;

        let text = Msg::Layer {
            name: Names::of(&layer.name_zh, &layer.name_en),
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
}

fn eligible(layer: &Layer, case: &Case, a: &Amounts) -> bool {
    layer
        .categories
        .as_ref()
        .is_none_or(|cs| cs.contains(&case.patient.category))
        && layer.min_bill.is_none_or(|m| a.total >= m)
        && (case.setting == Setting::Inpatient || layer.outpatient)
}

pub fn overall(p: &Policy, case: &Case, a: &mut Amounts, tr: &mut Trace) {
    let o = &p.overall;
    if let Some(max) = &o.max_share {
        let limit = a.shared().times(max.rate);
        let mut excess = a.fund_total().sat_sub(limit);
        if !excess.is_zero() {
            let trimmed = excess;
            // Trim the last layer first, the basic fund last.
            for (_, _, paid) in a.paid.iter_mut().rev() {
                let cut = excess.min(*paid);
                *paid = *paid - cut;
                excess = excess - cut;
            }
            let cut = excess.min(a.hifp);
            a.hifp = a.hifp - cut;
            let text = Msg::MaxShare {
                rate: max.rate,
                limit,
                trimmed,
                hospital: a.hosp,
            };
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
