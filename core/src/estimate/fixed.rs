//! Fixed-amount routes (单病种, 分娩, 分级诊疗病种定额, per-eye) that replace the general formula.

use super::Amounts;
use crate::case::Case;
use crate::error::{Code, Problem, Problems};
use crate::message::{Msg, Names};
use crate::money::Money;
use crate::policy::{icd_matches, FixedKind, FixedRoute, Policy};
use crate::trace::Trace;
use std::collections::BTreeMap;

/// The route the case asked for, or an automatic one (分级诊疗病种 at its designated level).
pub fn select<'p>(p: &'p Policy, case: &Case) -> Result<Option<&'p FixedRoute>, Problems> {
    if let Some(id) = &case.route {
        let r = p.fixed.iter().find(|r| &r.id == id).ok_or_else(|| {
            Problem::new(
                Code::UnknownRoute,
                "route",
                format!("本政策没有 \"{id}\" 这一定额病种/项目"),
                format!("the policy has no fixed-amount route \"{id}\""),
            )
        })?;
        if !available(r, &case.level) {
            return Err(Problem::new(
                Code::RouteNotAtLevel,
                "route",
                format!("{}在该级别医疗机构不适用", r.name_zh),
                format!("{} does not apply at this facility level", r.name_en),
            )
            .into());
        }
        return Ok(Some(r));
    }
    let Some(code) = case.disease.as_deref() else {
        return Ok(None);
    };
    Ok(p.fixed.iter().find(|r| {
        r.automatic && available(r, &case.level) && r.diseases.iter().any(|d| icd_matches(d, code))
    }))
}

fn available(r: &FixedRoute, level: &str) -> bool {
    let has = |m: &BTreeMap<String, _>| m.contains_key(level) || m.contains_key("*");
    has(&r.quota) || has(&r.fund_amount) || r.fund_rate.contains_key(level)
}

fn by_level<T: Copy>(m: &BTreeMap<String, T>, level: &str) -> Option<T> {
    m.get(level).or_else(|| m.get("*")).copied()
}

pub fn apply(case: &Case, r: &FixedRoute, a: &mut Amounts, tr: &mut Trace) {
    let quota = by_level(&r.quota, &case.level);
    let covered = quota.map_or(a.total, |q| a.total.min(q));
    let units = if r.kind == FixedKind::PerUnit {
        case.units.unwrap_or(1).max(1)
    } else {
        1
    };
    let fund = match (
        by_level(&r.fund_amount, &case.level),
        r.fund_rate.get(&case.level),
    ) {
        (Some(amount), _) => Money(amount.0 * rust_decimal::Decimal::from(units)).min(covered),
        (None, Some(rate)) if r.in_scope_only && quota.is_none() => {
            covered.min(a.inscope).times(*rate)
        }
        (None, Some(rate)) => covered.times(*rate),
        (None, None) => Money::ZERO,
    };
    a.hifp = fund;
    a.dedc = Money::ZERO;
    if r.hospital_bears_excess {
        a.hosp = a.total - covered;
    }
    // What later layers work on: under a quota the quota is the payment standard, so the
    // patient's whole share of it counts; without one, only the in-scope part of the bill does.
    a.burden = match quota {
        Some(_) => covered.sat_sub(fund),
        None => covered.min(a.inscope).sat_sub(fund),
    };
    let route = Names::of(&r.name_zh, &r.name_en);
    tr.push(
        "hifp_pay",
        fund,
        &r.cite,
        Msg::FixedRoute {
            route,
            quota,
            fund,
            units,
        },
    );
    if r.hospital_bears_excess && !a.hosp.is_zero() {
        tr.push(
            "hosp_part_amt",
            a.hosp,
            &r.cite,
            Msg::HospitalExcess { amount: a.hosp },
        );
    }
}
