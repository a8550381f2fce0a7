//! Human-readable output: the trace with citations, then the settlement table.

use crate::Lang;
use serde::Serialize;
use yibao_core::case::Case;
use yibao_core::estimate::FIELDS;
use yibao_core::policy::Status;
use yibao_core::reconcile::{self, Reconciliation};
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
    // The amounts the case took from the settlement slip, marked as such beside their row.
    let k = &case.known;
    let entered = [
        ("hifp_pay", k.hifp_pay),
        ("hifmi_pay", k.hifmi_pay),
        ("hifob_pay", k.hifob_pay),
        ("maf_pay", k.maf_pay),
        ("oth_pay", k.oth_pay),
    ];
    for f in FIELDS {
        // A figure the estimate does not have (`balc` without a stated balance) is left out.
        let Some(v) = e.settlement.get(f.key) else {
            continue;
        };
        let (label, key) = if zh { (f.zh, f.key) } else { (f.key, "") };
        let from_slip = entered.iter().any(|(k, m)| *k == f.key && m.is_some());
        out.push_str(&format!(
            "  {} {:<20} {:>12}{}\n",
            pad(label, 28),
            key,
            v.slip(),
            match (from_slip, zh) {
                (false, _) => "",
                (true, true) => "  按结算单录入",
                (true, false) => "  as entered from the settlement slip",
            }
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
    if let Some((why_zh, why_en)) = e.why_nothing_paid() {
        out.push_str(&format!("  ! {}\n", if zh { why_zh } else { why_en }));
    }
    out.push_str(&assumptions(&e.assumptions, lang));
    out.push_str(&caveats(&e.caveats, lang));
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

/// The blank questions the estimate answered for the patient, right under the figure.
pub fn assumptions(a: &[yibao_core::estimate::assume::Assumption], lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    a.iter()
        .map(|a| {
            let mut s = format!("  ? {}\n", if zh { &a.zh } else { &a.en });
            // The clauses it relies on, as every step cites its own.
            for c in &a.cites {
                s.push_str(&format!(
                    "    {} {}\n",
                    if zh { "依据" } else { "clause" },
                    c.short()
                ));
            }
            s
        })
        .collect()
}

/// What the estimate leaves out, right under the figure.
pub fn caveats(c: &yibao_core::caveats::Caveats, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    if c.is_empty() {
        return out;
    }
    out.push_str(if zh {
        "\n本估算未包含 / 须知\n"
    } else {
        "\nWhat this estimate leaves out\n"
    });
    for o in &c.not_encoded {
        out.push_str(&format!(
            "  ! {}\n    依据 / source: {}\n",
            if zh { &o.zh } else { &o.en },
            o.cite.short()
        ));
    }
    for i in &c.illustrative {
        out.push_str(&format!(
            "  ~ {} {}\n",
            if zh {
                "示意值(非本地正式规定):"
            } else {
                "illustrative value (not the county's own rule):"
            },
            i.cite.short()
        ));
    }
    if c.evidence.status != Status::Official {
        out.push_str(&format!(
            "  · {}{}\n",
            if zh { "政策依据:" } else { "Evidence: " },
            if zh { &c.evidence.zh } else { &c.evidence.en }
        ));
    }
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
    // The same blank is answered the same way at every mix point: the typical one says it.
    out.push_str(&assumptions(&r.typical.assumptions, lang));
    if let Some(c) =
        yibao_core::caveats::Caveats::merged([&r.low, &r.typical, &r.high].map(|e| &e.caveats))
    {
        out.push_str(&caveats(&c, lang));
    }
    out
}

/// A reconciliation: the table of figures, slip beside estimate, then why each figure is what
/// it is, then the slip's keys that are not settlement figures.
pub fn reconciliation(doc: &PolicyDoc, r: &Reconciliation, lang: Lang) -> String {
    use std::fmt::Write;
    let zh = lang == Lang::Zh;
    let mut o = String::new();
    let name = if zh {
        &doc.policy.meta.name_zh
    } else {
        &doc.policy.meta.name_en
    };
    let _ = writeln!(
        o,
        "{}:{name}\n",
        if zh {
            "结算单核对"
        } else {
            "Reconciling the slip"
        }
    );
    let (k, s, e, d, v) = if zh {
        ("项目", "结算单", "估算", "差额", "结果")
    } else {
        ("field", "slip", "estimate", "difference", "result")
    };
    let _ = writeln!(o, "  {} {:>14} {:>14} {:>12}  {v}", pad(k, 22), s, e, d);
    for l in &r.lines {
        let (label_zh, label_en) = l.status.label();
        let status = match (l.status, zh) {
            (_, true) => label_zh.to_string(),
            // In capitals in a terminal, where nothing else marks it.
            (reconcile::Status::Different, false) => label_en.to_uppercase(),
            (_, false) => label_en.to_string(),
        };
        let _ = writeln!(
            o,
            "  {} {:>14} {:>14} {:>12}  {status}",
            pad(l.key, 22),
            l.slip.as_deref().unwrap_or("—"),
            l.estimate.as_deref().unwrap_or("—"),
            l.difference.as_deref().unwrap_or(""),
        );
    }
    o.push_str(if zh { "\n说明\n" } else { "\nWhy\n" });
    for l in &r.lines {
        let (label, text) = if zh {
            (l.zh, &l.explanation_zh)
        } else {
            (l.en, &l.explanation_en)
        };
        let _ = writeln!(o, "  {} {label}\n    {text}", l.key);
    }
    if !r.unknown.is_empty() {
        o.push_str(if zh {
            "\n结算单中的其他项(不是结算金额,未核对)\n"
        } else {
            "\nOther keys of the slip (not settlement figures; not compared)\n"
        });
        for u in &r.unknown {
            let _ = writeln!(o, "  {} = {}", u.key, u.value);
        }
    }
    let _ = writeln!(
        o,
        "\n{}",
        match (r.different, zh) {
            (0, true) => "各项一致(缺项见上)。".to_string(),
            (0, false) => "No figure differs (missing ones are listed above).".to_string(),
            (n, true) => format!("{n} 项不一致。"),
            (n, false) => format!("{n} figure(s) differ."),
        }
    );
    o
}
