//! Layers after the basic fund (大病保险, 医疗救助, 倾斜救助, 二次补助) and the overall
//! ceilings and floors (综合封顶, 五保 full relief, 兜底 ratio).

use super::schedule::{describe_bands, pay_increment};
use super::Amounts;
use crate::case::{Case, Setting, Ytd};
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

        let (bz, be) = describe_bands(&bands);
        let ytd_zh = if before.base.is_zero() {
            String::new()
        } else {
            format!("(本年此前已累计 {} 元)", before.base)
        };
        let ytd_en = if before.base.is_zero() {
            String::new()
        } else {
            format!(" ({} already counted this year)", before.base)
        };
        let cap_zh = match (cap, cap_left) {
            (Some(c), Some(l)) if raw > l => format!(";年度限额 {c} 元,本次最多 {l} 元"),
            _ => String::new(),
        };
        let cap_en = match (cap, cap_left) {
            (Some(c), Some(l)) if raw > l => format!("; annual cap {c}, at most {l} now"),
            _ => String::new(),
        };
        let ov_cite = ov.map(|o| &o.cite);
        tr.push(
            format!("layer:{}", layer.id),
            pay,
            ov_cite.unwrap_or(&layer.cite),
            format!(
                "{}:尚需个人负担的政策范围内费用 {burden} 元{ytd_zh},起付标准 {threshold} 元;{}{cap_zh};支付 {pay} 元",
                layer.name_zh,
                if bz.is_empty() { "未达起付标准".to_string() } else { bz }
            ),
            format!(
                "{}: in-scope amount still owed {burden}{ytd_en}, threshold {threshold}; {}{cap_en}; pays {pay}",
                layer.name_en,
                if be.is_empty() { "below the threshold".to_string() } else { be }
            ),
        );
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
        let limit = a.total.times(max.rate);
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
            tr.push(
                "overall",
                limit,
                &max.cite,
                format!(
                    "各项支付合计不超过医疗费用的 {}({limit} 元),核减 {trimmed} 元",
                    max.rate
                ),
                format!(
                    "all payers together at most {} of the bill ({limit}); {trimmed} trimmed",
                    max.rate
                ),
            );
        }
    }
    let patient = |a: &Amounts| a.total.sat_sub(a.fund_total()).sat_sub(a.hosp);
    for f in o
        .floor
        .iter()
        .filter(|f| f.categories.contains(&case.patient.category))
    {
        let target = a.total.times(f.min_ratio);
        let top_up = target.sat_sub(a.fund_total()).min(patient(a));
        if !top_up.is_zero() {
            a.paid.push(("floor".into(), f.pays_into, top_up));
            tr.push(
                "overall",
                top_up,
                &f.cite,
                format!(
                    "兜底保障:实际报销比例不低于 {},补足 {top_up} 元",
                    f.min_ratio
                ),
                format!(
                    "guarantee: the actual ratio is at least {}; {top_up} added",
                    f.min_ratio
                ),
            );
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
            let cat = p
                .category(&case.patient.category)
                .map(|c| (c.name_zh.as_str(), c.name_en.as_str()))
                .unwrap_or(("", ""));
            tr.push(
                "overall",
                rest,
                &f.cite,
                format!("{}个人不负担费用,剩余 {rest} 元由救助全额支付", cat.0),
                format!("{}: the patient pays nothing; the remaining {rest} is paid in full by assistance", cat.1),
            );
        }
    }
}
