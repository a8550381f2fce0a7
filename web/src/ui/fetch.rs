//! A file beside the widget's own, fetched as text: the national diagnosis index
//! (`national.rs`) and a shipped policy the resident module does not embed (`mod.rs`).

use wasm_bindgen::prelude::*;

/// Fetches `url` and calls `done` once, with the body, or `None` on a network error, an HTTP
/// error status or a body that is not text.
pub fn text(url: &str, done: impl FnOnce(Option<String>) + 'static) {
    let Some(window) = web_sys::window() else {
        return done(None);
    };
    // One of the three paths below calls `done`: the body, its failure, or the request's.
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(
        Box::new(done) as Box<dyn FnOnce(Option<String>)>
    )));
    let finish = move |body: Option<String>| {
        if let Some(f) = done.take() {
            f(body)
        }
    };
    let (on_body, on_bad_body, on_offline) = (finish.clone(), finish.clone(), finish.clone());
    let on_text = Closure::once(move |text: JsValue| on_body(text.as_string()));
    let on_fail = Closure::once(move |_: JsValue| on_bad_body(None));
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
    let on_network = Closure::once(move |_: JsValue| on_offline(None));
    let _ = window.fetch_with_str(url).then2(&on_response, &on_network);
    on_response.forget();
    on_network.forget();
}
