//! The resident page and the desk, the app itself, mounted on the draft in place.

use super::state::Office;
use crate::model::{Lang, Mode};
use crate::ui::{App, AppProps};
use yew::prelude::*;

pub fn view(state: &Office, asset_base: &str) -> Html {
    let Ok(doc) = &state.checked else {
        return html! { <p class="yo-bad">{"草稿有问题,修正后才能预览"}<span class="yo-en" lang="en">{"fix the draft's problems to preview it"}</span></p> };
    };
    let props = |mode: Mode| AppProps {
        mode,
        lang: Lang::Zh,
        policy: Some(doc.policy.meta.id.clone()),
        custom: Some(doc.clone()),
        host: None,
        sync_hash: false,
        asset_base: asset_base.to_string(),
        fragment: None,
        hand_over: None,
    };
    let key = state.revision.to_string();
    html! {
        <div class="yo-preview">
            <section class="yo-panel yo-phone-frame" aria-label="居民版预览 resident page preview">
                <h2>{"居民手机页"}<span class="yo-en" lang="en">{"resident H5 page, 360 px"}</span></h2>
                <div class="yo-phone" id="yo-preview-resident"><App key={format!("r{key}")} ..props(Mode::Resident) /></div>
            </section>
            <section class="yo-panel yo-desk-frame" aria-label="窗口版预览 desk preview">
                <h2>{"窗口版"}<span class="yo-en" lang="en">{"clinic desk"}</span></h2>
                <div class="yo-desk" id="yo-preview-desk"><App key={format!("c{key}")} ..props(Mode::Clerk) /></div>
            </section>
        </div>
    }
}
