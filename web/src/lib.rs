//! yibao-web: the estimate and referral check in the browser, as a yew app that mounts in a
//! shadow root (the demo page, the `<yibao-estimator>` element and `mount()` all use it).
//! Everything is computed here, on the device; the only requests are for the widget's own files.

pub mod model;
/// The service worker's manifest, written at build time (src/bin/page.rs).
#[cfg(not(target_arch = "wasm32"))]
pub mod offline;

#[cfg(target_arch = "wasm32")]
mod bind;
// On the host only with `ssr`: the prerender (src/bin/prerender.rs) renders the first step.
#[cfg(any(target_arch = "wasm32", feature = "ssr"))]
mod ui;

/// The resident page's first step, as yew's server renderer writes it for hydration: what
/// `mountApp` renders with no share link, the site's default policy, in Chinese. The resident
/// module hydrates it (`hydrate` in yibao.js) when the state it starts from is that one;
/// otherwise (a share link, another policy or language) it renders afresh over it.
#[cfg(all(feature = "ssr", not(target_arch = "wasm32")))]
pub async fn first_step() -> String {
    let props = ui::AppProps {
        mode: model::Mode::Resident,
        lang: model::Lang::Zh,
        policy: None,
        custom: None,
        host: None,
        sync_hash: true,
        asset_base: String::new(),
        // No share link: the page's own fragment is not read on the host.
        fragment: Some(String::new()),
        hand_over: None,
    };
    yew::LocalServerRenderer::<ui::App>::with_props(props)
        .render()
        .await
}
