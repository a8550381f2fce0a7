//! The app: the state and its reducer (web/src/model/state.rs: data-only actions, a pure,
//! host-tested reducer), the engine called on every render (an estimate takes microseconds), the
//! effects that talk to the browser (hooks.rs), and two layouts over the same state built from
//! pieces with typed props.

#[cfg(feature = "desk")]
mod clerk;
#[cfg(target_arch = "wasm32")]
mod failed;
mod fetch;
mod hooks;
mod national;
mod resident;
// What both layouts show, a file each: every piece takes a typed props struct. The policy
// picker and the pathway comparison are yew components; the rest are view functions of their
// props, drawn in the App's own render: each yew component type adds about 1 KB gzipped to the
// phone's module (measured, issue 29 item 6), and a child component can lag its parent by a
// task (search.rs says why that rules it out for the disease search).
mod caveats;
mod comparison;
mod fields;
mod picker;
mod search;
mod share;
mod slip;
mod topbar;

use crate::model::{self, Action, Edit, FieldMsg, Lang, Mode, Start, State, Step};
#[cfg(target_arch = "wasm32")]
pub use failed::{Failed, FailedProps};
use search::DiseaseSearchProps;
use std::rc::Rc;
use topbar::{top_bar, TopBarProps};
use yew::prelude::*;
use yibao_core::referral::compare::{compare_case, Comparison};
use yibao_core::{estimate_range, Code, Date, Money, PolicyDoc, Problems, RangeEstimate};

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
    /// Called with a fragment to switch to a layout this module lacks (see `Ui::switch_mode`).
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

/// A value computed for one render and handed to components (an estimate, a comparison, the
/// policy): equal only to itself, so that a component redraws when it is given a new one without
/// comparing its contents.
pub struct Shared<T>(Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Self {
        Shared(Rc::new(value))
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> From<Rc<T>> for Shared<T> {
    fn from(rc: Rc<T>) -> Self {
        Shared(rc)
    }
}

/// yew's side of the reducer: the model's pure function.
impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        model::reduce(self, action)
    }
}

/// What the engine says about the current form.
pub struct Outcome {
    pub date: Date,
    /// Today was outside the policy's period, so `date` is the period's nearest end.
    pub date_moved: bool,
    pub result: Result<Shared<RangeEstimate>, Vec<FieldMsg>>,
    pub comparison: Option<Result<Shared<Comparison>, Vec<FieldMsg>>>,
    /// The resident's "not sure of the cost": the answer at each of [`UNSURE_TOTALS`].
    pub at_totals: Vec<(Money, RangeEstimate)>,
}

/// Today in China (`Date::in_china_at`), whatever the device's time zone: the CLI and the
/// package take the same day.
#[cfg(target_arch = "wasm32")]
pub fn today() -> Date {
    Date::in_china_at(js_sys::Date::now() as i64)
}

/// The prerender's today: the build's (the first step shows no date; the estimate under it is
/// computed again, with the phone's today, when the module hydrates).
#[cfg(not(target_arch = "wasm32"))]
pub fn today() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    Date::in_china_at(now)
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
        Ok(case) => estimate_range(doc, case, date)
            .map(Shared::new)
            .map_err(problems_on_fields),
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
        (Ok(_), true) if !state.form.outpatient && doc.policy.levels.len() > 1 => {
            case.ok().map(|case| {
                compare_case(doc, &case, date)
                    .map(Shared::new)
                    .map_err(problems_on_fields)
            })
        }
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

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let state = {
        let props = props.clone();
        use_reducer(move || {
            let fragment = match (&props.fragment, props.sync_hash) {
                (Some(f), _) => f.clone(),
                (None, true) => web_sys::window()
                    .and_then(|w| w.location().hash().ok())
                    .unwrap_or_default(),
                (None, false) => String::new(),
            };
            State::start(Start {
                fragment,
                policy: props.policy,
                custom: props.custom,
                mode: props.mode,
                lang: props.lang,
                elder: hooks::saved_elder(),
            })
        })
    };
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let outcome = compute(&state);
    let pending = state.pending_policy.clone();
    let fragment = model::to_fragment(&state.form, state.mode, state.lang);
    // What the browser is told, each an effect on the state it depends on.
    hooks::use_saved_elder(state.elder);
    hooks::use_policy_fetch(pending.clone(), &props.asset_base, dispatch.clone());
    // Not while a policy is on its way: the link the page was opened with stays the URL.
    let answered = outcome.result.is_ok() && pending.is_none();
    hooks::use_url_fragment(props.sync_hash, fragment.clone(), answered);
    let detail = outcome
        .result
        .as_ref()
        .ok()
        .filter(|_| pending.is_none())
        .map(|range| model::estimate_event(state.mode, range, &fragment));
    hooks::use_host_event(props.host.clone(), detail);
    let shown = outcome.result.is_ok() && (state.mode == Mode::Clerk || state.step == Step::Answer);
    hooks::use_first_paint(shown, state.painted, &props.asset_base, dispatch.clone());

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
            { top_bar(&TopBarProps {
                lang,
                mode: state.mode,
                elder: state.elder,
                doc: ui.doc(),
                dispatch: ui.dispatch.clone(),
                on_mode: ui.switch_mode(),
            }) }
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

    /// A form field's event handler: `read` takes the value from the event's element, `edit`
    /// makes the form's change of it.
    fn edit<E: 'static, T: 'static>(&self, read: fn(&E) -> T, edit: fn(T) -> Edit) -> Callback<E> {
        let dispatch = self.dispatch.clone();
        Callback::from(move |e: E| dispatch.emit(Action::Edit(edit(read(&e)))))
    }

    /// `oninput` for a text field of the form.
    pub fn text(&self, edit: fn(String) -> Edit) -> Callback<InputEvent> {
        self.edit(
            |e: &InputEvent| {
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value()
            },
            edit,
        )
    }

    /// `onchange` for a select of the form.
    #[cfg(feature = "desk")]
    pub fn select(&self, edit: fn(String) -> Edit) -> Callback<Event> {
        self.edit(
            |e: &Event| {
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value()
            },
            edit,
        )
    }

    /// `onchange` for a checkbox of the form.
    pub fn check(&self, edit: fn(bool) -> Edit) -> Callback<Event> {
        self.edit(
            |e: &Event| {
                e.target_unchecked_into::<web_sys::HtmlInputElement>()
                    .checked()
            },
            edit,
        )
    }

    /// The policy shown, for a component.
    pub fn doc(&self) -> Shared<PolicyDoc> {
        self.state.doc.clone().into()
    }

    /// The host's own policy, for the menu.
    pub fn custom(&self) -> Option<Shared<PolicyDoc>> {
        self.state.custom.clone().map(Shared::from)
    }

    /// The disease search (`big`: the resident's large box).
    pub fn disease_search(&self, big: bool) -> Html {
        let state = self.state;
        search::disease_search(&DiseaseSearchProps {
            lang: state.lang,
            doc: self.doc(),
            query: state.form.query.clone().into(),
            disease: state.form.disease.clone().into(),
            open: state.search_open,
            highlight: state.search_highlight,
            big,
            msgs: Rc::from(self.msgs()),
            asset_base: self.asset_base.to_string().into(),
            dispatch: self.dispatch.clone(),
        })
    }

    /// The layout chip. A build with the desk switches in place; the resident-only build hands
    /// the current state (as a URL fragment) to the page's loader, which mounts the full module.
    pub fn switch_mode(&self) -> Callback<MouseEvent> {
        let to = if self.state.mode == Mode::Clerk {
            Mode::Resident
        } else {
            Mode::Clerk
        };
        match self.hand_over {
            Some(hand_over) if !cfg!(feature = "desk") => {
                let hand_over = hand_over.clone();
                let fragment = model::to_fragment(&self.state.form, to, self.state.lang);
                Callback::from(move |_| {
                    let _ = hand_over.call1(
                        &wasm_bindgen::JsValue::NULL,
                        &wasm_bindgen::JsValue::from_str(&fragment),
                    );
                })
            }
            _ => self.send(move || Action::Mode(to)),
        }
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
