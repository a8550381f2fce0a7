//! The widget's state, the actions that change it and the reducer, as plain data and a plain
//! function (yew's todomvc shape): the UI only sends an [`Action`] and draws the [`State`] it gets
//! back, so that every transition is unit-tested here on the host. Nothing here touches the
//! browser: the 长辈版 choice is saved by the UI's effect on `State::elder`, fetches and timers
//! are the UI's effects, which send their result back as an action.

use super::{
    add_fetched, from_fragment, policy_not_loaded, shipped, BadLink, FieldMsg, Form, Lang, Mode,
    Shipped, YtdAmount, DEFAULT_POLICY,
};
#[cfg(feature = "desk")]
use super::{parse_pasted, ItemRow};
use std::rc::Rc;
use yibao_core::policy::{Level, Policy};
use yibao_core::PolicyDoc;

/// The resident flow's screens: four questions, then the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    About,
    Condition,
    Facility,
    Cost,
    Answer,
}

impl Step {
    pub const QUESTIONS: usize = 4;

    /// 0 for the first question.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn next(self) -> Step {
        match self {
            Step::About => Step::Condition,
            Step::Condition => Step::Facility,
            Step::Facility => Step::Cost,
            Step::Cost | Step::Answer => Step::Answer,
        }
    }

    pub fn back(self) -> Step {
        match self {
            Step::About | Step::Condition => Step::About,
            Step::Facility => Step::Condition,
            Step::Cost => Step::Facility,
            Step::Answer => Step::Cost,
        }
    }

    /// The form fields this step asks for: its "next" waits until they are valid.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Step::About => &[
                "age",
                "category",
                "policy",
                "account",
                "family_account",
                "continuous_years",
                "claim_free_years",
            ],
            Step::Condition => &["disease"],
            Step::Facility => &["level", "from_level", "slip_date"],
            Step::Cost => &["total", "in_scope", "date"],
            Step::Answer => &[],
        }
    }
}

/// The levels a resident can choose for this visit: where the policy pays a stay, or, for a
/// clinic visit, where one of its outpatient routes pays.
pub fn levels_for(policy: &Policy, visit: bool) -> Vec<&Level> {
    policy
        .levels_by_rank()
        .into_iter()
        .filter(|l| {
            if visit {
                policy
                    .outpatient
                    .iter()
                    .any(|r| r.rates.contains_key(&l.id))
            } else {
                policy.has_inpatient(&l.id)
            }
        })
        .collect()
}

/// A shipped policy this module does not embed, being fetched.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingPolicy {
    pub id: String,
    /// The file to fetch (`yibao_shipped::json_file`).
    pub file: String,
    /// The share link to restore once it has arrived.
    pub fragment: Option<String>,
}

#[derive(Clone)]
pub struct State {
    pub mode: Mode,
    pub lang: Lang,
    /// 长辈版: large text (saved by the UI's effect on this field).
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
    /// A shipped policy this module does not embed, being fetched (`Shipped::Fetch`): chosen
    /// from the menu, or named by the share link or the host. Until it arrives the page says so
    /// and shows no estimate (never another region's figures).
    pub pending_policy: Option<PendingPolicy>,
}

/// A part of one line of the desk's itemised bill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemPart {
    Name,
    Class,
    Amount,
    Limit,
}

/// One change to the form, as typed or clicked: data, so that an action can be compared,
/// logged and tested.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Date(String),
    Outpatient(bool),
    Category(String),
    Age(String),
    Pregnant(bool),
    Disability(bool),
    Emergency(bool),
    Level(String),
    FromLevel(String),
    Slip(bool),
    SlipDate(String),
    Filing(bool),
    FilingKind(String),
    Total(String),
    /// A common amount's chip: the amount, and "not sure" off.
    TotalChip(String),
    InScope(String),
    Unsure(bool),
    YtdAdmissions(String),
    YtdHifp(String),
    Account(String),
    FamilyAccount(String),
    ContinuousYears(String),
    ClaimFreeYears(String),
    /// One of a layer's year-to-date amounts (layer id, which, value).
    LayerYtd(String, YtdAmount, String),
    /// One part of line item `n`.
    Item(usize, ItemPart, String),
    /// Text typed in the disease box: the diagnosis chosen before is let go.
    Query(String),
    /// The disease box's × : no text, no diagnosis.
    ClearDisease,
}

impl Edit {
    fn apply(self, f: &mut Form) {
        match self {
            Edit::Date(v) => f.date = v,
            Edit::Outpatient(v) => f.outpatient = v,
            Edit::Category(v) => f.category = v,
            Edit::Age(v) => f.age = v,
            Edit::Pregnant(v) => f.pregnant = v,
            Edit::Disability(v) => f.disability = v,
            Edit::Emergency(v) => f.emergency = v,
            Edit::Level(v) => f.level = v,
            Edit::FromLevel(v) => f.from_level = v,
            Edit::Slip(v) => f.slip = v,
            Edit::SlipDate(v) => f.slip_date = v,
            Edit::Filing(v) => f.filing = v,
            Edit::FilingKind(v) => f.filing_kind = v,
            Edit::Total(v) => f.total = v,
            Edit::TotalChip(v) => {
                f.total = v;
                f.unsure = false;
            }
            Edit::InScope(v) => f.in_scope = v,
            Edit::Unsure(v) => f.unsure = v,
            Edit::YtdAdmissions(v) => f.ytd_admissions = v,
            Edit::YtdHifp(v) => f.ytd_hifp = v,
            Edit::Account(v) => f.account = v,
            Edit::FamilyAccount(v) => f.family_account = v,
            Edit::ContinuousYears(v) => f.continuous_years = v,
            Edit::ClaimFreeYears(v) => f.claim_free_years = v,
            Edit::LayerYtd(id, which, v) => f.set_layer_ytd(&id, which, v),
            Edit::Item(i, part, v) => {
                if let Some(row) = f.items.get_mut(i) {
                    match part {
                        ItemPart::Name => row.name = v,
                        ItemPart::Class => row.class = v,
                        ItemPart::Amount => row.amount = v,
                        ItemPart::Limit => row.limit = v,
                    }
                }
            }
            Edit::Query(v) => {
                f.query = v;
                f.disease.clear();
            }
            Edit::ClearDisease => {
                f.query.clear();
                f.disease.clear();
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Edit(Edit),
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
    /// The national diagnosis list arrived (or failed): the search runs again.
    NationalIndex,
    ToggleWhy,
    ToggleShare,
    #[cfg(feature = "desk")]
    Receipt80mm(bool),
    Search {
        open: bool,
        highlight: usize,
    },
    /// A search hit picked: its code, and its name in the box (a national code has no
    /// catalogue row to take the name from).
    PickDisease {
        code: String,
        name: String,
    },
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
pub fn policy_doc(id: &str, custom: &Option<Rc<PolicyDoc>>) -> Option<Rc<PolicyDoc>> {
    if let Some(own) = custom.as_ref().filter(|own| own.policy.meta.id == id) {
        return Some(own.clone());
    }
    match shipped(id) {
        Shipped::Ready(doc) => Some(doc),
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
    match shipped(id) {
        Shipped::Fetch(file) => Some(PendingPolicy {
            id: id.to_string(),
            file,
            fragment,
        }),
        _ => None,
    }
}

/// What the widget starts from: the host's attributes and what the page remembers.
pub struct Start {
    /// The share link (URL fragment) to restore, if any.
    pub fragment: String,
    /// The host's policy id.
    pub policy: Option<String>,
    pub custom: Option<Rc<PolicyDoc>>,
    pub mode: Mode,
    pub lang: Lang,
    /// 长辈版, as saved.
    pub elder: bool,
}

impl State {
    /// The first state: the share link's when it can be read, else the host's policy (or the
    /// custom one, or the default) with an empty form.
    pub fn start(start: Start) -> State {
        let Start {
            fragment,
            policy,
            custom,
            mode,
            lang,
            elder,
        } = start;
        // A share link names its policy: read that one only (each read is tens of ms on a phone).
        let restored = from_fragment(&fragment, |id| policy_doc(id, &custom));
        // A link to a shipped policy this module fetches: restored once it has arrived.
        let mut pending_policy = match &restored {
            Err(BadLink::UnknownPolicy(id)) => to_fetch(id, &custom, Some(fragment.clone())),
            _ => None,
        };
        let link_notice = restored
            .as_ref()
            .err()
            .filter(|_| pending_policy.is_none())
            .map(|bad| bad.message());
        let (doc, form, step, mode, lang) = match restored {
            Ok(Some(r)) => (r.doc, r.form, Step::Answer, r.mode, r.lang),
            Ok(None) | Err(_) => {
                let start = policy
                    .or_else(|| custom.as_ref().map(|own| own.policy.meta.id.clone()))
                    .unwrap_or_else(|| DEFAULT_POLICY.to_string());
                // Read once (a policy's read is most of a phone's start); fetched when this
                // module does not have it.
                let doc = policy_doc(&start, &custom);
                if doc.is_none() && pending_policy.is_none() {
                    pending_policy = to_fetch(&start, &custom, None);
                }
                let doc = doc
                    .or_else(|| policy_doc(DEFAULT_POLICY, &None))
                    .expect("the demo policy is embedded");
                let form = Form::new(&doc);
                (doc, form, Step::About, mode, lang)
            }
        };
        State {
            mode: if cfg!(feature = "desk") {
                mode
            } else {
                Mode::Resident
            },
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
        }
    }

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

/// The state after `action`. The same `Rc` back when nothing changes (a policy that arrives
/// after another was chosen).
pub fn reduce(state: Rc<State>, action: Action) -> Rc<State> {
    let mut next = (*state).clone();
    match action {
        Action::Edit(edit) => {
            edit.apply(&mut next.form);
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
                return state; // another choice came since
            };
            let doc = text
                .ok_or_else(|| policy_not_loaded(&id))
                .and_then(|t| add_fetched(&id, &t));
            match (doc, pending.fragment) {
                (Err(msg), _) => next.link_notice = Some(msg),
                (Ok(doc), None) => next.switch_policy(doc),
                (Ok(doc), Some(fragment)) => {
                    match from_fragment(&fragment, |_| Some(doc.clone())) {
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
        // Nothing of the state changes; the new render searches the list that arrived.
        Action::NationalIndex => {}
        Action::Mode(mode) => {
            next.mode = mode;
            next.show_share = false;
        }
        Action::Elder(on) => next.elder = on,
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
            let fits = levels_for(&next.doc.policy, visit);
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
        Action::PickDisease { code, name } => {
            next.form.disease = code;
            next.form.query = name;
            next.search_open = false;
            next.search_highlight = 0;
            next.tried_next = false;
            next.link_notice = None;
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
        Action::ApplyPaste => match parse_pasted(&next.paste) {
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
        Action::AddItem => next.form.items.push(ItemRow {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{to_fragment, POLICIES};

    fn start(fragment: &str) -> Rc<State> {
        Rc::new(State::start(Start {
            fragment: fragment.to_string(),
            policy: None,
            custom: None,
            mode: Mode::Resident,
            lang: Lang::Zh,
            elder: false,
        }))
    }

    fn doc(id: &str) -> Rc<PolicyDoc> {
        policy_doc(id, &None).expect("a shipped policy")
    }

    #[test]
    fn without_a_link_the_default_policy_at_the_first_question() {
        let s = start("");
        assert_eq!(s.doc.policy.meta.id, DEFAULT_POLICY);
        assert_eq!(s.step, Step::About);
        assert_eq!(s.form, Form::new(&s.doc));
        assert!(s.link_notice.is_none() && s.pending_policy.is_none() && !s.painted);
    }

    #[test]
    fn a_share_link_opens_at_its_answer_and_a_broken_one_says_so() {
        let mut form = Form::new(&doc(DEFAULT_POLICY));
        form.total = "20000".into();
        form.age = "70".into();
        let s = start(&to_fragment(&form, Mode::Resident, Lang::En));
        assert_eq!((s.step, s.lang), (Step::Answer, Lang::En));
        assert_eq!(
            (s.form.total.as_str(), s.form.age.as_str()),
            ("20000", "70")
        );
        assert!(s.link_notice.is_none());

        let s = start("v=1&p=no-such%2Fcounty-2024&t=100");
        assert_eq!(s.step, Step::About);
        assert_eq!(s.doc.policy.meta.id, DEFAULT_POLICY);
        assert_eq!(s.form, Form::new(&s.doc));
        assert!(
            s.link_notice.is_some(),
            "an unreadable link is said, not dropped"
        );
    }

    #[test]
    fn an_edit_changes_its_field_and_clears_the_notices() {
        let mut s = (*start("")).clone();
        s.tried_next = true;
        s.link_notice = Some(FieldMsg::new("link", "坏", "bad"));
        let s = reduce(Rc::new(s), Action::Edit(Edit::Age("70".into())));
        assert_eq!(s.form.age, "70");
        assert!(!s.tried_next && s.link_notice.is_none());
        let s = reduce(s, Action::Edit(Edit::Unsure(true)));
        assert!(s.form.unsure);
        let s = reduce(s, Action::Edit(Edit::TotalChip("5000".into())));
        assert_eq!((s.form.total.as_str(), s.form.unsure), ("5000", false));
        let s = reduce(
            s,
            Action::Edit(Edit::LayerYtd("l".into(), YtdAmount::Paid, "9".into())),
        );
        assert_eq!(
            s.form.ytd_layers.get("l"),
            Some(&(String::new(), "9".to_string()))
        );
        // A line that is not there (removed meanwhile) is not made up.
        let s = reduce(s, Action::Edit(Edit::Item(3, ItemPart::Name, "x".into())));
        assert!(s.form.items.is_empty());
    }

    #[test]
    fn typing_lets_a_diagnosis_go_and_a_pick_closes_the_list() {
        let s = start("");
        let catalogue = s
            .doc
            .policy
            .catalogue
            .as_ref()
            .expect("the default policy has a catalogue");
        let code = catalogue.diseases.first().expect("a disease").code.clone();
        let s = reduce(
            s,
            Action::Search {
                open: true,
                highlight: 2,
            },
        );
        let s = reduce(
            s,
            Action::PickDisease {
                code: code.clone(),
                name: "肺炎".into(),
            },
        );
        assert_eq!(
            (s.form.disease.as_str(), s.form.query.as_str()),
            (code.as_str(), "肺炎")
        );
        assert!(!s.search_open);
        assert_eq!(s.search_highlight, 0);
        let s = reduce(s, Action::Edit(Edit::Query("肺".into())));
        assert_eq!((s.form.disease.as_str(), s.form.query.as_str()), ("", "肺"));
        let s = reduce(s, Action::Edit(Edit::ClearDisease));
        assert!(s.form.query.is_empty() && s.form.disease.is_empty());
    }

    #[test]
    fn another_policy_keeps_what_still_means_something() {
        let s = start("");
        let s = reduce(s, Action::Edit(Edit::Age("66".into())));
        let s = reduce(s, Action::Edit(Edit::Total("30000".into())));
        let s = reduce(s, Action::Edit(Edit::Category("no-such-group".into())));
        let other = POLICIES
            .iter()
            .find(|p| p.id != DEFAULT_POLICY)
            .expect("more than one policy")
            .id;
        let s = reduce(s, Action::Policy(other.to_string()));
        assert_eq!(s.doc.policy.meta.id, other);
        assert_eq!(s.form.policy, other);
        assert_eq!(
            (s.form.age.as_str(), s.form.total.as_str()),
            ("66", "30000")
        );
        // A group the new policy does not have gives way to its first.
        assert_eq!(s.form.category, Form::new(&s.doc).category);
        assert!(s.pending_policy.is_none());
    }

    #[test]
    fn a_clinic_visit_moves_to_a_level_that_pays_one() {
        let mut moved = 0;
        for p in POLICIES {
            let s = Rc::new(State {
                step: Step::About,
                ..(*start("")).clone()
            });
            let s = reduce(s, Action::Policy(p.id.to_string()));
            let before = s.form.level.clone();
            let fits: Vec<String> = levels_for(&s.doc.policy, true)
                .iter()
                .map(|l| l.id.clone())
                .collect();
            let s = reduce(s, Action::Setting(true));
            assert!(s.form.outpatient);
            if fits.contains(&before) || fits.is_empty() {
                assert_eq!(s.form.level, before, "{}", p.id);
            } else {
                assert_eq!(s.form.level, fits[0], "{}", p.id);
                moved += 1;
            }
        }
        assert!(moved > 0, "no shipped policy exercises the move");
    }

    #[test]
    fn going_to_a_step_closes_what_was_open() {
        let s = start("");
        let s = reduce(s, Action::TriedNext);
        let s = reduce(s, Action::ToggleWhy);
        let s = reduce(s, Action::ToggleShare);
        assert!(s.tried_next && s.show_why && s.show_share);
        let s = reduce(s, Action::GoTo(Step::Cost));
        assert_eq!(s.step, Step::Cost);
        assert!(!s.tried_next && !s.show_why && !s.show_share);
        let s = reduce(s, Action::Elder(true));
        assert!(s.elder);
        assert_eq!(s.step, Step::Cost);
    }

    #[test]
    fn a_fetched_policy_is_used_only_if_it_is_the_one_awaited() {
        let p = &POLICIES[1];
        let pending = |fragment| PendingPolicy {
            id: p.id.to_string(),
            file: "policy.json".into(),
            fragment,
        };
        let waiting = Rc::new(State {
            pending_policy: Some(pending(None)),
            ..(*start("")).clone()
        });
        // Another choice came since: nothing changes.
        let same = reduce(
            waiting.clone(),
            Action::PolicyArrived("other/x".into(), None),
        );
        assert!(Rc::ptr_eq(&same, &waiting));
        // Not fetched: said, and the form stays on the policy it had.
        let failed = reduce(waiting.clone(), Action::PolicyArrived(p.id.into(), None));
        assert!(failed.pending_policy.is_none());
        assert_eq!(failed.link_notice, Some(policy_not_loaded(p.id)));
        assert_eq!(failed.doc.policy.meta.id, DEFAULT_POLICY);
        // Arrived: the form moves to it.
        let text = p.json.expect("embedded on the host").to_string();
        let arrived = reduce(
            waiting,
            Action::PolicyArrived(p.id.into(), Some(text.clone())),
        );
        assert_eq!(arrived.doc.policy.meta.id, p.id);
        assert_eq!(arrived.form.policy, p.id);
        assert_eq!(arrived.step, Step::About);
        // Named by a share link: the link's answer once it has arrived.
        let mut form = Form::new(&doc(p.id));
        form.total = "12345".into();
        let link = Rc::new(State {
            pending_policy: Some(pending(Some(to_fragment(&form, Mode::Resident, Lang::En)))),
            ..(*start("")).clone()
        });
        let s = reduce(link, Action::PolicyArrived(p.id.into(), Some(text)));
        assert_eq!((s.step, s.lang), (Step::Answer, Lang::En));
        assert_eq!(s.form.total, "12345");
    }

    #[cfg(feature = "desk")]
    #[test]
    fn the_desk_bill_paste_and_next_patient() {
        let s = start("");
        let s = reduce(s, Action::Itemised(true));
        assert!(s.itemised);
        assert_eq!(s.form.items, vec![ItemRow::default()]);
        let s = reduce(s, Action::Paste("挂号\t5\n".into()));
        let s = reduce(s, Action::ApplyPaste);
        // The blank row gave way to the pasted one.
        assert_eq!(s.form.items.len(), 1);
        assert_eq!(
            (
                s.form.items[0].name.as_str(),
                s.form.items[0].amount.as_str()
            ),
            ("挂号", "5")
        );
        assert!(s.paste.is_empty() && s.paste_msg.is_none());
        let s = reduce(s, Action::Paste("a\tb\tc\td\te\tf\n".into()));
        let bad = reduce(s.clone(), Action::ApplyPaste);
        assert!(bad.paste_msg.is_some());
        assert_eq!(bad.form.items, s.form.items, "a bad paste adds nothing");
        let s = reduce(s, Action::AddItem);
        assert_eq!(s.form.items[1].class, "jia");
        let s = reduce(
            s,
            Action::Edit(Edit::Item(1, ItemPart::Amount, "80".into())),
        );
        assert_eq!(s.form.items[1].amount, "80");
        let s = reduce(s, Action::RemoveItem(0));
        let s = reduce(s, Action::RemoveItem(0));
        assert!(s.form.items.is_empty() && !s.itemised);
        let s = reduce(s, Action::Edit(Edit::Age("50".into())));
        let s = reduce(s, Action::Policy(POLICIES[2].id.into()));
        let s = reduce(s, Action::NextPatient);
        assert_eq!(s.form, Form::new(&s.doc));
        assert_eq!(s.doc.policy.meta.id, POLICIES[2].id, "the policy is kept");
    }
}
