//! Form fields both layouts ask, only under a policy that uses the answer: the personal account
//! (an employee scheme) and the enrolment incentives (a layer whose cap rises with them).

use super::{field_msg, Shared};
use crate::model::{Action, Edit, FieldMsg, Lang};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::PolicyDoc;

#[derive(Properties, PartialEq, Clone)]
pub struct AccountFieldsProps {
    pub lang: Lang,
    pub doc: Shared<PolicyDoc>,
    /// The balances as typed: the patient's account and a family member's (家庭共济).
    pub account: AttrValue,
    pub family_account: AttrValue,
    /// The form's messages (those on these fields are shown under them).
    pub msgs: Rc<[FieldMsg]>,
    pub dispatch: Callback<Action>,
}

#[derive(Properties, PartialEq, Clone)]
pub struct IncentiveFieldsProps {
    pub lang: Lang,
    pub doc: Shared<PolicyDoc>,
    /// The years as typed: of continuous enrolment, and without a claim.
    pub continuous_years: AttrValue,
    pub claim_free_years: AttrValue,
    /// The form's messages (those on these fields are shown under them).
    pub msgs: Rc<[FieldMsg]>,
    pub dispatch: Callback<Action>,
}

/// `oninput` for a text field: the form's `edit` of the value typed.
fn text(dispatch: &Callback<Action>, edit: fn(String) -> Edit) -> Callback<InputEvent> {
    dispatch.reform(move |e: InputEvent| {
        Action::Edit(edit(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .value(),
        ))
    })
}

/// The personal-account balances, asked only under a policy with an `[account]` (the employee scheme).
pub fn account_fields(p: &AccountFieldsProps) -> Html {
    let Some(account) = &p.doc.policy.account else {
        return Html::default();
    };
    let lang = p.lang;
    html! {
        <fieldset class="yb-field yb-group">
            <legend>{ lang.t("个人账户(职工医保)", "Personal account (employee scheme)") }</legend>
            <div class="yb-row">
                <div class="yb-field yb-grow">
                    <label for="yb-account">{ lang.t("个人账户余额(元,可不填)", "account balance (yuan, optional)") }</label>
                    <input id="yb-account" inputmode="decimal" autocomplete="off" value={p.account.clone()} oninput={text(&p.dispatch, Edit::Account)} />
                </div>
                if account.family {
                    <div class="yb-field yb-grow">
                        <label for="yb-family-account">{ lang.t("家庭共济:家人账户余额(元,可不填)", "family member's account balance (yuan, optional)") }</label>
                        <input id="yb-family-account" inputmode="decimal" autocomplete="off" value={p.family_account.clone()} oninput={text(&p.dispatch, Edit::FamilyAccount)} />
                    </div>
                }
            </div>
            <p class="yb-hint yb-less">{ lang.t("个人账户可支付自付部分;不填则全部按现金计。", "The account can pay your share; left empty, all of it is cash.") }</p>
            { field_msg(lang, &p.msgs, "account") }
            { field_msg(lang, &p.msgs, "family_account") }
        </fieldset>
    }
}

/// Years of continuous enrolment and claim-free years, asked only under a policy whose layers raise their cap for them (连续参保激励 / 零报销激励).
pub fn incentive_fields(p: &IncentiveFieldsProps) -> Html {
    if !p.doc.policy.layers.iter().any(|l| l.cap_raise.is_some()) {
        return Html::default();
    }
    let lang = p.lang;
    html! {
        <fieldset class="yb-field yb-group">
            <legend>{ lang.t("参保激励(提高大病保险限额)", "Enrolment incentives (raise the critical-illness cap)") }</legend>
            <div class="yb-row">
                <div class="yb-field">
                    <label for="yb-continuous">{ lang.t("连续参保年数", "continuous years") }</label>
                    <input id="yb-continuous" class="yb-short" inputmode="numeric" autocomplete="off" value={p.continuous_years.clone()} oninput={text(&p.dispatch, Edit::ContinuousYears)} />
                </div>
                <div class="yb-field">
                    <label for="yb-claim-free">{ lang.t("未报销年数", "claim-free years") }</label>
                    <input id="yb-claim-free" class="yb-short" inputmode="numeric" autocomplete="off" value={p.claim_free_years.clone()} oninput={text(&p.dispatch, Edit::ClaimFreeYears)} />
                </div>
            </div>
            { field_msg(lang, &p.msgs, "continuous_years") }
            { field_msg(lang, &p.msgs, "claim_free_years") }
        </fieldset>
    }
}
