//! Pieces both layouts share: top bar, disease search, who-pays bar, trace, pathway comparison,
//! share link and QR code, receipt and disclaimer.

use super::{field_msg, Action, Ui};
use crate::model::{yuan, Lang, Mode};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::referral::compare::Comparison;
use yibao_core::referral::Eligibility;
use yibao_core::{Estimate, Money, RangeEstimate};

/// The policy menu, the same in both layouts: each policy by its name (which names its region),
/// with its id and region as the tooltip for a clerk checking the year.
pub fn policy_select(ui: &Ui, label: &str, class: &'static str) -> Html {
    let state = ui.state;
    let options = crate::model::policy_menu(state.custom.as_deref())
        .iter()
        .map(|entry| {
            html! {
                <option value={entry.id.to_string()} selected={entry.id == state.form.policy}
                    title={format!("{} · {}", ui.t(entry.region_zh, entry.region_en), entry.id)}>
                    { ui.t(entry.name_zh, entry.name_en) }
                </option>
            }
        })
        .collect::<Html>();
    let dispatch = ui.dispatch.clone();
    let onchange = Callback::from(move |e: Event| {
        dispatch.emit(Action::Policy(
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value(),
        ))
    });
    html! {
        <div {class}>
            <label for="yb-policy">{ label.to_string() }</label>
            <select id="yb-policy" {onchange}>{ options }</select>
        </div>
    }
}

pub fn topbar(ui: &Ui) -> Html {
    let state = ui.state;
    let other_lang = if state.lang == Lang::Zh {
        Lang::En
    } else {
        Lang::Zh
    };
    let other_mode = if state.mode == Mode::Clerk {
        Mode::Resident
    } else {
        Mode::Clerk
    };
    let meta = &state.doc.policy.meta;
    use yibao_core::policy::Status;
    // A short tag for what is not an official text, its full description on hover.
    let tag = match meta.status {
        Status::Official => None,
        Status::Example => Some(("示例", "example")),
        Status::Excerpt => Some(("算例摘录", "excerpt")),
        Status::Secondary => Some(("转引·待核对", "secondary source")),
    };
    html! {
        <header class="yb-top yb-noprint">
            <div class="yb-brand">
                <span class="yb-title">{ ui.t("医保费用估算", "Health-insurance cost estimate") }</span>
                <span class="yb-sub">
                    { ui.t(&meta.name_zh, &meta.name_en) }
                    if let Some((zh, en)) = tag {
                        <span class="yb-tag" title={meta.status.describe(ui.state.lang)}>{ ui.t(zh, en) }</span>
                    }
                </span>
            </div>
            <div class="yb-tools">
                if state.mode == Mode::Resident {
                    <button type="button" class={classes!("yb-chip", state.elder.then_some("yb-on"))} aria-pressed={state.elder.to_string()}
                        onclick={ let on = !state.elder; ui.send(move || Action::Elder(on)) }>
                        { ui.t("长辈版", "Large text") }
                    </button>
                }
                <button type="button" class="yb-chip" lang={other_lang.code()} onclick={ui.send(move || Action::Lang(other_lang))}>
                    { if other_lang == Lang::En { "English" } else { "中文" } }
                </button>
                <button type="button" class="yb-chip" id="yb-mode" onclick={switch_mode(ui, other_mode)}>
                    { if other_mode == Mode::Clerk { ui.t("窗口版", "Desk mode") } else { ui.t("居民版", "Resident mode") } }
                </button>
            </div>
        </header>
    }
}

/// The mode chip. A build with the desk switches in place; the resident-only build hands the
/// current state (as a URL fragment) to the page's loader, which mounts the full module.
fn switch_mode(ui: &Ui, to: Mode) -> Callback<MouseEvent> {
    match ui.hand_over {
        Some(hand_over) if !cfg!(feature = "desk") => {
            let hand_over = hand_over.clone();
            let fragment = crate::model::to_fragment(&ui.state.form, to, ui.state.lang);
            Callback::from(move |_| {
                let _ = hand_over.call1(
                    &wasm_bindgen::JsValue::NULL,
                    &wasm_bindgen::JsValue::from_str(&fragment),
                );
            })
        }
        _ => ui.send(move || Action::Mode(to)),
    }
}

/// Disease search (core's `diagnosis::search`: the county catalogue, then the national list,
/// fetched on the first keystroke) by everyday word, code, name or pinyin; arrow keys move,
/// Enter picks, Esc closes.
pub fn disease_search(ui: &Ui, big: bool) -> Html {
    use crate::model::national::{index, Index};
    let state = ui.state;
    let query = state.form.query.clone();
    let index = index();
    let national = match &index {
        Index::Ready(n) => Some(n.clone()),
        _ => None,
    };
    let hits = if state.form.disease.is_empty() {
        yibao_core::diagnosis::search(&state.doc.policy, national.as_deref(), &query, 8)
    } else {
        vec![]
    };
    let open = state.search_open && !hits.is_empty();
    let highlight = state.search_highlight.min(hits.len().saturating_sub(1));
    let picks: Rc<Vec<(String, String)>> = Rc::new(
        hits.iter()
            .map(|h| (h.code.clone(), h.name_zh.clone()))
            .collect(),
    );
    let oninput = {
        let dispatch = ui.dispatch.clone();
        let base = ui.asset_base.to_string();
        Callback::from(move |e: InputEvent| {
            super::national::load(&base, dispatch.clone());
            let text = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            dispatch.emit(Action::Edit(Rc::new(move |f| {
                f.query = text.clone();
                f.disease.clear();
            })));
            dispatch.emit(Action::Search {
                open: true,
                highlight: 0,
            });
        })
    };
    let onkeydown = {
        let dispatch = ui.dispatch.clone();
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
    let onblur = {
        let dispatch = ui.dispatch.clone();
        Callback::from(move |_: FocusEvent| {
            dispatch.emit(Action::Search {
                open: false,
                highlight: 0,
            })
        })
    };
    let chosen = state
        .doc
        .policy
        .disease(&state.form.disease)
        .filter(|_| !state.form.disease.is_empty());
    // What the box says besides the list: a picked diagnosis the county does not place, the
    // national list still loading or not loaded, nothing found.
    let policy = &state.doc.policy;
    let no_catalogue = policy.catalogue.is_none();
    let status: Option<(&str, &str)> = if !state.form.disease.is_empty() {
        chosen.is_none().then(|| {
            yibao_core::diagnosis::Listed::NotListed
                .note()
                .filter(|_| !no_catalogue)
                .or(yibao_core::diagnosis::Listed::NoCatalogue.note())
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
    let clear = {
        let dispatch = ui.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Edit(Rc::new(|f| {
                f.query.clear();
                f.disease.clear();
            })))
        })
    };
    html! {
        <div class="yb-field yb-search">
            <label for="yb-disease">{ ui.t("疾病(常用叫法、名称、拼音或编码)", "Condition (everyday word, name, pinyin or code)") }</label>
            <div class="yb-search-row">
                <input id="yb-disease" type="search" role="combobox" autocomplete="off"
                    class={classes!(big.then_some("yb-big"))}
                    aria-expanded={open.to_string()} aria-controls="yb-disease-list"
                    aria-activedescendant={ if open { format!("yb-opt-{highlight}") } else { String::new() } }
                    placeholder={ ui.t("如:心梗、肺炎、fy、J18", "e.g. 心梗, 肺炎, fy, J18") }
                    value={query.clone()} {oninput} {onkeydown} {onblur} />
                if !query.is_empty() {
                    <button type="button" class="yb-clear" aria-label={ui.t("清空", "clear")} onclick={clear} tabindex="-1">{ "×" }</button>
                }
            </div>
            if open {
                <ul id="yb-disease-list" class="yb-list" role="listbox" aria-label={ui.t("匹配的疾病", "Matching conditions")}>
                    { for hits.iter().enumerate().map(|(i, hit)| {
                        let dispatch = ui.dispatch.clone();
                        let picks = picks.clone();
                        let pick = Callback::from(move |e: MouseEvent| { e.prevent_default(); pick(&dispatch, &picks[i]) });
                        let note = hit.listed.note();
                        html! {
                            <li id={format!("yb-opt-{i}")} role="option" aria-selected={(i == highlight).to_string()}
                                class={classes!((i == highlight).then_some("yb-hl"))} onmousedown={pick}>
                                <span class="yb-code">{ &hit.code }</span>
                                <span>{ if hit.name_en.is_empty() { &hit.name_zh } else { ui.t(&hit.name_zh, &hit.name_en) } }</span>
                                if hit.disease.as_ref().is_some_and(|d| d.emergency) { <span class="yb-tag yb-warn">{ ui.t("急危重症", "emergency") }</span> }
                                if let Some((zh, en)) = note { <small class="yb-note">{ ui.t(zh, en) }</small> }
                            </li>
                        }
                    }) }
                </ul>
            }
            if let Some(disease) = chosen {
                <p class="yb-hint">
                    <span class="yb-code">{ &disease.code }</span>{ " " }{ ui.t(&disease.name_zh, &disease.name_en) }
                    { " · " }{ ui.t("可诊治:", "treated at: ") }
                    { disease.levels.iter().filter_map(|l| state.doc.policy.level(l)).map(|l| ui.t(&l.name_zh, &l.name_en).to_string()).collect::<Vec<_>>().join(ui.t("、", ", ")) }
                </p>
            }
            if let Some((zh, en)) = status {
                <p class="yb-hint" role="status">
                    if chosen.is_none() && !state.form.disease.is_empty() {
                        <span class="yb-code">{ &state.form.disease }</span>{ " " }{ &query }{ " · " }
                    }
                    { ui.t(zh, en) }
                </p>
            }
            { field_msg(state.lang, ui.msgs(), "disease") }
        </div>
    }
}

/// Picks a search hit: its code, and its name in the box (a national code has no catalogue row
/// to take the name from).
fn pick(dispatch: &Callback<Action>, (code, name): &(String, String)) {
    dispatch.emit(Action::PickDisease(code.clone()));
    let name = name.clone();
    dispatch.emit(Action::Edit(Rc::new(move |f| f.query = name.clone())));
}

/// One share of the bill in the who-pays bar; `key` names its colour (`yb-f-…`, `yb-b-…`).
struct Payer {
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    amount: Money,
}

/// Who pays, leaving out a payer no rule of the policy can make pay (an employee policy has no
/// 医疗救助 layer; only a quota route makes the hospital bear anything).
fn payers(policy: &yibao_core::policy::Policy, estimate: &Estimate) -> Vec<Payer> {
    let s = &estimate.settlement;
    // An employee policy's second layer is 大额医疗补助, a resident's 大病保险: name the one it has.
    let (large_zh, large_en) = if policy.fills("hifob_pay") && !policy.fills("hifmi_pay") {
        ("大额医疗补助", "Large-amount subsidy")
    } else {
        ("大病保险", "Critical illness")
    };
    let payer = |key, zh, en, amount| Payer {
        key,
        zh,
        en,
        amount,
    };
    let layer = policy.fills("hifmi_pay") || policy.fills("hifob_pay");
    let assistance = policy.fills("maf_pay") || policy.fills("oth_pay");
    let hospital = policy.fills("hosp_part_amt");
    [
        (
            true,
            payer("hifp", "基本医保", "Basic insurance", s.hifp_pay),
        ),
        (
            layer,
            payer("hifmi", large_zh, large_en, s.hifmi_pay + s.hifob_pay),
        ),
        (
            assistance,
            payer(
                "maf",
                "医疗救助",
                "Medical assistance",
                s.maf_pay + s.oth_pay,
            ),
        ),
        (
            hospital,
            payer("hosp", "医院承担", "Hospital bears", s.hosp_part_amt),
        ),
        (true, payer("psn", "自付", "You pay", s.psn_part_amt)),
    ]
    .into_iter()
    // A payer that did pay is always shown, whatever the policy says it can.
    .filter(|(can, p)| *can || !p.amount.is_zero())
    .map(|(_, p)| p)
    .collect()
}

/// One bar split by who pays, drawn in SVG (no inline styles: works under a strict CSP).
pub fn who_pays(ui: &Ui, estimate: &Estimate, whole: bool) -> Html {
    let payers = payers(&ui.state.doc.policy, estimate);
    let total = estimate.settlement.medfee_sumamt;
    // Widths in thousandths of the bar, in decimal (no float formatting code in the wasm).
    let thousand = Money::parse("1000").unwrap_or_default().0;
    let mut x = Money::ZERO;
    let rects = payers.iter().filter(|p| !p.amount.is_zero()).map(|p| {
        let width = if total.is_zero() { Money::ZERO } else { Money((p.amount.0 * thousand / total.0).round_dp(1)) };
        let rect = html! { <rect class={format!("yb-f-{}", p.key)} x={x.to_string()} y="0" width={width.to_string()} height="36"><title>{ format!("{} {}", ui.t(p.zh, p.en), yuan(p.amount, whole)) }</title></rect> };
        x += width;
        rect
    }).collect::<Html>();
    let other_pay = estimate.settlement.oth_pay;
    let s = &estimate.settlement;
    html! {
        <figure class="yb-bar">
            <figcaption>{ ui.t("谁来付钱", "Who pays") }{ " · " }{ ui.t("总费用 ", "total ") }{ yuan(total, whole) }{ ui.t(" 元", " yuan") }</figcaption>
            <svg viewBox="0 0 1000 36" preserveAspectRatio="none" role="img" aria-label={ui.t("费用分担条", "cost split bar")}>{ rects }</svg>
            <ul class="yb-legend">
                { for payers.iter().map(|p| html! {
                    <li class={classes!(p.amount.is_zero().then_some("yb-zero"))}>
                        <span class={format!("yb-sw yb-b-{}", p.key)} aria-hidden="true"></span>
                        <span class="yb-lab">{ ui.t(p.zh, p.en) }</span>
                        <span class="yb-amt">{ yuan(p.amount, whole) }</span>
                    </li>
                }) }
            </ul>
            if !(s.acct_pay + s.acct_mulaid_pay).is_zero() {
                <p class="yb-hint yb-acct">{ ui.t("自付部分中:个人账户 ", "of what you pay: personal account ") }{ yuan(s.acct_pay, whole) }{ ui.t(" 元,家庭共济 ", ", family account ") }{ yuan(s.acct_mulaid_pay, whole) }{ ui.t(" 元,现金 ", ", cash ") }{ yuan(s.psn_cash_pay, whole) }{ ui.t(" 元", "") }</p>
            }
            if !s.yb_commercial_pay.is_zero() {
                <p class="yb-hint yb-commercial">{ ui.t("另可向惠民保等商业补充保险申请理赔约 ", "a commercial supplement (惠民保) may then refund about ") }{ yuan(s.yb_commercial_pay, whole) }{ ui.t(" 元", " yuan") }</p>
            }
            if !other_pay.is_zero() {
                <p class="yb-hint">{ ui.t("医疗救助含倾斜救助/二次补助等其他支付 ", "assistance includes other payments (extra relief, second subsidy) of ") }{ yuan(other_pay, whole) }</p>
            }
        </figure>
    }
}

/// The engine's steps, each with its policy clause.
pub fn trace(ui: &Ui, estimate: &Estimate) -> Html {
    html! {
        <ol class="yb-steps">
            { for estimate.steps.iter().map(|step| html! {
                <li>
                    <p>{ step.word(ui.state.lang) }</p>
                    <p class="yb-cite">
                        { step.cite.short() }
                        if step.cite.illustrative {
                            <span class="yb-illus" title={ui.t("示意值:不是任何地区的正式规定", "illustrative value: not any region's official rule")}>{ ui.t("示意", "illustrative") }</span>
                        }
                    </p>
                </li>
            }) }
        </ol>
    }
}

/// The referral check's verdict: allowed, penalised or not reimbursed, why, and what to do.
pub fn verdict(ui: &Ui, estimate: &Estimate) -> Html {
    let verdict = &estimate.referral;
    let (class, icon) = match verdict.eligibility {
        Eligibility::Allowed => ("yb-ok", "✓"),
        Eligibility::Penalised => ("yb-warnbox", "!"),
        Eligibility::NotReimbursed => ("yb-bad", "✕"),
    };
    // An exemption is only worth saying when it is why the stay is allowed.
    let findings: Vec<_> = verdict
        .findings
        .iter()
        .filter(|f| f.rule != "exempt" || verdict.eligibility == Eligibility::Allowed)
        .collect();
    // A stay the funds pay nothing for is not shown as plainly "reimbursed": the reason comes first.
    let nothing = estimate.why_nothing_paid();
    let (class, icon) = if nothing.is_some() {
        ("yb-warnbox", "!")
    } else {
        (class, icon)
    };
    html! {
        <div class={classes!("yb-verdict", class)}>
            <p class="yb-vhead"><span class="yb-icon" aria-hidden="true">{ icon }</span>{ ui.t(verdict.eligibility.zh(), verdict.eligibility.en()) }</p>
            if let Some((zh, en)) = &nothing {
                <p class="yb-vtext" id="yb-nothing">{ ui.t(zh, en) }</p>
            }
            { for findings.iter().map(|f| html!{ <p class="yb-vtext">{ ui.t(&f.zh, &f.en) }</p> }) }
            { for verdict.advice_zh.iter().zip(&verdict.advice_en).map(|(zh, en)| html!{ <p class="yb-advice">{ "→ " }{ ui.t(zh, en) }</p> }) }
        </div>
    }
}

/// What the patient pays: one amount, or low – high when the bill's make-up is not known.
fn range_text(ui: &Ui, low: Money, typical: Money, high: Money, whole: bool) -> String {
    if low == high {
        format!("{}{}", yuan(typical, whole), ui.t(" 元", ""))
    } else {
        format!(
            "{} – {}{}",
            yuan(low, whole),
            yuan(high, whole),
            ui.t(" 元", "")
        )
    }
}

pub fn range_of(ui: &Ui, range: &RangeEstimate, whole: bool) -> String {
    range_text(
        ui,
        range.low.settlement.psn_part_amt,
        range.typical.settlement.psn_part_amt,
        range.high.settlement.psn_part_amt,
        whole,
    )
}

/// The pathway comparison: every sensible place side by side, the recommended one marked.
pub fn comparison(ui: &Ui, comparison: &Comparison, as_table: bool) -> Html {
    let cover = |eligibility: Eligibility| match eligibility {
        Eligibility::Allowed => ("yb-ok", ui.t("正常报销", "reimbursed")),
        Eligibility::Penalised => ("yb-warnbox", ui.t("降低报销", "penalised")),
        Eligibility::NotReimbursed => ("yb-bad", ui.t("不予报销", "not reimbursed")),
    };
    let reason = html! {
        <>
            <p class="yb-reason">{ ui.t(&comparison.reason_zh, &comparison.reason_en) }</p>
            <p class="yb-basis yb-hint">{ ui.t(&comparison.basis_zh, &comparison.basis_en) }</p>
        </>
    };
    if as_table {
        return html! {
            <div class="yb-cmp">
                <table class="yb-table">
                    <thead><tr>
                        <th scope="col">{ ui.t("去哪里", "Where") }</th>
                        <th scope="col">{ ui.t("手续", "Paperwork") }</th>
                        <th scope="col">{ ui.t("报销", "Cover") }</th>
                        <th scope="col" class="yb-num">{ ui.t("个人负担", "Patient pays") }</th>
                    </tr></thead>
                    <tbody>
                        { for comparison.options.iter().map(|o| {
                            let (class, text) = cover(o.eligibility);
                            html! {
                                <tr class={classes!(o.recommended.then_some("yb-rec"))} data-level={o.level.clone()} data-own={o.own.then_some("true")}>
                                    <td>{ ui.t(&o.level_zh, &o.level_en) }
                                        if o.recommended { <span class="yb-tag yb-good">{ ui.t("推荐", "best") }</span> }
                                        if o.own { <span class="yb-tag yb-own">{ ui.t("本次估算", "this estimate") }</span> }
                                        if !o.designated { <span class="yb-tag">{ ui.t("非目录机构", "not listed") }</span> }
                                        if o.beyond_typical { <span class="yb-tag yb-warn yb-beyond-tag" title={ui.t(&o.bill_zh, &o.bill_en).to_string()}>{ ui.t("超出本级常见费用", "beyond this level") }</span> }
                                    </td>
                                    <td>{ ui.t(&o.paperwork_zh, &o.paperwork_en) }</td>
                                    <td><span class={classes!("yb-pill", class)}>{ text }</span></td>
                                    <td class="yb-num">{ range_text(ui, o.patient_low, o.patient_typical, o.patient_high, false) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                { reason }
            </div>
        };
    }
    let card = |o: &yibao_core::referral::compare::PathOption| {
        let (class, text) = cover(o.eligibility);
        html! {
            <li class={classes!("yb-card", o.recommended.then_some("yb-rec"), (!o.designated).then_some("yb-dim"))} data-level={o.level.clone()} data-own={o.own.then_some("true")}>
                <div class="yb-card-h">
                    <span class="yb-card-t">{ ui.t(&o.level_zh, &o.level_en) }</span>
                    if o.recommended { <span class="yb-tag yb-good">{ ui.t("推荐", "recommended") }</span> }
                    if o.own { <span class="yb-tag yb-own">{ ui.t("本次估算", "this estimate") }</span> }
                    if o.beyond_typical { <span class="yb-tag yb-warn yb-beyond-tag">{ ui.t("超出本级常见费用", "beyond this level") }</span> }
                </div>
                <p class="yb-paper">{ ui.t(&o.paperwork_zh, &o.paperwork_en) }</p>
                // Which bill the card assumes, and how it stands against the level's typical stay
                // (core's sentence): a bill beyond it is said plainly, not in grey.
                <p class={classes!("yb-card-bill", o.beyond_typical.then_some("yb-beyond"))}>{ ui.t(&o.bill_zh, &o.bill_en) }</p>
                <p class="yb-card-f">
                    <span class={classes!("yb-pill", class)}>{ text }</span>
                    <span class="yb-card-amt">{ ui.t("自付约 ", "you pay ~") }{ range_text(ui, o.patient_low, o.patient_typical, o.patient_high, true) }</span>
                </p>
            </li>
        }
    };
    // On a phone: the places that treat this condition; the rest folded away.
    let (main, others): (Vec<_>, Vec<_>) = comparison
        .options
        .iter()
        .partition(|o| o.designated || o.recommended || o.own);
    html! {
        <div class="yb-cmp">
            // The advice (or why there is none) and the bill assumed, before the cards.
            { reason }
            <ul class="yb-cards">{ for main.iter().map(|o| card(o)) }</ul>
            if !others.is_empty() {
                <details class="yb-others">
                    <summary>{ format!("{} {} {}", ui.t("其他", "Other"), others.len(), ui.t("个选项(该病一般不在这些机构诊治)", "options (not where this condition is usually treated)")) }</summary>
                    <ul class="yb-cards">{ for others.iter().map(|o| card(o)) }</ul>
                </details>
            }
        </div>
    }
}

/// Where the comparison would be, when the engine could not make it: the reason, with its code
/// (`data-code`, `data-path`), so that the screen does not lose its comparison without a word.
pub fn comparison_missing(ui: &Ui, msgs: &[crate::model::FieldMsg]) -> Html {
    let (zh, en) = crate::model::comparison_missing(msgs);
    let first = msgs.first();
    html! {
        <p class="yb-cmp-missing yb-hint" id="yb-cmp-missing" role="note"
            data-code={first.and_then(|m| m.code).map(yibao_core::Code::as_str)}
            data-path={first.and_then(|m| m.path.clone())}>
            { ui.t(&zh, &en) }
        </p>
    }
}

/// QR code of the share link, as SVG (drawn here: nothing leaves the device).
pub fn qr_svg(text: &str) -> Html {
    use qrcodegen::{QrCode, QrCodeEcc};
    let Ok(qr) = QrCode::encode_text(text, QrCodeEcc::Low) else {
        return html! {};
    };
    let size = qr.size();
    let border = 2;
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let dim = size + 2 * border;
    html! {
        <svg class="yb-qr" viewBox={format!("0 0 {dim} {dim}")} role="img" aria-label="QR">
            <rect class="yb-qr-bg" x="0" y="0" width={dim.to_string()} height={dim.to_string()} />
            <path class="yb-qr-fg" d={path} />
        </svg>
    }
}

pub fn share(ui: &Ui) -> Html {
    let url = ui.share_url();
    let copy = {
        let url = url.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&url);
            }
        })
    };
    html! {
        <div class="yb-share">
            { qr_svg(&url) }
            <div>
                <p>{ ui.t("用手机扫码,打开同一份估算(数据只在链接里,不经过服务器)。", "Scan to open the same estimate on a phone (the data is only in the link, no server involved).") }</p>
                <p><a class="yb-link" href={url.clone()} id="yb-share-link">{ ui.t("估算链接", "Estimate link") }</a>
                   { " " }<button type="button" class="yb-chip" onclick={copy}>{ ui.t("复制链接", "Copy link") }</button></p>
            </div>
        </div>
    }
}

#[cfg(feature = "desk")]
pub fn receipt(ui: &Ui, estimate: &Estimate) -> Html {
    let receipt = &estimate.receipt;
    let printed = super::today();
    // By characters: a host's exported policy may carry any text as its fingerprint, and a
    // byte slice inside a character would trap.
    let short_hash: String = receipt.policy_sha256.chars().take(16).collect();
    html! {
        <p class="yb-receipt">
            { ui.t("政策 ", "policy ") }<span class="yb-code">{ &receipt.policy_id }</span>
            { " · SHA-256 " }<span class="yb-code" title={receipt.policy_sha256.clone()}>{ short_hash }</span>
            { ui.t(" · 按 ", " · rules of ") }{ receipt.evaluated_at.to_string() }
            { ui.t(" · 打印于 ", " · printed ") }{ printed.to_string() }
            { " · " }{ &receipt.engine }
        </p>
    }
}

/// The blank questions the estimate answered in the patient's favour, and what the other answers
/// would pay (core's `Assumption` sentence), next to the figure.
pub fn assumptions(ui: &Ui, estimate: &Estimate) -> Html {
    if estimate.assumptions.is_empty() {
        return html! {};
    }
    html! {
        <section class="yb-assume" id="yb-assume" role="note">
            { for estimate.assumptions.iter().map(|a| html!{
                <>
                    <p data-field={a.field.clone()}>{ ui.t(&a.zh, &a.en) }</p>
                    // The clauses the assumption relies on, as every step cites its own.
                    { for a.cites.iter().map(|c| html!{
                        <p class="yb-assume-cite yb-hint">
                            { ui.t("依据:", "Clause: ") }{ c.short() }
                            if c.illustrative { { ui.t("(示意值)", " (illustrative)") } }
                        </p>
                    }) }
                </>
            }) }
        </section>
    }
}

/// What the estimate leaves out, next to its figure: the rules the policy could not encode that
/// matter for this case, the illustrative values used and how the policy was sourced. For a
/// range, every entry any of its three estimates carries.
pub fn caveats(ui: &Ui, range: &RangeEstimate) -> Html {
    use yibao_core::caveats::Caveats;
    use yibao_core::policy::{Effect, Status};
    let Some(c) = Caveats::merged([&range.low, &range.typical, &range.high].map(|e| &e.caveats))
    else {
        return html! {};
    };
    if c.is_empty() {
        return html! {};
    }
    // A missing payer first: it is what moves a resident's money most.
    let mut omissions: Vec<_> = c.not_encoded.iter().collect();
    omissions.sort_by_key(|o| o.effect != Effect::Overstates);
    html! {
        <section class="yb-caveats" id="yb-caveats" role="note" aria-labelledby="yb-caveats-h">
            <h2 id="yb-caveats-h">{ ui.t("这个估算没有算进去的", "What this estimate leaves out") }</h2>
            if !omissions.is_empty() {
                <ul>
                    { for omissions.iter().map(|o| html!{
                        <li class={classes!("yb-omission", (o.effect == Effect::Overstates).then_some("yb-lower"))}
                            data-rule={o.rule.as_str()} title={o.cite.short()}>{ ui.t(&o.zh, &o.en) }</li>
                    }) }
                </ul>
            }
            if !c.illustrative.is_empty() {
                <p class="yb-illustrative">
                    { ui.t("以下数值是示意值,不是本地正式规定:", "Illustrative values, not the county's own rules: ") }
                    { c.illustrative.iter().map(|i| i.cite.clause.to_string()).collect::<Vec<_>>().join(ui.t(";", "; ")) }
                </p>
            }
            if c.evidence.status != Status::Official {
                <p class="yb-evidence">{ ui.t("政策依据:", "Evidence: ") }{ ui.t(&c.evidence.zh, &c.evidence.en) }</p>
            }
        </section>
    }
}

pub fn disclaimer(ui: &Ui) -> Html {
    use yibao_core::policy::Status;
    let status = ui.state.doc.policy.meta.status;
    html! {
        <p class="yb-disclaimer">
            // What the policy is, in words (the top bar's tag is short, its hover text unseen on a phone).
            if status != Status::Official {
                <span class="yb-status">{ ui.t("所选政策:", "The chosen policy: ") }{ status.describe(ui.state.lang) }{ ui.t("。", ". ") }</span>
            }
            { ui.t("本结果为估算,不是医保结算单;实际报销以定点医疗机构和医保经办机构的结算为准。",
                  "This is an estimate, not a settlement; the actual reimbursement is what the hospital and the insurance office settle.") }
        </p>
    }
}

/// The personal-account balances, asked only under a policy with an `[account]` (the employee
/// scheme): both layouts use this one block.
pub fn account_fields(ui: &Ui, msgs: &[crate::model::FieldMsg]) -> Html {
    let state = ui.state;
    let Some(account) = &state.doc.policy.account else {
        return Html::default();
    };
    let (lang, form) = (state.lang, &state.form);
    html! {
        <fieldset class="yb-field yb-group">
            <legend>{ ui.t("个人账户(职工医保)", "Personal account (employee scheme)") }</legend>
            <div class="yb-row">
                <div class="yb-field yb-grow">
                    <label for="yb-account">{ ui.t("个人账户余额(元,可不填)", "account balance (yuan, optional)") }</label>
                    <input id="yb-account" inputmode="decimal" autocomplete="off" value={form.account.clone()} oninput={ui.text(|f, v| f.account = v)} />
                </div>
                if account.family {
                    <div class="yb-field yb-grow">
                        <label for="yb-family-account">{ ui.t("家庭共济:家人账户余额(元,可不填)", "family member's account balance (yuan, optional)") }</label>
                        <input id="yb-family-account" inputmode="decimal" autocomplete="off" value={form.family_account.clone()} oninput={ui.text(|f, v| f.family_account = v)} />
                    </div>
                }
            </div>
            <p class="yb-hint yb-less">{ ui.t("个人账户可支付自付部分;不填则全部按现金计。", "The account can pay your share; left empty, all of it is cash.") }</p>
            { field_msg(lang, msgs, "account") }
            { field_msg(lang, msgs, "family_account") }
        </fieldset>
    }
}

/// Years of continuous enrolment and claim-free years, asked only under a policy whose layers
/// raise their cap for them (连续参保激励 / 零报销激励).
pub fn incentive_fields(ui: &Ui, msgs: &[crate::model::FieldMsg]) -> Html {
    let state = ui.state;
    if !state
        .doc
        .policy
        .layers
        .iter()
        .any(|l| l.cap_raise.is_some())
    {
        return Html::default();
    }
    let (lang, form) = (state.lang, &state.form);
    html! {
        <fieldset class="yb-field yb-group">
            <legend>{ ui.t("参保激励(提高大病保险限额)", "Enrolment incentives (raise the critical-illness cap)") }</legend>
            <div class="yb-row">
                <div class="yb-field">
                    <label for="yb-continuous">{ ui.t("连续参保年数", "continuous years") }</label>
                    <input id="yb-continuous" class="yb-short" inputmode="numeric" autocomplete="off" value={form.continuous_years.clone()} oninput={ui.text(|f, v| f.continuous_years = v)} />
                </div>
                <div class="yb-field">
                    <label for="yb-claim-free">{ ui.t("未报销年数", "claim-free years") }</label>
                    <input id="yb-claim-free" class="yb-short" inputmode="numeric" autocomplete="off" value={form.claim_free_years.clone()} oninput={ui.text(|f, v| f.claim_free_years = v)} />
                </div>
            </div>
            { field_msg(lang, msgs, "continuous_years") }
            { field_msg(lang, msgs, "claim_free_years") }
        </fieldset>
    }
}
