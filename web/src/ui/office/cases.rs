//! The worked cases: each run on every edit, pass or fail per published figure (what
//! `yibao test` says of them), each expected figure editable; and a visit estimated on the
//! draft, saved as a new worked case with the published figures typed in and their source.

use super::state::{Action, Office, Tab};
use crate::model::office::cases::{new_case, Run, Visit, FIGURES};
use crate::model::office::draft;
use std::collections::BTreeMap;
use yew::prelude::*;

/// The Chinese name of a published figure (a settlement key, or one of the case's own).
fn figure_label(field: &str) -> &'static str {
    match field {
        "route" => "结算路径",
        "eligibility" => "转诊结论",
        "actual_ratio" => "实际报销比例",
        "error" => "应报的问题",
        f => yibao_core::estimate::Field::of(f).map_or("", |f| f.zh),
    }
}

/// The side panel of the editor: each case's verdict.
pub fn summary(state: &Office, runs: &[Run], dispatch: &Callback<Action>) -> Html {
    let d = dispatch.clone();
    let body = if state.checked.is_err() {
        html! { <p class="yo-muted">{"草稿修正后再运行案例"}<span class="yo-en" lang="en">{"the cases run once the draft reads"}</span></p> }
    } else if runs.is_empty() {
        html! { <p class="yo-muted">{"还没有工作案例"}<span class="yo-en" lang="en">{"no worked cases yet"}</span></p> }
    } else {
        html! {
            <ul class="yo-case-list" id="yo-case-summary">
                {for runs.iter().map(|r| html! {
                    <li class={if r.ok { "yo-pass" } else { "yo-fail" }} data-case={r.id.clone()} data-ok={r.ok.to_string()}>
                        {if r.ok { "✓ " } else { "✗ " }}<code>{r.id.clone()}</code>
                        {format!(" {}/{}", r.figures.iter().filter(|f| f.ok).count(), r.figures.len())}
                    </li>
                })}
            </ul>
        }
    };
    html! {
        <section class="yo-panel" aria-labelledby="yo-cases-h">
            <h2 id="yo-cases-h">{"工作案例"}<span class="yo-en" lang="en">{"worked cases"}</span>
                <button type="button" class="yo-link" onclick={Callback::from(move |_| d.emit(Action::Tab(Tab::Cases)))}>{"详情 details"}</button>
            </h2>
            {body}
        </section>
    }
}

pub fn view(state: &Office, runs: &[Run], dispatch: &Callback<Action>) -> Html {
    let cards = runs.iter().enumerate().map(|(i, r)| {
        let wc = &state.draft.cases[i];
        let rows = r.figures.iter().map(|f| {
            let d = dispatch.clone();
            let field = f.field.clone();
            html! {
                <tr class={if f.ok { "yo-pass" } else { "yo-fail" }} data-field={f.field.clone()} data-ok={f.ok.to_string()}>
                    <th scope="row">{figure_label(&f.field)}<span class="yo-key">{f.field.clone()}</span></th>
                    <td><input type="text" class="yo-in" value={f.expected.clone()} aria-label={format!("{} 公布数 published {}", r.id, f.field)}
                        data-expect={format!("{}:{}", r.id, f.field)}
                        oninput={Callback::from(move |e: InputEvent| d.emit(Action::Expect(i, field.clone(), e.target_unchecked_into::<web_sys::HtmlInputElement>().value())))} /></td>
                    <td class="yo-num" data-actual="">{f.actual.clone()}</td>
                    <td>{if f.ok { "✓ 一致" } else { "✗ 不一致" }}</td>
                </tr>
            }
        });
        let d = dispatch.clone();
        html! {
            <article class={classes!("yo-case", if r.ok { "yo-case-pass" } else { "yo-case-fail" })} data-case={r.id.clone()} data-ok={r.ok.to_string()} data-outcome={r.outcome}>
                <h3>{if r.ok { "✓ " } else { "✗ " }}<code>{r.id.clone()}</code>{" "}{r.title.clone()}
                    <button type="button" class="yo-remove" aria-label={format!("删除案例 {}", r.id)} onclick={Callback::from(move |_| d.emit(Action::RemoveCase(i)))}>{"删除"}</button>
                </h3>
                if let Some(p) = &wc.published { <p class="yo-muted">{"公布于 published: "}{format!("{} — {}", p.source, p.quote)}</p> }
                if let Some(n) = &wc.discrepancy { <p class="yo-muted">{"已知差异 known discrepancy: "}{n.clone()}</p> }
                <table class="yo-grid yo-figures">
                    <thead><tr><th scope="col">{"项目 field"}</th><th scope="col">{"公布数 published"}</th><th scope="col">{"引擎 engine"}</th><th scope="col">{"结果 result"}</th></tr></thead>
                    <tbody>{for rows}</tbody>
                </table>
            </article>
        }
    });
    let none = state.checked.is_err().then(|| html! {
        <p class="yo-bad" role="status">{"草稿有问题,案例暂不能运行:先在“编辑与检查”中修正"}<span class="yo-en" lang="en">{"the draft has problems: fix them under Edit & check, then the cases run"}</span></p>
    });
    html! {
        <div class="yo-cases">
            <NewCase state={state.clone()} dispatch={dispatch.clone()} />
            {none}
            <div class="yo-case-cards" id="yo-case-cards">{for cards}</div>
        </div>
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct NewCaseProps {
    pub state: Office,
    pub dispatch: Callback<Action>,
}

/// A visit on the draft, and the form that keeps it as a worked case.
#[function_component(NewCase)]
fn new_case_form(p: &NewCaseProps) -> Html {
    let figures = use_state(BTreeMap::<String, String>::new);
    let meta = use_state(|| (String::new(), String::new(), String::new()));
    let error = use_state(|| None::<String>);
    let state = &p.state;
    let visit = state.visit.clone();
    let levels = draft::ids(&state.draft.tree, "levels");
    let cats = draft::ids(&state.draft.tree, "categories");
    let set_visit = |f: fn(&mut Visit, String)| {
        let d = p.dispatch.clone();
        let v = visit.clone();
        move |s: String| {
            let mut v = v.clone();
            f(&mut v, s);
            d.emit(Action::Visit(v));
        }
    };
    let select = |id: &str, label: &str, opts: &[String], cur: &str, set: Box<dyn Fn(String)>| {
        let set = std::rc::Rc::new(set);
        html! {
            <div class="yo-field">
                <label for={id.to_string()}>{label.to_string()}</label>
                <select id={id.to_string()} onchange={Callback::from(move |e: Event| set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))}>
                    {for opts.iter().map(|o| html! { <option value={o.clone()} selected={o == cur}>{o.clone()}</option> })}
                </select>
            </div>
        }
    };
    let text = |id: &str, label: &str, cur: &str, set: Box<dyn Fn(String)>| {
        let set = std::rc::Rc::new(set);
        html! {
            <div class="yo-field">
                <label for={id.to_string()}>{label.to_string()}</label>
                <input type="text" id={id.to_string()} class="yo-in" value={cur.to_string()} autocomplete="off"
                    oninput={Callback::from(move |e: InputEvent| set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))} />
            </div>
        }
    };
    let estimate = match &state.checked {
        Ok(doc) => Some(visit.estimate(doc, super::super::today())),
        Err(_) => None,
    };
    let fig_rows = FIGURES.iter().map(|k| {
        let (k, zh) = (&k.as_str(), &k.field().short_zh);
        let engine = match &estimate {
            Some(Ok(e)) => e.settlement.get(k).map(|m| m.to_string()).unwrap_or_default(),
            _ => String::new(),
        };
        let figs = figures.clone();
        let key = k.to_string();
        html! {
            <tr>
                <th scope="row">{*zh}<span class="yo-key">{*k}</span></th>
                <td class="yo-num" data-engine={k.to_string()}>{engine}</td>
                <td><input type="text" class="yo-in" id={format!("yo-pub-{k}")} aria-label={format!("{zh} 公布数 published {k}")}
                    value={figures.get(*k).cloned().unwrap_or_default()}
                    oninput={Callback::from(move |e: InputEvent| {
                        let mut m = (*figs).clone();
                        m.insert(key.clone(), e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
                        figs.set(m);
                    })} /></td>
            </tr>
        }
    });
    let save = {
        let (figures, meta, error, d) = (
            figures.clone(),
            meta.clone(),
            error.clone(),
            p.dispatch.clone(),
        );
        let visit = visit.clone();
        let cases = state.draft.cases.clone();
        Callback::from(move |_| {
            let (id, title, published) = &*meta;
            match new_case(&visit, id, title, published, &figures, &cases) {
                Ok(wc) => {
                    error.set(None);
                    figures.set(BTreeMap::new());
                    meta.set((String::new(), String::new(), String::new()));
                    d.emit(Action::SaveCase(Box::new(wc)));
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };
    let meta_input = |i: usize, id: &str, label: &str| {
        let m = meta.clone();
        let cur = match i {
            0 => m.0.clone(),
            1 => m.1.clone(),
            _ => m.2.clone(),
        };
        text(
            id,
            label,
            &cur,
            Box::new(move |s| {
                let mut t = (*m).clone();
                match i {
                    0 => t.0 = s,
                    1 => t.1 = s,
                    _ => t.2 = s,
                }
                m.set(t);
            }),
        )
    };
    let est_msg = match &estimate {
        Some(Err(e)) => html! { <p class="yo-err" id="yo-visit-error">{e.clone()}</p> },
        Some(Ok(e)) => {
            html! { <p class="yo-muted" id="yo-visit-pays">{format!("个人负担 {} 元 · 基金 {} 元", e.settlement.psn_part_amt.grouped(), e.settlement.fund_pay_sumamt.grouped())}</p> }
        }
        None => html! {},
    };
    html! {
        <section class="yo-panel yo-new-case" aria-labelledby="yo-new-h">
            <h2 id="yo-new-h">{"试算并保存为工作案例"}<span class="yo-en" lang="en">{"estimate a visit, save it as a worked case"}</span></h2>
            <div class="yo-fields">
                {select("yo-visit-level", "级别 level", &levels, &visit.level, Box::new(set_visit(|v, s| v.level = s)))}
                {select("yo-visit-category", "人员类别 category", &cats, &visit.category, Box::new(set_visit(|v, s| v.category = s)))}
                {text("yo-visit-total", "费用总额 total (元)", &visit.total, Box::new(set_visit(|v, s| v.total = s)))}
                {text("yo-visit-in-scope", "政策范围内 in scope (元,可空)", &visit.in_scope, Box::new(set_visit(|v, s| v.in_scope = s)))}
                {text("yo-visit-date", "就诊日期 date (YYYY-MM-DD,可空)", &visit.date, Box::new(set_visit(|v, s| v.date = s)))}
            </div>
            {est_msg}
            <table class="yo-grid yo-figures">
                <thead><tr><th scope="col">{"项目 field"}</th><th scope="col">{"引擎 engine"}</th><th scope="col">{"公布数 published (填写要核对的)"}</th></tr></thead>
                <tbody>{for fig_rows}</tbody>
            </table>
            <div class="yo-fields">
                {meta_input(0, "yo-case-id", "案例编号 id")}
                {meta_input(1, "yo-case-title", "标题 title")}
                {meta_input(2, "yo-case-published", "出处 published in (文件、页码)")}
            </div>
            if let Some(e) = &*error { <p class="yo-err" role="alert" id="yo-case-error">{e.clone()}</p> }
            <button type="button" class="yo-primary" id="yo-save-case" onclick={save}>{"保存为工作案例"}<span class="yo-en" lang="en">{"save as a worked case"}</span></button>
        </section>
    }
}
