//! The widget's effects, each a hook on the part of the state it follows: what is saved
//! (长辈版), fetched (a policy this module does not embed), written to the page (the URL
//! fragment, the host's event, the benchmark's marks) and started once the first frame is on
//! screen. The reducer (model/state.rs) does none of this: it only says what the state is.

use crate::model::Action;
use gloo::storage::{LocalStorage, Storage};
use yew::prelude::*;

/// Where the 长辈版 (large text) choice is remembered.
const ELDER_KEY: &str = "yibao.elder";

/// The 长辈版 choice as saved (never, for the prerender: it only changes classes, which
/// hydration sets).
#[cfg(not(target_arch = "wasm32"))]
pub fn saved_elder() -> bool {
    false
}

/// The 长辈版 choice as saved.
#[cfg(target_arch = "wasm32")]
pub fn saved_elder() -> bool {
    LocalStorage::raw()
        .get_item(ELDER_KEY)
        .ok()
        .flatten()
        .as_deref()
        == Some("true")
}

/// Saves the 长辈版 choice whenever it changes. Only a choice that differs from what is saved is
/// written: the first render (which read it) writes nothing.
#[hook]
pub fn use_saved_elder(elder: bool) {
    use_effect_with(elder, |&on| {
        if saved_elder() != on {
            // Raw text ("true"/"false", as JSON would write it): gloo's typed `set`/`get`
            // would bring a JSON parser into the module for one boolean.
            let text = if on { "true" } else { "false" };
            let _ = LocalStorage::raw().set_item(ELDER_KEY, text);
        }
    });
}

/// A shipped policy this module does not embed: fetched, then the state moves to it
/// (`Action::PolicyArrived`).
#[hook]
pub fn use_policy_fetch(
    pending: Option<crate::model::PendingPolicy>,
    asset_base: &str,
    dispatch: Callback<Action>,
) {
    let base = asset_base.to_string();
    use_effect_with(pending, move |pending| {
        if let Some(p) = pending {
            let id = p.id.clone();
            super::fetch::text(&format!("{base}{}", p.file), move |text| {
                dispatch.emit(Action::PolicyArrived(id, text))
            });
        }
    });
}

/// Keeps the URL fragment in step with the form (the share link and QR code are this URL), when
/// the host asked for it and there is an answer to link to.
#[hook]
pub fn use_url_fragment(sync: bool, fragment: String, answered: bool) {
    use_effect_with((fragment, answered), move |(fragment, answered)| {
        if sync && *answered {
            if let Some(w) = web_sys::window() {
                if let Ok(h) = w.history() {
                    let _ = h.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&format!("#{fragment}")),
                    );
                }
            }
        }
    });
}

/// Tells the host page about every new estimate (`yibao-estimate`, its detail as JSON).
#[hook]
pub fn use_host_event(host: Option<web_sys::Element>, detail: Option<String>) {
    use_effect_with(detail, move |detail| {
        if let (Some(host), Some(detail)) = (host, detail) {
            let init = web_sys::CustomEventInit::new();
            init.set_bubbles(true);
            init.set_composed(true);
            init.set_detail(&js_sys::JSON::parse(detail).unwrap_or_default());
            if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict("yibao-estimate", &init)
            {
                let _ = host.dispatch_event(&ev);
            }
        }
    });
}

/// Performance marks for the timing benchmark (first render, first estimate on screen), and
/// the comparison's go-ahead (`Action::Painted`) once the first frame is painted.
#[hook]
pub fn use_first_paint(shown: bool, painted: bool, asset_base: &str, dispatch: Callback<Action>) {
    let base = asset_base.to_string();
    use_effect_with(shown, move |&shown| {
        if !painted {
            let dispatch = dispatch.clone();
            after_paint(move || dispatch.emit(Action::Painted));
        }
        // After the first answer, when the browser is idle: the national diagnosis list, so
        // that the next search finds every diagnosis from its first keystroke (on our own
        // page the service worker has usually fetched it already; this reads it).
        if shown {
            when_idle(move || super::national::load(&base, dispatch));
        }
        if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
            for (name, now) in [("yibao-ready", true), ("yibao-first-estimate", shown)] {
                if now && perf.get_entries_by_name(name).length() == 0 {
                    let _ = perf.mark(name);
                }
            }
        }
    });
}

/// Run `f` once the browser has painted the current frame: in the animation frame after the
/// next one (an animation frame's callbacks run before that frame is drawn).
fn after_paint(f: impl FnOnce() + 'static) {
    frames(2, f)
}

/// Run `f` when the browser is idle (`requestIdleCallback`; two seconds later where a browser
/// lacks it, as Safari does).
fn when_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(w) = web_sys::window() else { return };
    let f = Closure::once_into_js(f);
    if w.request_idle_callback(f.unchecked_ref()).is_err() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), 2000);
    }
}

fn frames(n: u8, f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let next = Closure::once_into_js(move || match n {
        0 | 1 => f(),
        _ => frames(n - 1, f),
    });
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(next.unchecked_ref());
    }
}
