//! Reconciling with a slip the engine wrote, on an employee case with a personal account: every
//! figure matches, the balance `balc` included; a changed ratio is the one difference, explained
//! by the ratio step.

mod common;

use yibao_core::reconcile::{reconcile, Status};

#[test]
fn an_employee_slip_with_the_account_matches_and_a_changed_ratio_is_explained() {
    let doc = common::shipped("sichuan-dazhou/employee-2024");
    let case: yibao_core::Case = yibao_core::input::from_json(
        r#"{"date":"2025-04-15","level":"level3","patient":{"category":"retired","age":68},
            "bill":{"total":"105000","in_scope":"100000"},"account":{"balance":"8000"}}"#,
    )
    .unwrap();
    let e = yibao_core::estimate(doc, &case, common::day()).unwrap();
    let mut slip = serde_json::to_value(&e.settlement).unwrap();
    let r = reconcile(&doc.policy, &e, &slip.to_string()).unwrap();
    assert!(r.all_match());
    assert!(r.lines.iter().all(|l| l.status == Status::Matched), "{r:?}");
    let balc = r.lines.iter().find(|l| l.key == "balc").unwrap();
    assert_eq!(balc.slip.as_deref(), Some("0.00"));

    // The slip's ratio as a national platform writes it, 0.8500, where the estimate has 0.87.
    slip["pool_prop_selfpay"] = serde_json::json!("0.8500");
    let r = reconcile(
        &doc.policy,
        &e,
        &serde_json::json!({ "setlinfo": slip }).to_string(),
    )
    .unwrap();
    let differ: Vec<_> = r
        .lines
        .iter()
        .filter(|l| l.status != Status::Matched)
        .collect();
    assert_eq!(differ.len(), 1, "{differ:?}");
    let l = differ[0];
    assert_eq!((l.key, l.status), ("pool_prop_selfpay", Status::Different));
    assert_eq!(l.slip.as_deref(), Some("0.8500"));
    assert_eq!(l.estimate.as_deref(), Some("0.8700"));
    assert_eq!(l.difference.as_deref(), Some("-0.0200"));
    assert!(l.steps.iter().any(|s| s.key == "ratio"), "{:?}", l.steps);
    assert!(
        l.explanation_en.contains("0.8500") && l.explanation_zh.contains("87%"),
        "{}",
        l.explanation_zh
    );
}
