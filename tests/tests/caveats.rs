//! What an estimate leaves out reaches the answer: every `[[not_encoded]]` entry of every shipped
//! policy appears on an estimate whose case meets its conditions, and not on one that does not;
//! every employee policy either pays 大额 above the basic cap or says it does not; no shipped
//! policy leaves a common rule out without a word.

mod common;

use common::{all_shipped, day, money, shipped};
use yibao_core::case::{Bill, Patient, Setting, Ytd};
use yibao_core::policy::validate::warnings;
use yibao_core::policy::{NotEncoded, OmittedRule, Policy, Scheme};
use yibao_core::{estimate, Case, PolicyDoc};

/// A case that meets an entry's conditions: its setting, level (or a level of its scopes),
/// category, admission, and a bill large enough to pass any cap.
fn case_meeting(p: &Policy, n: &NotEncoded) -> Option<Case> {
    let w = &n.when;
    let setting = w.setting.unwrap_or_default();
    let route = match setting {
        Setting::Outpatient => Some(p.outpatient.first()?),
        Setting::Inpatient => None,
    };
    let level = p
        .levels_by_rank()
        .into_iter()
        .rev()
        .filter(|l| w.levels.is_empty() || w.levels.contains(&l.id))
        .filter(|l| w.scopes.is_empty() || w.scopes.contains(&l.scope))
        .find(|l| match route {
            Some(r) => r.rates.contains_key(&l.id),
            None => p.has_inpatient(&l.id),
        })?;
    let category = w
        .categories
        .first()
        .or(p.categories.first().map(|c| &c.id))?;
    let total = if setting == Setting::Outpatient {
        money(30_000)
    } else {
        money(500_000_000)
    };
    let total = w.min_bill.map_or(total, |m| m.max(total));
    Some(Case {
        date: Some(p.meta.effective_from),
        setting,
        level: level.id.clone(),
        route: route.map(|r| r.id.clone()),
        patient: Patient {
            category: category.clone(),
            age: Some(w.ages.first().map_or(50, |r| r.from.or(r.to).unwrap_or(50))),
            ..Patient::default()
        },
        bill: Bill {
            total: Some(total),
            in_scope: Some(total),
            items: vec![],
        },
        ytd: Ytd {
            admissions: w.from_admission.map_or(0, |n| n.saturating_sub(1)),
            ..Ytd::default()
        },
        ..Case::default()
    })
}

fn carries(doc: &PolicyDoc, case: &Case, id: &str) -> bool {
    let e = estimate(doc, case, day()).unwrap_or_else(|e| panic!("{}: {e}", doc.policy.meta.id));
    e.caveats.not_encoded.iter().any(|o| o.id == id)
}

/// An outpatient entry of a policy with no outpatient route cannot reach an estimate: there,
/// a visit is refused with a coded problem instead of being given a figure.
fn visit_refused(doc: &PolicyDoc, n: &NotEncoded) -> bool {
    let p = &doc.policy;
    if n.when.setting != Some(Setting::Outpatient) || !p.outpatient.is_empty() {
        return false;
    }
    let c = Case {
        date: Some(p.meta.effective_from),
        setting: Setting::Outpatient,
        level: p.levels[0].id.clone(),
        patient: Patient {
            category: p.categories[0].id.clone(),
            ..Patient::default()
        },
        bill: Bill {
            total: Some(money(30_000)),
            ..Bill::default()
        },
        ..Case::default()
    };
    estimate(doc, &c, day()).is_err()
}

#[test]
fn every_entry_reaches_an_estimate_that_meets_its_conditions() {
    let (mut reached, mut refused, mut total) = (0, 0, 0);
    let mut missed = vec![];
    for doc in all_shipped() {
        for n in &doc.policy.not_encoded {
            total += 1;
            if visit_refused(doc, n) {
                refused += 1;
                continue;
            }
            match case_meeting(&doc.policy, n) {
                Some(c) if carries(doc, &c, &n.id) => reached += 1,
                _ => missed.push(format!("{} {}", doc.policy.meta.id, n.id)),
            }
        }
    }
    assert!(total >= 20, "only {total} entries in all shipped policies");
    assert_eq!(
        reached + refused,
        total,
        "entries no estimate carries: {missed:?}"
    );
    assert!(
        refused * 10 < total,
        "{refused} of {total} entries only refuse"
    );
}

/// The conditions cut both ways: 重庆's 大额 entry is on a retiree's 320,000 stay (the basic
/// fund's 47,000 cap binds) and not on a 10,000 one; its later-admission entry only from the
/// second admission.
#[test]
fn an_entry_is_left_off_when_its_conditions_do_not_hold() {
    let doc = shipped("chongqing/employee-2024");
    let hifob = doc
        .policy
        .not_encoded
        .iter()
        .find(|n| n.rule == OmittedRule::Hifob && n.when.above_basic_cap)
        .expect("重庆 lists its 大额 as not encoded, above the basic cap");
    let mut c = Case {
        date: Some(day()),
        level: "level3".into(),
        patient: Patient {
            category: "retired".into(),
            age: Some(70),
            ..Patient::default()
        },
        bill: Bill {
            total: Some(money(32_000_000)),
            in_scope: Some(money(30_000_000)),
            items: vec![],
        },
        ..Case::default()
    };
    let big = estimate(doc, &c, day()).unwrap();
    assert!(big.settlement.hifob_pay.is_zero());
    assert!(big.caveats.not_encoded.iter().any(|o| o.id == hifob.id));
    assert_eq!(
        big.caveats
            .not_encoded
            .iter()
            .find(|o| o.id == hifob.id)
            .map(|o| o.zh.as_str()),
        Some(hifob.zh.as_str())
    );
    c.bill.total = Some(money(1_000_000));
    c.bill.in_scope = Some(money(1_000_000));
    assert!(
        !carries(doc, &c, &hifob.id),
        "a 10,000 stay never reaches the cap"
    );

    if let Some(later) = doc
        .policy
        .not_encoded
        .iter()
        .find(|n| n.when.from_admission == Some(2))
    {
        assert!(!carries(doc, &c, &later.id));
        c.ytd.admissions = 1;
        assert!(carries(doc, &c, &later.id));
    }
}

/// Issue 27's retiree: under every employee policy a stay far above the basic cap (5,000,000: past
/// every shipped basic cap) either gets 大额 (`hifob_pay`) from a cited rule or says, beside the
/// figure, that it is not included.
#[test]
fn every_employee_policy_pays_or_names_its_large_expense_layer() {
    let mut checked = 0;
    for doc in all_shipped().filter(|d| d.policy.meta.scheme == Scheme::Employee) {
        let p = &doc.policy;
        let Some(level) = p
            .levels_by_rank()
            .into_iter()
            .rev()
            .find(|l| p.has_inpatient(&l.id))
        else {
            continue;
        };
        for cat in &p.categories {
            let c = Case {
                date: Some(p.meta.effective_from),
                level: level.id.clone(),
                patient: Patient {
                    category: cat.id.clone(),
                    age: Some(70),
                    ..Patient::default()
                },
                bill: Bill {
                    total: Some(money(500_000_000)),
                    in_scope: Some(money(500_000_000)),
                    items: vec![],
                },
                ..Case::default()
            };
            let e = estimate(doc, &c, day()).unwrap_or_else(|e| panic!("{}: {e}", p.meta.id));
            let named = e
                .caveats
                .not_encoded
                .iter()
                .any(|o| o.rule == OmittedRule::Hifob);
            assert!(
                !e.settlement.hifob_pay.is_zero() || named,
                "{} ({}): a 5,000,000 stay, no 大额 paid and none named as left out",
                p.meta.id,
                cat.id
            );
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} employee cases checked");
}

#[test]
fn no_shipped_policy_leaves_a_common_rule_out_without_a_word() {
    let silent: Vec<String> = all_shipped()
        .flat_map(|d| {
            warnings(&d.policy)
                .into_iter()
                .map(move |w| format!("{}: {}", d.policy.meta.id, w.message_en))
        })
        .collect();
    assert!(silent.is_empty(), "{silent:#?}");
}

/// The estimate's evidence is the policy's status, and every illustrative clause a step used is
/// listed once.
#[test]
fn evidence_and_illustrative_values_come_with_the_estimate() {
    let mut with_illustrative = 0;
    for doc in all_shipped() {
        let p = &doc.policy;
        let Some(n) = p.not_encoded.first() else {
            continue;
        };
        let Some(c) = case_meeting(p, n) else {
            continue;
        };
        let e = estimate(doc, &c, day()).unwrap();
        assert_eq!(e.caveats.evidence.status, p.meta.status);
        let used: Vec<_> = e.steps.iter().filter(|s| s.cite.illustrative).collect();
        for s in &used {
            assert!(
                e.caveats.illustrative.iter().any(|i| i.cite == s.cite),
                "{}: step {} is illustrative but not listed",
                p.meta.id,
                s.key
            );
        }
        with_illustrative += usize::from(!e.caveats.illustrative.is_empty());
    }
    assert!(
        with_illustrative > 0,
        "no estimate used an illustrative value"
    );
}

/// A disease or age condition leaves an entry off when the case names another disease or age,
/// and keeps it when the case names none (the rule may then be the patient's).
#[test]
fn disease_and_age_conditions_hold_unless_the_case_says_otherwise() {
    let (mut by_disease, mut by_age) = (0, 0);
    for doc in all_shipped() {
        let p = &doc.policy;
        for n in p.not_encoded.iter() {
            let Some(mut c) = case_meeting(p, n) else {
                continue;
            };
            if let Some(d) = n.when.diseases.first() {
                c.disease = None;
                assert!(
                    carries(doc, &c, &n.id),
                    "{} {}: no disease named",
                    p.meta.id,
                    n.id
                );
                let code = if d.len() == 1 {
                    format!("{d}10")
                } else {
                    d.clone()
                };
                c.disease = Some(code.clone());
                assert!(carries(doc, &c, &n.id), "{} {}: {code}", p.meta.id, n.id);
                // A code outside every listed prefix (Z99.9: dependence on machines).
                c.disease = Some("Z99.9".into());
                assert!(!carries(doc, &c, &n.id), "{} {}: Z99.9", p.meta.id, n.id);
                c.disease = None;
                by_disease += 1;
            }
            if let Some(r) = n.when.ages.first().copied() {
                c.patient.age = None;
                assert!(carries(doc, &c, &n.id));
                for end in [r.from, r.to].into_iter().flatten() {
                    c.patient.age = Some(end);
                    assert!(carries(doc, &c, &n.id), "{} {}: age {end}", p.meta.id, n.id);
                }
                let outside = (0..120).find(|a| n.when.ages.iter().all(|r| !r.contains(*a)));
                c.patient.age = outside;
                assert!(
                    outside.is_none() || !carries(doc, &c, &n.id),
                    "{} {}: age {outside:?}",
                    p.meta.id,
                    n.id
                );
                by_age += 1;
            }
        }
    }
    assert!(
        by_disease >= 1,
        "{by_disease} disease and {by_age} age conditions checked"
    );
}

/// A 低保 resident is never refused for her category: every shipped basic resident (or 新农合)
/// policy accepts 低保 and 特困 (or its older name 五保), and a 低保 estimate either pays 医疗救助
/// or says that it is not included. The standalone 大病 and 惠民保 files have no categories of
/// that kind (their insurer pays alike for everybody).
#[test]
fn an_assisted_residents_category_is_accepted_and_her_assistance_accounted_for() {
    let standalone = |id: &str| id.contains("critical-illness") || id.contains("huiminbao");
    let mut checked = 0;
    for doc in all_shipped() {
        let p = &doc.policy;
        if p.meta.scheme == Scheme::Employee || standalone(&p.meta.id) {
            continue;
        }
        let has = |id: &str| p.categories.iter().any(|c| c.id == id);
        assert!(has("dibao"), "{}: no 低保 category", p.meta.id);
        assert!(
            has("tekun") || has("wubao"),
            "{}: no 特困 / 五保 category",
            p.meta.id
        );
        // The lowest level that takes stays (a village clinic may not).
        let case = |level: &str| Case {
            level: level.into(),
            patient: Patient {
                category: "dibao".into(),
                age: Some(40),
                ..Default::default()
            },
            bill: Bill {
                total: Some(money(5_000_000)),
                ..Default::default()
            },
            date: Some(p.meta.effective_from),
            ..Default::default()
        };
        let e = p
            .levels_by_rank()
            .iter()
            .find_map(|l| estimate(doc, &case(&l.id), day()).ok())
            .unwrap_or_else(|| panic!("{}: no level takes the stay", p.meta.id));
        let pays = e.settlement.maf_pay > yibao_core::Money::ZERO;
        let says = e
            .caveats
            .not_encoded
            .iter()
            .any(|n| n.rule == OmittedRule::Maf);
        assert!(
            pays || says,
            "{}: 低保 estimate silent on 医疗救助",
            p.meta.id
        );
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} resident policies checked");
}
