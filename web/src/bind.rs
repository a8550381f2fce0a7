//! The JavaScript entry point: `mount_app(root, options)`, called by `yibao.js` (which defines
//! `<yibao-estimator>` and the public `mount(element, options)`, both rendering in a shadow root).

use crate::model::{self, Lang, Mode};
use crate::ui::{App, AppProps};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn opt_str(o: &JsValue, k: &str) -> Option<String> {
    js_sys::Reflect::get(o, &JsValue::from_str(k))
        .ok()
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
}

fn opt_bool(o: &JsValue, k: &str) -> bool {
    js_sys::Reflect::get(o, &JsValue::from_str(k))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Render the widget into `root` (an element inside a shadow root). Options (all optional):
/// `mode` ("resident" | "clerk"), `policy` (a shipped policy id), `policyText` (the host's own
/// policy as JSON), `lang` ("zh-CN" | "en"), `host` (the element that receives
/// `yibao-estimate` events), `syncHash` (keep the state in the page's URL fragment),
/// `assetBase` (URL of the widget's files, for the print page styles), `fragment` (a state to
/// start from), `handOver` (called with a fragment to switch to a layout this build lacks).
#[wasm_bindgen(js_name = mountApp)]
pub fn mount_app(root: web_sys::Element, options: JsValue) {
    let host_policy = opt_str(&options, "policyText").map(|t| model::parse_host_policy(&t));
    let (custom, policy_error) = match host_policy {
        Some(Ok(doc)) => (Some(Rc::new(doc)), None),
        Some(Err(e)) => (None, Some(e)),
        None => (None, None),
    };
    let host = js_sys::Reflect::get(&options, &JsValue::from_str("host"))
        .ok()
        .and_then(|v| v.dyn_into::<web_sys::Element>().ok());
    let props = AppProps {
        mode: Mode::parse(&opt_str(&options, "mode").unwrap_or_default()),
        lang: Lang::parse(&opt_str(&options, "lang").unwrap_or_default()),
        policy: opt_str(&options, "policy"),
        custom,
        policy_error,
        host,
        sync_hash: opt_bool(&options, "syncHash"),
        asset_base: opt_str(&options, "assetBase").unwrap_or_default(),
        fragment: opt_str(&options, "fragment"),
        hand_over: js_sys::Reflect::get(&options, &JsValue::from_str("handOver"))
            .ok()
            .and_then(|v| v.dyn_into::<js_sys::Function>().ok()),
    };
    yew::Renderer::<App>::with_root_and_props(root, props).render();
}

/// Ids of the policies shipped inside the widget.
#[wasm_bindgen(js_name = policies)]
pub fn policies() -> Vec<JsValue> {
    model::policy_ids().map(JsValue::from_str).collect()
}
