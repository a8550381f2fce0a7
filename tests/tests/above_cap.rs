//! A layer that starts at the basic fund's cap (`on = "above_basic_cap"`: 职工大额 / 大额医疗互助
//! paying on "统筹基金最高支付限额以上的政策范围内费用"). The worked cases are constructed
//! (`tests/fixtures/above-cap/`); the properties compare estimates of neighbouring bills.

mod common;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_decimal::Decimal;
use std::cell::Cell;
use yibao_core::case::{Bill, Case, Patient, Ytd};
use yibao_core::policy::load::{parse_policy, parse_strict};
use yibao_core::worked::{check, CaseFile, Outcome};
use yibao_core::{estimate, settle, Money, PolicyDoc, Rate};

const POLICY: &str = include_str!("../fixtures/above-cap/employee.toml");
const CASES: &str = include_str!("../fixtures/above-cap/employee.cases.toml");

fn doc() -> PolicyDoc {
    parse_policy(POLICY, "employee.toml").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_fixture_cases_hold_and_are_constructed() {
    let doc = doc();
    let file: CaseFile =
        parse_strict(CASES, "employee.cases.toml").unwrap_or_else(|e| panic!("{e}"));
    assert!(file.cases.len() >= 4);
    for wc in &file.cases {
        assert_eq!(check(&doc, wc, common::day()), Outcome::Pass, "{}", wc.id);
        assert!(wc.published.is_none(), "{} is constructed", wc.id);
    }
}

fn stay(level: &str, in_scope: Money, ytd_fund: Money) -> Case {
    Case {
        date: Some(common::day()),
        level: level.into(),
        patient: Patient {
            category: "in_service".into(),
            ..Patient::default()
        },
        bill: Bill {
            total: Some(in_scope),
            in_scope: Some(in_scope),
            items: vec![],
        },
        ytd: Ytd {
            admissions: u32::from(!ytd_fund.is_zero()),
            hifp_pay: ytd_fund,
            ..Ytd::default()
        },
        ..Case::default()
    }
}

/// Below the cap the layer pays nothing; past it, every further yuan of in-scope cost is paid at
/// the layer's 90% (the basic fund paying none of it) — compared between two estimates, one with
/// `extra` more cost; the settlement-only path pays the same. Both kinds of pair are counted.
#[test]
fn past_the_cap_each_further_yuan_is_the_layers() {
    let doc = doc();
    let cap = common::money(10_000_000);
    let (below, past) = (Cell::new(0), Cell::new(0));
    let mut runner = TestRunner::new(Config::with_cases(400));
    let strategy = (
        prop::sample::select(vec!["level1", "level2", "level3"]),
        // From 600 yuan: above every level's 起付线, which stays the patient's whatever the cap.
        60_000u64..25_000_000,
        1u64..10_000_000,
        prop::sample::select(vec![0u64, 5_000_000, 10_000_000]),
    );
    runner
        .run(&strategy, |(level, fen, extra, ytd)| {
            let ytd = common::money(ytd);
            let a = estimate(&doc, &stay(level, common::money(fen), ytd), common::day()).unwrap();
            let b = estimate(
                &doc,
                &stay(level, common::money(fen + extra), ytd),
                common::day(),
            )
            .unwrap();
            let (sa, sb) = (&a.settlement, &b.settlement);
            if sb.hifp_pay + ytd < cap {
                // Neither reached the basic cap: nothing lies above it.
                prop_assert!(sa.hifob_pay.is_zero() && sb.hifob_pay.is_zero());
                below.set(below.get() + 1);
            }
            // Both past the basic cap and the layer under its own 400,000: the fund pays no
            // more, the layer 90% of the extra (to the fen: each figure is rounded).
            if sa.hifp_pay + ytd >= cap && sb.hifob_pay < common::money(40_000_000) {
                prop_assert_eq!(sb.hifp_pay, sa.hifp_pay);
                let more = sb.hifob_pay - sa.hifob_pay;
                let want = common::money(extra).times(Rate(Decimal::new(9, 1)));
                prop_assert!(
                    (more - want).0.abs() <= Decimal::new(1, 2),
                    "{more} vs {want}"
                );
                past.set(past.get() + 1);
            }
            let (settled, _) =
                settle(&doc, &stay(level, common::money(fen), ytd), common::day()).unwrap();
            prop_assert_eq!(&settled.settlement, sa);
            Ok(())
        })
        .unwrap();
    let (below, past) = (below.get(), past.get());
    assert!(
        below >= 20 && past >= 60,
        "{below} pairs below the cap, {past} past it"
    );
}
