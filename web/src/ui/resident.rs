//! Resident mode: a phone in WeChat. One question per screen, then the answer in large type.

use super::caveats::{assumptions, caveats, disclaimer, DisclaimerProps};
use super::comparison::{pathways_missing, Pathways, PathwaysMissingProps};
use super::fields::{account_fields, incentive_fields, AccountFieldsProps, IncentiveFieldsProps};
use super::picker::PolicyPicker;
use super::share::{share, ShareProps};
use super::slip::{range_of, trace, verdict, who_pays, EstimateProps, WhoPaysProps};
use super::{field_msg, Action, Shared, Ui, UNSURE_TOTALS};
use crate::model::{levels_for, yuan, Edit, FieldMsg, Step};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::{Money, RangeEstimate};

/// A step's question, as its heading.
fn title<'a>(step: Step, ui: &Ui) -> &'a str {
    let visit = ui.state.form.outpatient;
    match step {
        Step::About => ui.t("您的情况", "About you"),
        Step::Condition => ui.t("看什么病?", "What is the condition?"),
        Step::Facility if visit => ui.t("打算去哪里看门诊?", "Where will you be seen?"),
        Step::Facility => ui.t("打算去哪里住院?", "Where will you be admitted?"),
        Step::Cost | Step::Answer => ui.t("大概要花多少钱?", "About how much will it cost?"),
    }
}

/// Messages the resident should see now: a field left empty is only flagged after "next".
fn visible(ui: &Ui) -> Vec<FieldMsg> {
    let form = &ui.state.form;
    ui.msgs()
        .iter()
        .filter(|m| {
            let typed = match m.field.as_str() {
                "total" => !form.total.is_empty(),
                _ => true,
            };
            typed || ui.state.tried_next
        })
        .cloned()
        .collect()
}

pub fn view(ui: &Ui) -> Html {
    let state = ui.state;
    if state.step == Step::Answer {
        if let Ok(range) = &ui.outcome.result {
            return answer(ui, range);
        }
    }
    // An answer the form cannot give yet sends the resident back to the cost, where the
    // messages are.
    let step = match state.step {
        Step::Answer => Step::Cost,
        question => question,
    };
    let msgs = visible(ui);
    let blocking = ui.msgs().iter().any(|m| {
        step.fields()
            .iter()
            .any(|f| m.field == *f || m.field.starts_with(&format!("{f}.")))
    });
    let last = step == Step::Cost;
    let can_go = if last {
        ui.outcome.result.is_ok()
    } else {
        !blocking
    };
    let next = {
        let dispatch = ui.dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            dispatch.emit(if can_go {
                Action::GoTo(step.next())
            } else {
                Action::TriedNext
            });
        })
    };
    let body = match step {
        Step::About => about(ui, &msgs),
        Step::Condition => condition(ui),
        Step::Facility => facility(ui, &msgs),
        Step::Cost | Step::Answer => cost(ui, &msgs),
    };
    let position = step.index();
    html! {
        <main class="yb-flow">
            <form class="yb-stepform" onsubmit={next} novalidate=true>
                <p class="yb-progress" aria-label={ui.t("进度", "progress")}>
                    { for (0..Step::QUESTIONS).map(|i| html!{ <span class={classes!("yb-dot", (i <= position).then_some("yb-on"))}></span> }) }
                    <span class="yb-stepno">{ format!("{}/{}", position + 1, Step::QUESTIONS) }</span>
                </p>
                <h1 class="yb-q" id="yb-step-h">{ title(step, ui) }</h1>
                { body }
                if state.tried_next && !can_go {
                    <p class="yb-err" role="alert">{ ui.t("请先改正上面标红的内容", "Please correct the fields marked in red first") }</p>
                }
                <div class="yb-nav">
                    if step != Step::About {
                        <button type="button" class="yb-btn yb-ghost" id="yb-back" onclick={ui.send(move || Action::GoTo(step.back()))}>{ ui.t("上一步", "Back") }</button>
                    }
                    <button type="submit" class="yb-btn yb-primary" id="yb-next">
                        { if last { ui.t("看结果", "Show the estimate") } else { ui.t("下一步", "Next") } }
                    </button>
                </div>
            </form>
            { disclaimer(&DisclaimerProps { lang: ui.state.lang, status: ui.state.doc.policy.meta.status }) }
        </main>
    }
}

fn about(ui: &Ui, msgs: &[FieldMsg]) -> Html {
    let state = ui.state;
    let policy = &state.doc.policy;
    let visit = state.form.outpatient;
    // Stay or clinic visit first, when the policy pays clinic visits at all. A level the other
    // setting does not pay is moved to the first one it does (the reducer's `Action::Setting`).
    let settings = [
        (false, ui.t("住院", "Hospital stay"), "yb-stay"),
        (true, ui.t("门诊", "Clinic visit"), "yb-visit"),
    ];
    html! {
        <>
            <PolicyPicker lang={state.lang} label={ui.t("参保地与政策", "Where you are insured")} class="yb-field"
                selected={state.form.policy.clone()} custom={ui.custom()} onpick={ui.dispatch.reform(Action::Policy)} />
            if !policy.outpatient.is_empty() {
                <fieldset class="yb-field yb-choices yb-two">
                    <legend>{ ui.t("住院还是看门诊?", "A hospital stay or a clinic visit?") }</legend>
                    { for settings.iter().map(|&(outpatient, name, id)| html! {
                        <label class={classes!("yb-choice", (visit == outpatient).then_some("yb-on"))}>
                            <input type="radio" name="yb-setting" {id} checked={visit == outpatient}
                                onclick={ui.send(move || Action::Setting(outpatient))} />
                            <span>{ name }</span>
                        </label>
                    }) }
                </fieldset>
            }
            // One category needs no question.
            if policy.categories.len() > 1 {
            <fieldset class="yb-field yb-choices">
                <legend>{ ui.t("人员类别", "Which group are you in?") }</legend>
                { for policy.categories.iter().map(|category| {
                    let id = category.id.clone();
                    let dispatch = ui.dispatch.clone();
                    let onchange = Callback::from(move |_: Event| { let id = id.clone(); dispatch.emit(Action::Edit(Edit::Category(id))) });
                    html! {
                        <label class={classes!("yb-choice", (category.id == state.form.category).then_some("yb-on"))}>
                            <input type="radio" name="yb-category" value={category.id.clone()} checked={category.id == state.form.category} {onchange} />
                            <span>{ ui.t(&category.name_zh, &category.name_en) }</span>
                        </label>
                    }
                }) }
            </fieldset>
            }
            <div class="yb-field">
                <label for="yb-age">{ ui.t("年龄(周岁,可不填)", "Age (optional)") }</label>
                <input id="yb-age" class="yb-short" inputmode="numeric" autocomplete="off" value={state.form.age.clone()}
                    oninput={ui.text(Edit::Age)} />
                { field_msg(state.lang, msgs, "age") }
            </div>
            // Asked only when the chosen policy uses the answer (an employee policy, an incentive).
            { account_fields(&AccountFieldsProps {
                lang: state.lang,
                doc: ui.doc(),
                account: state.form.account.clone().into(),
                family_account: state.form.family_account.clone().into(),
                msgs: Rc::from(msgs),
                dispatch: ui.dispatch.clone(),
            }) }
            { incentive_fields(&IncentiveFieldsProps {
                lang: state.lang,
                doc: ui.doc(),
                continuous_years: state.form.continuous_years.clone().into(),
                claim_free_years: state.form.claim_free_years.clone().into(),
                msgs: Rc::from(msgs),
                dispatch: ui.dispatch.clone(),
            }) }
            <details class="yb-more">
                <summary>{ ui.t("其他情况", "Other circumstances") }</summary>
                <label class="yb-check"><input type="checkbox" checked={state.form.pregnant} onchange={ui.check(Edit::Pregnant)} />{ ui.t("孕产妇", "pregnant") }</label>
                <label class="yb-check"><input type="checkbox" checked={state.form.disability} onchange={ui.check(Edit::Disability)} />{ ui.t("重度残疾", "severe disability") }</label>
            </details>
        </>
    }
}

fn condition(ui: &Ui) -> Html {
    let state = ui.state;
    html! {
        <>
            { ui.disease_search(true) }
            <p class="yb-hint yb-less">{ if state.form.outpatient {
                ui.t("不知道病名可以直接点“下一步”,按普通门诊估算。", "Not sure? Press Next to estimate an ordinary clinic visit.")
            } else {
                ui.t("不知道病名可以直接点“下一步”,按一般住院估算。", "Not sure? Press Next to estimate a general stay.")
            } }</p>
            <label class="yb-check yb-tall">
                <input type="checkbox" id="yb-emergency" checked={state.form.emergency} onchange={ui.check(Edit::Emergency)} />
                { ui.t("急诊 / 急危重症", "Emergency") }
            </label>
        </>
    }
}

fn facility(ui: &Ui, msgs: &[FieldMsg]) -> Html {
    let state = ui.state;
    let policy = &state.doc.policy;
    let form = &state.form;
    let levels = levels_for(policy, form.outpatient);
    // Only the paperwork that changes the verdict for this level, disease and patient is asked
    // (core's `referral::questions`); a box already ticked stays, so nothing entered is hidden.
    let case = yibao_core::Case {
        setting: if form.outpatient {
            yibao_core::case::Setting::Outpatient
        } else {
            yibao_core::case::Setting::Inpatient
        },
        level: form.level.clone(),
        disease: (!form.disease.is_empty()).then(|| form.disease.clone()),
        emergency: form.emergency,
        patient: yibao_core::case::Patient {
            category: form.category.clone(),
            age: form.age.trim().parse().ok(),
            pregnant: form.pregnant,
            severe_disability: form.disability,
            ..Default::default()
        },
        ..Default::default()
    };
    let asked = yibao_core::referral::questions(policy, &case, ui.outcome.date);
    let (ask_slip, ask_filing) = (asked.slip || form.slip, asked.filing || form.filing);
    let needs_papers = ask_slip || ask_filing;
    html! {
        <>
            <fieldset class="yb-field yb-choices">
                <legend>{ ui.t("医院级别", "Hospital level") }</legend>
                { for levels.iter().map(|level| {
                    let id = level.id.clone();
                    let dispatch = ui.dispatch.clone();
                    let onchange = Callback::from(move |_: Event| { let id = id.clone(); dispatch.emit(Action::Edit(Edit::Level(id))) });
                    html! {
                        <label class={classes!("yb-choice", (level.id == state.form.level).then_some("yb-on"))}>
                            <input type="radio" name="yb-level" value={level.id.clone()} checked={level.id == state.form.level} {onchange} />
                            <span>{ ui.t(&level.name_zh, &level.name_en) }</span>
                        </label>
                    }
                }) }
            </fieldset>
            { field_msg(state.lang, msgs, "level") }
            if needs_papers {
                <fieldset class="yb-field">
                    <legend>{ ui.t("已办手续", "Paperwork you have") }</legend>
                    if ask_slip {
                        <label class="yb-check yb-tall"><input type="checkbox" id="yb-slip" checked={state.form.slip} onchange={ui.check(Edit::Slip)} />{ ui.t("有转诊单", "a referral slip") }</label>
                    }
                    if ask_filing {
                        <label class="yb-check yb-tall"><input type="checkbox" id="yb-filing" checked={state.form.filing} onchange={ui.check(Edit::Filing)} />{ ui.t("已办异地就医备案", "an out-of-area filing") }</label>
                    }
                </fieldset>
            }
        </>
    }
}

fn cost(ui: &Ui, msgs: &[FieldMsg]) -> Html {
    let state = ui.state;
    let visit = state.form.outpatient;
    // The stay-sized amounts and "not sure" (answered for a 10,000-yuan stay) are a stay's.
    let unsure = state.form.unsure && !visit;
    html! {
        <>
            <div class="yb-field">
                <label for="yb-total">{ if visit { ui.t("本次门诊费用(元)", "Cost of this visit (yuan)") } else { ui.t("预计住院总费用(元)", "Expected total cost (yuan)") } }</label>
                <input id="yb-total" class="yb-big" inputmode="decimal" autocomplete="off" disabled={unsure}
                    placeholder={if visit { ui.t("例如 300", "e.g. 300") } else { ui.t("例如 20000", "e.g. 20000") }} value={state.form.total.clone()}
                    aria-invalid={super::msg_for(msgs, "total").is_some().to_string()}
                    oninput={ui.text(Edit::Total)} />
                { field_msg(state.lang, msgs, "total") }
            </div>
            if !visit {
            <div class="yb-chips" role="group" aria-label={ui.t("常见金额", "common amounts")}>
                { for UNSURE_TOTALS.iter().map(|total| {
                    let text = total.to_string();
                    let dispatch = ui.dispatch.clone();
                    let click = Callback::from(move |_: MouseEvent| { let text = text.clone(); dispatch.emit(Action::Edit(Edit::TotalChip(text))) });
                    let shown = yuan(Money::parse(&total.to_string()).unwrap_or_default(), true);
                    // Read with its unit ("5,000 元"): a bare number is no label.
                    let label = format!("{shown} {}", ui.t("元", "yuan"));
                    html!{ <button type="button" class="yb-chip" aria-label={label} onclick={click}>{ shown }</button> }
                }) }
                <button type="button" id="yb-unsure" class={classes!("yb-chip", unsure.then_some("yb-on"))} aria-pressed={unsure.to_string()}
                    onclick={ let dispatch = ui.dispatch.clone(); Callback::from(move |_: MouseEvent| dispatch.emit(Action::Edit(Edit::Unsure(!unsure)))) }>
                    { ui.t("我不确定", "Not sure") }
                </button>
            </div>
            }
            <details class="yb-more" open={!state.form.in_scope.is_empty()}>
                <summary>{ ui.t("我有费用清单(可选)", "I have the bill (optional)") }</summary>
                <div class="yb-field">
                    <label for="yb-inscope">{ ui.t("其中政策范围内费用(元)", "of which in-scope cost (yuan)") }</label>
                    <input id="yb-inscope" inputmode="decimal" autocomplete="off" value={state.form.in_scope.clone()}
                        oninput={ui.text(Edit::InScope)} />
                    { field_msg(state.lang, msgs, "in_scope") }
                </div>
            </details>
        </>
    }
}

fn answer(ui: &Ui, range: &Shared<RangeEstimate>) -> Html {
    let state = ui.state;
    let estimate = &range.typical;
    let settlement = &estimate.settlement;
    let unsure = !ui.outcome.at_totals.is_empty();
    let meta = &state.doc.policy.meta;
    html! {
        <main class="yb-flow yb-result">
            <section class="yb-answer" aria-live="polite">
                if unsure {
                    <p class="yb-lead">{ ui.t("住院 1 万元时,预计您自付", "For a 10,000-yuan stay you would pay") }</p>
                } else {
                    <p class="yb-lead">{ ui.t("预计您自付", "You will pay about") }</p>
                }
                <p class="yb-big" id="yb-answer">
                    <span class="yb-approx">{ ui.t("约 ", "") }</span>
                    <strong>{ yuan(settlement.psn_part_amt, true) }</strong>
                    <span class="yb-unit">{ ui.t(" 元", " yuan") }</span>
                </p>
                if !range.exact {
                    <p class="yb-range">{ ui.t("视自费药品、耗材多少,约 ", "depending on items outside the catalogue: ") }{ range_of(ui.state.lang, range, true) }</p>
                }
                <p class="yb-fund">
                    { ui.t("医保等合计支付 ", "insurance and assistance pay ") }<b>{ yuan(settlement.fund_pay_sumamt, false) }</b>{ ui.t(" 元", " yuan") }
                    { ui.t(",实际报销 ", ", i.e. ") }{ estimate.actual_ratio.to_string() }
                </p>
                if ui.outcome.date_moved {
                    <p class="yb-hint yb-less">{ ui.t("按政策有效期内的日期 ", "evaluated at ") }{ ui.outcome.date.to_string() }{ ui.t(" 计算", " (within the policy period)") }</p>
                }
            </section>
            { assumptions(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
            { caveats(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
            { verdict(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
            if unsure {
                <section class="yb-box">
                    <h2>{ ui.t("不同花费时您自付多少", "What you pay at different costs") }</h2>
                    <table class="yb-table">
                        <thead><tr><th scope="col">{ ui.t("总费用", "Total") }</th><th scope="col" class="yb-num">{ ui.t("您自付约", "You pay ~") }</th></tr></thead>
                        <tbody>
                            { for ui.outcome.at_totals.iter().map(|(total, range)| html!{
                                <tr><td>{ yuan(*total, true) }{ ui.t(" 元", "") }</td><td class="yb-num">{ range_of(ui.state.lang, range, true) }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </section>
            }
            { who_pays(&WhoPaysProps { lang: ui.state.lang, doc: ui.doc(), range: range.clone(), whole: true }) }
            <section class="yb-box">
                <button type="button" class="yb-why" id="yb-why" aria-expanded={state.show_why.to_string()} aria-controls="yb-steps"
                    onclick={ui.send(|| Action::ToggleWhy)}>
                    { ui.t("为什么是这个数?", "Why this number?") }<span aria-hidden="true">{ if state.show_why { " ▲" } else { " ▼" } }</span>
                </button>
                if state.show_why {
                    <div id="yb-steps">
                        { trace(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
                        <p class="yb-hint">{ ui.t("依据:", "Policy: ") }{ ui.t(&meta.name_zh, &meta.name_en) }</p>
                    </div>
                }
            </section>
            if let Some(Ok(comparison)) = &ui.outcome.comparison {
                <section class="yb-box">
                    <h2>{ ui.t("去哪里看更划算", "Where to go") }</h2>
                    <Pathways lang={ui.state.lang} comparison={comparison.clone()} as_table=false />
                </section>
            }
            if let Some(Err(msgs)) = &ui.outcome.comparison {
                <section class="yb-box">
                    <h2>{ ui.t("去哪里看更划算", "Where to go") }</h2>
                    { pathways_missing(&PathwaysMissingProps { lang: ui.state.lang, msgs: Rc::from(msgs.as_slice()) }) }
                </section>
            }
            if state.show_share {
                <section class="yb-box">{ share(&ShareProps { lang: ui.state.lang, url: ui.share_url().into() }) }</section>
            }
            <div class="yb-nav yb-noprint">
                <button type="button" class="yb-btn yb-ghost" id="yb-edit" onclick={ui.send(|| Action::GoTo(Step::About))}>{ ui.t("修改信息", "Change answers") }</button>
                <button type="button" class="yb-btn yb-primary" id="yb-share-btn" onclick={ui.send(|| Action::ToggleShare)}>{ ui.t("分享 / 二维码", "Share / QR") }</button>
            </div>
            { disclaimer(&DisclaimerProps { lang: ui.state.lang, status: ui.state.doc.policy.meta.status }) }
        </main>
    }
}
