//! 测算 Replay: last year's claims file through the policy compared with and the draft, as
//! `yibao replay --policy A --policy B` runs it, in a module web worker (`replay-worker.js`,
//! its own small module `yibao_replay`, fetched only when a replay starts) so that the page
//! stays responsive. The file is read in the browser (File API) and posted to the worker:
//! nothing is uploaded. Progress between persons, then the tables (`model::office::replay`).

use super::state::{Action, Office};
use crate::model::office::draft;
use crate::model::office::replay::{BadRow, Line, Person, Report, Side};
use crate::model::POLICIES;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use yibao_batch::report::{Posted, Report as Replayed};

/// How many of those who gain and lose most to list.
const TOP: u32 = 10;
/// How many bad rows to list on the page (all are counted).
const BAD_SHOWN: usize = 200;

/// The replay's part of the workbench's state: kept when the user switches tabs.
#[derive(Clone, Default)]
pub struct Replay {
    /// The claims file picked or dropped (read only when the replay starts).
    pub file: Option<web_sys::File>,
    /// The shipped policy compared with (default: the Compare tab's choice).
    pub with: Option<String>,
    /// Which replay the worker's messages must belong to (a new start ignores an old one's).
    pub run: u32,
    pub status: Status,
    /// Progress messages received in this run.
    pub updates: u32,
    /// The running worker (terminated when it is done or replaced).
    pub worker: Option<Rc<Running>>,
}

#[derive(Clone, Default)]
pub enum Status {
    #[default]
    Idle,
    /// Reading the file, then replaying: the policy (0, 1), claims done, claims in all.
    Running {
        policy: u32,
        done: u64,
        total: u64,
    },
    Done {
        report: Rc<Replayed>,
        total: u64,
    },
    /// The policies or the file could not be read (bilingual problems).
    Refused(Rc<yibao_core::Problems>),
    /// The worker could not start or trapped: a bug or a missing file, said in both languages.
    Failed(String),
}

/// A worker and the callbacks it holds; terminated when dropped.
pub struct Running {
    worker: web_sys::Worker,
    _message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// What the worker posts, for the reducer.
pub enum Msg {
    Progress { policy: u32, done: u64, total: u64 },
    Done(String),
    Failed(String),
}

impl Replay {
    /// A message of the worker of run `run`.
    pub fn on(&mut self, run: u32, msg: Msg) {
        if run != self.run {
            return;
        }
        if !matches!(msg, Msg::Progress { .. }) {
            if let Some(w) = self.worker.take() {
                w.worker.terminate();
            }
        }
        match msg {
            Msg::Progress {
                policy,
                done,
                total,
            } => {
                self.updates += 1;
                self.status = Status::Running {
                    policy,
                    done,
                    total,
                };
            }
            Msg::Done(json) => {
                let total = match &self.status {
                    Status::Running { total, .. } => *total,
                    _ => 0,
                };
                self.status = match serde_json::from_str::<Posted>(&json) {
                    Ok(Posted::Report(report)) => Status::Done {
                        report: Rc::new(report),
                        total,
                    },
                    Ok(Posted::Problems(ps)) => Status::Refused(Rc::new(ps)),
                    Err(e) => Status::Failed(format!(
                        "测算结果无法读取 · the replay's result does not read: {e}"
                    )),
                };
            }
            Msg::Failed(m) => {
                self.status = Status::Failed(format!(
                    "测算中断(内部错误),请刷新页面后重试 · the replay stopped (internal error): {m}"
                ));
            }
        }
    }
}

fn number(v: &JsValue, key: &str) -> f64 {
    js_sys::Reflect::get(v, &key.into())
        .ok()
        .and_then(|x| x.as_f64())
        .unwrap_or(0.0)
}

/// Start run `run`: read the file, start the worker, post both policies and the file's bytes.
fn start(
    file: web_sys::File,
    current: &'static str,
    draft_json: String,
    run: u32,
    asset_base: &str,
    dispatch: Callback<Action>,
) {
    let fail = {
        let d = dispatch.clone();
        move |m: String| d.emit(Action::Replay(run, Msg::Failed(m)))
    };
    let opts = web_sys::WorkerOptions::new();
    opts.set_type(web_sys::WorkerType::Module);
    let worker =
        match web_sys::Worker::new_with_options(&format!("{asset_base}replay-worker.js"), &opts) {
            Ok(w) => w,
            Err(e) => return fail(format!("{e:?}")),
        };
    let d = dispatch.clone();
    let message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let data = e.data();
            let kind = js_sys::Reflect::get(&data, &"type".into())
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            let text = |k: &str| {
                js_sys::Reflect::get(&data, &k.into())
                    .ok()
                    .and_then(|t| t.as_string())
                    .unwrap_or_default()
            };
            let msg = match kind.as_str() {
                "progress" => Msg::Progress {
                    policy: number(&data, "policy") as u32,
                    done: number(&data, "done") as u64,
                    total: number(&data, "total") as u64,
                },
                "done" => Msg::Done(text("json")),
                _ => Msg::Failed(text("message")),
            };
            d.emit(Action::Replay(run, msg));
        });
    let d = dispatch.clone();
    let error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        e.prevent_default();
        d.emit(Action::Replay(
            run,
            Msg::Failed("测算模块无法加载 · the replay module did not load".into()),
        ));
    });
    worker.set_onmessage(Some(message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(error.as_ref().unchecked_ref()));
    let running = Rc::new(Running {
        worker,
        _message: message,
        _error: error,
    });
    dispatch.emit(Action::ReplayStarted(run, running.clone()));
    let name = file.name();
    let file = gloo::file::File::from(file);
    let reader = gloo::file::callbacks::read_as_array_buffer(&file, move |bytes| match bytes {
        Ok(buf) => {
            let msg = js_sys::Object::new();
            let set = |k: &str, v: &JsValue| {
                let _ = js_sys::Reflect::set(&msg, &k.into(), v);
            };
            set("csv", &buf);
            set("current", &current.into());
            set("draft", &draft_json.into());
            set("top", &TOP.into());
            if let Err(e) = running
                .worker
                .post_message_with_transfer(&msg, &js_sys::Array::of1(&buf))
            {
                fail(format!("{e:?}"));
            }
        }
        Err(e) => fail(format!("无法读取文件 {name} · cannot read {name}: {e}")),
    });
    // The reader lives until it calls back.
    std::mem::forget(reader);
}

fn picked(dispatch: &Callback<Action>, files: Option<web_sys::FileList>) {
    if let Some(f) = files.and_then(|l| l.get(0)) {
        dispatch.emit(Action::ReplayFile(f));
    }
}

fn size_text(bytes: f64) -> String {
    if bytes >= 1_048_576.0 {
        format!("{:.1} MB", bytes / 1_048_576.0)
    } else {
        format!("{:.0} KB", (bytes / 1024.0).ceil())
    }
}

pub fn view(state: &Office, dispatch: &Callback<Action>, asset_base: &str) -> Html {
    let r = &state.replay;
    let with = r
        .with
        .clone()
        .or_else(|| state.draft.compare_with.clone())
        .unwrap_or_else(|| crate::model::DEFAULT_POLICY.to_string());
    let current = POLICIES.iter().find(|p| p.id == with);
    let running = matches!(r.status, Status::Running { .. });
    let pick = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            picked(&d, input.files());
        })
    };
    let drop = {
        let d = dispatch.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            picked(&d, e.data_transfer().and_then(|t| t.files()));
        })
    };
    let over = Callback::from(|e: DragEvent| e.prevent_default());
    let choose = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            d.emit(Action::ReplayWith(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            ))
        })
    };
    let draft_json = state
        .checked
        .as_ref()
        .ok()
        .and_then(|doc| serde_json::to_string(&**doc).ok());
    // The office embeds every shipped policy (web/build.rs): its JSON is here.
    let go = match (&r.file, current.and_then(|p| p.json), &draft_json) {
        (Some(file), Some(cur), Some(json)) if !running => {
            let (d, file, json, base, run) = (
                dispatch.clone(),
                file.clone(),
                json.clone(),
                asset_base.to_string(),
                r.run + 1,
            );
            Some(Callback::from(move |_| {
                start(file.clone(), cur, json.clone(), run, &base, d.clone())
            }))
        }
        _ => None,
    };
    let file_line = match &r.file {
        Some(f) => html! {
            <p class="yo-replay-file" id="yo-replay-file-name">
                {"已选文件 "}<strong>{f.name()}</strong>{format!("({})", size_text(f.size()))}
                <span class="yo-en" lang="en">{"picked; read in this browser, never uploaded"}</span>
            </p>
        },
        None => html! {},
    };
    let draft_bad = state.checked.is_err().then(|| html! {
        <p class="yo-bad">{"草稿有问题,先修正再测算"}<span class="yo-en" lang="en">{"fix the draft's problems first"}</span></p>
    });
    let controls = html! {
        <section class="yo-panel yo-replay-setup">
            <h2>{"测算:理赔数据按对比政策与草稿重算"}<span class="yo-en" lang="en">{"replay: a claims file under the policy compared with and under the draft"}</span></h2>
            <div class="yo-replay-row">
                <div class="yo-replay-pick">
                    <label class="yo-drop" ondrop={drop} ondragover={over} for="yo-replay-file" id="yo-replay-drop">
                        <span>{"把理赔数据 CSV 文件拖到这里,或点此选择文件"}</span>
                        <span class="yo-en" lang="en">{"drop a claims CSV here, or click to pick one (columns: README, “Claims files”)"}</span>
                        <span class="yo-en">{"文件只在本浏览器中读取,不会上传 · read in this browser, never uploaded"}</span>
                    </label>
                    <input type="file" id="yo-replay-file" class="yo-hidden-input" accept=".csv,text/csv" onchange={pick} />
                    {file_line}
                </div>
                <div class="yo-replay-side">
                    <div class="yo-field">
                        <label for="yo-replay-with">{"对比政策(现行政策)"}<span class="yo-en" lang="en">{"compare with (the current policy)"}</span></label>
                        <select id="yo-replay-with" onchange={choose} disabled={running}>
                            {for POLICIES.iter().map(|p| html! { <option value={p.id} selected={p.id == with}>{format!("{} · {} ({})", p.region_zh, p.name_zh, p.id)}</option> })}
                        </select>
                    </div>
                    <button type="button" class="yo-primary" id="yo-replay-start" disabled={go.is_none()} onclick={go.unwrap_or_default()}>
                        {"开始测算"}<span class="yo-en" lang="en">{"start the replay"}</span>
                    </button>
                    {draft_bad}
                </div>
            </div>
            {progress(r)}
        </section>
    };
    let body = match &r.status {
        Status::Done { report, .. } => match Report::new(report) {
            Some(rep) => result(&rep, state),
            None => html! {},
        },
        Status::Refused(ps) => html! {
            <div class="yo-panel yo-bad-panel" role="alert" id="yo-replay-refused">
                <h3>{"无法测算"}<span class="yo-en" lang="en">{"cannot replay"}</span></h3>
                <ul>{for ps.0.iter().map(|p| html! {
                    <li class="yo-err" data-code={p.code.as_str()}>
                        <code>{p.code.as_str()}</code>{" "}{p.message_zh.clone()}<span class="yo-en" lang="en">{p.message_en.clone()}</span>
                    </li>
                })}</ul>
            </div>
        },
        Status::Failed(m) => html! {
            <p class="yo-panel yo-bad-panel" role="alert" id="yo-replay-failed">{m.clone()}</p>
        },
        _ => html! {},
    };
    html! { <div class="yo-replay">{controls}{body}</div> }
}

fn progress(r: &Replay) -> Html {
    let (value, max, zh, en) = match &r.status {
        Status::Running {
            policy,
            done,
            total,
        } => {
            let which = if *policy == 0 {
                "对比政策"
            } else {
                "草稿"
            };
            let which_en = if *policy == 0 {
                "the policy compared with"
            } else {
                "the draft"
            };
            (
                policy_u64(*policy) * total + done,
                2 * total,
                format!("测算中:{which}({}/2)已算 {done} / {total} 条", policy + 1),
                format!(
                    "replaying {which_en} ({}/2): {done} of {total} claims",
                    policy + 1
                ),
            )
        }
        Status::Done { total, .. } => (
            2 * total,
            2 * total,
            format!("完成:两个政策各 {total} 条"),
            format!("done: {total} claims under each policy"),
        ),
        _ => return html! {},
    };
    let starting = matches!(r.status, Status::Running { total: 0, .. });
    html! {
        <div class="yo-replay-progress" id="yo-replay-status" role="status"
            data-updates={r.updates.to_string()} data-value={value.to_string()} data-max={max.to_string()}
            data-state={if matches!(r.status, Status::Done { .. }) { "done" } else { "running" }}>
            if starting {
                <progress id="yo-replay-progress" aria-label="测算进度 replay progress"></progress>
                <span>{"正在读取文件并加载测算模块…"}<span class="yo-en" lang="en">{"reading the file, loading the replay module…"}</span></span>
            } else {
                <progress id="yo-replay-progress" aria-label="测算进度 replay progress" max={max.max(1).to_string()} value={value.to_string()}></progress>
                <span>{zh}<span class="yo-en" lang="en">{en}</span></span>
            }
        </div>
    }
}

fn policy_u64(p: u32) -> u64 {
    u64::from(p)
}

/// A table's rows: label, current, draft, difference.
fn line_row(l: &Line, label: Html) -> Html {
    html! {
        <tr data-key={l.key.clone()} data-current={l.current.clone()} data-draft={l.draft.clone()}>
            <th scope="row">{label}</th>
            <td class="yo-num">{l.show_current()}</td>
            <td class="yo-num"><strong>{l.show_draft()}</strong></td>
            <td class={classes!("yo-num", l.changed().then_some("yo-changed"))}>{l.diff()}</td>
        </tr>
    }
}

fn head(first_zh: &str, first_en: &str) -> Html {
    html! {
        <thead><tr>
            <th scope="col">{first_zh.to_string()}<span class="yo-en" lang="en">{first_en.to_string()}</span></th>
            <th scope="col" class="yo-num">{"对比政策"}<span class="yo-en" lang="en">{"compared with"}</span></th>
            <th scope="col" class="yo-num">{"草稿"}<span class="yo-en" lang="en">{"draft"}</span></th>
            <th scope="col" class="yo-num">{"差额"}<span class="yo-en" lang="en">{"draft − other"}</span></th>
        </tr></thead>
    }
}

fn persons_table(id: &str, zh: &str, en: &str, people: &[Person]) -> Html {
    html! {
        <div class="yo-replay-people">
            <h3>{zh.to_string()}<span class="yo-en" lang="en">{en.to_string()}</span></h3>
            if people.is_empty() {
                <p class="yo-muted">{"无 none"}</p>
            } else {
                <table class="yo-grid" id={id.to_string()}>
                    <thead><tr>
                        <th scope="col">{"参保人"}<span class="yo-en" lang="en">{"person"}</span></th>
                        <th scope="col" class="yo-num">{"就诊"}<span class="yo-en" lang="en">{"claims"}</span></th>
                        <th scope="col" class="yo-num">{"对比政策"}<span class="yo-en" lang="en">{"other"}</span></th>
                        <th scope="col" class="yo-num">{"草稿"}<span class="yo-en" lang="en">{"draft"}</span></th>
                        <th scope="col" class="yo-num">{"变化"}<span class="yo-en" lang="en">{"change"}</span></th>
                    </tr></thead>
                    <tbody>{for people.iter().map(|p| html! {
                        <tr data-person={p.id.clone()}>
                            <th scope="row"><code>{p.id.clone()}</code></th>
                            <td class="yo-num">{p.claims}</td>
                            <td class="yo-num">{money(&p.before)}</td>
                            <td class="yo-num">{money(&p.after)}</td>
                            <td class="yo-num yo-changed">{p.change()}</td>
                        </tr>
                    })}</tbody>
                </table>
            }
        </div>
    }
}

fn money(s: &str) -> String {
    yibao_core::Money::parse(s).map_or_else(|_| s.to_string(), |m| m.grouped())
}

fn bad_table(bad: &[BadRow]) -> Html {
    html! {
        <table class="yo-grid yo-replay-bad" id="yo-replay-bad">
            <thead><tr>
                <th scope="col" class="yo-num">{"行"}<span class="yo-en" lang="en">{"row"}</span></th>
                <th scope="col">{"列"}<span class="yo-en" lang="en">{"column"}</span></th>
                <th scope="col">{"记录"}<span class="yo-en" lang="en">{"claim"}</span></th>
                <th scope="col">{"问题"}<span class="yo-en" lang="en">{"problem"}</span></th>
            </tr></thead>
            <tbody>{for bad.iter().take(BAD_SHOWN).map(|b| html! {
                <tr data-row={b.row.to_string()} data-code={b.code.clone()} data-column={b.column.clone()} data-refused={b.refused.to_string()}>
                    <td class="yo-num">{b.row}</td>
                    <td><code>{if b.column.is_empty() { "—".to_string() } else { b.column.clone() }}</code></td>
                    <td><code>{b.claim_id.clone()}</code></td>
                    <td class="yo-err" data-code={b.code.clone()}>
                        <code>{b.code.clone()}</code>{" "}{b.zh.clone()}{if b.refused { "(政策拒绝)" } else { "" }}
                        <span class="yo-en" lang="en">{b.en.clone()}{if b.refused { " (refused by a policy)" } else { "" }}</span>
                    </td>
                </tr>
            })}</tbody>
        </table>
    }
}

/// A cap's words: a layer's by the draft's own name for it (`大病住院二次补助 封顶`).
fn cap_name(state: &Office, l: &Line) -> Html {
    let layer = l.key.strip_prefix("layer:").and_then(|id| {
        state.draft.tree["layers"]
            .as_array()?
            .iter()
            .find(|x| x["id"].as_str() == Some(id))
    });
    match layer {
        Some(x) => html! {
            <>
                {format!("{}封顶", x["name_zh"].as_str().unwrap_or(""))}
                <span class="yo-en" lang="en">{format!("{}: its cap", x["name_en"].as_str().unwrap_or(""))}</span>
            </>
        },
        None => html! { <>{l.zh.clone()}<span class="yo-en" lang="en">{l.en.clone()}</span></> },
    }
}

fn result(rep: &Report, state: &Office) -> Html {
    let (cur_id, cur_name) = rep.name(0);
    let (draft_id, draft_name) = rep.name(1);
    let levels = draft::ids(&state.draft.tree, "levels");
    let level_name = |id: &str| -> String {
        levels
            .iter()
            .position(|l| l == id)
            .and_then(|i| {
                state.draft.tree["levels"][i]["name_zh"]
                    .as_str()
                    .map(str::to_string)
            })
            .unwrap_or_else(|| id.to_string())
    };
    let bad = rep.bad_rows();
    let (fewer, same, more) = rep.persons();
    let unread = bad.iter().filter(|b| !b.refused).count();
    html! {
        <div class="yo-replay-result" id="yo-replay-result" data-claims={rep.claims_read().to_string()}
            data-bad={bad.len().to_string()}>
            <p class="yo-panel yo-replay-lead">
                {format!("已读 {} 条就诊记录 · {} 行无法读取 · {} 条被政策拒绝", rep.claims_read(), unread, bad.len() - unread)}
                <span class="yo-en" lang="en">{format!("{} claims read, {} rows unreadable, {} refused", rep.claims_read(), unread, bad.len() - unread)}</span>
                <br />
                {"对比政策 "}<strong>{cur_name}</strong><span class="yo-key">{cur_id}</span>
                {" → 草稿 "}<strong>{draft_name}</strong><span class="yo-key">{format!("{draft_id} · policy_sha256 {}…", rep.sha256(1).get(..12).unwrap_or(""))}</span>
            </p>
            <div class="yo-replay-grid">
                <section class="yo-panel">
                    <h2>{"合计"}<span class="yo-en" lang="en">{"totals (yuan, to the fen)"}</span></h2>
                    <div class="yo-table-wrap"><table class="yo-grid yo-replay-totals" id="yo-replay-totals">
                        {head("项目", "item")}
                        <tbody>{for rep.totals().iter().map(|l| line_row(l, html! { <>{l.zh.clone()}<span class="yo-en" lang="en">{l.en.clone()}</span></> }))}</tbody>
                    </table></div>
                </section>
                <section class="yo-panel">
                    <h2>{"谁受益、谁多付"}<span class="yo-en" lang="en">{"who pays less, the same, more (a year's patient payments)"}</span></h2>
                    <ul class="yo-replay-counts" id="yo-replay-persons" data-fewer={fewer.to_string()} data-same={same.to_string()} data-more={more.to_string()}>
                        <li class="yo-less"><strong>{fewer}</strong>{" 人少付"}<span class="yo-en" lang="en">{"pay less"}</span></li>
                        <li><strong>{same}</strong>{" 人不变"}<span class="yo-en" lang="en">{"the same"}</span></li>
                        <li class="yo-more"><strong>{more}</strong>{" 人多付"}<span class="yo-en" lang="en">{"pay more"}</span></li>
                    </ul>
                    {persons_table("yo-replay-gains", "少付最多", "gain most", &rep.extremes(Side::Gains))}
                    {persons_table("yo-replay-losses", "多付最多", "lose most", &rep.extremes(Side::Losses))}
                </section>
            </div>
            <section class="yo-panel">
                <h2>{"按医院级别"}<span class="yo-en" lang="en">{"by level"}</span></h2>
                <div class="yo-table-wrap"><table class="yo-grid" id="yo-replay-levels">
                    <thead><tr>
                        <th scope="col">{"级别"}<span class="yo-en" lang="en">{"level"}</span></th>
                        <th scope="col" class="yo-num">{"就诊记录"}<span class="yo-en" lang="en">{"claims"}</span></th>
                        <th scope="col" class="yo-num">{"基金 对比政策"}<span class="yo-en" lang="en">{"funds, other"}</span></th>
                        <th scope="col" class="yo-num">{"基金 草稿"}<span class="yo-en" lang="en">{"funds, draft"}</span></th>
                        <th scope="col" class="yo-num">{"差额"}<span class="yo-en" lang="en">{"change"}</span></th>
                        <th scope="col" class="yo-num">{"个人负担 对比政策"}<span class="yo-en" lang="en">{"patients, other"}</span></th>
                        <th scope="col" class="yo-num">{"个人负担 草稿"}<span class="yo-en" lang="en">{"patients, draft"}</span></th>
                        <th scope="col" class="yo-num">{"差额"}<span class="yo-en" lang="en">{"change"}</span></th>
                    </tr></thead>
                    <tbody>{for rep.by_level().iter().map(|(id, claims, fund, psn)| html! {
                        <tr data-level={id.clone()} data-fund-current={fund.current.clone()} data-fund-draft={fund.draft.clone()}>
                            <th scope="row">{level_name(id)}<span class="yo-key">{id.clone()}</span></th>
                            <td class="yo-num">{claims.show_draft()}</td>
                            <td class="yo-num">{fund.show_current()}</td>
                            <td class="yo-num"><strong>{fund.show_draft()}</strong></td>
                            <td class={classes!("yo-num", fund.changed().then_some("yo-changed"))}>{fund.diff()}</td>
                            <td class="yo-num">{psn.show_current()}</td>
                            <td class="yo-num"><strong>{psn.show_draft()}</strong></td>
                            <td class={classes!("yo-num", psn.changed().then_some("yo-changed"))}>{psn.diff()}</td>
                        </tr>
                    })}</tbody>
                </table></div>
            </section>
            <section class="yo-panel">
                <h2>{"达到封顶的人数"}<span class="yo-en" lang="en">{"persons who reached each cap"}</span></h2>
                <div class="yo-table-wrap"><table class="yo-grid" id="yo-replay-caps">
                    {head("封顶", "cap")}
                    <tbody>{for rep.caps().iter().map(|l| line_row(l, html! { <>{cap_name(state, l)}<span class="yo-key">{l.key.clone()}</span></> }))}</tbody>
                </table></div>
            </section>
            <section class="yo-panel">
                <h2>{format!("有问题的行 {} 处", bad.len())}<span class="yo-en" lang="en">{format!("{} problems in rows: counted, listed, never dropped silently{}", bad.len(), if bad.len() > BAD_SHOWN { format!(" (the first {BAD_SHOWN} shown)") } else { String::new() })}</span></h2>
                if bad.is_empty() {
                    <p class="yo-ok">{"✓ 每一行都已读入并测算"}<span class="yo-en" lang="en">{"every row read and replayed"}</span></p>
                } else {
                    <div class="yo-table-wrap">{bad_table(&bad)}</div>
                }
            </section>
        </div>
    }
}
