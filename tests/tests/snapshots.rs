//! Snapshots of full traces (money as exact strings): any change to a step, its wording or its
//! citation shows up in review.

mod common;
use yibao_core::policy::load::parse_strict;
use yibao_core::{estimate, Case};

fn trace_of(policy: &str, case_path: &str) -> String {
    let doc = common::shipped(policy);
    let case: Case = parse_strict(yibao_shipped::file(case_path).unwrap(), case_path).unwrap();
    let e = estimate(doc, &case, common::day()).unwrap();
    // The receipt's hash changes with every edit of the policy file; snapshot the calculation.
    serde_json::to_string_pretty(&(&e.settlement, &e.steps, &e.referral.eligibility)).unwrap()
}

#[test]
fn demo_pneumonia_trace() {
    insta::assert_snapshot!(trace_of(
        yibao_shipped::DEMO,
        "demo-county/examples/pneumonia-county.toml"
    ));
}

#[test]
fn yubei_published_trace() {
    let doc = common::shipped("chongqing-yubei/resident-2023.toml");
    let file: yibao_core::worked::CaseFile = parse_strict(
        yibao_shipped::file("chongqing-yubei/resident-2023.cases.toml").unwrap(),
        "c",
    )
    .unwrap();
    let e = estimate(doc, &file.cases[0].input, common::day()).unwrap();
    insta::assert_snapshot!(serde_json::to_string_pretty(&(&e.settlement, &e.steps)).unwrap());
}
