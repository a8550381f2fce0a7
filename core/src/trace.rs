//! The explanation that travels with every number: steps, citations, and the receipt.

use crate::date::Date;
use crate::message::Msg;
use crate::money::Money;
/// Where the receipt's fingerprint is made: the policy's own, from the text it was read from.
pub use crate::policy::sha256_hex;
use crate::policy::{Cite, Policy};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Where a step's rule comes from, resolved from the policy's `[[sources]]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Citation {
    pub source: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_no: Option<Arc<str>>,
    pub title: Arc<str>,
    pub clause: Arc<str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<Arc<str>>,
    /// Effective date of the policy the clause belongs to.
    pub effective_from: Date,
    /// The clause's value is illustrative (示意), not a county's own rule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub illustrative: bool,
}

impl Citation {
    pub fn resolve(policy: &Policy, cite: &Cite) -> Citation {
        // Validation guarantees the source exists; fall back to the id so a trace never breaks.
        let src = policy.source(&cite.source);
        Citation {
            source: cite.source.clone(),
            doc_no: src.and_then(|s| s.doc_no.clone()),
            title: src
                .map(|s| s.title.clone())
                .unwrap_or_else(|| cite.source.clone()),
            clause: cite.clause.clone(),
            url: src.and_then(|s| s.url.clone()),
            effective_from: policy.meta.effective_from,
            illustrative: cite.illustrative,
        }
    }

    /// Short human form: 《title》(文号) clause.
    pub fn short(&self) -> String {
        match &self.doc_no {
            Some(no) => format!("《{}》({}) {}", self.title, no, self.clause),
            None => format!("《{}》 {}", self.title, self.clause),
        }
    }
}

/// One step of a calculation, in order. Its sentence is kept as a [`Msg`] and worded on demand;
/// it is serialized as a [`WordedStep`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "WordedStep"))]
pub struct Step {
    /// What the step determines, e.g. `act_pay_dedc`, `hifp_pay`, `layer:critical_illness`.
    pub key: String,
    /// The amount the step produced (unrounded, as the policy computes it).
    pub amount: Money,
    pub text: Msg,
    pub cite: Citation,
}

impl Step {
    pub fn zh(&self) -> String {
        self.text.zh()
    }
    pub fn en(&self) -> String {
        self.text.en()
    }
    pub fn word(&self, lang: crate::message::Lang) -> String {
        self.text.word(lang)
    }
}

/// A step as results carry it: both sentences worded.
#[derive(Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct WordedStep<'a> {
    /// What the step determines, e.g. `act_pay_dedc`, `hifp_pay`, `layer:critical_illness`.
    pub key: &'a str,
    /// The amount the step produced (unrounded, as the policy computes it).
    pub amount: Money,
    pub zh: String,
    pub en: String,
    pub cite: &'a Citation,
}

impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WordedStep {
            key: &self.key,
            amount: self.amount,
            zh: self.zh(),
            en: self.en(),
            cite: &self.cite,
        }
        .serialize(s)
    }
}

/// Which engine, which policy text, evaluated at which date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Receipt {
    pub engine: String,
    pub policy_id: String,
    pub policy_sha256: String,
    pub evaluated_at: Date,
}

pub const ENGINE_VERSION: &str = concat!("yibao-core ", env!("CARGO_PKG_VERSION"));

/// Collects steps while a calculation runs — or, for the settlement-only path of a replay,
/// drops them: the arithmetic is the same code either way, only the explanation is skipped.
pub struct Trace<'p> {
    pub policy: &'p Policy,
    pub steps: Vec<Step>,
    /// The caps and ceilings that bound this calculation (`hifp_pay:annual`, `layer:<id>` …),
    /// kept in both modes: a replay counts who reached each cap.
    pub limits: Vec<String>,
    record: bool,
}

impl<'p> Trace<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        // An inpatient estimate has about a dozen steps; growing the vector step by step would
        // copy them several times.
        Trace {
            policy,
            steps: Vec::with_capacity(16),
            limits: Vec::new(),
            record: true,
        }
    }
    /// A trace that keeps nothing: the settlement-only path (`estimate::settle`).
    pub fn silent(policy: &'p Policy) -> Self {
        Trace {
            policy,
            steps: Vec::new(),
            limits: Vec::new(),
            record: false,
        }
    }
    pub fn push(&mut self, key: impl Into<String>, amount: Money, cite: &Cite, text: Msg) {
        if !self.record {
            return;
        }
        let cite = Citation::resolve(self.policy, cite);
        self.push_citation(key, amount, cite, text);
    }
    /// Note that a cap or ceiling bound (`key` names it, as [`Trace::limits`] lists).
    pub fn limit(&mut self, key: impl Into<String>) {
        self.limits.push(key.into());
    }
    /// A step that rests on what the user entered (a known split, a settled amount), not a clause.
    pub fn push_input(&mut self, key: impl Into<String>, amount: Money, text: Msg) {
        if !self.record {
            return;
        }
        let cite = Citation {
            source: "input".into(),
            doc_no: None,
            title: "使用者输入 / user input".into(),
            clause: "按输入的费用明细或结算单 / as entered from the bill or settlement slip".into(),
            url: None,
            effective_from: self.policy.meta.effective_from,
            illustrative: false,
        };
        self.push_citation(key, amount, cite, text);
    }
    pub fn push_citation(
        &mut self,
        key: impl Into<String>,
        amount: Money,
        cite: Citation,
        text: Msg,
    ) {
        if !self.record {
            return;
        }
        self.steps.push(Step {
            key: key.into(),
            amount,
            text,
            cite,
        });
    }
}
