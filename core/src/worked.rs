//! Worked examples beside each policy (`<policy>.cases.toml`): inputs and the published
//! expected amounts as exact strings. Running them is how a policy file proves itself.

use crate::case::Case;
use crate::date::Date;
use crate::error::{Code, Problem, Problems};
use crate::estimate::{estimate, Estimate};
use crate::money::Money;
use crate::policy::PolicyDoc;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaseFile {
    /// The policy these cases check, when it is not the one beside the file (`x.cases.toml`
    /// checks `x.toml`): a policy id (`meta.id`), of a policy read in the same run or a shipped
    /// one, or a path relative to this file, ending in `.toml` or `.json`.
    #[serde(default)]
    pub policy: Option<String>,
    pub cases: Vec<WorkedCase>,
}

/// Which policy a cases file checks: see [`CaseFile::policy`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// The policy file beside it, of the same name without `.cases`.
    Beside,
    /// A policy by its `meta.id`.
    Id(&'a str),
    /// A policy file by its path relative to the cases file.
    Path(&'a str),
}

impl CaseFile {
    pub fn target(&self) -> Target<'_> {
        match self.policy.as_deref().map(str::trim) {
            None => Target::Beside,
            Some(p) if is_path(p) => Target::Path(p),
            Some(id) => Target::Id(id),
        }
    }
}

/// A policy given by file name rather than by id.
fn is_path(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.ends_with(".toml") || s.ends_with(".json")
}

/// `x.toml` for the cases file `x.cases.toml` (None for a name without `.cases.toml`).
pub fn beside(cases_path: &str) -> Option<String> {
    cases_path
        .strip_suffix(".cases.toml")
        .map(|stem| format!("{stem}.toml"))
}

/// The policy of `docs` whose id is `id`.
pub fn by_id<'a>(id: &str, docs: impl IntoIterator<Item = &'a PolicyDoc>) -> Option<&'a PolicyDoc> {
    docs.into_iter().find(|d| d.policy.meta.id == id)
}

/// The problem of a cases file whose policy cannot be found, at its `policy` key (at the top of
/// the file when it names none and none is beside it).
pub fn policy_not_found(target: Target) -> Problem {
    let (path, zh, en) = match target {
        Target::Beside => (
            "",
            "案例文件旁没有同名的政策文件,文件中也没有用 \"policy = …\" 指明所检验的政策".to_string(),
            "no policy file of the same name is beside this cases file, and it names none with `policy = …`".to_string(),
        ),
        Target::Id(id) => {
            let q = crate::error::quoted(id);
            (
                "policy",
                format!("找不到编号为 {q} 的政策:本次读到的政策和内置政策中都没有"),
                format!("no policy has the id {q}: neither one read in this run nor a shipped one"),
            )
        }
        Target::Path(p) => {
            let q = crate::error::quoted(p);
            (
                "policy",
                format!("案例文件所指的政策文件 {q} 不存在(路径相对于案例文件所在目录)"),
                format!("the policy file {q} does not exist (the path is relative to the cases file)"),
            )
        }
    };
    Problem::new(Code::UnknownPolicy, path, zh, en)
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkedCase {
    pub id: String,
    pub title: String,
    /// Present when the expected figures are a source's own, published worked example, taken
    /// verbatim; absent, the case is *constructed* (the authors' own arithmetic on the rules they
    /// encoded, which cannot catch a wrong parameter). Counted apart by `yibao test`.
    #[serde(default)]
    pub published: Option<Published>,
    /// Why a published figure cannot be reproduced; the case then must *not* match.
    #[serde(default)]
    pub discrepancy: Option<String>,
    pub input: Case,
    /// Settlement keys (`hifp_pay` …), `route`, `eligibility`, `actual_ratio`, or `error` (a problem code).
    pub expect: BTreeMap<String, String>,
}

/// Where a published case's figures come from. Both parts are required: a published case
/// without its source is refused when the cases file is read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// The source: an id of the policy's `[[sources]]`, a URL (`https://…`) or a document's
    /// title in 《》. [`check`] fails a case whose source is none of these.
    pub source: Said,
    /// Where in the source the figures are, with the figures as the source gives them.
    pub quote: Said,
}

impl Published {
    /// A one-line note naming where the figures were published (the office's form), as both
    /// the source and the quote; `None` when blank.
    pub fn from_note(note: &str) -> Option<Published> {
        let note = note.trim();
        (!note.is_empty()).then(|| Published {
            source: Said(note.to_string()),
            quote: Said(note.to_string()),
        })
    }

    /// Whether `source` names something a reader can find: one of the policy's sources, a URL
    /// or a document title.
    pub fn resolves(&self, doc: &PolicyDoc) -> bool {
        let s = self.source.0.trim();
        doc.policy.source(s).is_some()
            || s.contains("://")
            || (s.contains('《') && s.contains('》'))
    }
}

/// Text that says something: blank text is refused when read (`invalid_value`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Said(pub String);

impl<'de> Deserialize<'de> for Said {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim().is_empty() {
            let fault = crate::error::Fault::new(
                Code::InvalidValue,
                "公布算例须注明来源和数字所在的原文,不能为空",
                "a published case must name its source and quote where its figures are; this is blank",
            );
            return Err(fault.neutral("?").into_de());
        }
        Ok(Said(s))
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    pub field: String,
    pub expected: String,
    pub actual: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail {
        mismatches: Vec<Mismatch>,
    },
    /// A documented discrepancy that still differs, as documented.
    KnownDiscrepancy {
        mismatches: Vec<Mismatch>,
    },
    /// A documented discrepancy now matches: the note (or the engine) needs another look.
    DiscrepancyResolved,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        matches!(self, Outcome::Pass | Outcome::KnownDiscrepancy { .. })
    }
}

pub fn check(doc: &PolicyDoc, wc: &WorkedCase, today: Date) -> Outcome {
    // A published case must say where its figures are; a discrepancy note cannot excuse that.
    if let Some(p) = wc.published.as_ref().filter(|p| !p.resolves(doc)) {
        let mismatches = vec![Mismatch {
            field: "published.source".into(),
            expected: "a source id of the policy, a URL or 《document》".into(),
            actual: p.source.to_string(),
        }];
        return Outcome::Fail { mismatches };
    }
    let result = estimate(doc, &wc.input, today);
    let mismatches = compare(&wc.expect, &result);
    match (&wc.discrepancy, mismatches.is_empty()) {
        (None, true) => Outcome::Pass,
        (None, false) => Outcome::Fail { mismatches },
        (Some(_), true) => Outcome::DiscrepancyResolved,
        (Some(_), false) => Outcome::KnownDiscrepancy { mismatches },
    }
}

fn compare(
    expect: &BTreeMap<String, String>,
    result: &Result<Estimate, Problems>,
) -> Vec<Mismatch> {
    let mut out = vec![];
    let mut miss = |field: &str, expected: &str, actual: String| {
        out.push(Mismatch {
            field: field.into(),
            expected: expected.into(),
            actual,
        });
    };
    for (field, expected) in expect {
        match (field.as_str(), result) {
            ("error", _) if crate::error::Code::from_name(expected).is_none() => miss(
                field,
                expected,
                "no such problem code (see error::Code)".into(),
            ),
            ("error", Err(ps)) => {
                if !ps.0.iter().any(|p| p.code.as_str() == expected) {
                    miss(
                        field,
                        expected,
                        ps.0.iter()
                            .map(|p| p.code.as_str())
                            .collect::<Vec<_>>()
                            .join(","),
                    );
                }
            }
            ("error", Ok(_)) => miss(field, expected, "no error".into()),
            (_, Err(ps)) => miss(field, expected, format!("error: {ps}")),
            ("route", Ok(e)) => {
                if &e.route != expected {
                    miss(field, expected, e.route.clone())
                }
            }
            ("eligibility", Ok(e)) => {
                let actual = serde_plain(&e.referral.eligibility);
                if &actual != expected {
                    miss(field, expected, actual)
                }
            }
            ("actual_ratio", Ok(e)) => {
                let actual = e.actual_ratio.to_string();
                if crate::money::Rate::parse(expected).ok() != Some(e.actual_ratio) {
                    miss(field, expected, actual)
                }
            }
            (key, Ok(e)) => match (e.settlement.get(key), Money::parse(expected)) {
                // An amount or a ratio (`pool_prop_selfpay`), compared as exact decimals.
                (Some(actual), Ok(want)) if actual.value() == want.0 => {}
                (Some(actual), _) => miss(field, expected, actual.to_string()),
                (None, _) if crate::estimate::Field::of(key).is_some() => {
                    miss(field, expected, "absent".into())
                }
                (None, _) => miss(field, expected, "unknown field".into()),
            },
        }
    }
    out
}

fn serde_plain(e: &crate::referral::Eligibility) -> String {
    match e {
        crate::referral::Eligibility::Allowed => "allowed",
        crate::referral::Eligibility::Penalised => "penalised",
        crate::referral::Eligibility::NotReimbursed => "not_reimbursed",
    }
    .into()
}
