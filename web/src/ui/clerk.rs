//! Clerk mode: one dense screen at the registration desk, keyboard first, printable.

use super::caveats::{assumptions, caveats, disclaimer, DisclaimerProps};
use super::comparison::{pathways_missing, Pathways, PathwaysMissingProps};
use super::fields::{account_fields, incentive_fields, AccountFieldsProps, IncentiveFieldsProps};
use super::picker::PolicyPicker;
use super::share::{qr_code, share, QrCodeProps, ShareProps};
use super::slip::{range_of, receipt, trace, verdict, who_pays, EstimateProps, WhoPaysProps};
use super::{field_msg, Action, Ui};
use crate::model::{self, yuan, Edit, FieldMsg, ItemPart, YtdAmount};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::estimate::{Figure, FIELDS};
use yibao_core::policy::FilingKind;

/// Messages worth showing: a field not typed into yet is not flagged as missing.
fn visible(ui: &Ui) -> Vec<FieldMsg> {
    let form = &ui.state.form;
    ui.msgs()
        .iter()
        .filter(|m| !(m.field == "total" && form.total.trim().is_empty() && form.items.is_empty()))
        .cloned()
        .collect()
}

fn levels_select(
    ui: &Ui,
    id: &'static str,
    value: &str,
    blank: Option<&str>,
    set: fn(String) -> Edit,
) -> Html {
    let policy = &ui.state.doc.policy;
    let levels = policy.levels_by_rank();
    html! {
        <select {id} onchange={ui.select(set)}>
            if let Some(blank) = blank { <option value="" selected={value.is_empty()}>{ blank }</option> }
            { for levels.iter().map(|level| html!{ <option value={level.id.clone()} selected={level.id == value}>{ ui.t(&level.name_zh, &level.name_en) }</option> }) }
        </select>
    }
}

pub fn view(ui: &Ui) -> Html {
    let state = ui.state;
    let form = &state.form;
    let policy = &state.doc.policy;
    let msgs = visible(ui);
    let lang = state.lang;
    let itemised = state.itemised;
    html! {
        <div class="yb-desk" onkeydown={desk_keys(ui)}>
            <form class="yb-form yb-noprint" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} novalidate=true
                onkeydown={Callback::from(enter_moves_on)}>
                <fieldset>
                    <legend>{ ui.t("政策", "Policy") }</legend>
                    <div class="yb-row">
                        <PolicyPicker {lang} label={ui.t("政策", "Policy")} class="yb-field yb-grow"
                            selected={form.policy.clone()} custom={ui.custom()} onpick={ui.dispatch.reform(Action::Policy)} />
                        <div class="yb-field">
                            <label for="yb-date">{ ui.t("入院日期", "Admission date") }</label>
                            <input id="yb-date" class="yb-date" placeholder={ui.outcome.date.to_string()} value={form.date.clone()} oninput={ui.text(Edit::Date)} />
                            { field_msg(lang, &msgs, "date") }
                        </div>
                        <div class="yb-field">
                            <label for="yb-setting">{ ui.t("类型", "Setting") }</label>
                            <select id="yb-setting" onchange={ui.select(|v| Edit::Outpatient(v == "outpatient"))}>
                                <option value="inpatient" selected={!form.outpatient}>{ ui.t("住院", "inpatient") }</option>
                                <option value="outpatient" selected={form.outpatient}>{ ui.t("门诊", "outpatient") }</option>
                            </select>
                        </div>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ ui.t("患者", "Patient") }</legend>
                    <div class="yb-row">
                        <div class="yb-field yb-grow">
                            <label for="yb-category">{ ui.t("人员类别", "Category") }</label>
                            <select id="yb-category" onchange={ui.select(Edit::Category)}>
                                { for policy.categories.iter().map(|category| html!{ <option value={category.id.clone()} selected={category.id == form.category}>{ ui.t(&category.name_zh, &category.name_en) }</option> }) }
                            </select>
                            { field_msg(lang, &msgs, "category") }
                        </div>
                        <div class="yb-field">
                            <label for="yb-age">{ ui.t("年龄", "Age") }</label>
                            <input id="yb-age" class="yb-short" inputmode="numeric" value={form.age.clone()} oninput={ui.text(Edit::Age)} />
                        </div>
                    </div>
                    { field_msg(lang, &msgs, "age") }
                    <div class="yb-row">
                        <label class="yb-check"><input type="checkbox" id="yb-pregnant" checked={form.pregnant} onchange={ui.check(Edit::Pregnant)} />{ ui.t("孕产妇", "pregnant") }</label>
                        <label class="yb-check"><input type="checkbox" id="yb-disability" checked={form.disability} onchange={ui.check(Edit::Disability)} />{ ui.t("重度残疾", "severe disability") }</label>
                        <label class="yb-check"><input type="checkbox" id="yb-emergency" checked={form.emergency} onchange={ui.check(Edit::Emergency)} />{ ui.t("急危重症", "emergency") }</label>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ ui.t("病种与机构", "Condition and facility") }</legend>
                    { ui.disease_search(false) }
                    <div class="yb-row">
                        <div class="yb-field yb-grow">
                            <label for="yb-level">{ ui.t("就诊机构级别", "Facility level") }</label>
                            { levels_select(ui, "yb-level", &form.level, None, Edit::Level) }
                            { field_msg(lang, &msgs, "level") }
                        </div>
                        <div class="yb-field yb-grow">
                            <label for="yb-from">{ ui.t("本次由何级转入", "Transferred from") }</label>
                            { levels_select(ui, "yb-from", &form.from_level, Some(ui.t("无", "none")), Edit::FromLevel) }
                        </div>
                    </div>
                    <div class="yb-row">
                        <label class="yb-check"><input type="checkbox" id="yb-slip" checked={form.slip} onchange={ui.check(Edit::Slip)} />{ ui.t("持转诊单", "referral slip") }</label>
                        <div class="yb-field yb-inline">
                            <label for="yb-slipdate">{ ui.t("开单日期", "issued") }</label>
                            <input id="yb-slipdate" class="yb-date" placeholder="YYYY-MM-DD" value={form.slip_date.clone()} oninput={ui.text(Edit::SlipDate)} />
                        </div>
                        <label class="yb-check"><input type="checkbox" id="yb-filing" checked={form.filing} onchange={ui.check(Edit::Filing)} />{ ui.t("异地就医备案", "out-of-area filing") }</label>
                    </div>
                    { field_msg(lang, &msgs, "slip_date") }
                    if policy.referral.iter().flat_map(|r| &r.out_of_area).any(|o| !o.by_filing.is_empty()) {
                        <div class="yb-field">
                            <label for="yb-filing-kind">{ ui.t("异地就医备案类型", "kind of out-of-area filing") }</label>
                            <select id="yb-filing-kind" onchange={ui.select(Edit::FilingKind)}>
                                <option value="" selected={form.filing_kind.is_empty()}>{ ui.t("按上面的转诊/备案判断", "from the paperwork above") }</option>
                                { for FilingKind::ALL.iter().map(|k| html! {
                                    <option value={k.code()} selected={form.filing_kind == k.code()}>{ ui.t(k.name_zh(), k.name_en()) }</option>
                                }) }
                            </select>
                        </div>
                    }
                </fieldset>
                <fieldset>
                    <legend>{ ui.t("费用", "Bill") }</legend>
                    <label class="yb-check"><input type="checkbox" id="yb-itemised" checked={itemised}
                        onchange={ let dispatch = ui.dispatch.clone(); Callback::from(move |e: Event| dispatch.emit(Action::Itemised(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))) } />
                        { ui.t("按费用明细计算", "itemised bill") }</label>
                    if !itemised {
                        <div class="yb-row">
                            <div class="yb-field yb-grow">
                                <label for="yb-total">{ ui.t("医疗费总额", "Total cost") }</label>
                                <input id="yb-total" inputmode="decimal" autocomplete="off" value={form.total.clone()} oninput={ui.text(Edit::Total)}
                                    aria-invalid={super::msg_for(&msgs, "total").is_some().to_string()} />
                            </div>
                            <div class="yb-field yb-grow">
                                <label for="yb-inscope">{ ui.t("其中政策范围内(可空)", "of which in scope (optional)") }</label>
                                <input id="yb-inscope" inputmode="decimal" autocomplete="off" value={form.in_scope.clone()} oninput={ui.text(Edit::InScope)} />
                            </div>
                        </div>
                        { field_msg(lang, &msgs, "total") }
                        { field_msg(lang, &msgs, "in_scope") }
                    } else {
                        { line_items(ui, &msgs) }
                    }
                    <div class="yb-field">
                        <label for="yb-paste">{ ui.t("从表格粘贴明细(名称、类别、金额、限价,Tab 分隔)", "Paste line items from a spreadsheet (name, class, amount, cap; tab-separated)") }</label>
                        <textarea id="yb-paste" rows="2" value={state.paste.clone()}
                            oninput={ let dispatch = ui.dispatch.clone(); Callback::from(move |e: InputEvent| dispatch.emit(Action::Paste(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))) }
                            onpaste={ let dispatch = ui.dispatch.clone(); Callback::from(move |e: Event| {
                                let e: web_sys::ClipboardEvent = wasm_bindgen::JsCast::unchecked_into(e);
                                if let Some(t) = e.clipboard_data().and_then(|dt| dt.get_data("text").ok()) {
                                    e.prevent_default();
                                    dispatch.emit(Action::Paste(t));
                                    dispatch.emit(Action::ApplyPaste);
                                }
                            }) } />
                        <button type="button" class="yb-chip" id="yb-paste-apply" onclick={ui.send(|| Action::ApplyPaste)}>{ ui.t("导入粘贴内容", "Import pasted rows") }</button>
                        if let Some(m) = &state.paste_msg {
                            <p class="yb-err" role="alert">{ lang.t(&m.zh, &m.en) }<span class="yb-err2">{ lang.t(&m.en, &m.zh) }</span></p>
                        }
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ ui.t("本年度已发生(第二次及以后住院)", "Year to date (later admissions)") }</legend>
                    <div class="yb-row">
                        <div class="yb-field">
                            <label for="yb-ytd-adm">{ ui.t("已住院次数", "admissions") }</label>
                            <input id="yb-ytd-adm" class="yb-short" inputmode="numeric" value={form.ytd_admissions.clone()} oninput={ui.text(Edit::YtdAdmissions)} />
                        </div>
                        <div class="yb-field yb-grow">
                            <label for="yb-ytd-hifp">{ ui.t("基本医保已支付", "basic fund paid") }</label>
                            <input id="yb-ytd-hifp" inputmode="decimal" value={form.ytd_hifp.clone()} oninput={ui.text(Edit::YtdHifp)} />
                        </div>
                    </div>
                    { field_msg(lang, &msgs, "ytd_admissions") }
                    { field_msg(lang, &msgs, "ytd_hifp") }
                    { for policy.layers.iter().map(|l| layer_ytd(ui, &msgs, &l.id, &l.name_zh, &l.name_en)) }
                </fieldset>
                // Asked only when the policy has the rule that uses the answer.
                { account_fields(&AccountFieldsProps {
                lang,
                doc: ui.doc(),
                account: form.account.clone().into(),
                family_account: form.family_account.clone().into(),
                msgs: Rc::from(msgs.as_slice()),
                dispatch: ui.dispatch.clone(),
            }) }
                { incentive_fields(&IncentiveFieldsProps {
                lang,
                doc: ui.doc(),
                continuous_years: form.continuous_years.clone().into(),
                claim_free_years: form.claim_free_years.clone().into(),
                msgs: Rc::from(msgs.as_slice()),
                dispatch: ui.dispatch.clone(),
            }) }
            </form>
            { estimate_sheet(ui) }
            { super::reconcile::panel(ui) }
        </div>
    }
}

fn layer_ytd(ui: &Ui, msgs: &[FieldMsg], id: &str, zh: &str, en: &str) -> Html {
    let (base, paid) = ui
        .state
        .form
        .ytd_layers
        .get(id)
        .cloned()
        .unwrap_or_default();
    let edit = |which: YtdAmount| {
        let dispatch = ui.dispatch.clone();
        let id = id.to_string();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let id = id.clone();
            dispatch.emit(Action::Edit(Edit::LayerYtd(id, which, value)))
        })
    };
    let base_id = format!("yb-ytd-{id}-base");
    let paid_id = format!("yb-ytd-{id}-paid");
    html! {
        <>
            <div class="yb-row">
                <div class="yb-field yb-grow">
                    <label for={base_id.clone()}>{ ui.t(zh, en) }{ ui.t(" 已累计个人负担", ": burden counted") }</label>
                    <input id={base_id} inputmode="decimal" value={base} oninput={edit(YtdAmount::Base)} />
                </div>
                <div class="yb-field yb-grow">
                    <label for={paid_id.clone()}>{ ui.t("已支付", "paid") }</label>
                    <input id={paid_id} inputmode="decimal" value={paid} oninput={edit(YtdAmount::Paid)} />
                </div>
            </div>
            { field_msg(ui.state.lang, msgs, &format!("ytd_layers.{id}")) }
        </>
    }
}

fn line_items(ui: &Ui, msgs: &[FieldMsg]) -> Html {
    let state = ui.state;
    let classes = [
        ("jia", "甲类", "class A"),
        ("yi", "乙类", "class B"),
        ("bing", "丙类/自费", "outside"),
        ("special", "特殊项目", "special"),
    ];
    // One handler for the row's inputs and its select: both have a `value`.
    let edit = |i: usize, part: ItemPart| {
        let dispatch = ui.dispatch.clone();
        Callback::from(move |e: Event| {
            let target: web_sys::EventTarget = e.target().expect("event target");
            let value = js_sys::Reflect::get(&target, &"value".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            dispatch.emit(Action::Edit(Edit::Item(i, part, value)))
        })
    };
    html! {
        <div class="yb-items">
            <table class="yb-table yb-dense">
                <thead><tr>
                    <th scope="col">{ ui.t("项目", "Item") }</th><th scope="col">{ ui.t("类别", "Class") }</th>
                    <th scope="col">{ ui.t("金额", "Amount") }</th><th scope="col">{ ui.t("限价", "Cap") }</th><th></th>
                </tr></thead>
                <tbody>
                    { for state.form.items.iter().enumerate().map(|(i, row)| html! {
                        <tr key={i}>
                            <td><input aria-label={format!("{} {}", ui.t("项目", "item"), i + 1)} value={row.name.clone()} oninput={ let edit = edit(i, ItemPart::Name); Callback::from(move |e: InputEvent| edit.emit(e.into())) } /></td>
                            <td><select aria-label={format!("{} {}", ui.t("类别", "class"), i + 1)} onchange={edit(i, ItemPart::Class)}>
                                { for classes.iter().map(|(k, zh, en)| html!{ <option value={*k} selected={model::item_class(&row.class).map(model::class_code) == Some(*k)}>{ ui.t(zh, en) }</option> }) }
                            </select></td>
                            <td><input class="yb-num" inputmode="decimal" aria-label={format!("{} {}", ui.t("金额", "amount"), i + 1)} value={row.amount.clone()} oninput={ let edit = edit(i, ItemPart::Amount); Callback::from(move |e: InputEvent| edit.emit(e.into())) } /></td>
                            <td><input class="yb-num" inputmode="decimal" aria-label={format!("{} {}", ui.t("限价", "cap"), i + 1)} value={row.limit.clone()} oninput={ let edit = edit(i, ItemPart::Limit); Callback::from(move |e: InputEvent| edit.emit(e.into())) } /></td>
                            <td><button type="button" class="yb-x" aria-label={ui.t("删除此行", "remove row")} onclick={ui.send(move || Action::RemoveItem(i))}>{ "×" }</button></td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" class="yb-chip" id="yb-add-item" onclick={ui.send(|| Action::AddItem)}>{ ui.t("+ 添加一行", "+ add a row") }</button>
            { for msgs.iter().filter(|m| m.field.starts_with("items.")).map(|m| html!{
                <p class="yb-err" role="alert">{ ui.state.lang.t(&m.zh, &m.en) }<span class="yb-err2">{ ui.state.lang.t(&m.en, &m.zh) }</span></p>
            }) }
        </div>
    }
}

/// Print A4 or the 80 mm receipt: the layout's class is set first, and the print dialog opened
/// once yew has rendered it.
fn print(ui: &Ui, receipt_80mm: bool) -> Callback<MouseEvent> {
    let dispatch = ui.dispatch.clone();
    Callback::from(move |_| start_print(&dispatch, receipt_80mm))
}

fn start_print(dispatch: &Callback<Action>, receipt_80mm: bool) {
    dispatch.emit(Action::Receipt80mm(receipt_80mm));
    gloo::timers::callback::Timeout::new(50, || {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    })
    .forget();
}

/// The desk's keys, one each, said on the buttons: F8 prints the A4 sheet, F9 is 下一位.
const PRINT_KEY: &str = "F8";
const NEXT_KEY: &str = "F9";

fn desk_keys(ui: &Ui) -> Callback<KeyboardEvent> {
    let dispatch = ui.dispatch.clone();
    Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
        PRINT_KEY => {
            e.prevent_default();
            start_print(&dispatch, false);
        }
        NEXT_KEY => {
            e.prevent_default();
            next_patient(&dispatch, e.target());
        }
        _ => {}
    })
}

/// 下一位: the form emptied, and the previous patient's estimate gone from the URL without a
/// history entry (F5 or Back must not bring it back at a shared desk); the cursor in 年龄.
fn next_patient(dispatch: &Callback<Action>, from: Option<web_sys::EventTarget>) {
    dispatch.emit(Action::NextPatient);
    if let Some(w) = web_sys::window() {
        let loc = w.location();
        let page = format!(
            "{}{}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page));
        }
    }
    focus_later(from, "yb-age");
}

/// Focus the element `id` in the widget's own root (a shadow root) once yew has rendered.
fn focus_later(from: Option<web_sys::EventTarget>, id: &'static str) {
    use wasm_bindgen::JsCast;
    let Some(node) = from.and_then(|t| t.dyn_into::<web_sys::Node>().ok()) else {
        return;
    };
    let root = node.get_root_node();
    gloo::timers::callback::Timeout::new(0, move || {
        focus_in(&root, id);
    })
    .forget();
}

/// Focus the element `id` in `root` (the widget's shadow root or the document) now; false when
/// it is not there.
fn focus_in(root: &web_sys::Node, id: &str) -> bool {
    use wasm_bindgen::JsCast;
    let el = match root.dyn_ref::<web_sys::ShadowRoot>() {
        Some(shadow) => shadow.get_element_by_id(id),
        None => root
            .dyn_ref::<web_sys::Document>()
            .and_then(|d| d.get_element_by_id(id)),
    };
    el.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| el.focus().is_ok())
}

/// Enter in 年龄, 病种 or 级别 moves to the next of the fields a typical estimate needs
/// (年龄 → 病种 → 级别 → 总额); the disease search picks its highlighted entry first.
fn enter_moves_on(e: KeyboardEvent) {
    const CHAIN: [&str; 4] = ["yb-age", "yb-disease", "yb-level", "yb-total"];
    if e.key() != "Enter" {
        return;
    }
    let Some(target) = e.target() else { return };
    let id = wasm_bindgen::JsCast::dyn_ref::<web_sys::Element>(&target)
        .map(|el| el.id())
        .unwrap_or_default();
    if let Some(i) = CHAIN.iter().position(|c| *c == id) {
        if let Some(next) = CHAIN.get(i + 1) {
            e.prevent_default();
            // At once, in this key's handler: the next field is already on the page, and keys a
            // fast clerk types right after Enter must land in it. (Focusing in a later task let
            // those keys reach the field just left, or none: the desk test lost them about one
            // run in four.)
            let root =
                wasm_bindgen::JsCast::dyn_ref::<web_sys::Node>(&target).map(|n| n.get_root_node());
            if !root.is_some_and(|r| focus_in(&r, next)) {
                focus_later(Some(target), next);
            }
        }
    }
}

/// 下一位, with its key: on the sheet, and above it while there is no estimate yet.
fn next_button(ui: &Ui) -> Html {
    let dispatch = ui.dispatch.clone();
    let onclick = Callback::from(move |e: MouseEvent| next_patient(&dispatch, e.target()));
    html! {
        <button type="button" class="yb-btn" id="yb-next-patient" {onclick}>{ ui.t("下一位", "Next patient") }<kbd>{ NEXT_KEY }</kbd></button>
    }
}

fn estimate_sheet(ui: &Ui) -> Html {
    let state = ui.state;
    let policy = &state.doc.policy;
    let range = match &ui.outcome.result {
        Ok(range) => range,
        Err(msgs) => {
            let shown = visible(ui);
            return html! {
                <section class="yb-out yb-sheet">
                    <div class="yb-empty">
                        if shown.is_empty() {
                            <p>{ ui.t("填写费用后即时显示估算。", "The estimate appears as soon as a cost is entered.") }</p>
                        } else {
                            <p>{ ui.t("请改正以下内容:", "Please correct:") }</p>
                            <ul>{ for msgs.iter().map(|m| html!{ <li class="yb-err">{ ui.t(&m.zh, &m.en) }</li> }) }</ul>
                        }
                    </div>
                </section>
            };
        }
    };
    let estimate = &range.typical;
    let settlement = &estimate.settlement;
    let form = &state.form;
    let disease = policy
        .disease(&form.disease)
        .map(|d| format!("{} {}", d.code, ui.t(&d.name_zh, &d.name_en)));
    let level = policy
        .level(&form.level)
        .map(|l| ui.t(&l.name_zh, &l.name_en).to_string())
        .unwrap_or_default();
    let category = policy
        .category(&form.category)
        .map(|c| ui.t(&c.name_zh, &c.name_en).to_string())
        .unwrap_or_default();
    html! {
        <section class="yb-out yb-sheet" aria-live="polite">
            <h2 class="yb-sheet-h">{ ui.t("医保费用预估单", "Cost estimate") }</h2>
            <p class="yb-facts">
                { ui.t(&policy.meta.name_zh, &policy.meta.name_en) }
                { " · " }{ category }
                if !form.age.is_empty() { { " · " }{ &form.age }{ ui.t(" 岁", " y") } }
                { " · " }{ level }
                if let Some(disease) = disease { { " · " }{ disease } }
                { " · " }{ ui.outcome.date.to_string() }
            </p>
            <div class="yb-summary">
                <div><span class="yb-k">{ ui.t("个人负担", "Patient pays") }</span><span class="yb-v yb-psn" id="yb-psn">{ yuan(settlement.psn_part_amt, false) }</span></div>
                <div><span class="yb-k">{ ui.t("基金支付合计", "Funds pay") }</span><span class="yb-v" id="yb-fund">{ yuan(settlement.fund_pay_sumamt, false) }</span></div>
                <div><span class="yb-k">{ ui.t("实际报销比例", "Actual ratio") }</span><span class="yb-v">{ estimate.actual_ratio.to_string() }</span></div>
            </div>
            if !range.exact {
                <p class="yb-range">{ ui.t("只知总额,按典型费用结构估算;个人负担区间 ", "only a total is known; patient pays between ") }{ range_of(ui.state.lang, range, false) }</p>
            }
            { assumptions(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
            { caveats(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
            { verdict(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
            { who_pays(&WhoPaysProps { lang: ui.state.lang, doc: ui.doc(), range: range.clone(), whole: false }) }
            <div class="yb-cols">
                <table class="yb-table yb-dense yb-setl">
                    <caption>{ ui.t("结算项目(setlinfo)", "Settlement fields (setlinfo)") }</caption>
                    <tbody>
                        // Only the rows this policy can fill: an account's under an employee policy.
                        { for FIELDS.iter().filter(|f| state.doc.policy.fills(f.key)).map(|f| html!{
                            <tr class={classes!(settlement.get(f.key).is_some_and(|v| v.value().is_zero()).then_some("yb-zero"))}>
                                <th scope="row">{ if state.lang == crate::model::Lang::Zh { f.zh } else { f.key } }<span class="yb-key">{ f.key }</span></th>
                                <td class="yb-num">{ settlement.get(f.key).map(|v| match v { Figure::Amount(m) => yuan(m, false), ratio => ratio.slip() }).unwrap_or_default() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <div class="yb-trace">
                    <h3>{ ui.t("计算步骤", "Steps") }</h3>
                    { trace(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
                </div>
            </div>
            if let Some(Ok(comparison)) = &ui.outcome.comparison {
                <div class="yb-box yb-noprint">
                    <h3>{ ui.t("就医路径比较", "Pathway comparison") }</h3>
                    <Pathways lang={ui.state.lang} comparison={comparison.clone()} as_table=true />
                </div>
            }
            if let Some(Err(msgs)) = &ui.outcome.comparison {
                <div class="yb-box yb-noprint">
                    <h3>{ ui.t("就医路径比较", "Pathway comparison") }</h3>
                    { pathways_missing(&PathwaysMissingProps { lang: ui.state.lang, msgs: Rc::from(msgs.as_slice()) }) }
                </div>
            }
            <div class="yb-foot">
                <div class="yb-print-qr">{ qr_code(&QrCodeProps { text: ui.share_url().into() }) }</div>
                <div>
                    { receipt(&EstimateProps { lang: ui.state.lang, range: range.clone() }) }
                    { disclaimer(&DisclaimerProps { lang: ui.state.lang, status: ui.state.doc.policy.meta.status }) }
                </div>
            </div>
            <div class="yb-actions yb-noprint">
                <button type="button" class="yb-btn yb-primary" id="yb-print-a4" onclick={print(ui, false)}>{ ui.t("打印 A4", "Print A4") }<kbd>{ PRINT_KEY }</kbd></button>
                <button type="button" class="yb-btn" id="yb-print-80" onclick={print(ui, true)}>{ ui.t("打印 80 mm 小票", "Print 80 mm receipt") }</button>
                <button type="button" class="yb-btn" id="yb-share-btn" aria-expanded={state.show_share.to_string()} onclick={ui.send(|| Action::ToggleShare)}>{ ui.t("二维码 / 链接", "QR / link") }</button>
                { next_button(ui) }
            </div>
            if state.show_share {
                <div class="yb-noprint">{ share(&ShareProps { lang: ui.state.lang, url: ui.share_url().into() }) }</div>
            }
        </section>
    }
}
