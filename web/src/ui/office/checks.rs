//! Core's checks of the draft, all at once, as the user types: the same codes and the same
//! Chinese and English messages as `yibao validate`; each one a button to its field.

use super::editor::field_id;
use super::state::{Action, Office, Tab};
use crate::model::office::schema;
use yew::prelude::*;

pub fn view(state: &Office, dispatch: &Callback<Action>) -> Html {
    let list = match &state.checked {
        Ok(_) => html! {
            <p class="yo-ok" id="yo-checks-ok">{"未发现问题,与 yibao validate 的检查相同"}<span class="yo-en" lang="en">{"no problems: the checks of yibao validate"}</span></p>
        },
        Err(ps) => {
            let items = ps.0.iter().map(|p| {
                let at = crate::model::office::draft::anchor(&state.draft.tree, &p.path);
                let d = dispatch.clone();
                let id = field_id(&at);
                let label = schema::label_at(&p.path);
                html! {
                    <li class="yo-check" data-code={p.code.as_str()} data-path={p.path.clone()}>
                        <button type="button" class="yo-link" title="转到该字段 go to the field"
                            onclick={Callback::from(move |_| { d.emit(Action::Tab(Tab::Edit)); focus(&id); })}>
                            <code>{p.code.as_str()}</code>{" "}<span class="yo-path">{if p.path.is_empty() { "(整个文件 whole file)".to_string() } else { format!("{label} · {}", p.path) }}</span>
                        </button>
                        <span class="yo-msg">{p.message_zh.clone()}</span>
                        <span class="yo-en yo-msg" lang="en">{p.message_en.clone()}</span>
                    </li>
                }
            });
            html! { <ol class="yo-checks" id="yo-checks">{for items}</ol> }
        }
    };
    html! {
        <section class="yo-panel" aria-labelledby="yo-checks-h">
            <h2 id="yo-checks-h">{"检查"}<span class="yo-en" lang="en">{"checks"}</span></h2>
            {list}
            {stale(state, dispatch)}
        </section>
    }
}

/// The values whose clause still quotes the figure they had: warnings, not problems (the draft
/// reads), each a button to its value.
pub fn stale(state: &Office, dispatch: &Callback<Action>) -> Html {
    if state.stale.is_empty() {
        return html! {};
    }
    let items = state.stale.values().flatten().map(|w| {
        let d = dispatch.clone();
        let id = field_id(&w.path);
        html! {
            <li class="yo-check yo-warn" data-path={w.path.clone()}>
                <button type="button" class="yo-link" title="转到该字段 go to the field"
                    onclick={Callback::from(move |_| { d.emit(Action::Tab(Tab::Edit)); focus(&id); })}>
                    <span class="yo-path">{format!("{} · {}", schema::label_at(&w.path), w.path)}</span>
                </button>
                <span class="yo-msg">{w.zh.clone()}</span>
                <span class="yo-en yo-msg" lang="en">{w.en.clone()}</span>
            </li>
        }
    });
    let n = state.stale.values().map(Vec::len).sum::<usize>();
    html! {
        <>
            <h3 class="yo-warn-h">{format!("⚠ {n} 处数值与出处条款不一致")}<span class="yo-en" lang="en">{if n == 1 { "1 value differs from the figure its clause quotes".to_string() } else { format!("{n} values differ from the figure their clause quotes") }}</span></h3>
            <ol class="yo-checks" id="yo-stale">{for items}</ol>
        </>
    }
}

/// Move the keyboard to the control with this id (in the workbench's shadow root) once the
/// screen shows it.
pub fn focus(id: &str) {
    let id = id.to_string();
    gloo::timers::callback::Timeout::new(30, move || {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(".yo-host").ok().flatten())
            .and_then(|h| h.shadow_root());
        let sel = format!("[id=\"{}\"]", id.replace('"', "\\\""));
        let el = root.and_then(|r| r.query_selector(&sel).ok().flatten());
        if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
            el.scroll_into_view_with_bool(true);
        }
    })
    .forget();
}

use wasm_bindgen::JsCast;
