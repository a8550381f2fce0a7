//! A question left blank never quietly costs the patient (issue 28, item 4): a blank age that a
//! rule of the policy reads is answered in the patient's favour, and the estimate says so with
//! what the other ages would pay.

mod common;
use common::{all_shipped, day, shipped};
use yibao_core::{estimate, Case, Money};

fn case(toml_like: &str) -> Case {
    serde_json::from_str(toml_like).unwrap()
}

fn pays(doc: &yibao_core::PolicyDoc, c: &Case) -> Money {
    estimate(doc, c, day()).unwrap().settlement.psn_part_amt
}

fn aged(c: &Case, age: u32) -> Case {
    let mut c = c.clone();
    c.patient.age = Some(age);
    c
}

/// The issue's case: the demo county, a county hospital without the township's slip. At 72 the
/// 65+ exemption spares her the 10-point penalty; at 40 it does not.
#[test]
fn a_blank_age_takes_the_exemption_and_says_what_the_others_pay() {
    let doc = common::demo();
    let c = case(r#"{"level":"county","disease":"J18.9","bill":{"total":"30000"}}"#);
    let (old, young) = (pays(doc, &aged(&c, 72)), pays(doc, &aged(&c, 40)));
    assert!(
        old < young,
        "the exemption must matter here: {old} vs {young}"
    );
    let e = estimate(doc, &c, day()).unwrap();
    assert_eq!(e.settlement.psn_part_amt, old, "blank age took the penalty");
    let [a] = &e.assumptions[..] else {
        panic!("one assumption expected: {:?}", e.assumptions)
    };
    assert_eq!(a.field, "patient.age");
    assert_eq!(a.psn_part_amt, old);
    assert!(a.taken_zh.contains("65 周岁及以上"), "{}", a.taken_zh);
    assert_eq!(a.others.len(), 1);
    assert_eq!(a.others[0].psn_part_amt, young);
    assert_eq!(a.others[0].when_zh, "7–64 周岁");
    // The sentence carries both figures, in both languages.
    for s in [&a.zh, &a.en] {
        assert!(s.contains(&young.grouped()), "{s}");
    }
    assert!(a.zh.contains("未填年龄"));
    // It cites the clause it relies on: the referral exemption for 65 and over, and no other.
    let exempt = &doc.policy.referral.as_ref().unwrap().exemptions.cite;
    assert_eq!(a.cites.len(), 1, "{:?}", a.cites);
    assert_eq!(a.cites[0].clause, exempt.clause);
    assert!(a.cites[0].clause.contains("65"), "{}", a.cites[0].clause);
    // No step says the penalty was applied.
    assert!(
        e.steps.iter().all(|s| !s.zh().contains("降低")),
        "a penalty step under a blank age"
    );
}

/// 南昌's fourth admission: 70+ and ≤6 pay no 起付线. A blank age gets the waiver, named.
#[test]
fn a_blank_age_gets_the_nth_admission_waiver() {
    let doc = shipped("jiangxi-nanchang/resident-2025");
    let c = case(r#"{"level":"level2","bill":{"total":"20000"},"ytd":{"admissions":3}}"#);
    let (old, young) = (pays(doc, &aged(&c, 75)), pays(doc, &aged(&c, 40)));
    assert!(old < young, "{old} vs {young}");
    let e = estimate(doc, &c, day()).unwrap();
    assert_eq!(e.settlement.psn_part_amt, old);
    assert_eq!(e.assumptions.len(), 1);
    assert_eq!(e.assumptions[0].others[0].psn_part_amt, young);
    // Its clause is the nth-admission rule by age.
    let rule = doc
        .policy
        .inpatient
        .deductible
        .nth_admission
        .iter()
        .find(|r| !r.ages.is_empty())
        .unwrap();
    let clauses: Vec<&str> = e.assumptions[0].cites.iter().map(|c| &*c.clause).collect();
    assert!(clauses.contains(&&*rule.cite.clause), "{clauses:?}");
    // The first admission does not depend on age: nothing assumed, nothing said.
    let first = case(r#"{"level":"level2","bill":{"total":"20000"}}"#);
    assert!(estimate(doc, &first, day()).unwrap().assumptions.is_empty());
}

#[test]
fn a_stated_age_is_never_replaced() {
    let doc = common::demo();
    let c = aged(
        &case(r#"{"level":"county","disease":"J18.9","bill":{"total":"30000"}}"#),
        40,
    );
    let e = estimate(doc, &c, day()).unwrap();
    assert!(e.assumptions.is_empty());
    assert_eq!(e.settlement.psn_part_amt, pays(doc, &c));
}

/// On every shipped policy, at every level, with and without a slip, at several bills and
/// admissions: a blank age never pays more than any stated age (0–110), and an assumption is
/// stated exactly when some age pays differently. Counts that both kinds of case occurred.
#[test]
fn a_blank_age_never_pays_more_than_any_age_on_every_policy() {
    let (mut assumed, mut plain) = (0, 0);
    for doc in all_shipped() {
        let p = &doc.policy;
        for level in p.levels.iter().map(|l| l.id.clone()) {
            for (total, admissions) in [("800", 0), ("30000", 0), ("30000", 3), ("250000", 5)] {
                let c = case(&format!(
                    r#"{{"level":"{level}","bill":{{"total":"{total}"}},"ytd":{{"admissions":{admissions}}}}}"#
                ));
                let Ok(e) = estimate(doc, &c, day()) else {
                    continue;
                };
                let blank = e.settlement.psn_part_amt;
                let by_age: Vec<Money> = (0..=110).map(|a| pays(doc, &aged(&c, a))).collect();
                let min = *by_age.iter().min().unwrap();
                let max = *by_age.iter().max().unwrap();
                assert_eq!(blank, min, "{} {level} {total}: blank pays more", p.meta.id);
                assert_eq!(
                    e.assumptions.is_empty(),
                    min == max,
                    "{} {level} {total}: {:?}",
                    p.meta.id,
                    e.assumptions
                );
                if let Some(a) = e.assumptions.first() {
                    assumed += 1;
                    // Every assumption cites the clause it relies on, resolved to its document.
                    assert!(
                        !a.cites.is_empty(),
                        "{} {level} {total}: no clause",
                        p.meta.id
                    );
                    for c in &a.cites {
                        assert!(!c.clause.trim().is_empty() && !c.title.is_empty());
                    }
                    assert_eq!(a.others.last().unwrap().psn_part_amt, max);
                } else {
                    plain += 1;
                }
            }
        }
    }
    assert!(
        assumed >= 10,
        "only {assumed} cases with a blank age that matters"
    );
    assert!(plain >= 10, "only {plain} cases where age does not matter");
}
