//! Publishing: the TOML for the repository and the CLI, the JSON the widget and the npm package
//! take (what `yibao export` prints for that TOML), the cases file, and what each SHA-256 covers.

use super::state::{Action, Office, Tab};
use crate::model::office::publish::{cases_toml, export, gate};
use yew::prelude::*;

fn data_url(mime: &str, text: &str) -> String {
    let enc: String = js_sys::encode_uri_component(text).into();
    format!("data:{mime};charset=utf-8,{enc}")
}

pub fn view(state: &Office, dispatch: &Callback<Action>) -> Html {
    let doc = match &state.checked {
        Ok(doc) => doc,
        Err(ps) => {
            return html! {
                <p class="yo-bad" id="yo-publish-blocked">{format!("草稿还有 {} 个问题,修正后才能导出", ps.0.len())}
                    <span class="yo-en" lang="en">{"the draft has problems: fix them, then it can be exported"}</span></p>
            }
        }
    };
    let e = match export(doc) {
        Ok(e) => e,
        Err(ps) => return html! { <p class="yo-bad">{format!("导出失败 export failed: {ps}")}</p> },
    };
    let runs = state.runs();
    let confirmed = state.publish_confirmed == Some(state.revision);
    let failing = gate(&runs, false).err().unwrap_or_default();
    let warning = (!failing.is_empty()).then(|| {
        let n = failing.len();
        let d = dispatch.clone();
        let to_cases = {
            let d = dispatch.clone();
            Callback::from(move |_| d.emit(Action::Tab(Tab::Cases)))
        };
        html! {
            <section class="yo-panel yo-publish-warn" id="yo-publish-failing" role="alert" data-fail={n.to_string()}>
                <h2>{format!("⚠ {n} 个工作案例在此草稿上不通过")}<span class="yo-en" lang="en">{if n == 1 { "1 worked case fails on this draft".to_string() } else { format!("{n} worked cases fail on this draft") }}</span></h2>
                <p>{"发布的政策文件会与它自己的案例相矛盾。请先核对数值与出处条款,或在“工作案例”中更新期望值。"}
                    <span class="yo-en" lang="en">{"The published policy would contradict its own worked cases. Check the values and their clauses, or update the expected figures under Worked cases."}</span></p>
                <ul class="yo-failing">
                    {for failing.iter().map(|f| html! {
                        <li data-case={f.id.clone()}><code>{f.id.clone()}</code>{" "}{f.title.clone()}
                            <ul>{for f.figures.iter().map(|x| html! { <li>{x.clone()}</li> })}</ul>
                        </li>
                    })}
                </ul>
                <p>
                    <button type="button" class="yo-secondary" onclick={to_cases}>{"查看工作案例"}<span class="yo-en" lang="en">{"see the worked cases"}</span></button>
                </p>
                <label class="yo-confirm">
                    <input type="checkbox" id="yo-publish-confirm" checked={confirmed}
                        onchange={Callback::from(move |e: Event| {
                            let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
                            d.emit(Action::ConfirmPublish(on))
                        })} />
                    {format!("我已核对,仍要导出({n} 个案例不通过)")}
                    <span class="yo-en" lang="en">{format!("I have checked: export anyway, with {n} failing cases")}</span>
                </label>
            </section>
        }
    });
    let stale = (!state.stale.is_empty()).then(|| {
        let n = state.stale.values().map(Vec::len).sum::<usize>();
        html! {
            <p class="yo-warn" id="yo-publish-stale">{format!("⚠ {n} 处数值与出处条款所写的数字不一致(见“编辑与检查”)")}
                <span class="yo-en" lang="en">{if n == 1 { "1 value differs from the figure its cited clause quotes (see Edit & check)".to_string() } else { format!("{n} values differ from the figure their cited clause quotes (see Edit & check)") }}</span></p>
        }
    });
    if gate(&runs, confirmed).is_err() {
        return html! {
            <div class="yo-publish">
                {warning}
                {stale}
                <p class="yo-bad" id="yo-publish-wait">{"确认之前不提供下载"}<span class="yo-en" lang="en">{"nothing to download until you confirm"}</span></p>
            </div>
        };
    }
    let cases = cases_toml(&state.draft.cases);
    html! {
        <div class="yo-publish">
            {warning}
            {stale}
            <section class="yo-panel">
                <h2>{"政策文件 TOML"}<span class="yo-en" lang="en">{"for the repository and the CLI (yibao validate / test / export)"}</span></h2>
                <p>
                    <a class="yo-primary" id="yo-dl-toml" download={format!("{}.toml", e.stem)} href={data_url("application/toml", &e.toml)}>{format!("下载 {}.toml", e.stem)}</a>
                    <a class="yo-secondary" id="yo-dl-cases" download={format!("{}.cases.toml", e.stem)} href={data_url("application/toml", &cases)}>{format!("下载 {}.cases.toml({} 个案例)", e.stem, state.draft.cases.len())}</a>
                </p>
                <dl class="yo-hashes">
                    <dt>{"policy_sha256(回执所引,TOML 文件字节的 SHA-256)"}<span class="yo-en" lang="en">{"SHA-256 of the TOML file's bytes: every receipt quotes it, and it is the JSON's sha256"}</span></dt>
                    <dd><code id="yo-policy-sha">{e.policy_sha256.clone()}</code></dd>
                </dl>
                <pre class="yo-code" id="yo-toml" tabindex="0" aria-label="TOML">{e.toml.clone()}</pre>
            </section>
            <section class="yo-panel">
                <h2>{"JSON(挂件与 npm 包使用)"}<span class="yo-en" lang="en">{"for the widget (policyText) and the npm package: what yibao export prints for the TOML above"}</span></h2>
                <p><a class="yo-primary" id="yo-dl-json" download={format!("{}.json", e.stem)} href={data_url("application/json", &e.json)}>{format!("下载 {}.json", e.stem)}</a></p>
                <dl class="yo-hashes">
                    <dt>{"JSON 文件本身的 SHA-256"}<span class="yo-en" lang="en">{"SHA-256 of the JSON file's bytes (to pin the file a host serves)"}</span></dt>
                    <dd><code id="yo-json-sha">{e.json_sha256.clone()}</code></dd>
                </dl>
                <pre class="yo-code" id="yo-json" tabindex="0" aria-label="JSON">{e.json.clone()}</pre>
            </section>
            <section class="yo-panel">
                <h2>{"工作案例 cases.toml"}<span class="yo-en" lang="en">{"the worked cases, beside the policy file (yibao test)"}</span></h2>
                <pre class="yo-code" id="yo-cases-toml" tabindex="0" aria-label="cases TOML">{cases}</pre>
            </section>
        </div>
    }
}
