//! Fetches the national diagnosis index (`diagnoses.idx`, beside the widget's files) on the
//! disease box's first keystroke: never part of the first visit; the demo page's service worker
//! keeps it for offline use. The page re-renders when it arrives (or fails: the search then says
//! so and keeps to the county catalogue; the next keystroke asks again).

use super::Action;
use crate::model::national::{index, set_index, Index};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::Callback;
use yibao_core::diagnosis::{National, INDEX_FILE};

pub fn load(asset_base: &str, dispatch: Callback<Action>) {
    if !matches!(index(), Index::Idle | Index::Failed) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    set_index(Index::Loading);
    // Any state change re-renders; `Painted` is already true once a keystroke is possible.
    let done = move |to: Index| {
        set_index(to);
        dispatch.emit(Action::Painted);
    };
    let fail = done.clone();
    let offline = done.clone();
    let on_text = Closure::once(move |text: JsValue| {
        let read = text.as_string().map(|t| National::parse(&t));
        done(match read {
            Some(Ok(n)) => Index::Ready(Rc::new(n)),
            _ => Index::Failed,
        });
    });
    let on_fail = Closure::once(move |_: JsValue| fail(Index::Failed));
    let on_response = Closure::once(move |r: JsValue| {
        let r: web_sys::Response = r.unchecked_into();
        let text = r
            .ok()
            .then(|| r.text().ok())
            .flatten()
            .unwrap_or_else(|| js_sys::Promise::reject(&JsValue::NULL));
        let _ = text.then2(&on_text, &on_fail);
        on_text.forget();
        on_fail.forget();
    });
    let url = format!("{asset_base}{INDEX_FILE}");
    let on_offline = Closure::once(move |_: JsValue| offline(Index::Failed));
    let _ = window.fetch_with_str(&url).then2(&on_response, &on_offline);
    on_response.forget();
    on_offline.forget();
}
