//! The workbench's state and its reducer: the draft (the policy's value tree and its cases),
//! what core's reader made of it after the last edit, and the screen shown.

use crate::model::office::cases::{run_all, Run, Visit};
use crate::model::office::clauses::{self, Stale};
use crate::model::office::draft::{self, Draft};
use gloo::storage::{LocalStorage, Storage};
use serde_json::Value;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::worked::WorkedCase;
use yibao_core::{PolicyDoc, Problem, Problems};

/// Where the draft is kept between visits.
const KEY: &str = "yibao.office.draft";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Open,
    Edit,
    Cases,
    Compare,
    Replay,
    Publish,
    Preview,
}

impl Tab {
    pub fn code(self) -> &'static str {
        match self {
            Tab::Open => "open",
            Tab::Edit => "edit",
            Tab::Cases => "cases",
            Tab::Compare => "compare",
            Tab::Replay => "replay",
            Tab::Publish => "publish",
            Tab::Preview => "preview",
        }
    }
}

pub enum Action {
    Tab(Tab),
    /// A new draft (a shipped policy, a template, a file), with what opening it said.
    Load(Box<Draft>, Option<String>),
    /// Cases read from a `*.cases.toml`, added to the draft's.
    AddCases(Vec<WorkedCase>, String),
    /// A file that could not be read: its problems.
    OpenFailed(String, Problems),
    Set(String, Value),
    Remove(String),
    Push(String, Value),
    Visit(Visit),
    SaveCase(Box<WorkedCase>),
    RemoveCase(usize),
    /// A case's expected figure typed in (case index, field, value).
    Expect(usize, String, String),
    CompareWith(String),
    Filter(String),
    /// The national diagnosis list arrived (or failed): the catalogue's search runs again.
    NationalIndex,
    /// Publish although worked cases fail (or withdraw that).
    ConfirmPublish(bool),
    /// The claims file for the replay (测算).
    ReplayFile(web_sys::File),
    /// The shipped policy the replay compares the draft with.
    ReplayWith(String),
    /// Replay run `n` started, in this worker.
    ReplayStarted(u32, Rc<super::replay::Running>),
    /// A message of replay run `n`'s worker.
    Replay(u32, super::replay::Msg),
}

#[derive(Clone)]
pub struct Office {
    pub draft: Draft,
    /// Core's reading of the tree after the last edit.
    pub checked: Result<Rc<PolicyDoc>, Rc<Problems>>,
    /// The problems by the path of the field that shows them.
    pub at: Rc<BTreeMap<String, Vec<Problem>>>,
    pub tab: Tab,
    pub notice: Option<String>,
    /// Problems of a file that could not be opened.
    pub open_problems: Option<(String, Problems)>,
    pub visit: Visit,
    /// The catalogue's search.
    pub filter: String,
    /// Times the national diagnosis list's fetch settled (the search re-runs with it).
    pub national: u32,
    /// Bumped on every change of the draft (saves it; remounts the preview).
    pub revision: u32,
    /// Values changed away from the figure their clause quotes, by the value's path.
    pub stale: Rc<BTreeMap<String, Vec<Stale>>>,
    /// The revision at which the author confirmed publishing although worked cases fail: any
    /// later edit asks again.
    pub publish_confirmed: Option<u32>,
    /// The replay (测算): its file, its run and its result, kept across tabs.
    pub replay: super::replay::Replay,
    /// Bumped on every change of the replay.
    pub replay_revision: u32,
}

impl PartialEq for Office {
    fn eq(&self, o: &Self) -> bool {
        self.revision == o.revision
            && self.tab == o.tab
            && self.filter == o.filter
            && self.national == o.national
            && self.visit == o.visit
            && self.replay_revision == o.replay_revision
    }
}

pub fn save(d: &Draft) {
    if let Ok(text) = serde_json::to_string(d) {
        // A full or blocked storage only loses the reload's copy, never the page.
        let _ = LocalStorage::raw().set_item(KEY, &text);
    }
}

impl Office {
    /// The draft of the last visit, or the demo policy.
    pub fn restore() -> Office {
        let saved = LocalStorage::raw()
            .get_item(KEY)
            .ok()
            .flatten()
            .and_then(|t| serde_json::from_str::<Draft>(&t).ok())
            .filter(|d| d.tree.is_object());
        let restored = saved.is_some();
        let draft = saved
            .or_else(|| Draft::shipped(crate::model::DEFAULT_POLICY))
            .unwrap_or_default();
        let mut o = Office {
            draft,
            checked: Err(Rc::new(Problems(vec![]))),
            at: Rc::default(),
            tab: Tab::Edit,
            notice: restored
                .then(|| "已恢复上次的草稿 · the draft of your last visit is restored".to_string()),
            open_problems: None,
            visit: Visit::default(),
            filter: String::new(),
            national: 0,
            revision: 0,
            stale: Rc::default(),
            publish_confirmed: None,
            replay: Default::default(),
            replay_revision: 0,
        };
        o.recheck();
        o.default_visit();
        o
    }

    fn recheck(&mut self) {
        // The fingerprint is the one the published TOML will have, so that the preview's
        // receipts quote the `policy_sha256` of the Publish screen.
        self.checked = self
            .draft
            .check()
            .map(|mut doc| {
                let toml = crate::model::office::publish::policy_toml(&doc);
                doc.sha256 = yibao_core::trace::sha256_hex(toml.as_bytes());
                Rc::new(doc)
            })
            .map_err(Rc::new);
        let mut at: BTreeMap<String, Vec<Problem>> = BTreeMap::new();
        if let Err(ps) = &self.checked {
            for p in &ps.0 {
                at.entry(draft::anchor(&self.draft.tree, &p.path))
                    .or_default()
                    .push(p.clone());
            }
        }
        self.at = Rc::new(at);
        let mut stale: BTreeMap<String, Vec<Stale>> = BTreeMap::new();
        for s in clauses::stale(&self.draft.opened, &self.draft.tree) {
            stale.entry(s.path.clone()).or_default().push(s);
        }
        self.stale = Rc::new(stale);
        self.revision += 1;
    }

    fn default_visit(&mut self) {
        let levels = draft::ids(&self.draft.tree, "levels");
        let cats = draft::ids(&self.draft.tree, "categories");
        if !levels.contains(&self.visit.level) {
            self.visit.level = levels
                .iter()
                .find(|l| l.as_str() == "county")
                .or(levels.get(levels.len().saturating_sub(1).min(2)))
                .cloned()
                .unwrap_or_default();
        }
        if !cats.contains(&self.visit.category) {
            self.visit.category = cats.first().cloned().unwrap_or_default();
        }
        if self.visit.total.is_empty() {
            self.visit.total = "10000".into();
        }
    }

    /// The worked cases against the draft (none while it does not read).
    pub fn runs(&self) -> Vec<Run> {
        match &self.checked {
            Ok(doc) => run_all(doc, &self.draft.cases, super::super::today()),
            Err(_) => vec![],
        }
    }
}

impl Reducible for Office {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        if !matches!(action, Action::Replay(..) | Action::ReplayStarted(..)) {
            s.notice = None;
        }
        match action {
            Action::Tab(t) => s.tab = t,
            Action::Load(d, notice) => {
                s.draft = *d;
                if s.draft.opened.is_null() {
                    s.draft.opened = s.draft.tree.clone();
                }
                s.open_problems = None;
                s.notice = notice;
                s.visit = Visit::default();
                s.tab = Tab::Edit;
                s.recheck();
                s.default_visit();
            }
            Action::AddCases(cases, name) => {
                let n = cases.len();
                s.draft.cases.extend(cases);
                s.notice = Some(format!(
                    "已读入 {name} 的 {n} 个案例 · {n} cases read from {name}"
                ));
                s.tab = Tab::Cases;
                s.recheck();
            }
            Action::OpenFailed(name, ps) => s.open_problems = Some((name, ps)),
            Action::Set(path, v) => {
                draft::set(&mut s.draft.tree, &path, v);
                s.recheck();
            }
            Action::Remove(path) => {
                draft::remove(&mut s.draft.tree, &path);
                s.recheck();
            }
            Action::Push(path, v) => {
                let i = draft::push(&mut s.draft.tree, &path, v);
                // The keyboard goes on in the new item's first field.
                if let Some(crate::model::office::schema::Kind::Array(st)) =
                    crate::model::office::schema::kind_at(&path)
                {
                    if let Some(f) = crate::model::office::schema::fields(st).first() {
                        super::checks::focus(&super::editor::field_id(&format!(
                            "{path}[{i}].{}",
                            f.key
                        )));
                    }
                }
                s.recheck();
            }
            Action::Visit(v) => s.visit = v,
            Action::SaveCase(wc) => {
                s.notice = Some(format!("已保存工作案例 {} · worked case saved", wc.id));
                s.draft.cases.push(*wc);
                s.recheck();
            }
            Action::RemoveCase(i) => {
                if i < s.draft.cases.len() {
                    s.draft.cases.remove(i);
                }
                s.recheck();
            }
            Action::Expect(i, field, value) => {
                if let Some(c) = s.draft.cases.get_mut(i) {
                    c.expect.insert(field, value);
                }
                s.recheck();
            }
            Action::CompareWith(id) => {
                s.draft.compare_with = Some(id);
                s.recheck();
            }
            Action::Filter(f) => s.filter = f,
            Action::NationalIndex => s.national += 1,
            Action::ConfirmPublish(on) => s.publish_confirmed = on.then_some(s.revision),
            Action::ReplayFile(f) => {
                s.replay.file = Some(f);
                s.replay_revision += 1;
            }
            Action::ReplayWith(id) => {
                s.replay.with = Some(id);
                s.replay_revision += 1;
            }
            Action::ReplayStarted(run, worker) => {
                // The worker of an earlier run, if any, is terminated as it is dropped.
                s.replay.run = run;
                s.replay.worker = Some(worker);
                s.replay.updates = 0;
                s.replay.status = super::replay::Status::Running {
                    policy: 0,
                    done: 0,
                    total: 0,
                };
                s.replay_revision += 1;
            }
            Action::Replay(run, msg) => {
                s.replay.on(run, msg);
                s.replay_revision += 1;
            }
        }
        Rc::new(s)
    }
}
