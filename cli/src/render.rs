//! Human-readable output: the trace with citations, then the settlement table.

use crate::Lang;
use serde::Serialize;
use yibao_core::case::Case;
use yibao_core::estimate::FIELDS;
use yibao_core::policy::Status;
use yibao_core::{Estimate, PolicyDoc, RangeEstimate};

/// Columns measured in terminal cells: CJK characters are two cells wide.
pub fn pad(s: &str, width: usize) -> String {
    let cells: usize = s
        .chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(cells)))
}

pub fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn status(s: Status, lang: Lang) -> &'static str {
    s.describe(match lang {
        Lang::Zh => yibao_core::message::Lang::Zh,
        Lang::En => yibao_core::message::Lang::En,
    })
}

pub fn estimate(doc: &PolicyDoc, case: &Case, e: &Estimate, lang: Lang) -> String {
    let p = &doc.policy;
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let name = if zh { &p.meta.name_zh } else { &p.meta.name_en };
    out.push_str(&format!("{name}({})\n", status(p.meta.status, lang)));
    let level = p
        .level(&case.level)
        .map(|l| {
            if zh {
                l.name_zh.as_str()
            } else {
                l.name_en.as_str()
            }
        })
        .unwrap_or("");
    let cat = p
        .category(&case.patient.category)
        .map(|c| {
            if zh {
                c.name_zh.as_str()
            } else {
                c.name_en.as_str()
            }
        })
        .unwrap_or("");
    out.push_str(&format!("{} · {level} · {cat}\n\n", e.receipt.evaluated_at));
    out.push_str(if zh { "计算步骤\n" } else { "Steps\n" });
    for (i, s) in e.steps.iter().enumerate() {
        out.push_str(&format!(
            "{:>2}. {}\n    依据 / source: {}\n",
            i + 1,
            if zh { s.zh() } else { s.en() },
            s.cite.short()
        ));
    }
    out.push_str(if zh {
        "\n结算汇总\n"
    } else {
        "\nSettlement\n"
    });
    for f in FIELDS {
        // A figure the estimate does not have (`balc` without a stated balance) is left out.
        let Some(v) = e.settlement.get(f.key) else {
            continue;
        };
        let (label, key) = if zh { (f.zh, f.key) } else { (f.key, "") };
        out.push_str(&format!(
            "  {} {:<20} {:>12}\n",
            pad(label, 28),
            key,
            v.slip()
        ));
    }
    out.push_str(&format!(
        "\n{} {}\n",
        if zh {
            "实际报销比例"
        } else {
            "Actual reimbursement ratio"
        },
        e.actual_ratio
    ));
    if zh {
        out.push_str(&format!(
            "预计个人负担 {} 元\n",
            e.settlement.psn_part_amt.yuan()
        ));
    } else {
        out.push_str(&format!(
            "Estimated patient payment {}\n",
            e.settlement.psn_part_amt.yuan()
        ));
    }
    out.push_str(&format!(
        "\n{}: {} · policy {} · sha256 {} · {}\n",
        if zh { "回执" } else { "Receipt" },
        e.receipt.engine,
        e.receipt.policy_id,
        &e.receipt.policy_sha256[..16.min(e.receipt.policy_sha256.len())],
        e.receipt.evaluated_at
    ));
    out.push_str(if zh {
        "本结果为预估,不是医保结算单;实际以定点医疗机构结算为准。\n"
    } else {
        "This is an estimate, not a settlement; the hospital's settlement is what counts.\n"
    });
    out
}

pub fn range(doc: &PolicyDoc, r: &RangeEstimate, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let name = if zh {
        &doc.policy.meta.name_zh
    } else {
        &doc.policy.meta.name_en
    };
    out.push_str(&format!("{name}\n"));
    if r.exact {
        out.push_str(if zh {
            "费用明细已知,结果唯一:\n"
        } else {
            "The bill is detailed; one estimate:\n"
        });
    }
    for (label_zh, label_en, e) in [
        ("较低", "low", &r.low),
        ("典型", "typical", &r.typical),
        ("较高", "high", &r.high),
    ] {
        out.push_str(&format!(
            "  {:<8} {} {:>12}   {} {:>12}\n",
            if zh { label_zh } else { label_en },
            if zh { "个人负担" } else { "patient pays" },
            e.settlement.psn_part_amt.yuan(),
            if zh { "基金支付" } else { "funds pay" },
            e.settlement.fund_pay_sumamt.yuan()
        ));
    }
    out
}
