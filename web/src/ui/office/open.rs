//! Opening: a shipped policy, a template (resident or employee scheme), or a `.toml`, `.json` or
//! `*.cases.toml` file from disk, dropped on the page or picked. The file is read in the browser;
//! nothing leaves it.

use super::state::{Action, Office};
use crate::model::office::draft::{open, Draft, Opened, TEMPLATES};
use crate::model::POLICIES;
use yew::prelude::*;

fn read_files(files: Option<web_sys::FileList>, d: Callback<Action>) {
    let Some(files) = files else { return };
    for i in 0..files.length() {
        let Some(f) = files.get(i) else { continue };
        let name = f.name();
        let file = gloo::file::File::from(f);
        let d = d.clone();
        let reader = gloo::file::callbacks::read_as_text(&file, move |text| match text {
            Ok(text) => d.emit(opened(&name, &text)),
            Err(e) => d.emit(Action::OpenFailed(
                name.clone(),
                yibao_core::Problem::new(
                    yibao_core::Code::UnreadableFile,
                    "",
                    format!("无法读取文件 {name}(须为 UTF-8 文本)"),
                    format!("cannot read {name}: {e}"),
                )
                .into(),
            )),
        });
        // The reader lives until it calls back.
        std::mem::forget(reader);
    }
}

/// What opening a file's text does.
pub fn opened(name: &str, text: &str) -> Action {
    match open(name, text) {
        Ok(Opened::Cases(cases)) => Action::AddCases(cases, name.to_string()),
        Ok(Opened::Policy { tree, problems }) => {
            let n = problems.0.len();
            let notice = if n == 0 {
                format!("已打开 {name},校验通过 · opened {name}: valid")
            } else {
                format!("已打开 {name}:{n} 个问题,见各字段 · opened {name}: {n} problems, each at its field")
            };
            Action::Load(
                Box::new(Draft {
                    opened: tree.clone(),
                    tree,
                    cases: vec![],
                    origin: name.to_string(),
                    compare_with: None,
                }),
                Some(notice),
            )
        }
        Err(ps) => Action::OpenFailed(name.to_string(), ps),
    }
}

pub fn view(state: &Office, dispatch: &Callback<Action>) -> Html {
    let shipped = POLICIES.iter().map(|p| {
        let d = dispatch.clone();
        let id = p.id;
        html! {
            <li>
                <button type="button" class="yo-open" data-open={id}
                    onclick={Callback::from(move |_| if let Some(dr) = Draft::shipped(id) {
                        d.emit(Action::Load(Box::new(dr), Some(format!("已打开内置政策 {id} · opened the shipped policy"))))
                    })}>
                    {p.region_zh}{" · "}{p.name_zh}<code>{id}</code>
                </button>
            </li>
        }
    });
    let templates = TEMPLATES.iter().map(|&(kind, zh, from)| {
        let d = dispatch.clone();
        html! {
            <li>
                <button type="button" class="yo-open" id={format!("yo-template-{kind}")}
                    onclick={Callback::from(move |_| if let Some(dr) = Draft::template(kind) {
                        d.emit(Action::Load(Box::new(dr), Some(format!("已用{zh}新建草稿:请改编号、地区和出处 · new draft from the {kind} template: change its id, region and sources"))))
                    })}>
                    {zh}<span class="yo-en" lang="en">{format!("{kind} scheme template")}</span><code>{from}</code>
                </button>
            </li>
        }
    });
    let pick = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            read_files(input.files(), d.clone());
            input.set_value("");
        })
    };
    let drop = {
        let d = dispatch.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            read_files(e.data_transfer().and_then(|t| t.files()), d.clone());
        })
    };
    let over = Callback::from(|e: DragEvent| e.prevent_default());
    let failed = state.open_problems.as_ref().map(|(name, ps)| html! {
        <div class="yo-panel yo-bad-panel" role="alert" id="yo-open-failed">
            <h3>{format!("无法打开 {name}")}<span class="yo-en" lang="en">{format!("cannot open {name}")}</span></h3>
            <ul>{for ps.0.iter().map(|p| html! {
                <li class="yo-err" data-code={p.code.as_str()}>
                    <code>{p.code.as_str()}</code>{p.line.map(|l| format!(" 第 {l} 行 line {l}")).unwrap_or_default()}{" "}{p.message_zh.clone()}
                    <span class="yo-en" lang="en">{p.message_en.clone()}</span>
                </li>
            })}</ul>
        </div>
    });
    html! {
        <div class="yo-open-screen">
            <section class="yo-panel">
                <h2>{"从文件打开"}<span class="yo-en" lang="en">{"open a file"}</span></h2>
                <label class="yo-drop" ondrop={drop} ondragover={over} for="yo-file">
                    <span>{"把 .toml / .json 政策文件或 .cases.toml 案例文件拖到这里,或点此选择文件"}</span>
                    <span class="yo-en" lang="en">{"drop a policy (.toml, .json) or a worked-cases file (.cases.toml) here, or click to pick one"}</span>
                    <span class="yo-en">{"文件只在本浏览器中读取,不会上传 · the file is read in this browser, never uploaded"}</span>
                </label>
                <input type="file" id="yo-file" accept=".toml,.json" multiple=true onchange={pick} />
                {failed}
            </section>
            <section class="yo-panel">
                <h2>{"从模板新建"}<span class="yo-en" lang="en">{"start from a template"}</span></h2>
                <ul class="yo-open-list">{for templates}</ul>
            </section>
            <section class="yo-panel">
                <h2>{"内置政策"}<span class="yo-en" lang="en">{"shipped policies"}</span></h2>
                <ul class="yo-open-list">{for shipped}</ul>
            </section>
        </div>
    }
}
