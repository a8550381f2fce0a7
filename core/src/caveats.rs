//! What an estimate leaves out, carried by every estimate next to its figures: the rules the
//! policy file could not encode that matter for *this* case (`[[not_encoded]]`), the illustrative
//! values its steps used, and how the policy's parameters were sourced (its evidence grade).
//!
//! A figure that is silently incomplete is the worst answer yibao can give: a resident plans
//! money around it. Every front end shows these beside the number; none words them itself.

use crate::case::Case;
use crate::message::Lang;
use crate::policy::{Effect, NotEncoded, OmittedRule, Policy, Status};
use crate::trace::{Citation, Step};
use serde::Serialize;

/// The caps whose binding means "the basic fund stopped paying" (`When::above_basic_cap`).
pub const BASIC_CAPS: [&str; 2] = ["hifp_pay:annual", "hifp_pay:per_admission"];

/// What an estimate does not include, and how far its policy can be trusted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Caveats {
    pub evidence: Evidence,
    /// The policy's `not_encoded` entries whose conditions hold for this case, in file order.
    pub not_encoded: Vec<Omission>,
    /// The illustrative (示意) values this estimate's steps used, once per clause.
    pub illustrative: Vec<Illustrative>,
}

/// How the policy's parameters were sourced (`meta.status`), worded in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Evidence {
    pub status: Status,
    pub zh: String,
    pub en: String,
}

/// One rule the estimate leaves out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Omission {
    pub id: String,
    pub rule: OmittedRule,
    pub effect: Effect,
    pub zh: String,
    pub en: String,
    pub cite: Citation,
}

/// An illustrative value used: the first step that used it, and its clause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Illustrative {
    /// The step's key (`act_pay_dedc`, `layer:critical_illness` …).
    pub key: String,
    pub cite: Citation,
}

impl Caveats {
    /// Whether the answer is complete as far as the file knows: nothing left out, nothing
    /// illustrative, and an official text.
    pub fn is_empty(&self) -> bool {
        self.not_encoded.is_empty()
            && self.illustrative.is_empty()
            && self.evidence.status == Status::Official
    }
}

impl Caveats {
    /// The caveats of several estimates of one case (a range's low, typical and high): every
    /// entry any of them carries, once, in the first one's order.
    pub fn merged<'a>(all: impl IntoIterator<Item = &'a Caveats>) -> Option<Caveats> {
        let mut it = all.into_iter();
        let mut out = it.next()?.clone();
        for c in it {
            for o in &c.not_encoded {
                if !out.not_encoded.iter().any(|x| x.id == o.id) {
                    out.not_encoded.push(o.clone());
                }
            }
            for i in &c.illustrative {
                if !out.illustrative.iter().any(|x| x.cite == i.cite) {
                    out.illustrative.push(i.clone());
                }
            }
        }
        Some(out)
    }
}

/// The caveats of one estimate: `limits` are the caps that bound it (the trace's `limits`),
/// `bill` its total.
pub fn for_case(
    p: &Policy,
    case: &Case,
    steps: &[Step],
    limits: &[String],
    bill: crate::money::Money,
) -> Caveats {
    let not_encoded = p
        .not_encoded
        .iter()
        .filter(|n| applies(p, n, case, limits, bill))
        .map(|n| Omission {
            id: n.id.clone(),
            rule: n.rule,
            effect: n.effect,
            zh: n.zh.clone(),
            en: n.en.clone(),
            cite: Citation::resolve(p, &n.cite),
        })
        .collect();
    let mut illustrative: Vec<Illustrative> = vec![];
    // Rounding is no step of its own, but every reported amount used it.
    if p.rounding.cite.illustrative {
        illustrative.push(Illustrative {
            key: "rounding".into(),
            cite: Citation::resolve(p, &p.rounding.cite),
        });
    }
    for s in steps.iter().filter(|s| s.cite.illustrative) {
        let seen = illustrative
            .iter()
            .any(|i| i.cite.source == s.cite.source && i.cite.clause == s.cite.clause);
        if !seen {
            illustrative.push(Illustrative {
                key: s.key.clone(),
                cite: s.cite.clone(),
            });
        }
    }
    let status = p.meta.status;
    Caveats {
        evidence: Evidence {
            status,
            zh: status.describe(Lang::Zh).into(),
            en: status.describe(Lang::En).into(),
        },
        not_encoded,
        illustrative,
    }
}

/// Whether an entry's conditions all hold for this case.
pub fn applies(
    p: &Policy,
    n: &NotEncoded,
    case: &Case,
    limits: &[String],
    bill: crate::money::Money,
) -> bool {
    let w = &n.when;
    let scope = p.level(&case.level).map(|l| l.scope);
    w.setting.is_none_or(|s| s == case.setting)
        && (w.levels.is_empty() || w.levels.contains(&case.level))
        && (w.scopes.is_empty() || scope.is_some_and(|s| w.scopes.contains(&s)))
        && (w.categories.is_empty() || w.categories.contains(&case.patient.category))
        && (!w.above_basic_cap || limits.iter().any(|l| BASIC_CAPS.contains(&l.as_str())))
        && w.min_bill.is_none_or(|m| bill >= m)
        && (w.diseases.is_empty()
            || case.disease.as_deref().is_none_or(|code| {
                w.diseases
                    .iter()
                    .any(|d| crate::policy::icd_matches(d, code))
            }))
        && (w.ages.is_empty()
            || case
                .patient
                .age
                .is_none_or(|age| w.ages.iter().any(|r| r.contains(age))))
        && w.from_admission.is_none_or(|n| {
            case.setting == crate::case::Setting::Inpatient
                && case.ytd.admissions.saturating_add(1) >= n
        })
}

#[cfg(test)]
mod tests {
    use super::applies;
    use crate::case::{Case, Patient};
    use crate::money::Money;
    use crate::policy::{AgeRange, NotEncoded, Policy, When};

    fn entry(when: When) -> NotEncoded {
        NotEncoded {
            id: "x".into(),
            when,
            ..NotEncoded::default()
        }
    }

    fn case(age: Option<u32>, disease: Option<&str>) -> Case {
        Case {
            patient: Patient {
                age,
                ..Patient::default()
            },
            disease: disease.map(str::to_owned),
            ..Case::default()
        }
    }

    /// Ages and diseases hold when the case matches them or says nothing of them.
    #[test]
    fn ages_and_diseases_hold_unless_the_case_says_otherwise() {
        let p = Policy::default();
        let n = entry(When {
            ages: vec![
                AgeRange {
                    from: Some(70),
                    to: None,
                },
                AgeRange {
                    from: None,
                    to: Some(6),
                },
            ],
            diseases: vec!["O80".into(), "C".into()],
            ..When::default()
        });
        let holds = |age, d| applies(&p, &n, &case(age, d), &[], Money::ZERO);
        for (age, d, want) in [
            (None, None, true),
            (Some(70), None, true),
            (Some(95), Some("O80.0"), true),
            (Some(6), Some("C34.9"), true),
            (Some(0), None, true),
            (Some(7), None, false),
            (Some(69), Some("O80"), false),
            (None, Some("J18.9"), false),
            (Some(72), Some("J18.9"), false),
        ] {
            assert_eq!(holds(age, d), want, "age {age:?}, disease {d:?}");
        }
    }

    /// `above_basic_cap` holds only when the trace says a basic cap bound; `from_admission`
    /// from that admission of the year on.
    #[test]
    fn the_cap_and_the_admission_conditions() {
        let p = Policy::default();
        let cap = entry(When {
            above_basic_cap: true,
            ..When::default()
        });
        let c = case(None, None);
        assert!(!applies(&p, &cap, &c, &[], Money::ZERO));
        assert!(!applies(&p, &cap, &c, &["layer:x".into()], Money::ZERO));
        assert!(applies(
            &p,
            &cap,
            &c,
            &["hifp_pay:annual".into()],
            Money::ZERO
        ));
        let later = entry(When {
            from_admission: Some(2),
            ..When::default()
        });
        let mut c = case(None, None);
        assert!(!applies(&p, &later, &c, &[], Money::ZERO));
        c.ytd.admissions = 1;
        assert!(applies(&p, &later, &c, &[], Money::ZERO));
    }
}
