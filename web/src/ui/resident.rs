//! Resident mode: a phone in WeChat. One question per screen, then the answer in large type.

use super::{field_msg, parts, Action, Ctx, UNSURE_TOTALS};
use crate::model::{yuan, FieldMsg};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::Money;

/// Form fields asked on each step (a step's "next" waits until they are valid).
const STEP_FIELDS: [&[&str]; 4] = [
    &["age", "category", "policy"],
    &["disease"],
    &["level", "from_level", "slip_date"],
    &["total", "in_scope", "date"],
];

/// Messages the resident should see now: a field left empty is only flagged after "next".
fn visible(c: &Ctx) -> Vec<FieldMsg> {
    let f = &c.s.form;
    c.msgs()
        .iter()
        .filter(|m| {
            let typed = match m.field.as_str() {
                "total" => !f.total.is_empty(),
                _ => true,
            };
            typed || c.s.tried
        })
        .cloned()
        .collect()
}

pub fn view(c: &Ctx) -> Html {
    let s = c.s;
    if s.step >= 4 {
        if let Ok(r) = &c.o.result {
            return answer(c, r);
        }
    }
    let step = s.step.min(3) as usize;
    let msgs = visible(c);
    let blocking: Vec<&FieldMsg> = c
        .msgs()
        .iter()
        .filter(|m| {
            STEP_FIELDS[step]
                .iter()
                .any(|f| m.field == *f || m.field.starts_with(&format!("{f}.")))
        })
        .collect();
    let last = step == 3;
    let can_go = if last {
        c.o.result.is_ok()
    } else {
        blocking.is_empty()
    };
    let next = {
        let d = c.d.clone();
        let to = step as u8 + 1;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            d.emit(if can_go {
                Action::Step(to)
            } else {
                Action::Tried(true)
            });
        })
    };
    let titles = [
        c.t("您的情况", "About you"),
        c.t("看什么病?", "What is the condition?"),
        c.t("打算去哪里住院?", "Where will you be admitted?"),
        c.t("大概要花多少钱?", "About how much will it cost?"),
    ];
    let body = match step {
        0 => about(c, &msgs),
        1 => condition(c),
        2 => facility(c, &msgs),
        _ => cost(c, &msgs),
    };
    html! {
        <main class="yb-flow">
            <form class="yb-stepform" onsubmit={next} novalidate=true>
                <p class="yb-progress" aria-label={c.t("进度", "progress")}>
                    { for (0..4).map(|i| html!{ <span class={classes!("yb-dot", (i <= step).then_some("yb-on"))}></span> }) }
                    <span class="yb-stepno">{ format!("{}/4", step + 1) }</span>
                </p>
                <h1 class="yb-q" id="yb-step-h">{ titles[step] }</h1>
                { body }
                if s.tried && !can_go {
                    <p class="yb-err" role="alert">{ c.t("请先改正上面标红的内容", "Please correct the fields marked in red first") }</p>
                }
                <div class="yb-nav">
                    if step > 0 {
                        <button type="button" class="yb-btn yb-ghost" id="yb-back" onclick={c.send(move || Action::Step(step as u8 - 1))}>{ c.t("上一步", "Back") }</button>
                    }
                    <button type="submit" class="yb-btn yb-primary" id="yb-next">
                        { if last { c.t("看结果", "Show the estimate") } else { c.t("下一步", "Next") } }
                    </button>
                </div>
            </form>
            { parts::disclaimer(c) }
        </main>
    }
}

fn about(c: &Ctx, msgs: &[FieldMsg]) -> Html {
    let s = c.s;
    let p = &s.doc.policy;
    html! {
        <>
            { parts::policy_select(c, c.t("参保地与政策", "Where you are insured"), "yb-field") }
            <fieldset class="yb-field yb-choices">
                <legend>{ c.t("人员类别", "Which group are you in?") }</legend>
                { for p.categories.iter().map(|cat| {
                    let id = cat.id.clone();
                    let d = c.d.clone();
                    let onchange = Callback::from(move |_: Event| { let id = id.clone(); d.emit(Action::Edit(Rc::new(move |f| f.category = id.clone()))) });
                    html! {
                        <label class={classes!("yb-choice", (cat.id == s.form.category).then_some("yb-on"))}>
                            <input type="radio" name="yb-category" value={cat.id.clone()} checked={cat.id == s.form.category} {onchange} />
                            <span>{ c.t(&cat.name_zh, &cat.name_en) }</span>
                        </label>
                    }
                }) }
            </fieldset>
            <div class="yb-field">
                <label for="yb-age">{ c.t("年龄(周岁,可不填)", "Age (optional)") }</label>
                <input id="yb-age" class="yb-short" inputmode="numeric" autocomplete="off" value={s.form.age.clone()}
                    oninput={c.text(|f, v| f.age = v)} />
                { field_msg(s.lang, msgs, "age") }
            </div>
            <details class="yb-more">
                <summary>{ c.t("其他情况", "Other circumstances") }</summary>
                <label class="yb-check"><input type="checkbox" checked={s.form.pregnant} onchange={c.check(|f, v| f.pregnant = v)} />{ c.t("孕产妇", "pregnant") }</label>
                <label class="yb-check"><input type="checkbox" checked={s.form.disability} onchange={c.check(|f, v| f.disability = v)} />{ c.t("重度残疾", "severe disability") }</label>
            </details>
        </>
    }
}

fn condition(c: &Ctx) -> Html {
    let s = c.s;
    html! {
        <>
            { parts::disease_search(c, true) }
            <p class="yb-hint yb-less">{ c.t("不知道病名可以直接点“下一步”,按一般住院估算。", "Not sure? Press Next to estimate a general stay.") }</p>
            <label class="yb-check yb-tall">
                <input type="checkbox" id="yb-emergency" checked={s.form.emergency} onchange={c.check(|f, v| f.emergency = v)} />
                { c.t("急诊 / 急危重症", "Emergency") }
            </label>
        </>
    }
}

fn facility(c: &Ctx, msgs: &[FieldMsg]) -> Html {
    let s = c.s;
    let p = &s.doc.policy;
    let levels: Vec<_> = p
        .levels_by_rank()
        .into_iter()
        .filter(|l| p.has_inpatient(&l.id))
        .collect();
    let needs_papers = p.referral.is_some();
    html! {
        <>
            <fieldset class="yb-field yb-choices">
                <legend>{ c.t("医院级别", "Hospital level") }</legend>
                { for levels.iter().map(|l| {
                    let id = l.id.clone();
                    let d = c.d.clone();
                    let onchange = Callback::from(move |_: Event| { let id = id.clone(); d.emit(Action::Edit(Rc::new(move |f| f.level = id.clone()))) });
                    html! {
                        <label class={classes!("yb-choice", (l.id == s.form.level).then_some("yb-on"))}>
                            <input type="radio" name="yb-level" value={l.id.clone()} checked={l.id == s.form.level} {onchange} />
                            <span>{ c.t(&l.name_zh, &l.name_en) }</span>
                        </label>
                    }
                }) }
            </fieldset>
            { field_msg(s.lang, msgs, "level") }
            if needs_papers {
                <fieldset class="yb-field">
                    <legend>{ c.t("已办手续", "Paperwork you have") }</legend>
                    <label class="yb-check yb-tall"><input type="checkbox" id="yb-slip" checked={s.form.slip} onchange={c.check(|f, v| f.slip = v)} />{ c.t("有转诊单", "a referral slip") }</label>
                    <label class="yb-check yb-tall"><input type="checkbox" id="yb-filing" checked={s.form.filing} onchange={c.check(|f, v| f.filing = v)} />{ c.t("已办异地就医备案", "an out-of-area filing") }</label>
                </fieldset>
            }
        </>
    }
}

fn cost(c: &Ctx, msgs: &[FieldMsg]) -> Html {
    let s = c.s;
    let unsure = s.form.unsure;
    html! {
        <>
            <div class="yb-field">
                <label for="yb-total">{ c.t("预计住院总费用(元)", "Expected total cost (yuan)") }</label>
                <input id="yb-total" class="yb-big" inputmode="decimal" autocomplete="off" disabled={unsure}
                    placeholder={c.t("例如 20000", "e.g. 20000")} value={s.form.total.clone()}
                    aria-invalid={super::msg_for(msgs, "total").is_some().to_string()}
                    oninput={c.text(|f, v| f.total = v)} />
                { field_msg(s.lang, msgs, "total") }
            </div>
            <div class="yb-chips" role="group" aria-label={c.t("常见金额", "common amounts")}>
                { for UNSURE_TOTALS.iter().map(|t| {
                    let v = t.to_string();
                    let d = c.d.clone();
                    let click = Callback::from(move |_: MouseEvent| { let v = v.clone(); d.emit(Action::Edit(Rc::new(move |f| { f.total = v.clone(); f.unsure = false; }))) });
                    html!{ <button type="button" class="yb-chip" onclick={click}>{ yuan(Money::parse(&t.to_string()).unwrap_or_default(), true) }</button> }
                }) }
                <button type="button" id="yb-unsure" class={classes!("yb-chip", unsure.then_some("yb-on"))} aria-pressed={unsure.to_string()}
                    onclick={ let d = c.d.clone(); Callback::from(move |_: MouseEvent| d.emit(Action::Edit(Rc::new(move |f| f.unsure = !unsure)))) }>
                    { c.t("我不确定", "Not sure") }
                </button>
            </div>
            <details class="yb-more" open={!s.form.in_scope.is_empty()}>
                <summary>{ c.t("我有费用清单(可选)", "I have the bill (optional)") }</summary>
                <div class="yb-field">
                    <label for="yb-inscope">{ c.t("其中政策范围内费用(元)", "of which in-scope cost (yuan)") }</label>
                    <input id="yb-inscope" inputmode="decimal" autocomplete="off" value={s.form.in_scope.clone()}
                        oninput={c.text(|f, v| f.in_scope = v)} />
                    { field_msg(s.lang, msgs, "in_scope") }
                </div>
            </details>
        </>
    }
}

fn answer(c: &Ctx, r: &yibao_core::RangeEstimate) -> Html {
    let s = c.s;
    let e = &r.typical;
    let st = &e.settlement;
    let unsure = !c.o.unsure.is_empty();
    let m = &s.doc.policy.meta;
    html! {
        <main class="yb-flow yb-result">
            <section class="yb-answer" aria-live="polite">
                if unsure {
                    <p class="yb-lead">{ c.t("住院 1 万元时,预计您自付", "For a 10,000-yuan stay you would pay") }</p>
                } else {
                    <p class="yb-lead">{ c.t("预计您自付", "You will pay about") }</p>
                }
                <p class="yb-big" id="yb-answer">
                    <span class="yb-approx">{ c.t("约 ", "") }</span>
                    <strong>{ yuan(st.psn_part_amt, true) }</strong>
                    <span class="yb-unit">{ c.t(" 元", " yuan") }</span>
                </p>
                if !r.exact {
                    <p class="yb-range">{ c.t("视自费药品、耗材多少,约 ", "depending on items outside the catalogue: ") }{ parts::range_of(c, r, true) }</p>
                }
                <p class="yb-fund">
                    { c.t("医保等合计支付 ", "insurance and assistance pay ") }<b>{ yuan(st.fund_pay_sumamt, false) }</b>{ c.t(" 元", " yuan") }
                    { c.t(",实际报销 ", ", i.e. ") }{ e.actual_ratio.to_string() }
                </p>
                if c.o.date_moved {
                    <p class="yb-hint yb-less">{ c.t("按政策有效期内的日期 ", "evaluated at ") }{ c.o.date.to_string() }{ c.t(" 计算", " (within the policy period)") }</p>
                }
            </section>
            { parts::verdict(c, e) }
            if unsure {
                <section class="yb-box">
                    <h2>{ c.t("不同花费时您自付多少", "What you pay at different costs") }</h2>
                    <table class="yb-table">
                        <thead><tr><th scope="col">{ c.t("总费用", "Total") }</th><th scope="col" class="yb-num">{ c.t("您自付约", "You pay ~") }</th></tr></thead>
                        <tbody>
                            { for c.o.unsure.iter().map(|(t, r)| html!{
                                <tr><td>{ yuan(*t, true) }{ c.t(" 元", "") }</td><td class="yb-num">{ parts::range_of(c, r, true) }</td></tr>
                            }) }
                        </tbody>
                    </table>
                </section>
            }
            { parts::who_pays(c, e, true) }
            <section class="yb-box">
                <button type="button" class="yb-why" id="yb-why" aria-expanded={s.why.to_string()} aria-controls="yb-steps"
                    onclick={c.send(|| Action::Why)}>
                    { c.t("为什么是这个数?", "Why this number?") }<span aria-hidden="true">{ if s.why { " ▲" } else { " ▼" } }</span>
                </button>
                if s.why {
                    <div id="yb-steps">
                        { parts::trace(c, e) }
                        <p class="yb-hint">{ c.t("依据:", "Policy: ") }{ c.t(&m.name_zh, &m.name_en) }</p>
                    </div>
                }
            </section>
            if let Some(Ok(cmp)) = &c.o.comparison {
                <section class="yb-box">
                    <h2>{ c.t("去哪里看更划算", "Where to go") }</h2>
                    { parts::comparison(c, cmp, false) }
                </section>
            }
            if s.share {
                <section class="yb-box">{ parts::share(c) }</section>
            }
            <div class="yb-nav yb-noprint">
                <button type="button" class="yb-btn yb-ghost" id="yb-edit" onclick={c.send(|| Action::Step(0))}>{ c.t("修改信息", "Change answers") }</button>
                <button type="button" class="yb-btn yb-primary" id="yb-share-btn" onclick={c.send(|| Action::Share)}>{ c.t("分享 / 二维码", "Share / QR") }</button>
            </div>
            { parts::disclaimer(c) }
        </main>
    }
}
