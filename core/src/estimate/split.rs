//! Step 1: split the bill into 全自费, 超限价, 先行自付 and 政策范围内.

use super::Amounts;
use crate::case::Bill;
use crate::error::{Problem, Problems};
use crate::money::{Money, Rate};
use crate::policy::{ItemClass, Policy};
use crate::trace::Trace;

/// Which of the typical mixes to use when only a total is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MixPoint {
    Low = 0,
    Typical = 1,
    High = 2,
}

pub fn split(
    p: &Policy,
    level: &str,
    bill: &Bill,
    mix: MixPoint,
    tr: &mut Trace,
) -> Result<Amounts, Problems> {
    let mut a = Amounts::default();
    if !bill.items.is_empty() {
        let rules = p.bill.as_ref();
        for item in &bill.items {
            a.total += item.amount;
            if item.class == ItemClass::Bing {
                a.fulamt += item.amount;
                continue;
            }
            let allowed = item.limit.map_or(item.amount, |l| item.amount.min(l));
            a.overlmt += item.amount - allowed;
            let share = rules
                .and_then(|r| r.preselfpay.get(&item.class))
                .copied()
                .unwrap_or(Rate::ZERO);
            let pre = allowed.times(share);
            a.pre += pre;
            a.inscope += allowed - pre;
        }
        let cite = rules
            .map(|r| &r.cite)
            .unwrap_or(&p.inpatient.deductible.cite);
        tr.push(
            "split",
            a.inscope,
            cite,
            format!(
                "{} 项费用合计 {} 元:全自费(丙类){} 元,超限价 {} 元,乙类/特殊项目先行自付 {} 元,政策范围内 {} 元",
                bill.items.len(),
                a.total,
                a.fulamt,
                a.overlmt,
                a.pre,
                a.inscope
            ),
            format!(
                "{} items totalling {}: outside catalogue {}, above price cap {}, paid first (class B/special) {}, in scope {}",
                bill.items.len(),
                a.total,
                a.fulamt,
                a.overlmt,
                a.pre,
                a.inscope
            ),
        );
        return Ok(a);
    }
    let total = bill.total.ok_or_else(|| {
        Problem::new(
            "missing_bill",
            "bill",
            "请填写费用总额或费用明细",
            "give the bill total or its line items",
        )
    })?;
    a.total = total;
    if let Some(in_scope) = bill.in_scope {
        if in_scope > total {
            return Err(Problem::new(
                "in_scope_above_total",
                "bill.in_scope",
                format!("政策范围内费用 {in_scope} 元超过总额 {total} 元"),
                format!("in-scope amount {in_scope} exceeds the total {total}"),
            )
            .into());
        }
        a.fulamt = total - in_scope;
        a.inscope = in_scope;
        tr.push_input(
            "split",
            a.inscope,
            format!("费用总额 {total} 元,其中政策范围内 {in_scope} 元,范围外 {} 元由个人负担", a.fulamt),
            format!("bill {total}, of which {in_scope} in scope; {} outside scope is paid by the patient", a.fulamt),
        );
        return Ok(a);
    }
    match p
        .typical_mix
        .as_ref()
        .and_then(|t| t.by_level.get(level).map(|m| (t, m)))
    {
        Some((tm, mix_of_level)) => {
            let i = mix as usize;
            a.fulamt = total.times(mix_of_level.out_of_scope[i]);
            a.pre = total.times(mix_of_level.preselfpay[i]);
            a.inscope = total - a.fulamt - a.pre;
            let (zh_point, en_point) = match mix {
                MixPoint::Low => ("较低", "low"),
                MixPoint::Typical => ("典型", "typical"),
                MixPoint::High => ("较高", "high"),
            };
            tr.push(
                "split",
                a.inscope,
                &tm.cite,
                format!(
                    "只知总额 {total} 元,按本级别{zh_point}费用结构估算:范围外 {} ({} 元),先行自付 {} ({} 元),政策范围内 {} 元",
                    mix_of_level.out_of_scope[i], a.fulamt, mix_of_level.preselfpay[i], a.pre, a.inscope
                ),
                format!(
                    "only the total {total} is known; {en_point} mix for this level: outside scope {} ({}), paid first {} ({}), in scope {}",
                    mix_of_level.out_of_scope[i], a.fulamt, mix_of_level.preselfpay[i], a.pre, a.inscope
                ),
            );
        }
        None => {
            a.inscope = total;
            tr.push(
                "split",
                a.inscope,
                &p.inpatient.deductible.cite,
                format!("只知总额 {total} 元,本政策未给出费用结构,按全部为政策范围内估算(可能偏低)"),
                format!("only the total {total} is known and the policy gives no cost mix; all of it is treated as in scope (may understate)"),
            );
        }
    }
    Ok(a)
}

/// 先行自付 imposed by a referral penalty: a share of the in-scope amount moves to the patient first.
pub fn penalty_preselfpay(a: &mut Amounts, share: Rate) -> Money {
    let moved = a.inscope.times(share);
    a.inscope = a.inscope - moved;
    a.pre += moved;
    moved
}
