//! The JavaScript entry point: `mount_app(root, options)`, called by `yibao.js` (which defines
//! `<yibao-estimator>` and the public `mount(element, options)`, both rendering in a shadow root).

use crate::model::{self, Lang, Mode};
use crate::ui::{App, AppProps, Failed, FailedProps};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// `options[key]`, read the way a host may have written it: missing, `undefined` or of another
/// type is the same as not given.
fn option(options: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(options, &JsValue::from_str(key)).unwrap_or_default()
}

/// A string option; empty is not given.
fn text_option(options: &JsValue, key: &str) -> Option<String> {
    option(options, key).as_string().filter(|s| !s.is_empty())
}

fn flag_option(options: &JsValue, key: &str) -> bool {
    option(options, key).as_bool().unwrap_or(false)
}

/// Render the widget into `root` (an element inside a shadow root). Options (all optional):
/// `mode` ("resident" | "clerk"), `policy` (a shipped policy id), `policyText` (the host's own
/// policy as JSON), `lang` ("zh-CN" | "en"), `host` (the element that receives
/// `yibao-estimate` events), `syncHash` (keep the state in the page's URL fragment),
/// `assetBase` (URL of the widget's files, for the print page styles), `fragment` (a state to
/// start from), `handOver` (called with a fragment to switch to a layout this build lacks),
/// `hydrate` (`root` holds the prerendered first step: take it over instead of drawing anew; only
/// a build with the `hydration` feature, the resident one, can).
///
/// A policy that does not read, or an id no policy has, is not replaced by another: the widget
/// shows the problems and computes nothing, and the problems come back as JSON (an array of
/// `{ code, path, message_zh, message_en }`) for `yibao.js` to report to the host. `undefined`
/// when the widget is on screen.
#[wasm_bindgen(js_name = mountApp)]
pub fn mount_app(root: web_sys::Element, options: JsValue) -> Option<String> {
    let host_policy =
        text_option(&options, "policyText").map(|text| model::parse_host_policy(&text));
    let lang = Lang::parse(&text_option(&options, "lang").unwrap_or_default());
    let policy = text_option(&options, "policy");
    let custom = match host_policy {
        Some(Ok(doc)) => Some(Rc::new(doc)),
        Some(Err(msgs)) => return Some(failed(root, lang, msgs)),
        None => None,
    };
    if let Some(msg) = policy
        .as_deref()
        .and_then(|id| model::unknown_policy(id, custom.as_deref()))
    {
        return Some(failed(root, lang, vec![msg]));
    }
    let host = option(&options, "host").dyn_into::<web_sys::Element>().ok();
    let props = AppProps {
        mode: Mode::parse(&text_option(&options, "mode").unwrap_or_default()),
        lang,
        policy,
        custom,
        host,
        sync_hash: flag_option(&options, "syncHash"),
        asset_base: text_option(&options, "assetBase").unwrap_or_default(),
        fragment: text_option(&options, "fragment"),
        hand_over: option(&options, "handOver")
            .dyn_into::<js_sys::Function>()
            .ok(),
    };
    let renderer = yew::Renderer::<App>::with_root_and_props(root, props);
    // The first step the page was built with (web/src/bin/prerender.rs) is taken over as it is:
    // yibao.js asks for it only when the state starts as the prerender's did.
    #[cfg(feature = "hydration")]
    if flag_option(&options, "hydrate") {
        renderer.hydrate();
        return None;
    }
    renderer.render();
    None
}

/// The policy's problems on screen instead of the widget; their JSON for the host.
fn failed(root: web_sys::Element, lang: Lang, msgs: Vec<model::FieldMsg>) -> String {
    let json = model::problems_json(&msgs);
    let props = FailedProps { lang, msgs };
    yew::Renderer::<Failed>::with_root_and_props(root, props).render();
    json
}

/// Ids of the policies shipped inside the widget.
#[wasm_bindgen(js_name = policies)]
pub fn policies() -> Vec<JsValue> {
    model::policy_ids().map(JsValue::from_str).collect()
}

/// The county office's workbench (`mode="office"`, web/office.html, loaded by `office.js`): only
/// the office build has it. Options: `assetBase` (URL of the widget's files).
#[cfg(feature = "office")]
#[wasm_bindgen(js_name = mountOffice)]
pub fn mount_office(root: web_sys::Element, options: JsValue) {
    let props = crate::ui::office::OfficeProps {
        asset_base: text_option(&options, "assetBase").unwrap_or_default(),
    };
    yew::Renderer::<crate::ui::office::Office>::with_root_and_props(root, props).render();
}
