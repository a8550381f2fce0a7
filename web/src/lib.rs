//! yibao-web: the estimate and referral check in the browser, as a yew app that mounts in a
//! shadow root (the demo page, the `<yibao-estimator>` element and `mount()` all use it).
//! Everything is computed here, on the device; the only requests are for the widget's own files.

pub mod model;

#[cfg(target_arch = "wasm32")]
mod bind;
#[cfg(target_arch = "wasm32")]
mod ui;
