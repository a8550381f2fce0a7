//! Clerk mode: one dense screen at the registration desk, keyboard first, printable.

use super::{field_msg, parts, Action, Ctx};
use crate::model::{self, yuan, FieldMsg};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::estimate::FIELDS;

/// Messages worth showing: a field not typed into yet is not flagged as missing.
fn visible(c: &Ctx) -> Vec<FieldMsg> {
    let f = &c.s.form;
    c.msgs()
        .iter()
        .filter(|m| !(m.field == "total" && f.total.trim().is_empty() && f.items.is_empty()))
        .cloned()
        .collect()
}

fn levels_select(
    c: &Ctx,
    id: &'static str,
    value: &str,
    blank: Option<&str>,
    set: fn(&mut model::Form, String),
) -> Html {
    let p = &c.s.doc.policy;
    let levels = p.levels_by_rank();
    html! {
        <select {id} onchange={c.select(set)}>
            if let Some(b) = blank { <option value="" selected={value.is_empty()}>{ b }</option> }
            { for levels.iter().map(|l| html!{ <option value={l.id.clone()} selected={l.id == value}>{ c.t(&l.name_zh, &l.name_en) }</option> }) }
        </select>
    }
}

pub fn view(c: &Ctx) -> Html {
    let s = c.s;
    let f = &s.form;
    let p = &s.doc.policy;
    let msgs = visible(c);
    let lang = s.lang;
    let itemised = s.itemised;
    html! {
        <div class="yb-desk">
            <form class="yb-form yb-noprint" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} novalidate=true>
                <fieldset>
                    <legend>{ c.t("政策", "Policy") }</legend>
                    <div class="yb-row">
                        { parts::policy_select(c, c.t("政策", "Policy"), "yb-field yb-grow") }
                        <div class="yb-field">
                            <label for="yb-date">{ c.t("入院日期", "Admission date") }</label>
                            <input id="yb-date" class="yb-date" placeholder={c.o.date.to_string()} value={f.date.clone()} oninput={c.text(|f, v| f.date = v)} />
                            { field_msg(lang, &msgs, "date") }
                        </div>
                        <div class="yb-field">
                            <label for="yb-setting">{ c.t("类型", "Setting") }</label>
                            <select id="yb-setting" onchange={c.select(|f, v| f.outpatient = v == "outpatient")}>
                                <option value="inpatient" selected={!f.outpatient}>{ c.t("住院", "inpatient") }</option>
                                <option value="outpatient" selected={f.outpatient}>{ c.t("门诊", "outpatient") }</option>
                            </select>
                        </div>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ c.t("患者", "Patient") }</legend>
                    <div class="yb-row">
                        <div class="yb-field yb-grow">
                            <label for="yb-category">{ c.t("人员类别", "Category") }</label>
                            <select id="yb-category" onchange={c.select(|f, v| f.category = v)}>
                                { for p.categories.iter().map(|k| html!{ <option value={k.id.clone()} selected={k.id == f.category}>{ c.t(&k.name_zh, &k.name_en) }</option> }) }
                            </select>
                            { field_msg(lang, &msgs, "category") }
                        </div>
                        <div class="yb-field">
                            <label for="yb-age">{ c.t("年龄", "Age") }</label>
                            <input id="yb-age" class="yb-short" inputmode="numeric" value={f.age.clone()} oninput={c.text(|f, v| f.age = v)} />
                        </div>
                    </div>
                    { field_msg(lang, &msgs, "age") }
                    <div class="yb-row">
                        <label class="yb-check"><input type="checkbox" id="yb-pregnant" checked={f.pregnant} onchange={c.check(|f, v| f.pregnant = v)} />{ c.t("孕产妇", "pregnant") }</label>
                        <label class="yb-check"><input type="checkbox" id="yb-disability" checked={f.disability} onchange={c.check(|f, v| f.disability = v)} />{ c.t("重度残疾", "severe disability") }</label>
                        <label class="yb-check"><input type="checkbox" id="yb-emergency" checked={f.emergency} onchange={c.check(|f, v| f.emergency = v)} />{ c.t("急危重症", "emergency") }</label>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ c.t("病种与机构", "Condition and facility") }</legend>
                    { parts::disease_search(c, false) }
                    <div class="yb-row">
                        <div class="yb-field yb-grow">
                            <label for="yb-level">{ c.t("就诊机构级别", "Facility level") }</label>
                            { levels_select(c, "yb-level", &f.level, None, |f, v| f.level = v) }
                            { field_msg(lang, &msgs, "level") }
                        </div>
                        <div class="yb-field yb-grow">
                            <label for="yb-from">{ c.t("本次由何级转入", "Transferred from") }</label>
                            { levels_select(c, "yb-from", &f.from_level, Some(c.t("无", "none")), |f, v| f.from_level = v) }
                        </div>
                    </div>
                    <div class="yb-row">
                        <label class="yb-check"><input type="checkbox" id="yb-slip" checked={f.slip} onchange={c.check(|f, v| f.slip = v)} />{ c.t("持转诊单", "referral slip") }</label>
                        <div class="yb-field yb-inline">
                            <label for="yb-slipdate">{ c.t("开单日期", "issued") }</label>
                            <input id="yb-slipdate" class="yb-date" placeholder="YYYY-MM-DD" value={f.slip_date.clone()} oninput={c.text(|f, v| f.slip_date = v)} />
                        </div>
                        <label class="yb-check"><input type="checkbox" id="yb-filing" checked={f.filing} onchange={c.check(|f, v| f.filing = v)} />{ c.t("异地就医备案", "out-of-area filing") }</label>
                    </div>
                    { field_msg(lang, &msgs, "slip_date") }
                </fieldset>
                <fieldset>
                    <legend>{ c.t("费用", "Bill") }</legend>
                    <label class="yb-check"><input type="checkbox" id="yb-itemised" checked={itemised}
                        onchange={ let d = c.d.clone(); Callback::from(move |e: Event| d.emit(Action::Itemised(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))) } />
                        { c.t("按费用明细计算", "itemised bill") }</label>
                    if !itemised {
                        <div class="yb-row">
                            <div class="yb-field yb-grow">
                                <label for="yb-total">{ c.t("医疗费总额", "Total cost") }</label>
                                <input id="yb-total" inputmode="decimal" autocomplete="off" value={f.total.clone()} oninput={c.text(|f, v| f.total = v)}
                                    aria-invalid={super::msg_for(&msgs, "total").is_some().to_string()} />
                            </div>
                            <div class="yb-field yb-grow">
                                <label for="yb-inscope">{ c.t("其中政策范围内(可空)", "of which in scope (optional)") }</label>
                                <input id="yb-inscope" inputmode="decimal" autocomplete="off" value={f.in_scope.clone()} oninput={c.text(|f, v| f.in_scope = v)} />
                            </div>
                        </div>
                        { field_msg(lang, &msgs, "total") }
                        { field_msg(lang, &msgs, "in_scope") }
                    } else {
                        { items(c, &msgs) }
                    }
                    <div class="yb-field">
                        <label for="yb-paste">{ c.t("从表格粘贴明细(名称、类别、金额、限价,Tab 分隔)", "Paste line items from a spreadsheet (name, class, amount, cap; tab-separated)") }</label>
                        <textarea id="yb-paste" rows="2" value={s.paste.clone()}
                            oninput={ let d = c.d.clone(); Callback::from(move |e: InputEvent| d.emit(Action::Paste(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))) }
                            onpaste={ let d = c.d.clone(); Callback::from(move |e: Event| {
                                let e: web_sys::ClipboardEvent = wasm_bindgen::JsCast::unchecked_into(e);
                                if let Some(t) = e.clipboard_data().and_then(|dt| dt.get_data("text").ok()) {
                                    e.prevent_default();
                                    d.emit(Action::Paste(t));
                                    d.emit(Action::ApplyPaste);
                                }
                            }) } />
                        <button type="button" class="yb-chip" id="yb-paste-apply" onclick={c.send(|| Action::ApplyPaste)}>{ c.t("导入粘贴内容", "Import pasted rows") }</button>
                        if let Some(m) = &s.paste_msg {
                            <p class="yb-err" role="alert">{ lang.t(&m.zh, &m.en) }<span class="yb-err2">{ lang.t(&m.en, &m.zh) }</span></p>
                        }
                    </div>
                </fieldset>
                <fieldset>
                    <legend>{ c.t("本年度已发生(第二次及以后住院)", "Year to date (later admissions)") }</legend>
                    <div class="yb-row">
                        <div class="yb-field">
                            <label for="yb-ytd-adm">{ c.t("已住院次数", "admissions") }</label>
                            <input id="yb-ytd-adm" class="yb-short" inputmode="numeric" value={f.ytd_admissions.clone()} oninput={c.text(|f, v| f.ytd_admissions = v)} />
                        </div>
                        <div class="yb-field yb-grow">
                            <label for="yb-ytd-hifp">{ c.t("基本医保已支付", "basic fund paid") }</label>
                            <input id="yb-ytd-hifp" inputmode="decimal" value={f.ytd_hifp.clone()} oninput={c.text(|f, v| f.ytd_hifp = v)} />
                        </div>
                    </div>
                    { field_msg(lang, &msgs, "ytd_admissions") }
                    { field_msg(lang, &msgs, "ytd_hifp") }
                    { for p.layers.iter().map(|l| layer_ytd(c, &msgs, &l.id, &l.name_zh, &l.name_en)) }
                </fieldset>
            </form>
            { result(c) }
        </div>
    }
}

fn layer_ytd(c: &Ctx, msgs: &[FieldMsg], id: &str, zh: &str, en: &str) -> Html {
    let (base, paid) = c.s.form.ytd_layers.get(id).cloned().unwrap_or_default();
    let edit = |which: u8| {
        let d = c.d.clone();
        let id = id.to_string();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            let id = id.clone();
            d.emit(Action::Edit(Rc::new(move |f| {
                let e = f.ytd_layers.get_or_default(id.clone());
                if which == 0 {
                    e.0 = v.clone();
                } else {
                    e.1 = v.clone();
                }
                if e.0.is_empty() && e.1.is_empty() {
                    f.ytd_layers.remove(&id);
                }
            })))
        })
    };
    let b_id = format!("yb-ytd-{id}-base");
    let p_id = format!("yb-ytd-{id}-paid");
    html! {
        <>
            <div class="yb-row">
                <div class="yb-field yb-grow">
                    <label for={b_id.clone()}>{ c.t(zh, en) }{ c.t(" 已累计个人负担", ": burden counted") }</label>
                    <input id={b_id} inputmode="decimal" value={base} oninput={edit(0)} />
                </div>
                <div class="yb-field yb-grow">
                    <label for={p_id.clone()}>{ c.t("已支付", "paid") }</label>
                    <input id={p_id} inputmode="decimal" value={paid} oninput={edit(1)} />
                </div>
            </div>
            { field_msg(c.s.lang, msgs, &format!("ytd_layers.{id}")) }
        </>
    }
}

fn items(c: &Ctx, msgs: &[FieldMsg]) -> Html {
    let s = c.s;
    let classes = [
        ("jia", "甲类", "class A"),
        ("yi", "乙类", "class B"),
        ("bing", "丙类/自费", "outside"),
        ("special", "特殊项目", "special"),
    ];
    let edit = |i: usize, set: fn(&mut model::ItemRow, String)| {
        let d = c.d.clone();
        Callback::from(move |e: Event| {
            let t: web_sys::EventTarget = e.target().expect("event target");
            let v = js_sys::Reflect::get(&t, &"value".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            d.emit(Action::Edit(Rc::new(move |f| {
                if let Some(r) = f.items.get_mut(i) {
                    set(r, v.clone())
                }
            })))
        })
    };
    html! {
        <div class="yb-items">
            <table class="yb-table yb-dense">
                <thead><tr>
                    <th scope="col">{ c.t("项目", "Item") }</th><th scope="col">{ c.t("类别", "Class") }</th>
                    <th scope="col">{ c.t("金额", "Amount") }</th><th scope="col">{ c.t("限价", "Cap") }</th><th></th>
                </tr></thead>
                <tbody>
                    { for s.form.items.iter().enumerate().map(|(i, r)| html! {
                        <tr key={i}>
                            <td><input aria-label={format!("{} {}", c.t("项目", "item"), i + 1)} value={r.name.clone()} oninput={ let cb = edit(i, |r, v| r.name = v); Callback::from(move |e: InputEvent| cb.emit(e.into())) } /></td>
                            <td><select aria-label={format!("{} {}", c.t("类别", "class"), i + 1)} onchange={edit(i, |r, v| r.class = v)}>
                                { for classes.iter().map(|(k, zh, en)| html!{ <option value={*k} selected={model::item_class(&r.class).map(model::class_code) == Some(*k)}>{ c.t(zh, en) }</option> }) }
                            </select></td>
                            <td><input class="yb-num" inputmode="decimal" aria-label={format!("{} {}", c.t("金额", "amount"), i + 1)} value={r.amount.clone()} oninput={ let cb = edit(i, |r, v| r.amount = v); Callback::from(move |e: InputEvent| cb.emit(e.into())) } /></td>
                            <td><input class="yb-num" inputmode="decimal" aria-label={format!("{} {}", c.t("限价", "cap"), i + 1)} value={r.limit.clone()} oninput={ let cb = edit(i, |r, v| r.limit = v); Callback::from(move |e: InputEvent| cb.emit(e.into())) } /></td>
                            <td><button type="button" class="yb-x" aria-label={c.t("删除此行", "remove row")} onclick={c.send(move || Action::RemoveItem(i))}>{ "×" }</button></td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button type="button" class="yb-chip" id="yb-add-item" onclick={c.send(|| Action::AddItem)}>{ c.t("+ 添加一行", "+ add a row") }</button>
            { for msgs.iter().filter(|m| m.field.starts_with("items.")).map(|m| html!{
                <p class="yb-err" role="alert">{ c.s.lang.t(&m.zh, &m.en) }<span class="yb-err2">{ c.s.lang.t(&m.en, &m.zh) }</span></p>
            }) }
        </div>
    }
}

fn print(c: &Ctx, r80: bool) -> Callback<MouseEvent> {
    let d = c.d.clone();
    Callback::from(move |_| {
        d.emit(Action::R80(r80));
        gloo::timers::callback::Timeout::new(50, || {
            if let Some(w) = web_sys::window() {
                let _ = w.print();
            }
        })
        .forget();
    })
}

fn result(c: &Ctx) -> Html {
    let s = c.s;
    let p = &s.doc.policy;
    let r = match &c.o.result {
        Ok(r) => r,
        Err(msgs) => {
            let shown = visible(c);
            return html! {
                <section class="yb-out yb-sheet">
                    <div class="yb-empty">
                        if shown.is_empty() {
                            <p>{ c.t("填写费用后即时显示估算。", "The estimate appears as soon as a cost is entered.") }</p>
                        } else {
                            <p>{ c.t("请改正以下内容:", "Please correct:") }</p>
                            <ul>{ for msgs.iter().map(|m| html!{ <li class="yb-err">{ c.t(&m.zh, &m.en) }</li> }) }</ul>
                        }
                    </div>
                </section>
            };
        }
    };
    let e = &r.typical;
    let st = &e.settlement;
    let f = &s.form;
    let disease = p
        .disease(&f.disease)
        .map(|d| format!("{} {}", d.code, c.t(&d.name_zh, &d.name_en)));
    let level = p
        .level(&f.level)
        .map(|l| c.t(&l.name_zh, &l.name_en).to_string())
        .unwrap_or_default();
    let category = p
        .category(&f.category)
        .map(|k| c.t(&k.name_zh, &k.name_en).to_string())
        .unwrap_or_default();
    html! {
        <section class="yb-out yb-sheet" aria-live="polite">
            <h2 class="yb-sheet-h">{ c.t("医保费用预估单", "Cost estimate") }</h2>
            <p class="yb-facts">
                { c.t(&p.meta.name_zh, &p.meta.name_en) }
                { " · " }{ category }
                if !f.age.is_empty() { { " · " }{ &f.age }{ c.t(" 岁", " y") } }
                { " · " }{ level }
                if let Some(d) = disease { { " · " }{ d } }
                { " · " }{ c.o.date.to_string() }
            </p>
            <div class="yb-summary">
                <div><span class="yb-k">{ c.t("个人负担", "Patient pays") }</span><span class="yb-v yb-psn" id="yb-psn">{ yuan(st.psn_part_amt, false) }</span></div>
                <div><span class="yb-k">{ c.t("基金支付合计", "Funds pay") }</span><span class="yb-v" id="yb-fund">{ yuan(st.fund_pay_sumamt, false) }</span></div>
                <div><span class="yb-k">{ c.t("实际报销比例", "Actual ratio") }</span><span class="yb-v">{ e.actual_ratio.to_string() }</span></div>
            </div>
            if !r.exact {
                <p class="yb-range">{ c.t("只知总额,按典型费用结构估算;个人负担区间 ", "only a total is known; patient pays between ") }{ parts::range_of(c, r, false) }</p>
            }
            { parts::verdict(c, e) }
            { parts::who_pays(c, e, false) }
            <div class="yb-cols">
                <table class="yb-table yb-dense yb-setl">
                    <caption>{ c.t("结算项目(setlinfo)", "Settlement fields (setlinfo)") }</caption>
                    <tbody>
                        { for FIELDS.iter().map(|(k, zh)| html!{
                            <tr class={classes!(st.get(k).is_some_and(|m| m.is_zero()).then_some("yb-zero"))}>
                                <th scope="row">{ if s.lang == crate::model::Lang::Zh { zh.to_string() } else { k.to_string() } }<span class="yb-key">{ *k }</span></th>
                                <td class="yb-num">{ st.get(k).map(|m| yuan(m, false)).unwrap_or_default() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <div class="yb-trace">
                    <h3>{ c.t("计算步骤", "Steps") }</h3>
                    { parts::trace(c, e) }
                </div>
            </div>
            if let Some(Ok(cmp)) = &c.o.comparison {
                <div class="yb-box yb-noprint">
                    <h3>{ c.t("就医路径比较", "Pathway comparison") }</h3>
                    { parts::comparison(c, cmp, true) }
                </div>
            }
            <div class="yb-foot">
                <div class="yb-print-qr">{ parts::qr_svg(&c.share_url()) }</div>
                <div>
                    { parts::receipt(c, e) }
                    { parts::disclaimer(c) }
                </div>
            </div>
            <div class="yb-actions yb-noprint">
                <button type="button" class="yb-btn yb-primary" id="yb-print-a4" onclick={print(c, false)}>{ c.t("打印 A4", "Print A4") }</button>
                <button type="button" class="yb-btn" id="yb-print-80" onclick={print(c, true)}>{ c.t("打印 80 mm 小票", "Print 80 mm receipt") }</button>
                <button type="button" class="yb-btn" id="yb-share-btn" aria-expanded={s.share.to_string()} onclick={c.send(|| Action::Share)}>{ c.t("二维码 / 链接", "QR / link") }</button>
            </div>
            if s.share {
                <div class="yb-noprint">{ parts::share(c) }</div>
            }
        </section>
    }
}
