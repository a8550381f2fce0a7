//! The pathway comparison: every sensible place side by side, the recommended one marked (cards
//! on a phone, a table at the desk), or why there is none.

use super::slip::range_text;
use super::Shared;
use crate::model::{FieldMsg, Lang};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::referral::compare::{Comparison, PathOption};
use yibao_core::referral::Eligibility;

#[derive(Properties, PartialEq, Clone)]
pub struct PathwaysProps {
    pub lang: Lang,
    pub comparison: Shared<Comparison>,
    /// The desk's table rather than the phone's cards.
    pub as_table: bool,
}

#[function_component(Pathways)]
pub fn pathways(p: &PathwaysProps) -> Html {
    let lang = p.lang;
    let comparison = &p.comparison;
    let cover = |eligibility: Eligibility| match eligibility {
        Eligibility::Allowed => ("yb-ok", lang.t("正常报销", "reimbursed")),
        Eligibility::Penalised => ("yb-warnbox", lang.t("降低报销", "penalised")),
        Eligibility::NotReimbursed => ("yb-bad", lang.t("不予报销", "not reimbursed")),
    };
    let reason = html! {
        <>
            <p class="yb-reason">{ lang.t(&comparison.reason_zh, &comparison.reason_en) }</p>
            <p class="yb-basis yb-hint">{ lang.t(&comparison.basis_zh, &comparison.basis_en) }</p>
        </>
    };
    if p.as_table {
        return html! {
            <div class="yb-cmp">
                <table class="yb-table">
                    <thead><tr>
                        <th scope="col">{ lang.t("去哪里", "Where") }</th>
                        <th scope="col">{ lang.t("手续", "Paperwork") }</th>
                        <th scope="col">{ lang.t("报销", "Cover") }</th>
                        <th scope="col" class="yb-num">{ lang.t("个人负担", "Patient pays") }</th>
                    </tr></thead>
                    <tbody>
                        { for comparison.options.iter().map(|o| {
                            let (class, text) = cover(o.eligibility);
                            html! {
                                <tr class={classes!(o.recommended.then_some("yb-rec"))} data-level={o.level.clone()} data-own={o.own.then_some("true")}>
                                    <td>{ lang.t(&o.level_zh, &o.level_en) }
                                        if o.recommended { <span class="yb-tag yb-good">{ lang.t("推荐", "best") }</span> }
                                        if o.own { <span class="yb-tag yb-own">{ lang.t("本次估算", "this estimate") }</span> }
                                        if !o.designated { <span class="yb-tag">{ lang.t("非目录机构", "not listed") }</span> }
                                        if o.beyond_typical { <span class="yb-tag yb-warn yb-beyond-tag" title={lang.t(&o.bill_zh, &o.bill_en).to_string()}>{ lang.t("超出本级常见费用", "beyond this level") }</span> }
                                    </td>
                                    <td>{ lang.t(&o.paperwork_zh, &o.paperwork_en) }</td>
                                    <td><span class={classes!("yb-pill", class)}>{ text }</span></td>
                                    <td class="yb-num">{ range_text(lang, o.patient_low, o.patient_typical, o.patient_high, false) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                { reason }
            </div>
        };
    }
    let card = |o: &PathOption| {
        let (class, text) = cover(o.eligibility);
        html! {
            <li class={classes!("yb-card", o.recommended.then_some("yb-rec"), (!o.designated).then_some("yb-dim"))} data-level={o.level.clone()} data-own={o.own.then_some("true")}>
                <div class="yb-card-h">
                    <span class="yb-card-t">{ lang.t(&o.level_zh, &o.level_en) }</span>
                    if o.recommended { <span class="yb-tag yb-good">{ lang.t("推荐", "recommended") }</span> }
                    if o.own { <span class="yb-tag yb-own">{ lang.t("本次估算", "this estimate") }</span> }
                    if o.beyond_typical { <span class="yb-tag yb-warn yb-beyond-tag">{ lang.t("超出本级常见费用", "beyond this level") }</span> }
                </div>
                <p class="yb-paper">{ lang.t(&o.paperwork_zh, &o.paperwork_en) }</p>
                // Which bill the card assumes, and how it stands against the level's typical stay
                // (core's sentence): a bill beyond it is said plainly, not in grey.
                <p class={classes!("yb-card-bill", o.beyond_typical.then_some("yb-beyond"))}>{ lang.t(&o.bill_zh, &o.bill_en) }</p>
                <p class="yb-card-f">
                    <span class={classes!("yb-pill", class)}>{ text }</span>
                    <span class="yb-card-amt">{ lang.t("自付约 ", "you pay ~") }{ range_text(lang, o.patient_low, o.patient_typical, o.patient_high, true) }</span>
                </p>
            </li>
        }
    };
    // On a phone: the places that treat this condition; the rest folded away.
    let (main, others): (Vec<_>, Vec<_>) = comparison
        .options
        .iter()
        .partition(|o| o.designated || o.recommended || o.own);
    html! {
        <div class="yb-cmp">
            // The advice (or why there is none) and the bill assumed, before the cards.
            { reason }
            <ul class="yb-cards">{ for main.iter().map(|o| card(o)) }</ul>
            if !others.is_empty() {
                <details class="yb-others">
                    <summary>{ format!("{} {} {}", lang.t("其他", "Other"), others.len(), lang.t("个选项(该病一般不在这些机构诊治)", "options (not where this condition is usually treated)")) }</summary>
                    <ul class="yb-cards">{ for others.iter().map(|o| card(o)) }</ul>
                </details>
            }
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct PathwaysMissingProps {
    pub lang: Lang,
    /// Why the engine could not compare.
    pub msgs: Rc<[FieldMsg]>,
}

/// Where the comparison would be, when the engine could not make it: the reason, with its code
/// (`data-code`, `data-path`), so that the screen does not lose its comparison without a word.
pub fn pathways_missing(p: &PathwaysMissingProps) -> Html {
    let (zh, en) = crate::model::comparison_missing(&p.msgs);
    let first = p.msgs.first();
    html! {
        <p class="yb-cmp-missing yb-hint" id="yb-cmp-missing" role="note"
            data-code={first.and_then(|m| m.code).map(yibao_core::Code::as_str)}
            data-path={first.and_then(|m| m.path.clone())}>
            { p.lang.t(&zh, &en) }
        </p>
    }
}
