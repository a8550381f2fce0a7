//! Invariants over thousands of generated cases on the demo policy.

mod common;
use common::{money, patient_pays};
use proptest::prelude::*;
use yibao_core::case::{Bill, Case, Item, Patient, ReferralFacts, Setting, Ytd};
use yibao_core::policy::ItemClass;
use yibao_core::referral::compare::{compare, CompareRequest};
use yibao_core::referral::Eligibility;
use yibao_core::{estimate, Money, PolicyDoc};

const LEVELS: [&str; 5] = ["township", "county", "city", "province", "out_of_province"];
const CATEGORIES: [&str; 5] = ["general", "dibao", "tekun", "jdlk", "wubao"];
const DISEASES: [Option<&str>; 7] = [
    None,
    Some("J18.9"),
    Some("I10"),
    Some("K35.8"),
    Some("I63.9"),
    Some("K80.2"),
    Some("M51.2"),
];

fn item() -> impl Strategy<Value = Item> {
    (0..4u8, 1u64..5_000_000, prop::option::of(1u64..5_000_000)).prop_map(|(c, fen, limit)| Item {
        name: "item".into(),
        class: [
            ItemClass::Jia,
            ItemClass::Yi,
            ItemClass::Bing,
            ItemClass::Special,
        ][c as usize],
        amount: money(fen),
        limit: limit.map(money),
    })
}

fn bill() -> impl Strategy<Value = Bill> {
    prop_oneof![
        (1u64..60_000_000).prop_map(|fen| Bill {
            total: Some(money(fen)),
            ..Bill::default()
        }),
        (1u64..60_000_000, 0u64..=100).prop_map(|(fen, pct)| Bill {
            total: Some(money(fen)),
            in_scope: Some(money(fen * pct / 100)),
            items: vec![]
        }),
        prop::collection::vec(item(), 1..20).prop_map(|items| Bill {
            items,
            ..Bill::default()
        }),
    ]
}

prop_compose! {
    fn case()(level in 0..5usize, cat in 0..5usize, age in 0u32..100, disease in 0..7usize,
              emergency in any::<bool>(), accident in any::<bool>(), slip in any::<bool>(),
              filing in any::<bool>(), from in prop::option::of(0..5usize),
              admissions in 0u32..4, ytd_fund in 0u64..25_000_000, bill in bill()) -> Case {
        Case {
            date: Some(common::day()),
            level: LEVELS[level].into(),
            patient: Patient { category: CATEGORIES[cat].into(), age: Some(age), ..Patient::default() },
            disease: DISEASES[disease].map(String::from),
            emergency,
            accident,
            referral: ReferralFacts { from_level: from.map(|f| LEVELS[f].to_string()), slip, slip_date: None, filing, filing_kind: None },
            bill,
            ytd: Ytd { admissions, hifp_pay: money(ytd_fund), ..Ytd::default() },
            ..Case::default()
        }
    }
}

fn check_balance(doc: &PolicyDoc, c: &Case) -> Result<(), TestCaseError> {
    let e = estimate(doc, c, common::day()).map_err(|p| TestCaseError::fail(p.to_string()))?;
    let s = &e.settlement;
    common::check_settlement(s, &doc.policy.meta.id)?;
    // No layer pays more than what remains after the basic fund and the hospital.
    let layers = s.hifmi_pay + s.hifob_pay + s.maf_pay + s.oth_pay;
    prop_assert!(layers <= s.medfee_sumamt - s.hosp_part_amt - s.hifp_pay);
    // On the general route layers work on what the patient still owes within scope; only 五保
    // relief and the 兜底 floor may reach beyond it (they cover the patient's whole share).
    if e.route == "general" && !matches!(c.patient.category.as_str(), "wubao" | "jdlk") {
        let layers = s.hifmi_pay + s.hifob_pay + s.maf_pay + s.oth_pay;
        let room = s.inscp_scp_amt.sat_sub(s.hifp_pay) + money(5);
        prop_assert!(
            layers <= room,
            "layers {layers} exceed in-scope remainder {room}"
        );
    }
    // Same input, same output.
    prop_assert_eq!(&e, &estimate(doc, c, common::day()).unwrap());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn amounts_balance_and_are_never_negative(c in case()) {
        let doc = common::demo();
        check_balance(doc, &c)?;
    }

    #[test]
    fn an_exact_range_is_one_estimate_three_times(c in case()) {
        // `estimate_range` runs the engine again for an exact range instead of cloning: the
        // cost-mix point must then play no part in any of the three.
        let doc = common::demo();
        let r = yibao_core::estimate::estimate_range(doc, &c, common::day())
            .map_err(|p| TestCaseError::fail(p.to_string()))?;
        let json = |e: &yibao_core::Estimate| serde_json::to_string(e).unwrap();
        if r.exact {
            prop_assert_eq!(json(&r.low), json(&r.typical));
            prop_assert_eq!(json(&r.high), json(&r.typical));
        } else {
            let patient = |e: &yibao_core::Estimate| e.settlement.psn_part_amt;
            prop_assert!(patient(&r.low) <= patient(&r.typical) && patient(&r.typical) <= patient(&r.high));
        }
    }

    #[test]
    fn more_cost_never_means_less_patient_payment(c in case(), extra in 100u64..10_000_000) {
        let doc = common::demo();
        let Some(total) = c.bill.total else { return Ok(()) };
        let mut more = c.clone();
        more.bill.total = Some(total + money(extra));
        more.bill.in_scope = c.bill.in_scope.map(|s| s + money(extra));
        // 二次补助 starts only at a bill of 20,000 (seed 003): crossing that line is a cliff the
        // policy itself draws, so pairs straddling it are not compared.
        let cliffs = common::cliffs(doc);
        prop_assert_eq!(&cliffs, &vec![money(2_000_000)]);
        if cliffs.iter().any(|&c| total < c && more.bill.total.unwrap() >= c) { return Ok(()) }
        let a = patient_pays(doc, &c, common::day()).unwrap();
        let b = patient_pays(doc, &more, common::day()).unwrap();
        prop_assert!(b >= a, "patient pays {a} for {total} but {b} for more");
    }

    #[test]
    fn caps_hold_across_chained_admissions(c in case(), n in 2usize..6) {
        let doc = common::demo();
        let mut case = c.clone();
        case.ytd = Ytd::default();
        let (mut fund, mut accident, mut critical) = (Money::ZERO, Money::ZERO, Money::ZERO);
        for _ in 0..n {
            let e = estimate(doc, &case, common::day()).unwrap();
            fund += e.settlement.hifp_pay;
            if case.accident { accident += e.settlement.hifp_pay; }
            critical += e.settlement.hifmi_pay;
            prop_assert_eq!(e.ytd_after.hifp_pay, fund);
            case.ytd = e.ytd_after;
        }
        prop_assert!(fund <= money(20_000_000), "annual fund cap 200,000 exceeded: {fund}");
        if case.accident { prop_assert!(accident <= money(400_000), "accident cap 4,000 exceeded: {accident}"); }
        if case.patient.category == "general" { prop_assert!(critical <= money(30_000_000)); }
    }

    #[test]
    fn exempt_patients_are_never_penalised(c in case(), kind in 0..4u8) {
        let doc = common::demo();
        let mut case = c;
        match kind {
            0 => case.emergency = true,
            1 => case.patient.age = Some(65 + case.patient.age.unwrap_or(0) % 30),
            2 => case.patient.age = Some(case.patient.age.unwrap_or(0) % 7),
            _ => case.patient.pregnant = true,
        }
        let e = estimate(doc, &case, common::day()).unwrap();
        prop_assert_eq!(e.referral.eligibility, Eligibility::Allowed);
        prop_assert!(e.referral.penalty == Default::default());
    }

    #[test]
    fn following_the_referral_rules_never_costs_more(c in case()) {
        // A valid 转诊单 and 备案 can only remove penalties: the same stay with the paperwork in
        // order never leaves the patient paying more.
        let doc = common::demo();
        let mut with = c.clone();
        with.referral.slip = true;
        with.referral.filing = true;
        let mut without = c;
        without.referral.slip = false;
        without.referral.filing = false;
        let pay = |c: &Case| patient_pays(doc, c, common::day());
        let (a, b) = (pay(&with).unwrap(), pay(&without).unwrap());
        prop_assert!(a <= b, "with the paperwork {a}, without {b}");
    }

    #[test]
    fn a_hardship_category_never_pays_more_than_a_general_resident(c in case(), cat in 1..5usize) {
        // 低保 / 特困 / 建档立卡 / 五保 only ever gain (lower thresholds, extra points, relief,
        // floors): the same stay never costs them more than it costs a general resident.
        let doc = common::demo();
        let mut general = c.clone();
        general.patient.category = CATEGORIES[0].into();
        let mut poor = c;
        poor.patient.category = CATEGORIES[cat].into();
        let pay = |c: &Case| patient_pays(doc, c, common::day());
        let (g, p) = (pay(&general).unwrap(), pay(&poor).unwrap());
        prop_assert!(p <= g, "{} pays {p}, a general resident {g}", CATEGORIES[cat]);
    }

    #[test]
    fn recommended_is_never_dearer_than_an_allowed_option(cost in 100_000u64..30_000_000, cat in 0..5usize, disease in 1..7usize, age in 7u32..64) {
        let doc = common::demo();
        let req = CompareRequest {
            patient: Patient { category: CATEGORIES[cat].into(), age: Some(age), ..Patient::default() },
            disease: DISEASES[disease].map(String::from),
            expected_cost: money(cost),
            date: Some(common::day()),
            emergency: false,
            ytd: Ytd::default(),
        };
        let c = compare(doc, &req, common::day()).unwrap();
        // A level the bill is beyond (the demo's illustrative typical stays) is never the advice;
        // with every level that treats the disease beyond, there is none, and the reason says so.
        let candidates: Vec<_> = c.options.iter().filter(|o| o.treats && o.eligibility != Eligibility::NotReimbursed).collect();
        prop_assert!(!candidates.is_empty(), "no reimbursed level treats it");
        let Some(rec) = c.recommended.map(|i| &c.options[i]) else {
            prop_assert!(candidates.iter().all(|o| o.beyond_typical), "no advice although a level within its typical stay treats it");
            prop_assert!(c.reason_zh.contains("超出"), "{}", c.reason_zh);
            return Ok(());
        };
        prop_assert!(!rec.beyond_typical);
        for o in c.options.iter().filter(|o| o.level == rec.level && o.eligibility != Eligibility::NotReimbursed) {
            prop_assert!(rec.patient_typical <= o.patient_typical, "{} {:?} cheaper than recommended", o.level, o.paperwork);
        }
        for o in c.options.iter().filter(|o| o.designated && !o.beyond_typical && o.eligibility != Eligibility::NotReimbursed) {
            prop_assert!(rec.patient_typical <= o.patient_typical);
        }
        // The reason quotes the recommended option's payment as the cards show it: whole yuan.
        let whole = rec.patient_typical.grouped_whole();
        prop_assert!(c.reason_zh.ends_with(&format!("约 {whole} 元")), "{}", c.reason_zh);
        prop_assert!(c.reason_en.ends_with(&format!("about {whole}")), "{}", c.reason_en);
    }
}

// The year-to-date totals a chain of visits hands on say what the slips said, to the fen: the
// outpatient route's `paid` once carried unrounded sub-fen amounts (50 → 50.00185) while each
// slip showed its rounded `hifp_pay`.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn year_to_date_totals_are_the_sum_of_the_slips(
        visits in prop::collection::vec((0..6usize, 1u64..40_000_000, 0u32..4), 1..12),
    ) {
        let doc = common::demo();
        let levels = ["village", "township", "county", "township", "county", "city"];
        let mut ytd = Ytd::default();
        let (mut outpatient_paid, mut inpatient_paid, mut admissions) =
            (Money::ZERO, Money::ZERO, 0u32);
        for (level, tenth_fen, kind) in visits {
            // Tenths of a fen: amounts below the fen, as a bill's items may sum to.
            let total = Money(rust_decimal::Decimal::new(tenth_fen as i64, 3));
            let outpatient = kind > 0;
            let case = Case {
                date: Some(common::day()),
                setting: if outpatient { Setting::Outpatient } else { Setting::Inpatient },
                level: levels[if outpatient { level % 3 } else { level }].into(),
                bill: Bill { total: Some(total), ..Default::default() },
                ytd: ytd.clone(),
                ..Default::default()
            };
            let Ok(e) = estimate(doc, &case, common::day()) else { continue };
            if outpatient {
                outpatient_paid += e.settlement.hifp_pay;
            } else {
                inpatient_paid += e.settlement.hifp_pay;
                admissions += 1;
            }
            ytd = e.ytd_after;
        }
        let route_paid: Money = ytd.outpatient.values().map(|r| r.paid).sum();
        prop_assert_eq!(route_paid, outpatient_paid);
        prop_assert_eq!(ytd.hifp_pay, inpatient_paid);
        prop_assert_eq!(ytd.admissions, admissions);
    }
}
