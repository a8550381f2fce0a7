//! A retiree's stay under a real city's employee policy (达州, shipped): the trace shows the basic
//! fund, the 大额 subsidy and the personal account, each citing a clause of a numbered document.
//! The amounts themselves are the hand-worked case `dazhou-emp-retired-large-cost-account`.

mod common;

use yibao_core::input::from_json;
use yibao_core::{estimate, Case, Date, Money};

#[test]
fn retiree_trace_cites_basic_fund_large_subsidy_and_account() {
    let doc = common::shipped("sichuan-dazhou/employee-2024");
    assert_eq!(doc.policy.meta.scheme, yibao_core::policy::Scheme::Employee);
    let case: Case = from_json(
        r#"{"level":"level3","patient":{"category":"retired","age":68},
            "bill":{"total":"105000","in_scope":"100000"},"account":{"balance":"8000"}}"#,
    )
    .unwrap();
    let e = estimate(doc, &case, Date::parse("2025-04-15").unwrap()).unwrap();
    let s = &e.settlement;
    for (field, paid) in [
        ("hifp_pay", s.hifp_pay),
        ("hifob_pay", s.hifob_pay),
        ("acct_pay", s.acct_pay),
    ] {
        assert!(
            paid > Money::ZERO,
            "{field} should pay something for this stay"
        );
    }
    let step = |key: &str| {
        e.steps.iter().find(|st| st.key == key).unwrap_or_else(|| {
            panic!(
                "no {key} step in {:?}",
                e.steps.iter().map(|s| &s.key).collect::<Vec<_>>()
            )
        })
    };
    let layer = doc
        .policy
        .layers
        .iter()
        .find(|l| l.pays_into.field() == "hifob_pay")
        .unwrap();
    let large = format!("layer:{}", layer.id);
    for key in ["hifp_pay", large.as_str(), "acct_pay"] {
        let cite = &step(key).cite;
        assert!(
            cite.doc_no.as_deref().is_some_and(|d| d.contains('号')),
            "{key} cites no 文号: {cite:?}"
        );
        assert!(!cite.clause.is_empty(), "{key} cites no clause");
        assert!(cite.url.is_some(), "{key} cites no address");
    }
    // The retiree's fund payment cites the retirees' own table, not the in-service ratio.
    let retired = doc
        .policy
        .inpatient
        .tables
        .iter()
        .find(|t| t.categories.iter().any(|c| c == "retired"))
        .unwrap();
    assert_eq!(&*step("hifp_pay").cite.clause, &*retired.cite.clause);
    assert!(step("acct_pay").amount == s.acct_pay);
}
