//! The worker's binding: `replay(csv, current, draft, top)` → the report as JSON text, or the
//! problems; progress through the worker's global `yibaoReplayProgress(policy, done, total)`
//! (web/replay-worker.js posts it to the page). Never throws: a policy that does not read is
//! `{"problems": […]}` with both languages.

use wasm_bindgen::prelude::*;
use yibao_batch::report::Posted;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = yibaoReplayProgress)]
    fn progress(policy: u32, done: f64, total: f64);
}

/// The claims file's bytes through `current` and `draft` (exported policies' JSON).
#[wasm_bindgen]
pub fn replay(csv: &[u8], current: &str, draft: &str, top: u32) -> String {
    let r = super::compare(csv, [current, draft], top as usize, &|p, n, t| {
        progress(p as u32, n as f64, t as f64)
    });
    let out = match r {
        Ok(report) => Posted::Report(report),
        Err(ps) => Posted::Problems(ps),
    };
    // A report of strings and numbers always serializes.
    serde_json::to_string(&out).unwrap_or_default()
}
