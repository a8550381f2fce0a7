//! The desk's 对账: the hospital's settlement slip (the `setlinfo` JSON of interfaces 2207/2303,
//! or the engine's own settlement) pasted below the estimate, and core's reconciliation of the
//! two, figure by figure, with the steps and clauses that made each of the estimate's figures.
//! A component of its own: the pasted text is its state, kept while the form changes or has an
//! error, and nothing of it is printed.

use crate::model::{self, Lang};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::reconcile::{Line, Reconciliation, Status};
use yibao_core::{Estimate, PolicyDoc};

#[derive(Properties, Clone)]
pub struct Props {
    pub doc: Rc<PolicyDoc>,
    /// The estimate the desk shows (its typical figure); none while the form has errors.
    pub estimate: Option<Estimate>,
    /// The bill's parts are known, not split from a total by a typical structure.
    pub exact: bool,
    pub lang: Lang,
}

impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc)
            && self.estimate == other.estimate
            && self.exact == other.exact
            && self.lang == other.lang
    }
}

/// The class of a status (its colour).
fn status_class(s: Status) -> &'static str {
    match s {
        Status::Matched => "yb-st-ok",
        Status::Different => "yb-st-bad",
        Status::MissingOnSlip | Status::MissingInEstimate | Status::MissingOnBoth => "yb-st-miss",
    }
}

/// The snake_case name of a status, as `--json` writes it (`data-status`, for tests and styles).
fn status_code(s: Status) -> &'static str {
    match s {
        Status::Matched => "matched",
        Status::Different => "different",
        Status::MissingOnSlip => "missing_on_slip",
        Status::MissingInEstimate => "missing_in_estimate",
        Status::MissingOnBoth => "missing_on_both",
    }
}

#[function_component(Reconcile)]
pub fn reconcile(p: &Props) -> Html {
    let text = use_state(String::new);
    // Every figure's explanation, not only those that differ.
    let all = use_state(|| false);
    let lang = p.lang;
    let t = |zh: &'static str, en: &'static str| lang.t(zh, en);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            text.set(
                e.target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                    .value(),
            )
        })
    };
    let on_all = {
        let all = all.clone();
        Callback::from(move |e: Event| {
            all.set(
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked(),
            )
        })
    };
    let result = p
        .estimate
        .as_ref()
        .and_then(|e| model::reconcile_slip(&p.doc.policy, e, &text));
    let msgs = match &result {
        Some(Err(msgs)) => msgs.as_slice(),
        _ => &[],
    };
    html! {
        <details class="yb-out yb-recon yb-noprint" id="yb-recon">
            <summary><h2 class="yb-recon-h">{ t("对账:核对医院结算单", "Reconcile a slip") }</h2></summary>
            <p class="yb-hint">{ t(
                "粘贴医院结算单的 setlinfo(2207/2303 接口返回的 JSON,或本系统估算的 JSON),与上面的估算逐项核对。",
                "Paste the hospital's settlement slip: the setlinfo JSON of interface 2207/2303, or an estimate's JSON. Each figure is set beside the estimate above.",
            ) }</p>
            <div class="yb-field">
                <label for="yb-slip-json">{ t("结算单 JSON(setlinfo)", "Slip JSON (setlinfo)") }</label>
                <textarea id="yb-slip-json" class="yb-recon-text" rows="5" spellcheck="false" autocomplete="off"
                    value={(*text).clone()} {oninput}
                    aria-invalid={(!msgs.is_empty()).to_string()}
                    aria-describedby={(!msgs.is_empty()).then_some("yb-slip-err")} />
            </div>
            if !msgs.is_empty() {
                <div id="yb-slip-err">
                    { for msgs.iter().map(|m| html! {
                        <p class="yb-err" role="alert" data-code={m.code.map(yibao_core::Code::as_str)} data-path={m.path.clone()}>
                            { lang.t(&m.zh, &m.en) }
                            <span class="yb-err2">{ lang.t(&m.en, &m.zh) }</span>
                        </p>
                    }) }
                </div>
            }
            if p.estimate.is_none() {
                <p class="yb-empty yb-recon-wait">{ t("上面的估算完成后即可对账;粘贴的内容会保留。", "Once the estimate above is complete the slip is compared; what is pasted is kept.") }</p>
            } else if !p.exact && !text.trim().is_empty() {
                <p class="yb-range yb-recon-note">{ t(
                    "只填了总额:估算按典型费用结构拆分。对账前请填写“其中政策范围内”(结算单的 inscp_scp_amt)。",
                    "Only a total is entered: the estimate splits it by a typical structure. Enter \"of which in scope\" (the slip's inscp_scp_amt) first.",
                ) }</p>
            }
            if let Some(Ok(r)) = &result {
                { table(lang, r, *all, on_all) }
            }
        </details>
    }
}

fn table(lang: Lang, r: &Reconciliation, all: bool, on_all: Callback<Event>) -> Html {
    let t = |zh: &'static str, en: &'static str| lang.t(zh, en);
    // A figure neither side has (the balance, when no account is stated) is only counted.
    let missing = r
        .lines
        .iter()
        .filter(|l| matches!(l.status, Status::MissingOnSlip | Status::MissingInEstimate))
        .count();
    let neither = r
        .lines
        .iter()
        .filter(|l| l.status == Status::MissingOnBoth)
        .count();
    // The differing figures named in the summary: the clerk need not look for them.
    let named = r
        .lines
        .iter()
        .filter(|l| l.status == Status::Different)
        .map(|l| match lang {
            Lang::Zh => format!("{}({})", l.zh, l.key),
            Lang::En => format!("{} ({})", l.en, l.key),
        })
        .collect::<Vec<_>>();
    let summary = match (r.different, lang) {
        (0, Lang::Zh) => "各项一致。".to_string(),
        (0, Lang::En) => "No figure differs.".to_string(),
        (n, Lang::Zh) => format!("{n} 项不一致:{}。", named.join("、")),
        (n, Lang::En) => format!("{n} figure(s) differ: {}.", named.join(", ")),
    };
    let missing_note = match (missing, lang) {
        (0, _) => String::new(),
        (n, Lang::Zh) => format!("另有 {n} 项只在一方出现(见下表)。"),
        (n, Lang::En) => format!(" {n} figure(s) on one side only (see the table)."),
    };
    let neither_note = match (neither, lang) {
        (0, _) => String::new(),
        (n, Lang::Zh) => format!("{n} 项双方均无,未列出。"),
        (n, Lang::En) => format!(" {n} field(s) on neither side, not listed."),
    };
    html! {
        <>
            <p class={classes!("yb-recon-sum", if r.all_match() { "yb-ok" } else { "yb-bad" })} id="yb-recon-sum" role="status">
                { summary }{ missing_note }{ neither_note }
            </p>
            <label class="yb-check"><input type="checkbox" id="yb-recon-all" checked={all} onchange={on_all} />
                { t("显示每一项的计算来源", "show where every figure comes from") }</label>
            <div class="yb-recon-scroll">
                <table class="yb-table yb-dense yb-recon-table">
                    <thead><tr>
                        <th scope="col">{ t("项目", "Field") }</th>
                        <th scope="col" class="yb-num">{ t("结算单", "Slip") }</th>
                        <th scope="col" class="yb-num">{ t("估算", "Estimate") }</th>
                        <th scope="col" class="yb-num yb-recon-diff">{ t("差额", "Difference") }</th>
                        <th scope="col">{ t("结果", "Result") }</th>
                    </tr></thead>
                    <tbody>
                        { for r.lines.iter().filter(|l| l.status != Status::MissingOnBoth).map(|l| line(lang, l, all)) }
                    </tbody>
                </table>
            </div>
            if !r.unknown.is_empty() {
                <p class="yb-hint yb-recon-other">
                    { t("结算单中的其他项(不是结算金额,未核对):", "Other keys of the slip (not settlement figures; not compared): ") }
                    { for r.unknown.iter().enumerate().map(|(i, u)| html! {
                        <>{ if i > 0 { " · " } else { "" } }<code>{ &u.key }</code>{ " = " }{ &u.value }</>
                    }) }
                </p>
            }
        </>
    }
}

fn line(lang: Lang, l: &Line, all: bool) -> Html {
    let (zh, en) = l.status.label();
    // Unasked, only what needs reading: a figure that differs, or one only the slip has. A
    // figure missing from the slip says so in its status.
    let why = all || matches!(l.status, Status::Different | Status::MissingInEstimate);
    // A matched nought (a fund this case does not touch) is set back, as on the estimate's table.
    let nought = l.status == Status::Matched
        && l.slip
            .as_deref()
            .is_some_and(|s| s.chars().all(|c| matches!(c, '0' | '.' | '-')));
    html! {
        <>
            <tr class={classes!(status_class(l.status), why.then_some("yb-has-why"), nought.then_some("yb-zero"))} data-key={l.key} data-status={status_code(l.status)}>
                <th scope="row">{ lang.t(l.zh, l.en) }<span class="yb-key">{ l.key }</span></th>
                <td class="yb-num">{ l.slip.as_deref().unwrap_or("—") }</td>
                <td class="yb-num">{ l.estimate.as_deref().unwrap_or("—") }</td>
                <td class="yb-num yb-recon-diff">{ l.difference.as_deref().unwrap_or("") }</td>
                <td><span class={classes!("yb-pill", status_class(l.status))}>{ lang.t(zh, en) }</span></td>
            </tr>
            if why {
                <tr class="yb-recon-why" data-why={l.key}>
                    <td colspan="5">{ lang.t(&l.explanation_zh, &l.explanation_en) }</td>
                </tr>
            }
        </>
    }
}

/// The panel for the desk's state: the estimate it shows, if any.
pub fn panel(ui: &super::Ui) -> Html {
    let range = ui.outcome.result.as_ref().ok();
    html! {
        <Reconcile doc={ui.state.doc.clone()} estimate={range.map(|r| r.typical.clone())}
            exact={range.is_some_and(|r| r.exact)} lang={ui.state.lang} />
    }
}
