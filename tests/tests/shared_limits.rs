//! Outpatient limits shared between routes (`outpatient_caps`), an outpatient route paid out of
//! the inpatient annual limit (`shares_inpatient_cap`), and 起付线 rules by disease
//! (`nth_admission.diseases`): the chained year and the precedence the worked cases cannot show.

mod common;
use common::{day, demo, shipped};
use yibao_core::case::Ytd;
use yibao_core::input::from_json;
use yibao_core::policy::{validate::validate, Cite, CombinedCap, NthAdmission};
use yibao_core::{estimate, Case, Estimate, Money, PolicyDoc};

fn run(doc: &PolicyDoc, case: &str) -> Estimate {
    let case: Case = from_json(case).unwrap_or_else(|e| panic!("{e}"));
    estimate(doc, &case, day()).unwrap_or_else(|e| panic!("{e}"))
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn codes(doc: &PolicyDoc) -> Vec<String> {
    validate(&doc.policy)
        .iter()
        .map(|p| format!("{}@{}", p.code.as_str(), p.path))
        .collect()
}

#[test]
fn a_route_on_inpatient_terms_spends_the_limit_the_next_stay_sees() {
    let doc = demo();
    // Dialysis at the county (the route shares the inpatient annual limit), then a stay.
    let visit = run(
        doc,
        r#"{"setting":"outpatient","level":"county","disease":"Z49.1",
            "bill":{"total":"10000","in_scope":"10000"},"ytd":{"hifp_pay":"190000"}}"#,
    );
    assert_eq!(visit.route, "major_chronic");
    assert_eq!(visit.settlement.hifp_pay, m("7500"));
    assert_eq!(
        visit.ytd_after.hifp_pay,
        m("197500"),
        "the route's payment counts toward the inpatient limit"
    );
    let stay = |ytd: &Ytd| {
        let mut case: Case = from_json(
            r#"{"level":"county","patient":{"age":40},"bill":{"total":"20000","in_scope":"20000"},
                "referral":{"slip":true}}"#,
        )
        .unwrap();
        case.ytd = ytd.clone();
        estimate(doc, &case, day()).unwrap()
    };
    let after_visit = stay(&visit.ytd_after);
    // What is left of the 200,000 after the visit: 2,500; the stay alone would pay more.
    assert_eq!(after_visit.settlement.hifp_pay, m("2500"));
    assert!(after_visit
        .steps
        .iter()
        .any(|s| s.key == "hifp_pay" && s.zh().contains("年度封顶线 200000")));
    // A route that does not share the limit leaves it alone.
    let general = run(
        doc,
        r#"{"setting":"outpatient","level":"township","bill":{"total":"100","in_scope":"100"},
            "ytd":{"hifp_pay":"190000"}}"#,
    );
    assert_eq!(general.ytd_after.hifp_pay, m("190000"));
    assert!(stay(&general.ytd_after).settlement.hifp_pay > m("2500"));
}

#[test]
fn a_shared_outpatient_limit_counts_every_route_it_names() {
    let doc = demo();
    let case = |two: &str| {
        format!(
            r#"{{"setting":"outpatient","level":"city","disease":"I63.9",
                "bill":{{"total":"2000","in_scope":"2000"}},
                "ytd":{{"outpatient":{{"chronic":{{"paid":"4500","deductible_used":"200"}},
                         "two_diseases":{{"paid":"{two}"}}}}}}}}"#
        )
    };
    // The other route's spending is what makes the difference.
    let none = run(doc, &case("0"));
    let some = run(doc, &case("400"));
    assert_eq!(none.settlement.hifp_pay, m("500"), "the route's own limit");
    assert_eq!(some.settlement.hifp_pay, m("100"), "the shared limit");
    let step = some.steps.last().unwrap();
    assert_eq!(
        &*step.cite.clause,
        "门诊路径:两病用药与特慢病门诊年度限额合计不超过5000元"
    );
    assert!(step.zh().contains("4900"), "{}", step.zh());
    // The year to date after it adds the payment to the route that made it.
    assert_eq!(some.ytd_after.outpatient["chronic"].paid, m("4600"));
    assert_eq!(some.ytd_after.outpatient["two_diseases"].paid, m("400"));
}

#[test]
fn a_rule_for_the_disease_wins_over_the_general_later_admission_rule() {
    // The demo halves the 起付线 from the second stay; add "no 起付线 for F20 from the first".
    let mut doc = demo().clone();
    doc.policy
        .inpatient
        .deductible
        .nth_admission
        .push(NthAdmission {
            from: 1,
            factor: Some(yibao_core::Rate::parse("0%").unwrap()),
            diseases: vec!["F20".into()],
            cite: Cite {
                source: "brief".into(),
                clause: "精神病住院不设起付线(测试)".into(),
                ..Default::default()
            },
            ..Default::default()
        });
    assert!(codes(&doc).is_empty(), "{:?}", codes(&doc));
    let stay = |disease: &str, admissions: u32| {
        run(
            &doc,
            &format!(
                r#"{{"level":"county","patient":{{"age":40}},"disease":"{disease}",
                    "referral":{{"slip":true}},
                    "bill":{{"total":"20000","in_scope":"20000"}},"ytd":{{"admissions":{admissions}}}}}"#
            ),
        )
        .settlement
        .act_pay_dedc
    };
    assert_eq!(stay("F20.0", 0), Money::ZERO);
    assert_eq!(stay("F20.0", 1), Money::ZERO, "not the general halving");
    let first = stay("J18.9", 0);
    assert!(first > Money::ZERO);
    assert_eq!(
        stay("J18.9", 1),
        Money(first.0 / rust_decimal::Decimal::TWO)
    );
}

#[test]
fn nanchang_employee_waivers_need_the_disease() {
    let doc = shipped("jiangxi-nanchang/employee-2025");
    let stay = |disease: Option<&str>, admissions: u32| {
        let d = disease.map_or(String::new(), |d| format!(r#""disease":"{d}","#));
        run(
            doc,
            &format!(
                r#"{{"date":"2025-08-01","level":"level3","patient":{{"category":"in_service"}},{d}
                    "bill":{{"total":"20000","in_scope":"20000"}},"ytd":{{"admissions":{admissions}}}}}"#
            ),
        )
    };
    assert_eq!(stay(None, 1).settlement.act_pay_dedc, m("800"));
    assert_eq!(stay(Some("Z51.1"), 1).settlement.act_pay_dedc, Money::ZERO);
    // A chemotherapy stay entered by the cancer itself pays the 起付线, and the answer says why.
    let by_cancer = stay(Some("C34.9"), 1);
    assert_eq!(by_cancer.settlement.act_pay_dedc, m("800"));
    assert!(by_cancer
        .caveats
        .not_encoded
        .iter()
        .any(|n| n.id == "chemo_coded_by_cancer"));
    assert!(!stay(Some("F20.0"), 0)
        .caveats
        .not_encoded
        .iter()
        .any(|n| n.id == "chemo_coded_by_cancer"));
}

#[test]
fn validation_names_what_a_shared_limit_or_a_disease_rule_gets_wrong() {
    let mut doc = demo().clone();
    doc.policy.outpatient_caps.push(CombinedCap {
        id: "bad".into(),
        name_zh: "错".into(),
        name_en: "bad".into(),
        routes: vec!["chronic".into(), "nowhere".into()],
        annual_cap: m("100"),
        cite: doc.policy.outpatient_caps[0].cite.clone(),
    });
    doc.policy.inpatient.deductible.nth_admission[0].from = 1;
    let found = codes(&doc);
    assert!(
        found.contains(&"unknown_route@outpatient_caps[1].routes[1]".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(
            &"bad_admission_number@inpatient.deductible.nth_admission[0].from".to_string()
        ),
        "{found:?}"
    );
    // A route sharing the inpatient limit of a policy that has none.
    let mut doc = demo().clone();
    doc.policy.inpatient.caps.annual_fund = None;
    let found = codes(&doc);
    let at = doc
        .policy
        .outpatient
        .iter()
        .position(|r| r.shares_inpatient_cap)
        .unwrap();
    assert!(
        found.contains(&format!(
            "shared_cap_missing@outpatient[{at}].shares_inpatient_cap"
        )),
        "{found:?}"
    );
}
