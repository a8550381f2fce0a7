//! What the widget shows when it cannot start on the policy it was given (a host's policy that
//! does not read, an id no policy has): the problems, each with its code, in both languages —
//! and no form and no figure, since any figure would be another policy's.

use crate::model::{FieldMsg, Lang};
use yew::prelude::*;

const ZH: &str =
    "无法估算:这个页面设置的医保政策用不了,所以没有计算任何金额。请稍后再试,或到医院窗口询问。";
const EN: &str = "No estimate: the insurance policy this page names cannot be used, so nothing was computed. Try again later, or ask at the hospital desk.";

#[derive(Properties, PartialEq, Clone)]
pub struct FailedProps {
    pub lang: Lang,
    pub msgs: Vec<FieldMsg>,
}

#[function_component(Failed)]
pub fn failed(props: &FailedProps) -> Html {
    let lang = props.lang;
    let (more_zh, more_en) = match props.msgs.len() {
        n if n > 5 => (
            format!("……另有 {} 个问题", n - 5),
            format!("… and {} more problems", n - 5),
        ),
        _ => (String::new(), String::new()),
    };
    html! {
        <div class="yb yb-resident" lang={lang.code()}>
            <header class="yb-top">
                <div class="yb-brand">
                    <span class="yb-title">{ lang.t("医保费用估算", "Health-insurance cost estimate") }</span>
                </div>
            </header>
            <div class="yb-banner yb-bad yb-fail" role="alert" id="yb-policy-error">
                <p class="yb-fail-h">
                    { lang.t(ZH, EN) }
                    <span class="yb-err2">{ lang.t(EN, ZH) }</span>
                </p>
                { for props.msgs.iter().take(5).map(|m| html! {
                    <p class="yb-fail-msg" data-code={m.code.map(|c| c.as_str())} data-path={m.path.clone()}>
                        if let Some(c) = m.code { <code class="yb-code">{ c.as_str() }</code>{ " " } }
                        { lang.t(&m.zh, &m.en) }
                        <span class="yb-err2">{ lang.t(&m.en, &m.zh) }</span>
                    </p>
                }) }
                if !more_zh.is_empty() { <p>{ lang.t(&more_zh, &more_en) }</p> }
            </div>
        </div>
    }
}
