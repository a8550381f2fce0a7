//! What stands next to every figure: the blank questions answered in the patient's favour, what
//! the estimate leaves out and the evidence behind the policy, and the disclaimer.

use super::slip::EstimateProps;
use crate::model::Lang;
use yew::prelude::*;
use yibao_core::caveats::Caveats as Merged;
use yibao_core::policy::{Effect, Status};

/// The blank questions the estimate answered in the patient's favour, and what the other answers
/// would pay (core's `Assumption` sentence), next to the figure.
pub fn assumptions(p: &EstimateProps) -> Html {
    let lang = p.lang;
    let estimate = &p.range.typical;
    if estimate.assumptions.is_empty() {
        return html! {};
    }
    html! {
        <section class="yb-assume" id="yb-assume" role="note">
            { for estimate.assumptions.iter().map(|a| html!{
                <>
                    <p data-field={a.field.clone()}>{ lang.t(&a.zh, &a.en) }</p>
                    // The clauses the assumption relies on, as every step cites its own.
                    { for a.cites.iter().map(|c| html!{
                        <p class="yb-assume-cite yb-hint">
                            { lang.t("依据:", "Clause: ") }{ c.short() }
                            if c.illustrative { { lang.t("(示意值)", " (illustrative)") } }
                        </p>
                    }) }
                </>
            }) }
        </section>
    }
}

/// What the estimate leaves out, next to its figure: the rules the policy could not encode that
/// matter for this case, the illustrative values used and how the policy was sourced. For a
/// range, every entry any of its three estimates carries.
pub fn caveats(p: &EstimateProps) -> Html {
    let lang = p.lang;
    let range = &p.range;
    let Some(c) = Merged::merged([&range.low, &range.typical, &range.high].map(|e| &e.caveats))
    else {
        return html! {};
    };
    if c.is_empty() {
        return html! {};
    }
    // A missing payer first: it is what moves a resident's money most.
    let mut omissions: Vec<_> = c.not_encoded.iter().collect();
    omissions.sort_by_key(|o| o.effect != Effect::Overstates);
    html! {
        <section class="yb-caveats" id="yb-caveats" role="note" aria-labelledby="yb-caveats-h">
            <h2 id="yb-caveats-h">{ lang.t("这个估算没有算进去的", "What this estimate leaves out") }</h2>
            if !omissions.is_empty() {
                <ul>
                    { for omissions.iter().map(|o| html!{
                        <li class={classes!("yb-omission", (o.effect == Effect::Overstates).then_some("yb-lower"))}
                            data-rule={o.rule.as_str()} title={o.cite.short()}>{ lang.t(&o.zh, &o.en) }</li>
                    }) }
                </ul>
            }
            if !c.illustrative.is_empty() {
                <p class="yb-illustrative">
                    { lang.t("以下数值是示意值,不是本地正式规定:", "Illustrative values, not the county's own rules: ") }
                    { c.illustrative.iter().map(|i| i.cite.clause.to_string()).collect::<Vec<_>>().join(lang.t(";", "; ")) }
                </p>
            }
            if c.evidence.status != Status::Official {
                <p class="yb-evidence">{ lang.t("政策依据:", "Evidence: ") }{ lang.t(&c.evidence.zh, &c.evidence.en) }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct DisclaimerProps {
    pub lang: Lang,
    /// How the chosen policy was sourced.
    pub status: Status,
}

/// An estimate, not a settlement; and what the policy is, in words (the top bar's tag is short,
/// its hover text unseen on a phone).
pub fn disclaimer(p: &DisclaimerProps) -> Html {
    let lang = p.lang;
    html! {
        <p class="yb-disclaimer">
            if p.status != Status::Official {
                <span class="yb-status">{ lang.t("所选政策:", "The chosen policy: ") }{ p.status.describe(lang) }{ lang.t("。", ". ") }</span>
            }
            { lang.t("本结果为估算,不是医保结算单;实际报销以定点医疗机构和医保经办机构的结算为准。",
                  "This is an estimate, not a settlement; the actual reimbursement is what the hospital and the insurance office settle.") }
        </p>
    }
}
