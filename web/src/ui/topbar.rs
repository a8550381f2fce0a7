//! The top bar: the title, the policy's name (and a tag for what is not an official text), the
//! 长辈版, language and layout chips.

use super::Shared;
use crate::model::{Action, Lang, Mode};
use yew::prelude::*;
use yibao_core::policy::Status;
use yibao_core::PolicyDoc;

#[derive(Properties, PartialEq, Clone)]
pub struct TopBarProps {
    pub lang: Lang,
    pub mode: Mode,
    pub elder: bool,
    pub doc: Shared<PolicyDoc>,
    pub dispatch: Callback<Action>,
    /// The layout chip: switches in place, or hands over to the module that has the other
    /// layout (`Ui::switch_mode`).
    pub on_mode: Callback<MouseEvent>,
}

pub fn top_bar(p: &TopBarProps) -> Html {
    let lang = p.lang;
    let other_lang = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
    let other_mode = if p.mode == Mode::Clerk {
        Mode::Resident
    } else {
        Mode::Clerk
    };
    let meta = &p.doc.policy.meta;
    // A short tag for what is not an official text, its full description on hover.
    let tag = match meta.status {
        Status::Official => None,
        Status::Example => Some(("示例", "example")),
        Status::Excerpt => Some(("算例摘录", "excerpt")),
        Status::Secondary => Some(("转引·待核对", "secondary source")),
    };
    let elder = {
        let (dispatch, on) = (p.dispatch.clone(), !p.elder);
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Elder(on)))
    };
    let switch_lang = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::Lang(other_lang)))
    };
    html! {
        <header class="yb-top yb-noprint">
            <div class="yb-brand">
                <span class="yb-title">{ lang.t("医保费用估算", "Health-insurance cost estimate") }</span>
                <span class="yb-sub">
                    { lang.t(&meta.name_zh, &meta.name_en) }
                    if let Some((zh, en)) = tag {
                        <span class="yb-tag" title={meta.status.describe(lang)}>{ lang.t(zh, en) }</span>
                    }
                </span>
            </div>
            <div class="yb-tools">
                if p.mode == Mode::Resident {
                    <button type="button" class={classes!("yb-chip", p.elder.then_some("yb-on"))} aria-pressed={p.elder.to_string()}
                        onclick={elder}>
                        { lang.t("长辈版", "Large text") }
                    </button>
                }
                <button type="button" class="yb-chip" lang={other_lang.code()} onclick={switch_lang}>
                    { if other_lang == Lang::En { "English" } else { "中文" } }
                </button>
                <button type="button" class="yb-chip" id="yb-mode" onclick={p.on_mode.clone()}>
                    { if other_mode == Mode::Clerk { lang.t("窗口版", "Desk mode") } else { lang.t("居民版", "Resident mode") } }
                </button>
            </div>
        </header>
    }
}
