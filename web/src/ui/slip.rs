//! The answer's figures: who pays (the bar and its legend), the engine's steps with their
//! clauses, the referral check's verdict and the desk's receipt line.

use super::Shared;
use crate::model::{yuan, Lang};
use yew::prelude::*;
use yibao_core::estimate::Key;
use yibao_core::policy::Policy;
use yibao_core::referral::Eligibility;
use yibao_core::{Estimate, Money, PolicyDoc, RangeEstimate};

/// What the patient pays: one amount, or low – high when the bill's make-up is not known.
pub fn range_text(lang: Lang, low: Money, typical: Money, high: Money, whole: bool) -> String {
    if low == high {
        format!("{}{}", yuan(typical, whole), lang.t(" 元", ""))
    } else {
        format!(
            "{} – {}{}",
            yuan(low, whole),
            yuan(high, whole),
            lang.t(" 元", "")
        )
    }
}

/// What the patient pays under a range estimate.
pub fn range_of(lang: Lang, range: &RangeEstimate, whole: bool) -> String {
    range_text(
        lang,
        range.low.settlement.psn_part_amt,
        range.typical.settlement.psn_part_amt,
        range.high.settlement.psn_part_amt,
        whole,
    )
}

/// One share of the bill in the who-pays bar; `key` names its colour (`yb-f-…`, `yb-b-…`).
struct Payer {
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    amount: Money,
}

/// Who pays, leaving out a payer no rule of the policy can make pay (an employee policy has no
/// 医疗救助 layer; only a quota route makes the hospital bear anything).
///
/// The labels are the resident's words for each payer, not the settlement table's (core's
/// `settlement!` rows: `基本统筹`, `个人负担`, `医院负担` are a clerk's and an auditor's words;
/// here a share is 基本医保, 自付, 医院承担), and one bar may add two fields (大病保险 and
/// 职工大额, 医疗救助 and 其他支付); which fields each share is, is core's `Key`.
fn payers(policy: &Policy, estimate: &Estimate) -> Vec<Payer> {
    let s = &estimate.settlement;
    let fills = |k: Key| policy.fills(k.as_str());
    // An employee policy's second layer is 大额医疗补助, a resident's 大病保险: name the one it has.
    let (large_zh, large_en) = if fills(Key::HifobPay) && !fills(Key::HifmiPay) {
        ("大额医疗补助", "Large-amount subsidy")
    } else {
        ("大病保险", "Critical illness")
    };
    let payer = |key, zh, en, amount| Payer {
        key,
        zh,
        en,
        amount,
    };
    let layer = fills(Key::HifmiPay) || fills(Key::HifobPay);
    let assistance = fills(Key::MafPay) || fills(Key::OthPay);
    let hospital = fills(Key::HospPartAmt);
    [
        (
            true,
            payer("hifp", "基本医保", "Basic insurance", s.hifp_pay),
        ),
        (
            layer,
            payer("hifmi", large_zh, large_en, s.hifmi_pay + s.hifob_pay),
        ),
        (
            assistance,
            payer(
                "maf",
                "医疗救助",
                "Medical assistance",
                s.maf_pay + s.oth_pay,
            ),
        ),
        (
            hospital,
            payer("hosp", "医院承担", "Hospital bears", s.hosp_part_amt),
        ),
        (true, payer("psn", "自付", "You pay", s.psn_part_amt)),
    ]
    .into_iter()
    // A payer that did pay is always shown, whatever the policy says it can.
    .filter(|(can, p)| *can || !p.amount.is_zero())
    .map(|(_, p)| p)
    .collect()
}

/// An answer's typical estimate, as the pieces below show it.
#[derive(Properties, PartialEq, Clone)]
pub struct EstimateProps {
    pub lang: Lang,
    pub range: Shared<RangeEstimate>,
}

#[derive(Properties, PartialEq, Clone)]
pub struct WhoPaysProps {
    pub lang: Lang,
    pub doc: Shared<PolicyDoc>,
    pub range: Shared<RangeEstimate>,
    /// Whole yuan (the resident's answer) or fen (the desk's sheet).
    pub whole: bool,
}

/// One bar split by who pays, drawn in SVG (no inline styles: works under a strict CSP).
pub fn who_pays(p: &WhoPaysProps) -> Html {
    let (lang, whole) = (p.lang, p.whole);
    let estimate = &p.range.typical;
    let payers = payers(&p.doc.policy, estimate);
    let total = estimate.settlement.medfee_sumamt;
    // Widths in thousandths of the bar, in decimal (no float formatting code in the wasm).
    let thousand = Money::parse("1000").unwrap_or_default().0;
    let mut x = Money::ZERO;
    let rects = payers.iter().filter(|p| !p.amount.is_zero()).map(|p| {
        let width = if total.is_zero() { Money::ZERO } else { Money((p.amount.0 * thousand / total.0).round_dp(1)) };
        let rect = html! { <rect class={format!("yb-f-{}", p.key)} x={x.to_string()} y="0" width={width.to_string()} height="36"><title>{ format!("{} {}", lang.t(p.zh, p.en), yuan(p.amount, whole)) }</title></rect> };
        x += width;
        rect
    }).collect::<Html>();
    let s = &estimate.settlement;
    let other_pay = s.oth_pay;
    html! {
        <figure class="yb-bar">
            <figcaption>{ lang.t("谁来付钱", "Who pays") }{ " · " }{ lang.t("总费用 ", "total ") }{ yuan(total, whole) }{ lang.t(" 元", " yuan") }</figcaption>
            <svg viewBox="0 0 1000 36" preserveAspectRatio="none" role="img" aria-label={lang.t("费用分担条", "cost split bar")}>{ rects }</svg>
            <ul class="yb-legend">
                { for payers.iter().map(|p| html! {
                    <li class={classes!(p.amount.is_zero().then_some("yb-zero"))}>
                        <span class={format!("yb-sw yb-b-{}", p.key)} aria-hidden="true"></span>
                        <span class="yb-lab">{ lang.t(p.zh, p.en) }</span>
                        <span class="yb-amt">{ yuan(p.amount, whole) }</span>
                    </li>
                }) }
            </ul>
            if !(s.acct_pay + s.acct_mulaid_pay).is_zero() {
                <p class="yb-hint yb-acct">{ lang.t("自付部分中:个人账户 ", "of what you pay: personal account ") }{ yuan(s.acct_pay, whole) }{ lang.t(" 元,家庭共济 ", ", family account ") }{ yuan(s.acct_mulaid_pay, whole) }{ lang.t(" 元,现金 ", ", cash ") }{ yuan(s.psn_cash_pay, whole) }{ lang.t(" 元", "") }</p>
            }
            if !s.yb_commercial_pay.is_zero() {
                <p class="yb-hint yb-commercial">{ lang.t("另可向惠民保等商业补充保险申请理赔约 ", "a commercial supplement (惠民保) may then refund about ") }{ yuan(s.yb_commercial_pay, whole) }{ lang.t(" 元", " yuan") }</p>
            }
            if !other_pay.is_zero() {
                <p class="yb-hint">{ lang.t("医疗救助含倾斜救助/二次补助等其他支付 ", "assistance includes other payments (extra relief, second subsidy) of ") }{ yuan(other_pay, whole) }</p>
            }
        </figure>
    }
}

/// The engine's steps, each with its policy clause.
pub fn trace(p: &EstimateProps) -> Html {
    let lang = p.lang;
    html! {
        <ol class="yb-steps">
            { for p.range.typical.steps.iter().map(|step| html! {
                <li>
                    <p>{ step.word(lang) }</p>
                    <p class="yb-cite">
                        { step.cite.short() }
                        if step.cite.illustrative {
                            <span class="yb-illus" title={lang.t("示意值:不是任何地区的正式规定", "illustrative value: not any region's official rule")}>{ lang.t("示意", "illustrative") }</span>
                        }
                    </p>
                </li>
            }) }
        </ol>
    }
}

/// The referral check's verdict: allowed, penalised or not reimbursed, why, and what to do.
pub fn verdict(p: &EstimateProps) -> Html {
    let lang = p.lang;
    let estimate = &p.range.typical;
    let verdict = &estimate.referral;
    let (class, icon) = match verdict.eligibility {
        Eligibility::Allowed => ("yb-ok", "✓"),
        Eligibility::Penalised => ("yb-warnbox", "!"),
        Eligibility::NotReimbursed => ("yb-bad", "✕"),
    };
    // An exemption is only worth saying when it is why the stay is allowed.
    let findings: Vec<_> = verdict
        .findings
        .iter()
        .filter(|f| f.rule != "exempt" || verdict.eligibility == Eligibility::Allowed)
        .collect();
    // A stay the funds pay nothing for is not shown as plainly "reimbursed": the reason comes first.
    let nothing = estimate.why_nothing_paid();
    let (class, icon) = if nothing.is_some() {
        ("yb-warnbox", "!")
    } else {
        (class, icon)
    };
    html! {
        <div class={classes!("yb-verdict", class)}>
            <p class="yb-vhead"><span class="yb-icon" aria-hidden="true">{ icon }</span>{ lang.t(verdict.eligibility.zh(), verdict.eligibility.en()) }</p>
            if let Some((zh, en)) = &nothing {
                <p class="yb-vtext" id="yb-nothing">{ lang.t(zh, en) }</p>
            }
            { for findings.iter().map(|f| html!{ <p class="yb-vtext">{ lang.t(&f.zh, &f.en) }</p> }) }
            { for verdict.advice_zh.iter().zip(&verdict.advice_en).map(|(zh, en)| html!{ <p class="yb-advice">{ "→ " }{ lang.t(zh, en) }</p> }) }
        </div>
    }
}

/// The printed sheet's receipt line: the policy, its fingerprint, the rules' date, the day it
/// was printed and the engine.
#[cfg(feature = "desk")]
pub fn receipt(p: &EstimateProps) -> Html {
    let lang = p.lang;
    let receipt = &p.range.typical.receipt;
    let printed = super::today();
    // By characters: a host's exported policy may carry any text as its fingerprint, and a
    // byte slice inside a character would trap.
    let short_hash: String = receipt.policy_sha256.chars().take(16).collect();
    html! {
        <p class="yb-receipt">
            { lang.t("政策 ", "policy ") }<span class="yb-code">{ &receipt.policy_id }</span>
            { " · SHA-256 " }<span class="yb-code" title={receipt.policy_sha256.clone()}>{ short_hash }</span>
            { lang.t(" · 按 ", " · rules of ") }{ receipt.evaluated_at.to_string() }
            { lang.t(" · 打印于 ", " · printed ") }{ printed.to_string() }
            { " · " }{ &receipt.engine }
        </p>
    }
}
