//! Publishing: the TOML for the repository and the CLI, the JSON the widget and the npm package
//! take (what `yibao export` prints for that TOML), the cases file, and what each SHA-256 covers.

use super::state::Office;
use crate::model::office::publish::{cases_toml, export};
use yew::prelude::*;

fn data_url(mime: &str, text: &str) -> String {
    let enc: String = js_sys::encode_uri_component(text).into();
    format!("data:{mime};charset=utf-8,{enc}")
}

pub fn view(state: &Office) -> Html {
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
    let cases = cases_toml(&state.draft.cases);
    html! {
        <div class="yo-publish">
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
