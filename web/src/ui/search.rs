//! Disease search (core's `diagnosis::search`: the county catalogue, then the national list,
//! fetched on the first keystroke) by everyday word, code, name or pinyin; arrow keys move,
//! Enter picks, Esc closes.
//!
//! A view function drawn in the App's own render, not a yew component: yew 0.23's scheduler
//! yields to the browser once a run passes 16 ms, and its `can_yield` does not wait for pending
//! props updates, so after a slow App render (the engine, the comparison, a phone under load) a
//! child component can keep its previous render for a task. A key or a tap in that gap met the
//! previous list and highlight (the desk's "fy" ↓ ↑ Enter picked nothing in one browser run,
//! and a tap on the first suggestion picked what had been first). Here the handlers are always
//! those of the render on screen.

use super::{field_msg, Shared};
use crate::model::national::{index, Index};
use crate::model::{Action, Edit, FieldMsg, Lang};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::diagnosis::Listed;
use yibao_core::PolicyDoc;

#[derive(Properties, PartialEq, Clone)]
pub struct DiseaseSearchProps {
    pub lang: Lang,
    pub doc: Shared<PolicyDoc>,
    /// The text in the box.
    pub query: AttrValue,
    /// The diagnosis chosen (its code), or empty.
    pub disease: AttrValue,
    /// The list is open, and which of its entries is highlighted.
    pub open: bool,
    pub highlight: usize,
    /// The resident's large box.
    pub big: bool,
    /// The form's messages (the one on `disease` is shown under the box).
    pub msgs: Rc<[FieldMsg]>,
    /// Where the national list is fetched from.
    pub asset_base: AttrValue,
    pub dispatch: Callback<Action>,
}

/// Picks a search hit: its code, and its name in the box (a national code has no catalogue row
/// to take the name from).
fn pick(dispatch: &Callback<Action>, (code, name): &(String, String)) {
    dispatch.emit(Action::PickDisease {
        code: code.clone(),
        name: name.clone(),
    });
}

pub fn disease_search(p: &DiseaseSearchProps) -> Html {
    let lang = p.lang;
    let policy = &p.doc.policy;
    let (query, disease) = (p.query.as_str(), p.disease.as_str());
    let index = index();
    let national = match &index {
        Index::Ready(n) => Some(n.clone()),
        _ => None,
    };
    let hits = if disease.is_empty() {
        yibao_core::diagnosis::search(policy, national.as_deref(), query, 8)
    } else {
        vec![]
    };
    let open = p.open && !hits.is_empty();
    let highlight = p.highlight.min(hits.len().saturating_sub(1));
    let picks: Rc<Vec<(String, String)>> = Rc::new(
        hits.iter()
            .map(|h| (h.code.clone(), h.name_zh.clone()))
            .collect(),
    );
    let oninput = {
        let dispatch = p.dispatch.clone();
        let base = p.asset_base.to_string();
        Callback::from(move |e: InputEvent| {
            super::national::load(&base, dispatch.clone());
            let text = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            dispatch.emit(Action::Edit(Edit::Query(text)));
            dispatch.emit(Action::Search {
                open: true,
                highlight: 0,
            });
        })
    };
    let onkeydown = {
        let dispatch = p.dispatch.clone();
        let picks = picks.clone();
        Callback::from(move |e: KeyboardEvent| {
            let n = picks.len();
            match e.key().as_str() {
                "ArrowDown" if n > 0 => {
                    e.prevent_default();
                    dispatch.emit(Action::Search {
                        open: true,
                        highlight: if open { (highlight + 1) % n } else { 0 },
                    });
                }
                "ArrowUp" if n > 0 => {
                    e.prevent_default();
                    dispatch.emit(Action::Search {
                        open: true,
                        highlight: (highlight + n - 1) % n,
                    });
                }
                "Enter" if open && n > 0 => {
                    e.prevent_default();
                    pick(&dispatch, &picks[highlight]);
                }
                "Escape" => dispatch.emit(Action::Search {
                    open: false,
                    highlight: 0,
                }),
                _ => {}
            }
        })
    };
    let onblur = p.dispatch.reform(|_: FocusEvent| Action::Search {
        open: false,
        highlight: 0,
    });
    let chosen = policy.disease(disease).filter(|_| !disease.is_empty());
    // What the box says besides the list: a picked diagnosis the county does not place, the
    // national list still loading or not loaded, nothing found.
    let no_catalogue = policy.catalogue.is_none();
    let status: Option<(&str, &str)> = if !disease.is_empty() {
        chosen.is_none().then(|| {
            Listed::NotListed
                .note()
                .filter(|_| !no_catalogue)
                .or(Listed::NoCatalogue.note())
                .unwrap_or_default()
        })
    } else if query.trim().is_empty() || !hits.is_empty() && national.is_some() {
        None
    } else {
        match index {
            Index::Loading => Some(("正在载入全国疾病目录…", "loading the national list of diagnoses…")),
            Index::Failed => Some(("全国疾病目录未能载入,只搜索了本县目录", "the national list did not load: only the county catalogue was searched")),
            _ if hits.is_empty() && no_catalogue => Some(("没有找到这个疾病;本方案没有病种目录,可以不填,按一般情况估算", "no such diagnosis; this policy has no disease catalogue: leave it blank to estimate without it")),
            _ => None,
        }
    };
    let clear = p
        .dispatch
        .reform(|_: MouseEvent| Action::Edit(Edit::ClearDisease));
    html! {
        <div class="yb-field yb-search">
            <label for="yb-disease">{ lang.t("疾病(常用叫法、名称、拼音或编码)", "Condition (everyday word, name, pinyin or code)") }</label>
            <div class="yb-search-row">
                <input id="yb-disease" type="search" role="combobox" autocomplete="off"
                    class={classes!(p.big.then_some("yb-big"))}
                    aria-expanded={open.to_string()} aria-controls="yb-disease-list"
                    aria-activedescendant={ if open { format!("yb-opt-{highlight}") } else { String::new() } }
                    placeholder={ lang.t("如:心梗、肺炎、fy、J18", "e.g. 心梗, 肺炎, fy, J18") }
                    value={p.query.clone()} {oninput} {onkeydown} {onblur} />
                if !query.is_empty() {
                    <button type="button" class="yb-clear" aria-label={lang.t("清空", "clear")} onclick={clear} tabindex="-1">{ "×" }</button>
                }
            </div>
            if open {
                <ul id="yb-disease-list" class="yb-list" role="listbox" aria-label={lang.t("匹配的疾病", "Matching conditions")}>
                    { for hits.iter().enumerate().map(|(i, hit)| {
                        let dispatch = p.dispatch.clone();
                        let picks = picks.clone();
                        let pick = Callback::from(move |e: MouseEvent| { e.prevent_default(); pick(&dispatch, &picks[i]) });
                        let note = hit.listed.note();
                        html! {
                            <li id={format!("yb-opt-{i}")} role="option" aria-selected={(i == highlight).to_string()}
                                class={classes!((i == highlight).then_some("yb-hl"))} onmousedown={pick}>
                                <span class="yb-code">{ &hit.code }</span>
                                <span>{ if hit.name_en.is_empty() { &hit.name_zh } else { lang.t(&hit.name_zh, &hit.name_en) } }</span>
                                if hit.disease.as_ref().is_some_and(|d| d.emergency) { <span class="yb-tag yb-warn">{ lang.t("急危重症", "emergency") }</span> }
                                if let Some((zh, en)) = note { <small class="yb-note">{ lang.t(zh, en) }</small> }
                            </li>
                        }
                    }) }
                </ul>
            }
            if let Some(disease) = chosen {
                <p class="yb-hint">
                    <span class="yb-code">{ &disease.code }</span>{ " " }{ lang.t(&disease.name_zh, &disease.name_en) }
                    { " · " }{ lang.t("可诊治:", "treated at: ") }
                    { disease.levels.iter().filter_map(|l| policy.level(l)).map(|l| lang.t(&l.name_zh, &l.name_en).to_string()).collect::<Vec<_>>().join(lang.t("、", ", ")) }
                </p>
            }
            if let Some((zh, en)) = status {
                <p class="yb-hint" role="status">
                    if chosen.is_none() && !disease.is_empty() {
                        <span class="yb-code">{ disease }</span>{ " " }{ query }{ " · " }
                    }
                    { lang.t(zh, en) }
                </p>
            }
            { field_msg(lang, &p.msgs, "disease") }
        </div>
    }
}
