//! Worked examples beside each policy (`<policy>.cases.toml`): inputs and the published
//! expected amounts as exact strings. Running them is how a policy file proves itself.

use crate::case::Case;
use crate::date::Date;
use crate::error::Problems;
use crate::estimate::{estimate, Estimate};
use crate::money::Money;
use crate::policy::PolicyDoc;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaseFile {
    pub cases: Vec<WorkedCase>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkedCase {
    pub id: String,
    pub title: String,
    /// Where the expected figures were published, when they were.
    #[serde(default)]
    pub published: Option<String>,
    /// Why a published figure cannot be reproduced; the case then must *not* match.
    #[serde(default)]
    pub discrepancy: Option<String>,
    pub input: Case,
    /// Settlement keys (`hifp_pay` …), `route`, `eligibility`, `actual_ratio`, or `error` (a problem code).
    pub expect: BTreeMap<String, String>,
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
                (Some(actual), Ok(want)) if actual == want => {}
                (Some(actual), _) => miss(field, expected, actual.to_string()),
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
