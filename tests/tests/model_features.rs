//! The rules added for real current policies (issue 17), each checked on a made-up policy
//! (`tests/fixtures/model-features.toml`) against figures worked by hand in the comments.

use yibao_core::input::from_json;
use yibao_core::policy::load::parse_policy;
use yibao_core::policy::OnceAYear;
use yibao_core::{estimate, Case, Date, Estimate, Money, PolicyDoc};

fn policy() -> PolicyDoc {
    let text = include_str!("../fixtures/model-features.toml");
    parse_policy(text, "model-features.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn run(doc: &PolicyDoc, case: &str) -> Estimate {
    let case: Case = from_json(case).unwrap_or_else(|e| panic!("{e}"));
    estimate(doc, &case, Date::parse("2025-06-01").unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// A step with this key exists and cites this clause.
fn cites(e: &Estimate, key: &str, clause: &str) -> bool {
    e.steps
        .iter()
        .any(|s| s.key == key && &*s.cite.clause == clause)
}

#[test]
fn retiree_with_own_table_large_subsidy_raised_cap_and_accounts() {
    // 起付线 400 (retirees' table); ratio 1 − (1 − 85%) × 60% = 91%;
    // (150,000 − 400) × 91% = 136,136 → the retirees' annual cap 120,000; 30,000 left.
    // 大额: (30,000 − 10,000) × 80% = 16,000; cap 10,000 + raise min(3 × 1,000 + 1 × 1,000,
    // 20% × 10,000 = 2,000) = 12,000 → 12,000. Patient 18,000: account 5,000, family 13,000.
    let e = run(
        &policy(),
        r#"{"level":"county","patient":{"category":"retired","continuous_years":7,"claim_free_years":1},
            "bill":{"total":"150000","in_scope":"150000"},
            "account":{"balance":"5000","family_balance":"20000"}}"#,
    );
    let s = &e.settlement;
    assert_eq!(s.act_pay_dedc, m("400"));
    assert_eq!(s.hifp_pay, m("120000"));
    assert_eq!(s.hifob_pay, m("12000"));
    assert_eq!(s.fund_pay_sumamt, m("132000"));
    assert_eq!(s.psn_part_amt, m("18000"));
    assert_eq!(s.acct_pay, m("5000"));
    assert_eq!(s.acct_mulaid_pay, m("13000"));
    assert_eq!(s.psn_cash_pay, m("0"));
    // The stated balance 5,000 is used up: 本次结算后账户余额 0.
    assert_eq!(s.balc, Some(m("0")));
    assert!(cites(&e, "act_pay_dedc", "第6条(退休)"));
    assert!(cites(&e, "ratio", "第6条(退休)"));
    assert!(cites(&e, "hifp_pay", "第6条(退休)"), "the retirees' cap");
    assert!(cites(&e, "layer:large", "第8条"), "the cap raise");
    assert!(cites(&e, "acct_pay", "第11条(个人账户)"));
    assert!(cites(&e, "acct_mulaid_pay", "第11条(个人账户)"));
    assert!(e
        .steps
        .iter()
        .all(|s| s.cite.illustrative || s.cite.source.as_ref() == "input"));
}

#[test]
fn later_admissions_step_down_to_the_floor() {
    // 500 lowered by 100 for each admission from the 2nd: 3rd → 300, 4th → 200, 5th → 200 (floor).
    let doc = policy();
    for (before, ded) in [(0, "500"), (1, "400"), (2, "300"), (3, "200"), (4, "200")] {
        let case = format!(
            r#"{{"level":"county","patient":{{"category":"in_service"}},
                "bill":{{"total":"10300","in_scope":"10300"}},"ytd":{{"admissions":{before}}}}}"#
        );
        let e = run(&doc, &case);
        assert_eq!(
            e.settlement.act_pay_dedc,
            m(ded),
            "after {before} admissions"
        );
        // (10,300 − deductible) × 85%
        let fund = (m("10300") - m(ded)).times(yibao_core::Rate::parse("85%").unwrap());
        assert_eq!(e.settlement.hifp_pay, fund);
    }
}

#[test]
fn one_deductible_a_year_at_the_highest_level() {
    let mut doc = policy();
    let d = &mut doc.policy.inpatient.deductible;
    d.nth_admission.clear();
    d.once_a_year = Some(OnceAYear {
        cap: Some(m("450")),
        cite: d.cite.clone(),
    });
    // 200 paid at the township this year; the county's 500, capped at 450, less 200: 250.
    let e = run(
        &doc,
        r#"{"level":"county","patient":{"category":"in_service"},
            "bill":{"total":"5000","in_scope":"5000"},"ytd":{"admissions":1,"deductible_paid":"200"}}"#,
    );
    assert_eq!(e.settlement.act_pay_dedc, m("250"));
    assert_eq!(e.ytd_after.deductible_paid, m("450"));
    // A later admission at a lower level pays nothing more.
    let e = run(
        &doc,
        r#"{"level":"township","patient":{"category":"in_service"},
            "bill":{"total":"5000","in_scope":"5000"},"ytd":{"admissions":2,"deductible_paid":"450"}}"#,
    );
    assert_eq!(e.settlement.act_pay_dedc, m("0"));
}

#[test]
fn out_of_province_terms_follow_the_kind_of_filing() {
    let doc = policy();
    let pay = |kind: &str| {
        let case = format!(
            r#"{{"level":"out","patient":{{"category":"in_service"}},
                "bill":{{"total":"10800","in_scope":"10800"}},"referral":{{"filing_kind":"{kind}"}}}}"#
        );
        run(&doc, &case).settlement
    };
    // Long-term residents: as at home, (10,800 − 800) × 80% = 8,000.
    assert_eq!(pay("long_term").hifp_pay, m("8000"));
    // Temporary stays: ratio × 90% = 72%: 10,000 × 72% = 7,200.
    assert_eq!(pay("temporary").hifp_pay, m("7200"));
    // Referral: 10% of 10,800 paid first (1,080), then (9,720 − 800) × 80% = 7,136.
    let s = pay("referral");
    assert_eq!(s.preselfpay_amt, m("1080"));
    assert_eq!(s.hifp_pay, m("7136"));
    // Unfiled: the rule's own penalty, ratio × 70% = 56%: 5,600.
    assert_eq!(pay("unfiled").hifp_pay, m("5600"));
}

#[test]
fn employee_outpatient_pooling_per_visit_deductible_and_retirees_terms() {
    let doc = policy();
    let visit = |cat: &str, paid: &str| {
        let case = format!(
            r#"{{"setting":"outpatient","level":"township","patient":{{"category":"{cat}"}},
                "bill":{{"total":"530","in_scope":"530"}},
                "ytd":{{"outpatient":{{"pooling":{{"paid":"{paid}"}}}}}}}}"#
        );
        run(&doc, &case)
    };
    // (530 − 30 per visit) × 60% = 300; retirees 70%: 350; with 1,900 of 2,000 used: 100.
    assert_eq!(visit("in_service", "0").settlement.hifp_pay, m("300"));
    assert_eq!(visit("retired", "0").settlement.hifp_pay, m("350"));
    let e = visit("retired", "1900");
    assert_eq!(e.settlement.hifp_pay, m("100"));
    assert_eq!(e.settlement.act_pay_dedc, m("30"));
    assert!(cites(&e, "hifp_pay", "第12条(退休)"));
}

#[test]
fn listed_serious_disease_pays_on_its_own_tiers() {
    // (100,000 − 500) × 85% = 84,575; 15,425 left; 大额 for C34 at 90%: 5,425 × 90% = 4,882.50.
    let e = run(
        &policy(),
        r#"{"level":"county","patient":{"category":"in_service"},"disease":"C34.1",
            "bill":{"total":"100000","in_scope":"100000"}}"#,
    );
    assert_eq!(e.settlement.hifp_pay, m("84575"));
    assert_eq!(e.settlement.hifob_pay, m("4882.50"));
    // No account balance stated: no 本次结算后账户余额, not a made-up 0.
    assert_eq!(e.settlement.balc, None);
    let json = serde_json::to_value(&e.settlement).unwrap();
    assert!(json.get("balc").is_none(), "{json}");
    assert!(cites(&e, "layer:large", "第9条(重大疾病)"));
}

#[test]
fn commercial_supplement_pays_on_self_pay_only_when_held() {
    let doc = policy();
    let case = |supp: &str| {
        format!(
            r#"{{"level":"county","patient":{{"category":"in_service"}},"supplements":[{supp}],
                "bill":{{"items":[{{"name":"a","class":"bing","amount":"5000"}},
                                  {{"name":"b","class":"jia","amount":"10000"}}]}},
                "account":{{"balance":"10000"}}}}"#
        )
    };
    // In scope: (10,000 − 500) × 85% = 8,075; patient 1,925 in scope + 5,000 outside = 6,925.
    // 惠民保 outside the catalogue: (5,000 − 1,000) × 50% = 2,000, not a fund's payment.
    // The account pays the in-scope 1,925 only (self-pay not allowed): cash 5,000.
    let held = run(&doc, &case(r#""huiminbao""#)).settlement;
    assert_eq!(held.hifp_pay, m("8075"));
    assert_eq!(held.fund_pay_sumamt, m("8075"));
    assert_eq!(held.psn_part_amt, m("6925"));
    assert_eq!(held.yb_commercial_pay, m("2000"));
    assert_eq!(held.acct_pay, m("1925"));
    assert_eq!(held.psn_cash_pay, m("5000"));
    // Balance 10,000 − 1,925 paid from it.
    assert_eq!(held.balc, Some(m("8075")));
    let not_held = run(&doc, &case("")).settlement;
    assert_eq!(not_held.yb_commercial_pay, m("0"));
    assert_eq!(not_held.psn_part_amt, m("6925"));
}

#[test]
fn known_layer_payment_is_taken_from_the_slip() {
    // The slip says the basic fund paid 8,075 and 大额 100: the patient owes 10,000 − 8,175.
    let e = run(
        &policy(),
        r#"{"level":"county","patient":{"category":"in_service"},
            "bill":{"total":"10000","in_scope":"10000"},
            "known":{"hifp_pay":"8075","hifob_pay":"100"}}"#,
    );
    assert_eq!(e.settlement.hifob_pay, m("100"));
    assert_eq!(e.settlement.psn_part_amt, m("1825"));
    assert!(e
        .steps
        .iter()
        .any(|s| s.key == "layer:large" && s.cite.source.as_ref() == "input"));
}

#[test]
fn a_rule_with_two_forms_or_none_is_refused() {
    let text = include_str!("../fixtures/model-features.toml").replace(
        "step_down = \"100\"",
        "step_down = \"100\"\nfactor = \"50%\"",
    );
    let err = parse_policy(&text, "x.toml").unwrap_err();
    assert!(err
        .0
        .iter()
        .any(|p| p.code.as_str() == "one_of" && p.path == "inpatient.deductible.nth_admission[0]"));
}

#[test]
fn a_policy_fills_only_the_settlement_fields_its_rules_can_pay() {
    let employee = policy();
    let p = &employee.policy;
    for field in [
        "hifob_pay",
        "yb_commercial_pay",
        "acct_pay",
        "acct_mulaid_pay",
        "psn_cash_pay",
    ] {
        assert!(p.fills(field), "{field} should be filled");
    }
    for field in ["hifmi_pay", "maf_pay", "oth_pay"] {
        assert!(!p.fills(field), "{field} has no layer paying into it");
    }
    let text = yibao_shipped::file(yibao_shipped::DEMO).expect("shipped demo");
    let resident = parse_policy(text, "demo").unwrap_or_else(|e| panic!("{e}"));
    let r = &resident.policy;
    assert!(r.fills("hifmi_pay") && r.fills("maf_pay") && r.fills("hifp_pay"));
    assert!(!r.fills("acct_pay") && !r.fills("hifob_pay") && !r.fills("psn_cash_pay"));
    assert!(
        r.fills("hosp_part_amt"),
        "the demo has a quota route whose excess the hospital bears"
    );
    assert!(
        !p.fills("hosp_part_amt"),
        "no quota route in the employee fixture"
    );
}
