//! The app: one reducer holding the form, the engine called on every render (an estimate takes
//! microseconds), and two layouts over the same state.

#[cfg(feature = "desk")]
mod clerk;
mod failed;
mod fetch;
mod national;
mod parts;
mod resident;

use crate::model::{self, FieldMsg, Form, Lang, Mode};
pub use failed::{Failed, FailedProps};
use gloo::storage::{LocalStorage, Storage};
use resident::Step;
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::referral::compare::{compare_case, Comparison};
use yibao_core::{estimate_range, Code, Date, Money, PolicyDoc, Problems, RangeEstimate};

/// Where the 长辈版 (large text) choice is remembered.
const ELDER_KEY: &str = "yibao.elder";

#[derive(Properties, Clone)]
pub struct AppProps {
    pub mode: Mode,
    pub lang: Lang,
    pub policy: Option<String>,
    pub custom: Option<Rc<PolicyDoc>>,
    pub host: Option<web_sys::Element>,
    pub sync_hash: bool,
    pub asset_base: String,
    /// The state to start from, as a URL fragment (a hand-over from the resident-only module);
    /// otherwise the page's own fragment when `sync_hash`.
    pub fragment: Option<String>,
    /// Called with a fragment to switch to a layout this module lacks (see `parts::switch_mode`).
    pub hand_over: Option<js_sys::Function>,
}

impl PartialEq for AppProps {
    fn eq(&self, other: &Self) -> bool {
        self.mode == other.mode
            && self.lang == other.lang
            && self.policy == other.policy
            && self.sync_hash == other.sync_hash
    }
}

#[derive(Clone)]
pub struct State {
    pub mode: Mode,
    pub lang: Lang,
    /// 长辈版: large text.
    pub elder: bool,
    pub form: Form,
    pub doc: Rc<PolicyDoc>,
    /// A host-supplied policy, offered next to the shipped ones.
    pub custom: Option<Rc<PolicyDoc>>,
    /// Where the resident flow is.
    pub step: Step,
    /// The answer's "why this number?" trace is open.
    pub show_why: bool,
    /// The share link and QR code are open.
    pub show_share: bool,
    /// The desk prints the 80 mm receipt rather than A4.
    pub receipt_80mm: bool,
    pub search_open: bool,
    /// The disease search's highlighted suggestion.
    pub search_highlight: usize,
    /// The desk's "itemised bill" switch (a restored fragment with line items turns it on).
    #[cfg(feature = "desk")]
    pub itemised: bool,
    /// The desk's spreadsheet paste box and its message.
    #[cfg(feature = "desk")]
    pub paste: String,
    #[cfg(feature = "desk")]
    pub paste_msg: Option<FieldMsg>,
    /// The resident pressed "next" on a step whose fields are not valid yet: only then is a
    /// field left empty marked.
    pub tried_next: bool,
    /// A share link that could not be read: said above the form, which starts from its
    /// defaults, until the user changes something.
    pub link_notice: Option<FieldMsg>,
    /// The first frame is on screen. The pathway comparison runs the engine once per place and
    /// fills a box below the answer: it waits for this, so a phone shows the amount first
    /// (BENCHMARKS.md, "time to the first estimate").
    pub painted: bool,
    /// A shipped policy this module does not embed, being fetched (`model::Shipped::Fetch`):
    /// chosen from the menu, or named by the share link (`fragment`) or the host. Until it
    /// arrives the page says so and shows no estimate (never another region's figures).
    pub pending_policy: Option<PendingPolicy>,
}

#[derive(Clone, PartialEq)]
pub struct PendingPolicy {
    pub id: String,
    /// The file to fetch (`yibao_shipped::json_file`).
    pub file: String,
    /// The share link to restore once it has arrived.
    pub fragment: Option<String>,
}

pub enum Action {
    Edit(Rc<dyn Fn(&mut Form)>),
    Policy(String),
    /// A pending policy's file as fetched (`None`: it could not be).
    PolicyArrived(String, Option<String>),
    Lang(Lang),
    Mode(Mode),
    Elder(bool),
    GoTo(Step),
    TriedNext,
    /// Stay (false) or clinic visit (true); a level the setting does not pay becomes the first
    /// one it does.
    Setting(bool),
    Painted,
    ToggleWhy,
    ToggleShare,
    #[cfg(feature = "desk")]
    Receipt80mm(bool),
    Search {
        open: bool,
        highlight: usize,
    },
    PickDisease(String),
    #[cfg(feature = "desk")]
    Itemised(bool),
    #[cfg(feature = "desk")]
    Paste(String),
    #[cfg(feature = "desk")]
    ApplyPaste,
    #[cfg(feature = "desk")]
    AddItem,
    #[cfg(feature = "desk")]
    RemoveItem(usize),
    /// 下一位: the desk's form emptied for the next patient (the policy kept).
    #[cfg(feature = "desk")]
    NextPatient,
}

/// The host's own policy when it has this id, else the shipped one when this module has it
/// (embedded or fetched before).
fn policy_doc(id: &str, custom: &Option<Rc<PolicyDoc>>) -> Option<Rc<PolicyDoc>> {
    if let Some(own) = custom.as_ref().filter(|own| own.policy.meta.id == id) {
        return Some(own.clone());
    }
    match model::shipped(id) {
        model::Shipped::Ready(doc) => Some(doc),
        _ => None,
    }
}

/// The fetch a policy needs before it can be shown, when it is shipped but not here yet.
fn to_fetch(
    id: &str,
    custom: &Option<Rc<PolicyDoc>>,
    fragment: Option<String>,
) -> Option<PendingPolicy> {
    if custom.as_ref().is_some_and(|own| own.policy.meta.id == id) {
        return None;
    }
    match model::shipped(id) {
        model::Shipped::Fetch(file) => Some(PendingPolicy {
            id: id.to_string(),
            file,
            fragment,
        }),
        _ => None,
    }
}

impl State {
    /// The form under another policy, keeping what still means something under it.
    fn switch_policy(&mut self, doc: Rc<PolicyDoc>) {
        let old = self.form.clone();
        let mut form = Form::new(&doc);
        form.age = old.age;
        form.total = old.total;
        form.unsure = old.unsure;
        if doc.policy.category(&old.category).is_some() {
            form.category = old.category;
        }
        if doc.policy.level(&old.level).is_some() {
            form.level = old.level;
        }
        if doc.policy.disease(&old.disease).is_some() {
            form.disease = old.disease;
            form.query = old.query;
        }
        self.form = form;
        self.doc = doc;
        self.link_notice = None;
    }
}

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(edit) => {
                edit(&mut next.form);
                next.tried_next = false;
                next.link_notice = None;
            }
            Action::Policy(id) => {
                if let Some(doc) = policy_doc(&id, &next.custom) {
                    next.switch_policy(doc);
                    next.pending_policy = None;
                } else if let Some(pending) = to_fetch(&id, &next.custom, None) {
                    next.link_notice = None;
                    next.pending_policy = Some(pending);
                }
            }
            Action::PolicyArrived(id, text) => {
                let Some(pending) = next.pending_policy.take_if(|p| p.id == id) else {
                    return self; // another choice came since
                };
                let doc = text
                    .ok_or_else(|| model::policy_not_loaded(&id))
                    .and_then(|t| model::add_fetched(&id, &t));
                match (doc, pending.fragment) {
                    (Err(msg), _) => next.link_notice = Some(msg),
                    (Ok(doc), None) => next.switch_policy(doc),
                    (Ok(doc), Some(fragment)) => {
                        match model::from_fragment(&fragment, |_| Some(doc.clone())) {
                            Ok(Some(r)) => {
                                next.doc = r.doc;
                                next.form = r.form;
                                next.step = Step::Answer;
                                next.lang = r.lang;
                                if cfg!(feature = "desk") {
                                    next.mode = r.mode;
                                }
                            }
                            _ => next.switch_policy(doc),
                        }
                    }
                }
            }
            Action::Lang(lang) => next.lang = lang,
            Action::Painted => next.painted = true,
            Action::Mode(mode) => {
                next.mode = mode;
                next.show_share = false;
            }
            Action::Elder(on) => {
                next.elder = on;
                // Raw text ("true"/"false", as JSON would write it): gloo's typed `set`/`get`
                // would bring a JSON parser into the module for one boolean.
                let text = if on { "true" } else { "false" };
                let _ = LocalStorage::raw().set_item(ELDER_KEY, text);
            }
            Action::GoTo(step) => {
                next.step = step;
                next.tried_next = false;
                next.show_why = false;
                next.show_share = false;
                next.link_notice = None;
            }
            Action::TriedNext => next.tried_next = true,
            Action::Setting(visit) => {
                next.form.outpatient = visit;
                let fits = resident::levels_for(&next.doc.policy, visit);
                if !fits.iter().any(|l| l.id == next.form.level) {
                    if let Some(l) = fits.first() {
                        next.form.level = l.id.clone();
                    }
                }
                next.tried_next = false;
            }
            Action::ToggleWhy => next.show_why = !next.show_why,
            Action::ToggleShare => next.show_share = !next.show_share,
            #[cfg(feature = "desk")]
            Action::Receipt80mm(on) => next.receipt_80mm = on,
            Action::Search { open, highlight } => {
                next.search_open = open;
                next.search_highlight = highlight;
            }
            Action::PickDisease(code) => {
                let name = next
                    .doc
                    .policy
                    .disease(&code)
                    .map(|d| d.name_zh.clone())
                    .unwrap_or_default();
                next.form.disease = code;
                next.form.query = name;
                next.search_open = false;
                next.search_highlight = 0;
            }
            #[cfg(feature = "desk")]
            Action::Itemised(on) => {
                next.itemised = on;
                if on && next.form.items.is_empty() {
                    next.form.items.push(Default::default());
                }
                if !on {
                    next.form.items.clear();
                }
            }
            #[cfg(feature = "desk")]
            Action::Paste(text) => next.paste = text,
            #[cfg(feature = "desk")]
            Action::ApplyPaste => match model::parse_pasted(&next.paste) {
                Ok(rows) => {
                    // Blank rows give way to the pasted ones.
                    next.form
                        .items
                        .retain(|r| !(r.name.is_empty() && r.amount.is_empty()));
                    next.form.items.extend(rows);
                    next.itemised = true;
                    next.paste.clear();
                    next.paste_msg = None;
                }
                Err(msg) => next.paste_msg = Some(msg),
            },
            #[cfg(feature = "desk")]
            Action::AddItem => next.form.items.push(model::ItemRow {
                class: "jia".into(),
                ..Default::default()
            }),
            #[cfg(feature = "desk")]
            Action::NextPatient => {
                next.form = Form::new(&next.doc);
                next.itemised = false;
                next.paste.clear();
                next.paste_msg = None;
                next.show_share = false;
                next.show_why = false;
                next.search_open = false;
                next.search_highlight = 0;
                next.tried_next = false;
                next.link_notice = None;
            }
            #[cfg(feature = "desk")]
            Action::RemoveItem(i) => {
                if i < next.form.items.len() {
                    next.form.items.remove(i);
                }
                if next.form.items.is_empty() {
                    next.itemised = false;
                }
            }
        }
        Rc::new(next)
    }
}

/// What the engine says about the current form.
pub struct Outcome {
    pub date: Date,
    /// Today was outside the policy's period, so `date` is the period's nearest end.
    pub date_moved: bool,
    pub result: Result<RangeEstimate, Vec<FieldMsg>>,
    pub comparison: Option<Result<Comparison, Vec<FieldMsg>>>,
    /// The resident's "not sure of the cost": the answer at each of [`UNSURE_TOTALS`].
    pub at_totals: Vec<(Money, RangeEstimate)>,
}

/// Today in China (`Date::in_china_at`), whatever the device's time zone: the CLI and the
/// package take the same day.
pub fn today() -> Date {
    Date::in_china_at(js_sys::Date::now() as i64)
}

/// Form fields and where each lands in the engine's case (the CLI's and the package's paths).
const FIELD_PATHS: [(&str, &str); 8] = [
    ("total", "bill.total"),
    ("in_scope", "bill.in_scope"),
    ("category", "patient.category"),
    ("from_level", "referral.from_level"),
    ("account", "account.balance"),
    ("family_account", "account.family_balance"),
    ("continuous_years", "patient.continuous_years"),
    ("claim_free_years", "patient.claim_free_years"),
];

/// The case path a form field's message is about, for `data-path`.
fn case_path(m: &FieldMsg) -> Option<String> {
    m.path.clone().or_else(|| {
        FIELD_PATHS
            .iter()
            .find(|(field, _)| *field == m.field)
            .map(|(_, path)| path.to_string())
    })
}

/// The engine's problems, each on the form field it is about.
fn problems_on_fields(problems: Problems) -> Vec<FieldMsg> {
    problems
        .0
        .into_iter()
        .map(|p| {
            let field = match p.path.as_str() {
                "bill" | "expected_cost" => "total",
                path => FIELD_PATHS
                    .iter()
                    .find(|(_, at)| *at == path)
                    .map_or(path, |(field, _)| field),
            };
            let (zh, en) = (p.message_zh.clone(), p.message_en.clone());
            FieldMsg::of_problem(field, &p, zh, en)
        })
        .collect()
}

pub const UNSURE_TOTALS: [i64; 4] = [5_000, 10_000, 20_000, 50_000];

/// The answer for the state; the pathway comparison only once the first frame is painted.
pub fn compute(state: &State) -> Outcome {
    let doc = &state.doc;
    let (date, date_moved) = match model::eval_date(doc, &state.form, today()) {
        Ok(d) => d,
        Err(msg) => {
            return Outcome {
                date: today(),
                date_moved: false,
                result: Err(vec![msg]),
                comparison: None,
                at_totals: vec![],
            }
        }
    };
    // "Not sure" is answered for a stay; a clinic visit gives its cost.
    let unsure = state.mode == Mode::Resident && state.form.unsure && !state.form.outpatient;
    // Not sure of the cost: the answer's headline is for 10,000 yuan.
    let headline_total = Money::parse(&UNSURE_TOTALS[1].to_string()).unwrap_or_default();
    let case = model::build_case(doc, &state.form, date, unsure.then_some(headline_total));
    let result = match &case {
        Ok(case) => estimate_range(doc, case, date).map_err(problems_on_fields),
        Err(msgs) => Err(msgs.clone()),
    };
    let mut at_totals = vec![];
    if unsure && result.is_ok() {
        for total in UNSURE_TOTALS {
            let total = Money::parse(&total.to_string()).unwrap_or_default();
            if let Ok(case) = model::build_case(doc, &state.form, date, Some(total)) {
                if let Ok(range) = estimate_range(doc, &case, date) {
                    at_totals.push((total, range));
                }
            }
        }
    }
    let comparison = match (&result, state.painted) {
        // Every place for the very case of the answer (its bill as detailed as it was given):
        // the option at its own level is the answer's estimate itself.
        (Ok(_), true) if !state.form.outpatient && doc.policy.levels.len() > 1 => case
            .ok()
            .map(|case| compare_case(doc, &case, date).map_err(problems_on_fields)),
        _ => None,
    };
    Outcome {
        date,
        date_moved,
        result,
        comparison,
        at_totals,
    }
}

/// The message for a field (or one of its parts), if any.
pub fn msg_for<'a>(msgs: &'a [FieldMsg], field: &str) -> Option<&'a FieldMsg> {
    msgs.iter()
        .find(|m| m.field == field || m.field.starts_with(&format!("{field}.")))
}

/// The inline message under a field: both languages, current one first.
pub fn field_msg(lang: Lang, msgs: &[FieldMsg], field: &str) -> Html {
    match msg_for(msgs, field) {
        Some(m) => html! {
            <p class="yb-err" role="alert" id={format!("err-{field}")} data-code={m.code.map(Code::as_str)} data-path={case_path(m)}>
                { lang.t(&m.zh, &m.en) }
                <span class="yb-err2">{ lang.t(&m.en, &m.zh) }</span>
            </p>
        },
        None => html! {},
    }
}

/// Run `f` once the browser has painted the current frame: in the animation frame after the
/// next one (an animation frame's callbacks run before that frame is drawn).
fn after_paint(f: impl FnOnce() + 'static) {
    frames(2, f)
}

/// Run `f` when the browser is idle (`requestIdleCallback`; two seconds later where a browser
/// lacks it, as Safari does).
fn when_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(w) = web_sys::window() else { return };
    let f = Closure::once_into_js(f);
    if w.request_idle_callback(f.unchecked_ref()).is_err() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), 2000);
    }
}

fn frames(n: u8, f: impl FnOnce() + 'static) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let next = Closure::once_into_js(move || match n {
        0 | 1 => f(),
        _ => frames(n - 1, f),
    });
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(next.unchecked_ref());
    }
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let props = props.clone();
    let state = use_reducer(move || {
        let hash = match (&props.fragment, props.sync_hash) {
            (Some(f), _) => f.clone(),
            (None, true) => web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .unwrap_or_default(),
            (None, false) => String::new(),
        };
        let custom = props.custom.clone();
        // A share link names its policy: read that one only (each read is tens of ms on a phone).
        let restored = model::from_fragment(&hash, |id| policy_doc(id, &custom));
        // A link to a shipped policy this module fetches: restored once it has arrived.
        let mut pending_policy = match &restored {
            Err(model::BadLink::UnknownPolicy(id)) => to_fetch(id, &custom, Some(hash.clone())),
            _ => None,
        };
        let link_notice = restored
            .as_ref()
            .err()
            .filter(|_| pending_policy.is_none())
            .map(|bad| bad.message());
        let elder = LocalStorage::raw()
            .get_item(ELDER_KEY)
            .ok()
            .flatten()
            .as_deref()
            == Some("true");
        let (doc, form, step, mode, lang) = match restored {
            Ok(Some(r)) => (r.doc, r.form, Step::Answer, r.mode, r.lang),
            Ok(None) | Err(_) => {
                let start = props
                    .policy
                    .clone()
                    .or_else(|| custom.as_ref().map(|own| own.policy.meta.id.clone()))
                    .unwrap_or_else(|| model::DEFAULT_POLICY.to_string());
                // Read once (a policy's read is most of a phone's start); fetched when this
                // module does not have it.
                let doc = policy_doc(&start, &custom);
                if doc.is_none() && pending_policy.is_none() {
                    pending_policy = to_fetch(&start, &custom, None);
                }
                let doc = doc
                    .or_else(|| policy_doc(model::DEFAULT_POLICY, &None))
                    .expect("the demo policy is embedded");
                let form = Form::new(&doc);
                (doc, form, Step::About, props.mode, props.lang)
            }
        };
        let mut initial = State {
            mode,
            lang,
            elder,
            #[cfg(feature = "desk")]
            itemised: !form.items.is_empty(),
            form,
            doc,
            custom,
            step,
            show_why: false,
            show_share: false,
            receipt_80mm: false,
            search_open: false,
            search_highlight: 0,
            #[cfg(feature = "desk")]
            paste: String::new(),
            #[cfg(feature = "desk")]
            paste_msg: None,
            tried_next: false,
            link_notice,
            painted: false,
            pending_policy,
        };
        if !cfg!(feature = "desk") {
            initial.mode = Mode::Resident;
        }
        initial
    });
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let outcome = compute(&state);
    let pending = state.pending_policy.clone();
    // A shipped policy this module does not embed: fetched, then the state moves to it.
    {
        let dispatch = dispatch.clone();
        let base = props.asset_base.clone();
        use_effect_with(pending.clone(), move |pending| {
            if let Some(p) = pending {
                let id = p.id.clone();
                fetch::text(&format!("{base}{}", p.file), move |text| {
                    dispatch.emit(Action::PolicyArrived(id, text))
                });
            }
        });
    }

    // Keep the URL fragment in step with the form (the share link and QR code are this URL).
    let fragment = model::to_fragment(&state.form, state.mode, state.lang);
    {
        let sync = props.sync_hash;
        // Not while a policy is on its way: the link the page was opened with stays the URL.
        let ok = outcome.result.is_ok() && pending.is_none();
        use_effect_with((fragment.clone(), ok), move |(fragment, ok)| {
            if sync && *ok {
                if let Some(w) = web_sys::window() {
                    if let Ok(h) = w.history() {
                        let _ = h.replace_state_with_url(
                            &wasm_bindgen::JsValue::NULL,
                            "",
                            Some(&format!("#{fragment}")),
                        );
                    }
                }
            }
        });
    }
    // Tell the host page about every new estimate.
    {
        let host = props.host.clone();
        let detail = outcome
            .result
            .as_ref()
            .ok()
            .filter(|_| pending.is_none())
            .map(|range| model::estimate_event(state.mode, range, &fragment));
        use_effect_with(detail, move |detail| {
            if let (Some(host), Some(detail)) = (host, detail) {
                let init = web_sys::CustomEventInit::new();
                init.set_bubbles(true);
                init.set_composed(true);
                init.set_detail(&js_sys::JSON::parse(detail).unwrap_or_default());
                if let Ok(ev) =
                    web_sys::CustomEvent::new_with_event_init_dict("yibao-estimate", &init)
                {
                    let _ = host.dispatch_event(&ev);
                }
            }
        });
    }

    // Performance marks for the timing benchmark (first render, first estimate on screen), and
    // the comparison's go-ahead once the first frame is painted.
    {
        let shown =
            outcome.result.is_ok() && (state.mode == Mode::Clerk || state.step == Step::Answer);
        let state = state.clone();
        let (base, dispatch) = (props.asset_base.clone(), dispatch.clone());
        use_effect_with(shown, move |shown| {
            if !state.painted {
                after_paint(move || state.dispatch(Action::Painted));
            }
            // After the first answer, when the browser is idle: the national diagnosis list, so
            // that the next search finds every diagnosis from its first keystroke (on our own
            // page the service worker has usually fetched it already; this reads it).
            if *shown {
                when_idle(move || national::load(&base, dispatch));
            }
            if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
                for (name, now) in [("yibao-ready", true), ("yibao-first-estimate", *shown)] {
                    if now && perf.get_entries_by_name(name).length() == 0 {
                        let _ = perf.mark(name);
                    }
                }
            }
        });
    }

    let lang = state.lang;
    let root_class = classes!(
        "yb",
        if state.mode == Mode::Clerk {
            "yb-clerk"
        } else {
            "yb-resident"
        },
        state.elder.then_some("yb-elder"),
        state.receipt_80mm.then_some("yb-r80"),
    );
    let link_notice = state.link_notice.as_ref().map(|m| {
        html! {
            <div class="yb-banner yb-bad" role="alert" id="yb-link-notice">
                <p>{ lang.t(&m.zh, &m.en) }</p>
            </div>
        }
    });
    let ui = Ui {
        state: &state,
        dispatch,
        outcome: &outcome,
        fragment: &fragment,
        asset_base: &props.asset_base,
        hand_over: props.hand_over.as_ref(),
    };
    html! {
        <div class={root_class} lang={lang.code()}>
            { parts::topbar(&ui) }
            { link_notice.unwrap_or_default() }
            {
                match (&state.pending_policy, state.mode) {
                    (Some(p), _) => policy_loading(lang, &p.id),
                    #[cfg(feature = "desk")]
                    (None, Mode::Clerk) => clerk::view(&ui),
                    _ => resident::view(&ui),
                }
            }
        </div>
    }
}

/// In place of the form while a chosen (or linked) policy is fetched: never another policy's
/// figures under its name.
fn policy_loading(lang: Lang, id: &str) -> Html {
    let (zh, en) = model::policy_title(id);
    html! {
        <div class="yb-banner" role="status" id="yb-policy-loading" aria-live="polite">
            <p>{ lang.t(&format!("正在载入政策:{zh}……"), &format!("Loading the policy: {en}…")) }</p>
        </div>
    }
}

/// What every view function is given: the state, what the engine made of it, and the means to
/// change it.
pub struct Ui<'a> {
    pub state: &'a State,
    pub dispatch: Callback<Action>,
    pub outcome: &'a Outcome,
    /// The form's URL fragment, made once per render.
    pub fragment: &'a str,
    pub asset_base: &'a str,
    pub hand_over: Option<&'a js_sys::Function>,
}

impl Ui<'_> {
    /// The text in the language shown.
    pub fn t<'b>(&self, zh: &'b str, en: &'b str) -> &'b str {
        self.state.lang.t(zh, en)
    }

    /// A click handler that sends the action `make` gives.
    pub fn send(&self, make: impl Fn() -> Action + 'static) -> Callback<MouseEvent> {
        let dispatch = self.dispatch.clone();
        Callback::from(move |_| dispatch.emit(make()))
    }

    /// A form field's event handler: `read` takes the value from the event's element, `set`
    /// puts it into the form.
    fn edit<E: 'static, T: Clone + 'static>(
        &self,
        read: fn(&E) -> T,
        set: fn(&mut Form, T),
    ) -> Callback<E> {
        let dispatch = self.dispatch.clone();
        Callback::from(move |e: E| {
            let value = read(&e);
            dispatch.emit(Action::Edit(Rc::new(move |f| set(f, value.clone()))));
        })
    }

    /// `oninput` for a text field of the form.
    pub fn text(&self, set: fn(&mut Form, String)) -> Callback<InputEvent> {
        self.edit(
            |e: &InputEvent| {
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value()
            },
            set,
        )
    }

    /// `onchange` for a select of the form.
    #[cfg(feature = "desk")]
    pub fn select(&self, set: fn(&mut Form, String)) -> Callback<Event> {
        self.edit(
            |e: &Event| {
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value()
            },
            set,
        )
    }

    /// `onchange` for a checkbox of the form.
    pub fn check(&self, set: fn(&mut Form, bool)) -> Callback<Event> {
        self.edit(
            |e: &Event| {
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked()
            },
            set,
        )
    }

    /// The form's messages (none once it gives an estimate).
    pub fn msgs(&self) -> &[FieldMsg] {
        match &self.outcome.result {
            Err(msgs) => msgs,
            Ok(_) => &[],
        }
    }

    /// The link (and QR code) of this estimate. From the desk it is the patient's: the
    /// resident page's answer of the same estimate, readable on a phone, not the desk form
    /// (the page's `?mode=clerk` is left out with the rest of its query).
    pub fn share_url(&self) -> String {
        let href = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let base = href.split('#').next().unwrap_or_default();
        let (base, fragment) = if self.state.mode == Mode::Clerk {
            let page = base.split('?').next().unwrap_or_default();
            let patient = model::to_fragment(&self.state.form, Mode::Resident, self.state.lang);
            (page.to_string(), patient)
        } else {
            (base.to_string(), self.fragment.to_string())
        };
        // Embedded in another site, the link opens the widget's own page.
        let page = if self.asset_base.is_empty() || base.starts_with(self.asset_base) {
            base
        } else {
            format!("{}index.html", self.asset_base)
        };
        format!("{page}#{fragment}")
    }
}

// The county office's workbench, at the end of the file: declared above, it would move the
// lines of this file's code, whose panic locations are in the phone's wasm, by two.
#[cfg(feature = "office")]
pub mod office;

// The desk's 对账 panel (below the estimate), at the end of the file for the same reason.
#[cfg(feature = "desk")]
mod reconcile;
