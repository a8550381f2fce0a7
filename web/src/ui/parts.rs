//! Pieces both layouts share: top bar, disease search, who-pays bar, trace, pathway comparison,
//! share link and QR code, receipt and disclaimer.

use super::{field_msg, Action, Ctx};
use crate::model::{yuan, Lang, Mode};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::referral::compare::Comparison;
use yibao_core::referral::Eligibility;
use yibao_core::{Estimate, Money, RangeEstimate};

/// The policy menu, the same in both layouts: each policy by its name (which names its region),
/// with its id and region as the tooltip for a clerk checking the year.
pub fn policy_select(c: &Ctx, label: &str, class: &'static str) -> Html {
    let s = c.s;
    let options = crate::model::policy_menu(s.custom.as_deref())
        .iter()
        .map(|m| {
            html! {
                <option value={m.id.to_string()} selected={m.id == s.form.policy}
                    title={format!("{} · {}", c.t(m.region_zh, m.region_en), m.id)}>
                    { c.t(m.name_zh, m.name_en) }
                </option>
            }
        })
        .collect::<Html>();
    let d = c.d.clone();
    let onchange = Callback::from(move |e: Event| {
        d.emit(Action::Policy(
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

pub fn topbar(c: &Ctx) -> Html {
    let s = c.s;
    let other = if s.lang == Lang::Zh {
        Lang::En
    } else {
        Lang::Zh
    };
    let mode_other = if s.mode == Mode::Clerk {
        Mode::Resident
    } else {
        Mode::Clerk
    };
    let meta = &s.doc.policy.meta;
    let example = !matches!(meta.status, yibao_core::policy::Status::Official);
    html! {
        <header class="yb-top yb-noprint">
            <div class="yb-brand">
                <span class="yb-title">{ c.t("医保费用估算", "Health-insurance cost estimate") }</span>
                <span class="yb-sub">
                    { c.t(&meta.name_zh, &meta.name_en) }
                    if example { <span class="yb-tag">{ c.t("示例", "example") }</span> }
                </span>
            </div>
            <div class="yb-tools">
                if s.mode == Mode::Resident {
                    <button type="button" class={classes!("yb-chip", s.elder.then_some("yb-on"))} aria-pressed={s.elder.to_string()}
                        onclick={ let e = !s.elder; c.send(move || Action::Elder(e)) }>
                        { c.t("长辈版", "Large text") }
                    </button>
                }
                <button type="button" class="yb-chip" lang={other.code()} onclick={c.send(move || Action::Lang(other))}>
                    { if other == Lang::En { "English" } else { "中文" } }
                </button>
                <button type="button" class="yb-chip" id="yb-mode" onclick={switch_mode(c, mode_other)}>
                    { if mode_other == Mode::Clerk { c.t("窗口版", "Desk mode") } else { c.t("居民版", "Resident mode") } }
                </button>
            </div>
        </header>
    }
}

/// The mode chip. A build with the desk switches in place; the resident-only build hands the
/// current state (as a URL fragment) to the page's loader, which mounts the full module.
fn switch_mode(c: &Ctx, to: Mode) -> Callback<MouseEvent> {
    match c.hand_over {
        Some(f) if !cfg!(feature = "desk") => {
            let f = f.clone();
            let frag = crate::model::to_fragment(&c.s.form, to, c.s.lang);
            Callback::from(move |_| {
                let _ = f.call1(
                    &wasm_bindgen::JsValue::NULL,
                    &wasm_bindgen::JsValue::from_str(&frag),
                );
            })
        }
        _ => c.send(move || Action::Mode(to)),
    }
}

/// Disease search by code, name or pinyin initials; arrow keys move, Enter picks, Esc closes.
pub fn disease_search(c: &Ctx, big: bool) -> Html {
    let s = c.s;
    let q = s.form.query.clone();
    let hits = if s.form.disease.is_empty() {
        yibao_core::catalogue::search(&s.doc.policy, &q, 8)
    } else {
        vec![]
    };
    let open = s.search_open && !hits.is_empty();
    let idx = s.search_idx.min(hits.len().saturating_sub(1));
    let codes: Rc<Vec<String>> = Rc::new(hits.iter().map(|h| h.disease.code.clone()).collect());
    let oninput = {
        let d = c.d.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .value();
            d.emit(Action::Edit(Rc::new(move |f| {
                f.query = v.clone();
                f.disease.clear();
            })));
            d.emit(Action::Search { open: true, idx: 0 });
        })
    };
    let onkeydown = {
        let d = c.d.clone();
        let codes = codes.clone();
        Callback::from(move |e: KeyboardEvent| {
            let n = codes.len();
            match e.key().as_str() {
                "ArrowDown" if n > 0 => {
                    e.prevent_default();
                    d.emit(Action::Search {
                        open: true,
                        idx: if open { (idx + 1) % n } else { 0 },
                    });
                }
                "ArrowUp" if n > 0 => {
                    e.prevent_default();
                    d.emit(Action::Search {
                        open: true,
                        idx: (idx + n - 1) % n,
                    });
                }
                "Enter" if open && n > 0 => {
                    e.prevent_default();
                    d.emit(Action::PickDisease(codes[idx].clone()));
                }
                "Escape" => d.emit(Action::Search {
                    open: false,
                    idx: 0,
                }),
                _ => {}
            }
        })
    };
    let onblur = {
        let d = c.d.clone();
        Callback::from(move |_: FocusEvent| {
            d.emit(Action::Search {
                open: false,
                idx: 0,
            })
        })
    };
    let chosen = s
        .doc
        .policy
        .disease(&s.form.disease)
        .filter(|_| !s.form.disease.is_empty());
    let clear = {
        let d = c.d.clone();
        Callback::from(move |_: MouseEvent| {
            d.emit(Action::Edit(Rc::new(|f| {
                f.query.clear();
                f.disease.clear();
            })))
        })
    };
    html! {
        <div class="yb-field yb-search">
            <label for="yb-disease">{ c.t("疾病(名称、拼音首字母或 ICD-10 编码)", "Condition (name, pinyin initials or ICD-10 code)") }</label>
            <div class="yb-search-row">
                <input id="yb-disease" type="search" role="combobox" autocomplete="off"
                    class={classes!(big.then_some("yb-big"))}
                    aria-expanded={open.to_string()} aria-controls="yb-disease-list"
                    aria-activedescendant={ if open { format!("yb-opt-{idx}") } else { String::new() } }
                    placeholder={ c.t("如:肺炎、fy、J18", "e.g. 肺炎, fy, J18") }
                    value={q.clone()} {oninput} {onkeydown} {onblur} />
                if !q.is_empty() {
                    <button type="button" class="yb-clear" aria-label={c.t("清空", "clear")} onclick={clear} tabindex="-1">{ "×" }</button>
                }
            </div>
            if open {
                <ul id="yb-disease-list" class="yb-list" role="listbox">
                    { for hits.iter().enumerate().map(|(i, h)| {
                        let code = h.disease.code.clone();
                        let d = c.d.clone();
                        let pick = Callback::from(move |e: MouseEvent| { e.prevent_default(); d.emit(Action::PickDisease(code.clone())) });
                        html! {
                            <li id={format!("yb-opt-{i}")} role="option" aria-selected={(i == idx).to_string()}
                                class={classes!((i == idx).then_some("yb-hl"))} onmousedown={pick}>
                                <span class="yb-code">{ &h.disease.code }</span>
                                <span>{ c.t(&h.disease.name_zh, &h.disease.name_en) }</span>
                                if h.disease.emergency { <span class="yb-tag yb-warn">{ c.t("急危重症", "emergency") }</span> }
                            </li>
                        }
                    }) }
                </ul>
            }
            if let Some(d) = chosen {
                <p class="yb-hint">
                    <span class="yb-code">{ &d.code }</span>{ " " }{ c.t(&d.name_zh, &d.name_en) }
                    { " · " }{ c.t("可诊治:", "treated at: ") }
                    { d.levels.iter().filter_map(|l| s.doc.policy.level(l)).map(|l| c.t(&l.name_zh, &l.name_en).to_string()).collect::<Vec<_>>().join(c.t("、", ", ")) }
                </p>
            }
            { field_msg(s.lang, c.msgs(), "disease") }
        </div>
    }
}

pub struct Payers {
    pub parts: [(&'static str, &'static str, &'static str, Money); 5],
    pub total: Money,
}

pub fn payers(e: &Estimate) -> Payers {
    let s = &e.settlement;
    Payers {
        parts: [
            ("hifp", "基本医保", "Basic insurance", s.hifp_pay),
            (
                "hifmi",
                "大病保险",
                "Critical illness",
                s.hifmi_pay + s.hifob_pay,
            ),
            (
                "maf",
                "医疗救助",
                "Medical assistance",
                s.maf_pay + s.oth_pay,
            ),
            ("hosp", "医院承担", "Hospital bears", s.hosp_part_amt),
            ("psn", "自付", "You pay", s.psn_part_amt),
        ],
        total: s.medfee_sumamt,
    }
}

/// One bar split by who pays, drawn in SVG (no inline styles: works under a strict CSP).
pub fn who_pays(c: &Ctx, e: &Estimate, whole: bool) -> Html {
    let p = payers(e);
    let total = p.total;
    // Widths in thousandths of the bar, in decimal (no float formatting code in the wasm).
    let thousand = Money::parse("1000").unwrap_or_default().0;
    let mut x = Money::ZERO;
    let rects = p.parts.iter().filter(|(_, _, _, m)| !m.is_zero()).map(|(k, zh, en, m)| {
        let w = if total.is_zero() { Money::ZERO } else { Money((m.0 * thousand / total.0).round_dp(1)) };
        let r = html! { <rect class={format!("yb-f-{k}")} x={x.to_string()} y="0" width={w.to_string()} height="36"><title>{ format!("{} {}", c.t(zh, en), yuan(*m, whole)) }</title></rect> };
        x += w;
        r
    }).collect::<Html>();
    let oth = e.settlement.oth_pay;
    html! {
        <figure class="yb-bar">
            <figcaption>{ c.t("谁来付钱", "Who pays") }{ " · " }{ c.t("总费用 ", "total ") }{ yuan(p.total, whole) }{ c.t(" 元", " yuan") }</figcaption>
            <svg viewBox="0 0 1000 36" preserveAspectRatio="none" role="img" aria-label={c.t("费用分担条", "cost split bar")}>{ rects }</svg>
            <ul class="yb-legend">
                { for p.parts.iter().map(|(k, zh, en, m)| html! {
                    <li class={classes!(m.is_zero().then_some("yb-zero"))}>
                        <span class={format!("yb-sw yb-b-{k}")} aria-hidden="true"></span>
                        <span class="yb-lab">{ c.t(zh, en) }</span>
                        <span class="yb-amt">{ yuan(*m, whole) }</span>
                    </li>
                }) }
            </ul>
            if !oth.is_zero() {
                <p class="yb-hint">{ c.t("医疗救助含倾斜救助/二次补助等其他支付 ", "assistance includes other payments (extra relief, second subsidy) of ") }{ yuan(oth, whole) }</p>
            }
        </figure>
    }
}

/// The engine's steps, each with its policy clause.
pub fn trace(c: &Ctx, e: &Estimate) -> Html {
    html! {
        <ol class="yb-steps">
            { for e.steps.iter().map(|st| html! {
                <li>
                    <p>{ st.word(c.s.lang) }</p>
                    <p class="yb-cite">{ st.cite.short() }</p>
                </li>
            }) }
        </ol>
    }
}

pub fn verdict(c: &Ctx, e: &Estimate) -> Html {
    let v = &e.referral;
    let (cls, icon) = match v.eligibility {
        Eligibility::Allowed => ("yb-ok", "✓"),
        Eligibility::Penalised => ("yb-warnbox", "!"),
        Eligibility::NotReimbursed => ("yb-bad", "✕"),
    };
    let findings: Vec<_> = v
        .findings
        .iter()
        .filter(|f| f.rule != "exempt" || v.eligibility == Eligibility::Allowed)
        .collect();
    html! {
        <div class={classes!("yb-verdict", cls)}>
            <p class="yb-vhead"><span class="yb-icon" aria-hidden="true">{ icon }</span>{ c.t(v.eligibility.zh(), v.eligibility.en()) }</p>
            { for findings.iter().map(|f| html!{ <p class="yb-vtext">{ c.t(&f.zh, &f.en) }</p> }) }
            { for v.advice_zh.iter().zip(&v.advice_en).map(|(z, en)| html!{ <p class="yb-advice">{ "→ " }{ c.t(z, en) }</p> }) }
        </div>
    }
}

fn range_text(c: &Ctx, lo: Money, ty: Money, hi: Money, whole: bool) -> String {
    if lo == hi {
        format!("{}{}", yuan(ty, whole), c.t(" 元", ""))
    } else {
        format!(
            "{} – {}{}",
            yuan(lo, whole),
            yuan(hi, whole),
            c.t(" 元", "")
        )
    }
}

pub fn range_of(c: &Ctx, r: &RangeEstimate, whole: bool) -> String {
    range_text(
        c,
        r.low.settlement.psn_part_amt,
        r.typical.settlement.psn_part_amt,
        r.high.settlement.psn_part_amt,
        whole,
    )
}

/// The pathway comparison: every sensible place side by side, the recommended one marked.
pub fn comparison(c: &Ctx, cmp: &Comparison, table: bool) -> Html {
    let elig = |e: Eligibility| match e {
        Eligibility::Allowed => ("yb-ok", c.t("正常报销", "reimbursed")),
        Eligibility::Penalised => ("yb-warnbox", c.t("降低报销", "penalised")),
        Eligibility::NotReimbursed => ("yb-bad", c.t("不予报销", "not reimbursed")),
    };
    let reason = html! { <p class="yb-reason">{ c.t(&cmp.reason_zh, &cmp.reason_en) }</p> };
    if table {
        return html! {
            <div class="yb-cmp">
                <table class="yb-table">
                    <thead><tr>
                        <th scope="col">{ c.t("去哪里", "Where") }</th>
                        <th scope="col">{ c.t("手续", "Paperwork") }</th>
                        <th scope="col">{ c.t("报销", "Cover") }</th>
                        <th scope="col" class="yb-num">{ c.t("个人负担", "Patient pays") }</th>
                    </tr></thead>
                    <tbody>
                        { for cmp.options.iter().map(|o| {
                            let (cls, txt) = elig(o.eligibility);
                            html! {
                                <tr class={classes!(o.recommended.then_some("yb-rec"))}>
                                    <td>{ c.t(&o.level_zh, &o.level_en) }
                                        if o.recommended { <span class="yb-tag yb-good">{ c.t("推荐", "best") }</span> }
                                        if !o.designated { <span class="yb-tag">{ c.t("非目录机构", "not listed") }</span> }
                                    </td>
                                    <td>{ c.t(&o.paperwork_zh, &o.paperwork_en) }</td>
                                    <td><span class={classes!("yb-pill", cls)}>{ txt }</span></td>
                                    <td class="yb-num">{ range_text(c, o.patient_low, o.patient_typical, o.patient_high, false) }</td>
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
        let (cls, txt) = elig(o.eligibility);
        html! {
            <li class={classes!("yb-card", o.recommended.then_some("yb-rec"), (!o.designated).then_some("yb-dim"))}>
                <div class="yb-card-h">
                    <span class="yb-card-t">{ c.t(&o.level_zh, &o.level_en) }</span>
                    if o.recommended { <span class="yb-tag yb-good">{ c.t("推荐", "recommended") }</span> }
                </div>
                <p class="yb-paper">{ c.t(&o.paperwork_zh, &o.paperwork_en) }</p>
                <p class="yb-card-f">
                    <span class={classes!("yb-pill", cls)}>{ txt }</span>
                    <span class="yb-card-amt">{ c.t("自付约 ", "you pay ~") }{ range_text(c, o.patient_low, o.patient_typical, o.patient_high, true) }</span>
                </p>
            </li>
        }
    };
    // On a phone: the places that treat this condition; the rest folded away.
    let (main, others): (Vec<_>, Vec<_>) = cmp
        .options
        .iter()
        .partition(|o| o.designated || o.recommended);
    html! {
        <div class="yb-cmp">
            <ul class="yb-cards">{ for main.iter().map(|o| card(o)) }</ul>
            if !others.is_empty() {
                <details class="yb-others">
                    <summary>{ format!("{} {} {}", c.t("其他", "Other"), others.len(), c.t("个选项(该病一般不在这些机构诊治)", "options (not where this condition is usually treated)")) }</summary>
                    <ul class="yb-cards">{ for others.iter().map(|o| card(o)) }</ul>
                </details>
            }
            { reason }
        </div>
    }
}

/// QR code of the share link, as SVG (drawn here: nothing leaves the device).
pub fn qr_svg(text: &str) -> Html {
    use qrcodegen::{QrCode, QrCodeEcc};
    let Ok(qr) = QrCode::encode_text(text, QrCodeEcc::Low) else {
        return html! {};
    };
    let n = qr.size();
    let border = 2;
    let mut path = String::new();
    for y in 0..n {
        for x in 0..n {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    let dim = n + 2 * border;
    html! {
        <svg class="yb-qr" viewBox={format!("0 0 {dim} {dim}")} role="img" aria-label="QR">
            <rect class="yb-qr-bg" x="0" y="0" width={dim.to_string()} height={dim.to_string()} />
            <path class="yb-qr-fg" d={path} />
        </svg>
    }
}

pub fn share(c: &Ctx) -> Html {
    let url = c.share_url();
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
                <p>{ c.t("用手机扫码,打开同一份估算(数据只在链接里,不经过服务器)。", "Scan to open the same estimate on a phone (the data is only in the link, no server involved).") }</p>
                <p><a class="yb-link" href={url.clone()} id="yb-share-link">{ c.t("估算链接", "Estimate link") }</a>
                   { " " }<button type="button" class="yb-chip" onclick={copy}>{ c.t("复制链接", "Copy link") }</button></p>
            </div>
        </div>
    }
}

#[cfg(feature = "desk")]
pub fn receipt(c: &Ctx, e: &Estimate) -> Html {
    let r = &e.receipt;
    let printed = super::today();
    html! {
        <p class="yb-receipt">
            { c.t("政策 ", "policy ") }<span class="yb-code">{ &r.policy_id }</span>
            { " · SHA-256 " }<span class="yb-code" title={r.policy_sha256.clone()}>{ &r.policy_sha256[..16.min(r.policy_sha256.len())] }</span>
            { c.t(" · 按 ", " · rules of ") }{ r.evaluated_at.to_string() }
            { c.t(" · 打印于 ", " · printed ") }{ printed.to_string() }
            { " · " }{ &r.engine }
        </p>
    }
}

pub fn disclaimer(c: &Ctx) -> Html {
    html! {
        <p class="yb-disclaimer">
            { c.t("本结果为估算,不是医保结算单;实际报销以定点医疗机构和医保经办机构的结算为准。",
                  "This is an estimate, not a settlement; the actual reimbursement is what the hospital and the insurance office settle.") }
        </p>
    }
}
