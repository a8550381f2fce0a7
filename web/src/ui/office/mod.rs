//! The county office's workbench (`mode="office"`, web/office.html): open a policy, edit it
//! through forms that follow its structure, see core's checks and the worked cases on every
//! edit, compare it with another policy, replay a claims file under both (测算, in a web
//! worker), publish it, and preview the resident page and the desk
//! on it. One reducer over the draft (`state`); one file per screen.

mod cases;
mod checks;
mod compare;
mod editor;
mod open;
mod preview;
mod publish;
mod replay;
mod state;

pub use state::{Action, Tab};
use yew::prelude::*;

#[derive(Properties, PartialEq, Clone)]
pub struct OfficeProps {
    pub asset_base: String,
}

/// The workbench.
#[function_component(Office)]
pub fn office(props: &OfficeProps) -> Html {
    let state = use_reducer(state::Office::restore);
    {
        // Work in progress survives a reload (localStorage; nothing leaves the browser).
        let draft = state.draft.clone();
        use_effect_with(state.revision, move |_| state::save(&draft));
    }
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let tab_button = |tab: Tab, zh: &str, en: &str| {
        let d = dispatch.clone();
        let current = state.tab == tab;
        html! {
            <button type="button" id={format!("yo-tab-{}", tab.code())} class={classes!("yo-tab", current.then_some("yo-current"))}
                aria-current={current.then_some("page")}
                onclick={Callback::from(move |_| d.emit(Action::Tab(tab)))}>
                {zh}<span class="yo-en" lang="en">{en}</span>
            </button>
        }
    };
    let status = match &state.checked {
        Ok(_) => {
            html! { <span id="yo-status" class="yo-ok" data-problems="0">{"✓ 校验通过"}<span class="yo-en" lang="en">{"valid"}</span></span> }
        }
        Err(ps) => html! {
            <span id="yo-status" class="yo-bad" data-problems={ps.0.len().to_string()}>
                {format!("✗ {} 个问题", ps.0.len())}<span class="yo-en" lang="en">{format!("{} problems", ps.0.len())}</span>
            </span>
        },
    };
    let runs = state.runs();
    let failing = runs.iter().filter(|r| !r.ok).count();
    let case_status = html! {
        <span id="yo-case-status" class={if failing == 0 { "yo-ok" } else { "yo-bad" }}
            data-pass={(runs.len() - failing).to_string()} data-fail={failing.to_string()}>
            {format!("案例 {} 过 / {} 不过", runs.len() - failing, failing)}
            <span class="yo-en" lang="en">{format!("cases {} pass, {} fail", runs.len() - failing, failing)}</span>
        </span>
    };
    let body = match state.tab {
        Tab::Open => open::view(&state, &dispatch),
        Tab::Edit => html! {
            <div class="yo-split">
                <div class="yo-main-col">{editor::view(&state, &dispatch, &props.asset_base)}</div>
                <aside class="yo-side" aria-label="检查与案例 checks and cases">
                    {checks::view(&state, &dispatch)}
                    {cases::summary(&state, &runs, &dispatch)}
                </aside>
            </div>
        },
        Tab::Cases => cases::view(&state, &runs, &dispatch),
        Tab::Compare => compare::view(&state, &dispatch),
        Tab::Replay => replay::view(&state, &dispatch, &props.asset_base),
        Tab::Publish => publish::view(&state, &dispatch),
        Tab::Preview => preview::view(&state, &props.asset_base),
    };
    let m = state.draft.tree.get("meta");
    let name = m
        .and_then(|m| m.get("name_zh"))
        .and_then(|v| v.as_str())
        .unwrap_or("(未命名 untitled)")
        .to_string();
    let id = m
        .and_then(|m| m.get("id"))
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    html! {
        <div class="yo" lang="zh-CN">
            <header class="yo-top">
                <div class="yo-brand">
                    <span class="yo-title">{"医保政策工作台"}<span class="yo-en" lang="en">{"policy workbench"}</span></span>
                    <span class="yo-draft" id="yo-draft-name">{name}<code>{id}</code></span>
                </div>
                <div class="yo-badges">{status}{case_status}</div>
            </header>
            <nav class="yo-tabs" aria-label="工作台 workbench">
                {tab_button(Tab::Open, "打开", "Open")}
                {tab_button(Tab::Edit, "编辑与检查", "Edit & check")}
                {tab_button(Tab::Cases, "工作案例", "Worked cases")}
                {tab_button(Tab::Compare, "对比", "Compare")}
                {tab_button(Tab::Replay, "测算", "Replay")}
                {tab_button(Tab::Publish, "发布", "Publish")}
                {tab_button(Tab::Preview, "预览", "Preview")}
            </nav>
            if let Some(n) = &state.notice {
                <p class="yo-notice" role="status" id="yo-notice">{n.clone()}</p>
            }
            <main class="yo-body">{body}</main>
        </div>
    }
}
