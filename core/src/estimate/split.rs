//! Step 1: split the bill into 全自费, 超限价, 先行自付 and 政策范围内.

use super::Amounts;
use crate::case::Bill;
use crate::error::{Code, Problem, Problems};
use crate::message::{MixName, Msg};
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
            // Most items have no price cap and no 先行自付 share: skip the arithmetic then.
            let allowed = match item.limit {
                Some(l) if l < item.amount => {
                    a.overlmt += item.amount - l;
                    l
                }
                _ => item.amount,
            };
            match rules.and_then(|r| r.preselfpay.get(&item.class)) {
                Some(share) if !share.0.is_zero() => {
                    let pre = allowed.times(*share);
                    a.pre += pre;
                    a.inscope += allowed - pre;
                }
                _ => a.inscope += allowed,
            }
        }
        let cite = rules
            .map(|r| &r.cite)
            .unwrap_or(&p.inpatient.deductible.cite);
        let text = Msg::SplitItems {
            n: bill.items.len(),
            total: a.total,
            fulamt: a.fulamt,
            overlmt: a.overlmt,
            pre: a.pre,
            inscope: a.inscope,
        };
        tr.push("split", a.inscope, cite, text);
        return Ok(a);
    }
    let total = bill.total.ok_or_else(|| {
        Problem::new(
            Code::MissingBill,
            "bill",
            "请填写费用总额或费用明细",
            "give the bill total or its line items",
        )
    })?;
    a.total = total;
    if let Some(in_scope) = bill.in_scope {
        if in_scope > total {
            return Err(Problem::new(
                Code::InScopeAboveTotal,
                "bill.in_scope",
                format!("政策范围内费用 {in_scope} 元超过总额 {total} 元"),
                format!("in-scope amount {in_scope} exceeds the total {total}"),
            )
            .into());
        }
        a.fulamt = total - in_scope;
        a.inscope = in_scope;
        let text = Msg::SplitKnown {
            total,
            in_scope,
            outside: a.fulamt,
        };
        tr.push_input("split", a.inscope, text);
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
            let text = Msg::SplitMix {
                total,
                mix: match mix {
                    MixPoint::Low => MixName::Low,
                    MixPoint::Typical => MixName::Typical,
                    MixPoint::High => MixName::High,
                },
                out_rate: mix_of_level.out_of_scope[i],
                out: a.fulamt,
                pre_rate: mix_of_level.preselfpay[i],
                pre: a.pre,
                inscope: a.inscope,
            };
            tr.push("split", a.inscope, &tm.cite, text);
        }
        None => {
            a.inscope = total;
            let cite = &p.inpatient.deductible.cite;
            tr.push("split", a.inscope, cite, Msg::SplitAllInScope { total });
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
