//! The policy menu, the same in both layouts: each policy by its name (which names its region),
//! with its id and region as the tooltip for a clerk checking the year.

use super::Shared;
use crate::model::{policy_menu, Lang};
use yew::prelude::*;
use yibao_core::PolicyDoc;

#[derive(Properties, PartialEq, Clone)]
pub struct PolicyPickerProps {
    pub lang: Lang,
    /// The label's text (each layout words it its own way).
    pub label: AttrValue,
    /// The field's classes (the desk's row grows it).
    pub class: &'static str,
    /// The chosen policy's id.
    pub selected: AttrValue,
    /// A host's own policy, offered next to the shipped ones.
    pub custom: Option<Shared<PolicyDoc>>,
    /// Called with the id of the policy picked.
    pub onpick: Callback<String>,
}

#[function_component(PolicyPicker)]
pub fn policy_picker(p: &PolicyPickerProps) -> Html {
    let lang = p.lang;
    let options = policy_menu(p.custom.as_deref())
        .iter()
        .map(|entry| {
            html! {
                <option value={entry.id.to_string()} selected={entry.id == p.selected.as_str()}
                    title={format!("{} · {}", lang.t(entry.region_zh, entry.region_en), entry.id)}>
                    { lang.t(entry.name_zh, entry.name_en) }
                </option>
            }
        })
        .collect::<Html>();
    let onchange = p.onpick.reform(|e: Event| {
        e.target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value()
    });
    html! {
        <div class={p.class}>
            <label for="yb-policy">{ p.label.clone() }</label>
            <select id="yb-policy" {onchange}>{ options }</select>
        </div>
    }
}
