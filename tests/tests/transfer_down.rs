//! The 下转 rule on constructed daily-cost series (demo policy: 3 stable days within 10%).

mod common;
use yibao_core::referral::transfer::{suggest, TransferRequest};
use yibao_core::Money;

fn req(series: &[&str]) -> TransferRequest {
    TransferRequest {
        level: "county".into(),
        patient: Default::default(),
        disease: Some("J18.9".into()),
        date: Some(common::day()),
        daily_costs: series.iter().map(|s| Money::parse(s).unwrap()).collect(),
        remaining_days: Some(4),
        lower_daily_cost: None,
    }
}

#[test]
fn stable_series_suggests_transfer_with_a_saving() {
    let s = suggest(
        common::demo(),
        &req(&["2600", "1900", "1210", "1190", "1200"]),
        common::day(),
    )
    .unwrap();
    assert!(s.suggest, "{}", s.en);
    let sv = s.saving.unwrap();
    assert_eq!(sv.target_level, "township");
    assert_eq!(sv.remaining_cost_here, Money::parse("4800").unwrap());
    // No new 起付线 after 下转 and a higher township ratio: finishing there costs the patient less.
    assert!(sv.saving > Money::ZERO);
    assert_eq!(sv.stay_patient_pays - sv.transfer_patient_pays, sv.saving);
}

#[test]
fn rising_series_is_not_stable() {
    let s = suggest(
        common::demo(),
        &req(&["1000", "1200", "1450", "1700"]),
        common::day(),
    )
    .unwrap();
    assert!(!s.suggest);
    assert!(s.zh.contains("尚未稳定"));
}

#[test]
fn noisy_series_is_not_stable() {
    let s = suggest(
        common::demo(),
        &req(&["1200", "900", "1300", "1000"]),
        common::day(),
    )
    .unwrap();
    assert!(!s.suggest);
}

#[test]
fn too_short_series_cannot_be_judged() {
    let s = suggest(common::demo(), &req(&["1200", "1210"]), common::day()).unwrap();
    assert!(!s.suggest);
    assert!(s.en.contains("3 are needed"));
}

#[test]
fn stability_is_judged_on_the_latest_days_only() {
    // An expensive first day (surgery) does not hide a stable recovery.
    let s = suggest(
        common::demo(),
        &req(&["9000", "1000", "1050", "1020"]),
        common::day(),
    )
    .unwrap();
    assert!(s.suggest);
}
