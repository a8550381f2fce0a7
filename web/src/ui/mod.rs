//! The app: one reducer holding the form (model_todomvc style), the engine called on every
//! render (an estimate takes microseconds), and two layouts over the same state.

#[cfg(feature = "desk")]
mod clerk;
mod parts;
mod resident;

use crate::model::{self, FieldMsg, Form, Lang, Mode};
use gloo::storage::{LocalStorage, Storage};
use std::rc::Rc;
use yew::prelude::*;
use yibao_core::referral::compare::{compare, CompareRequest, Comparison};
use yibao_core::referral::Eligibility;
use yibao_core::{estimate_range, Date, Money, PolicyDoc, Problems, RangeEstimate};

const ELDER_KEY: &str = "yibao.elder";

#[derive(Properties, Clone)]
pub struct AppProps {
    pub mode: Mode,
    pub lang: Lang,
    pub policy: Option<String>,
    pub custom: Option<Rc<PolicyDoc>>,
    pub policy_error: Option<Vec<FieldMsg>>,
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
    fn eq(&self, o: &Self) -> bool {
        self.mode == o.mode
            && self.lang == o.lang
            && self.policy == o.policy
            && self.sync_hash == o.sync_hash
    }
}

#[derive(Clone)]
pub struct State {
    pub mode: Mode,
    pub lang: Lang,
    pub elder: bool,
    pub form: Form,
    pub doc: Rc<PolicyDoc>,
    /// A host-supplied policy, offered next to the shipped ones.
    pub custom: Option<Rc<PolicyDoc>>,
    /// Resident flow: 0 patient, 1 condition, 2 facility, 3 cost, 4 answer.
    pub step: u8,
    pub why: bool,
    pub share: bool,
    pub r80: bool,
    pub search_open: bool,
    pub search_idx: usize,
    /// The desk's "itemised bill" switch (a restored fragment with line items turns it on).
    #[cfg(feature = "desk")]
    pub itemised: bool,
    /// The desk's spreadsheet paste box and its message.
    #[cfg(feature = "desk")]
    pub paste: String,
    #[cfg(feature = "desk")]
    pub paste_msg: Option<FieldMsg>,
    /// The resident pressed "next" on a step whose fields are not valid yet.
    pub tried: bool,
    /// A share link that could not be read: said above the form, which starts from its
    /// defaults, until the user changes something.
    pub link_notice: Option<FieldMsg>,
    /// The first frame is on screen. The pathway comparison runs the engine once per place and
    /// fills a box below the answer: it waits for this, so a phone shows the amount first
    /// (BENCHMARKS.md, "time to the first estimate").
    pub painted: bool,
}

pub enum Action {
    Edit(Rc<dyn Fn(&mut Form)>),
    Policy(String),
    Lang(Lang),
    Mode(Mode),
    Elder(bool),
    Step(u8),
    Tried(bool),
    Painted,
    Why,
    Share,
    #[cfg(feature = "desk")]
    R80(bool),
    Search {
        open: bool,
        idx: usize,
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
}

fn policy_doc(id: &str, custom: &Option<Rc<PolicyDoc>>) -> Option<Rc<PolicyDoc>> {
    if let Some(c) = custom.as_ref().filter(|c| c.policy.meta.id == id) {
        return Some(c.clone());
    }
    model::load_policy(id).map(Rc::new)
}

impl Reducible for State {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(f) => {
                f(&mut s.form);
                s.tried = false;
                s.link_notice = None;
            }
            Action::Policy(id) => {
                if let Some(doc) = policy_doc(&id, &s.custom) {
                    let old = s.form.clone();
                    let mut f = Form::new(&doc);
                    f.age = old.age;
                    f.total = old.total;
                    f.unsure = old.unsure;
                    if doc.policy.category(&old.category).is_some() {
                        f.category = old.category;
                    }
                    if doc.policy.level(&old.level).is_some() {
                        f.level = old.level;
                    }
                    if doc.policy.disease(&old.disease).is_some() {
                        f.disease = old.disease;
                        f.query = old.query;
                    }
                    s.form = f;
                    s.doc = doc;
                    s.link_notice = None;
                }
            }
            Action::Lang(l) => s.lang = l,
            Action::Painted => s.painted = true,
            Action::Mode(m) => {
                s.mode = m;
                s.share = false;
            }
            Action::Elder(e) => {
                s.elder = e;
                // Raw text ("true"/"false", as JSON would write it): gloo's typed `set`/`get`
                // would bring a JSON parser into the module for one boolean.
                let _ = LocalStorage::raw().set_item(ELDER_KEY, if e { "true" } else { "false" });
            }
            Action::Step(n) => {
                s.step = n;
                s.tried = false;
                s.why = false;
                s.share = false;
                s.link_notice = None;
            }
            Action::Tried(t) => s.tried = t,
            Action::Why => s.why = !s.why,
            Action::Share => s.share = !s.share,
            #[cfg(feature = "desk")]
            Action::R80(r) => s.r80 = r,
            Action::Search { open, idx } => {
                s.search_open = open;
                s.search_idx = idx;
            }
            Action::PickDisease(code) => {
                let name = s
                    .doc
                    .policy
                    .disease(&code)
                    .map(|d| d.name_zh.clone())
                    .unwrap_or_default();
                s.form.disease = code;
                s.form.query = name;
                s.search_open = false;
                s.search_idx = 0;
            }
            #[cfg(feature = "desk")]
            Action::Itemised(on) => {
                s.itemised = on;
                if on && s.form.items.is_empty() {
                    s.form.items.push(Default::default());
                }
                if !on {
                    s.form.items.clear();
                }
            }
            #[cfg(feature = "desk")]
            Action::Paste(t) => s.paste = t,
            #[cfg(feature = "desk")]
            Action::ApplyPaste => match model::parse_pasted(&s.paste) {
                Ok(rows) => {
                    s.form
                        .items
                        .retain(|r| !(r.name.is_empty() && r.amount.is_empty()));
                    s.form.items.extend(rows);
                    s.itemised = true;
                    s.paste.clear();
                    s.paste_msg = None;
                }
                Err(e) => s.paste_msg = Some(e),
            },
            #[cfg(feature = "desk")]
            Action::AddItem => s.form.items.push(model::ItemRow {
                class: "jia".into(),
                ..Default::default()
            }),
            #[cfg(feature = "desk")]
            Action::RemoveItem(i) => {
                if i < s.form.items.len() {
                    s.form.items.remove(i);
                }
                if s.form.items.is_empty() {
                    s.itemised = false;
                }
            }
        }
        Rc::new(s)
    }
}

/// What the engine says about the current form.
pub struct Outcome {
    pub date: Date,
    pub date_moved: bool,
    pub result: Result<RangeEstimate, Vec<FieldMsg>>,
    pub comparison: Option<Result<Comparison, Vec<FieldMsg>>>,
    /// The resident's "not sure of the cost": the answer at a few typical totals.
    pub unsure: Vec<(Money, RangeEstimate)>,
}

pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date {
        year: d.get_full_year() as u16,
        month: d.get_month() as u8 + 1,
        day: d.get_date() as u8,
    }
}

fn engine_msgs(p: Problems) -> Vec<FieldMsg> {
    p.0.into_iter()
        .map(|p| {
            let field = match p.path.as_str() {
                "bill.total" | "bill" | "expected_cost" => "total",
                "bill.in_scope" => "in_scope",
                "patient.category" => "category",
                "referral.from_level" => "from_level",
                x => x,
            };
            FieldMsg::new(field, p.message_zh, p.message_en)
        })
        .collect()
}

pub const UNSURE_TOTALS: [i64; 4] = [5_000, 10_000, 20_000, 50_000];

/// The answer for the state; the pathway comparison only once the first frame is painted.
pub fn compute(s: &State) -> Outcome {
    let doc = &s.doc;
    let (date, date_moved) = match model::eval_date(doc, &s.form, today()) {
        Ok(d) => d,
        Err(e) => {
            return Outcome {
                date: today(),
                date_moved: false,
                result: Err(vec![e]),
                comparison: None,
                unsure: vec![],
            }
        }
    };
    let unsure_mode = s.mode == Mode::Resident && s.form.unsure;
    let first_total = Money::parse(&UNSURE_TOTALS[1].to_string()).unwrap_or_default();
    let case = model::build_case(doc, &s.form, date, unsure_mode.then_some(first_total));
    let result = match &case {
        Ok(c) => estimate_range(doc, c, date).map_err(engine_msgs),
        Err(msgs) => Err(msgs.clone()),
    };
    let mut unsure = vec![];
    if unsure_mode && result.is_ok() {
        for t in UNSURE_TOTALS {
            let m = Money::parse(&t.to_string()).unwrap_or_default();
            if let Ok(c) = model::build_case(doc, &s.form, date, Some(m)) {
                if let Ok(r) = estimate_range(doc, &c, date) {
                    unsure.push((m, r));
                }
            }
        }
    }
    let comparison = match (&result, s.painted) {
        (Ok(r), true) if !s.form.outpatient && doc.policy.levels.len() > 1 => {
            // The case the answer was estimated for.
            case.ok().map(|c| {
                let expected = r.typical.settlement.medfee_sumamt;
                compare(
                    doc,
                    &CompareRequest {
                        patient: c.patient,
                        disease: c.disease,
                        expected_cost: expected,
                        date: Some(date),
                        emergency: c.emergency,
                        ytd: c.ytd,
                    },
                    date,
                )
                .map_err(engine_msgs)
            })
        }
        _ => None,
    };
    Outcome {
        date,
        date_moved,
        result,
        comparison,
        unsure,
    }
}

/// The message for a field, if any, in the current language.
pub fn msg_for<'a>(msgs: &'a [FieldMsg], field: &str) -> Option<&'a FieldMsg> {
    msgs.iter()
        .find(|m| m.field == field || m.field.starts_with(&format!("{field}.")))
}

/// The inline message under a field: both languages, current one first.
pub fn field_msg(lang: Lang, msgs: &[FieldMsg], field: &str) -> Html {
    match msg_for(msgs, field) {
        Some(m) => html! {
            <p class="yb-err" role="alert" id={format!("err-{field}")}>
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
        let link_notice = restored.as_ref().err().map(|bad| bad.message());
        let elder = LocalStorage::raw()
            .get_item(ELDER_KEY)
            .ok()
            .flatten()
            .as_deref()
            == Some("true");
        let (doc, form, step, mode, lang) = match restored {
            Ok(Some(r)) => (r.doc, r.form, 4, r.mode, r.lang),
            Ok(None) | Err(_) => {
                let start = props
                    .policy
                    .clone()
                    .or_else(|| custom.as_ref().map(|c| c.policy.meta.id.clone()))
                    .unwrap_or_else(|| model::DEFAULT_POLICY.to_string());
                let doc = policy_doc(&start, &custom)
                    .or_else(|| policy_doc(model::DEFAULT_POLICY, &None))
                    .expect("the demo policy is embedded");
                let form = Form::new(&doc);
                (doc, form, 0, props.mode, props.lang)
            }
        };
        let mut s = State {
            mode,
            lang,
            elder,
            #[cfg(feature = "desk")]
            itemised: !form.items.is_empty(),
            form,
            doc,
            custom,
            step,
            why: false,
            share: false,
            r80: false,
            search_open: false,
            search_idx: 0,
            #[cfg(feature = "desk")]
            paste: String::new(),
            #[cfg(feature = "desk")]
            paste_msg: None,
            tried: false,
            link_notice,
            painted: false,
        };
        if !cfg!(feature = "desk") {
            s.mode = Mode::Resident;
        }
        s
    });
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    let outcome = compute(&state);

    // Keep the URL fragment in step with the form (the share link and QR code are this URL).
    let frag = model::to_fragment(&state.form, state.mode, state.lang);
    {
        let sync = props.sync_hash;
        let ok = outcome.result.is_ok();
        use_effect_with((frag.clone(), ok), move |(frag, ok)| {
            if sync && *ok {
                if let Some(w) = web_sys::window() {
                    if let Ok(h) = w.history() {
                        let _ = h.replace_state_with_url(
                            &wasm_bindgen::JsValue::NULL,
                            "",
                            Some(&format!("#{frag}")),
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
            .map(|r| event_detail(&state, r, &frag));
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
        let shown = outcome.result.is_ok() && (state.mode == Mode::Clerk || state.step >= 4);
        let state = state.clone();
        use_effect_with(shown, move |shown| {
            if !state.painted {
                after_paint(move || state.dispatch(Action::Painted));
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
        state.r80.then_some("yb-r80"),
    );
    let policy_error = props.policy_error.clone().map(|msgs| {
        html! {
            <div class="yb-banner yb-bad" role="alert">
                { for msgs.iter().take(3).map(|m| html!{ <p>{ lang.t(&m.zh, &m.en) }</p> }) }
            </div>
        }
    });
    let link_notice = state.link_notice.as_ref().map(|m| {
        html! {
            <div class="yb-banner yb-bad" role="alert" id="yb-link-notice">
                <p>{ lang.t(&m.zh, &m.en) }</p>
            </div>
        }
    });
    let ctx = Ctx {
        s: &state,
        d: dispatch,
        o: &outcome,
        frag: &frag,
        asset_base: &props.asset_base,
        hand_over: props.hand_over.as_ref(),
    };
    html! {
        <div class={root_class} lang={lang.code()}>
            { parts::topbar(&ctx) }
            { policy_error.unwrap_or_default() }
            { link_notice.unwrap_or_default() }
            {
                match state.mode {
                    #[cfg(feature = "desk")]
                    Mode::Clerk => clerk::view(&ctx),
                    _ => resident::view(&ctx),
                }
            }
        </div>
    }
}

/// What every view function gets.
pub struct Ctx<'a> {
    pub s: &'a State,
    pub d: Callback<Action>,
    pub o: &'a Outcome,
    pub frag: &'a str,
    pub asset_base: &'a str,
    pub hand_over: Option<&'a js_sys::Function>,
}

impl Ctx<'_> {
    pub fn t<'b>(&self, zh: &'b str, en: &'b str) -> &'b str {
        self.s.lang.t(zh, en)
    }
    pub fn send(&self, a: impl Fn() -> Action + 'static) -> Callback<MouseEvent> {
        let d = self.d.clone();
        Callback::from(move |_| d.emit(a()))
    }
    /// A form field's event handler: `read` takes the value from the event's element, `set`
    /// puts it into the form.
    fn edit<E: 'static, T: Clone + 'static>(
        &self,
        read: fn(&E) -> T,
        set: fn(&mut Form, T),
    ) -> Callback<E> {
        let d = self.d.clone();
        Callback::from(move |e: E| {
            let v = read(&e);
            d.emit(Action::Edit(Rc::new(move |f| set(f, v.clone()))));
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
    pub fn msgs(&self) -> &[FieldMsg] {
        match &self.o.result {
            Err(m) => m,
            Ok(_) => &[],
        }
    }
    pub fn share_url(&self) -> String {
        let href = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let base = href.split('#').next().unwrap_or_default().to_string();
        // Embedded in another site, the link opens the widget's own page.
        let page = if self.asset_base.is_empty() || base.starts_with(self.asset_base) {
            base
        } else {
            format!("{}index.html", self.asset_base)
        };
        format!("{page}#{}", self.frag)
    }
}

/// `frag` is the form's URL fragment, already made for this render.
fn event_detail(s: &State, r: &RangeEstimate, frag: &str) -> String {
    use yibao_core::json::quote;
    let st = &r.typical.settlement;
    let q = |m: Money| quote(&m.to_string());
    let setl: Vec<String> = yibao_core::estimate::FIELDS
        .iter()
        .map(|(k, _)| format!("{}:{}", quote(k), q(st.get(k).unwrap_or_default())))
        .collect();
    let rc = &r.typical.receipt;
    let elig = match r.typical.referral.eligibility {
        Eligibility::Allowed => "allowed",
        Eligibility::Penalised => "penalised",
        Eligibility::NotReimbursed => "not_reimbursed",
    };
    format!(
        "{{\"mode\":{},\"policy\":{},\"exact\":{},\"patientPays\":{{\"low\":{},\"typical\":{},\"high\":{}}},\"settlement\":{{{}}},\"actualRatio\":{},\"referral\":{},\"receipt\":{{\"engine\":{},\"policy_id\":{},\"policy_sha256\":{},\"evaluated_at\":{}}},\"fragment\":{}}}",
        quote(s.mode.code()),
        quote(&s.doc.policy.meta.id),
        r.exact,
        q(r.low.settlement.psn_part_amt),
        q(st.psn_part_amt),
        q(r.high.settlement.psn_part_amt),
        setl.join(","),
        quote(&r.typical.actual_ratio.to_string()),
        quote(elig),
        quote(&rc.engine),
        quote(&rc.policy_id),
        quote(&rc.policy_sha256),
        quote(&rc.evaluated_at.to_string()),
        quote(frag),
    )
}
