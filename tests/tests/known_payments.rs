//! Known payments (`case.known`, from a real settlement slip) always count: each is paid as
//! entered, by the layer reported under its key or, when the policy has none, in a row of its
//! own (按结算单录入); one above what it could pay is a coded problem, never clipped.
//!
//! The worked example is issue 27's, in `tests/fixtures/known-payments/` (a made-up policy and
//! *constructed* cases: the figures are the authors' arithmetic, written out in the cases file).

mod common;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeMap;
use std::sync::Mutex;
use yibao_core::case::{Bill, Case, Known, Patient, ReferralFacts};
use yibao_core::message::Msg;
use yibao_core::policy::load::{parse_policy, parse_strict};
use yibao_core::policy::PaysInto;
use yibao_core::worked::{check, CaseFile, Outcome};
use yibao_core::{estimate, settle, Code, Money, PolicyDoc};

const POLICY: &str = include_str!("../fixtures/known-payments/tilt-only.toml");
const CASES: &str = include_str!("../fixtures/known-payments/tilt-only.cases.toml");

fn fixture() -> (PolicyDoc, CaseFile) {
    let doc = parse_policy(POLICY, "tilt-only.toml").unwrap_or_else(|e| panic!("{e}"));
    let file = parse_strict(CASES, "tilt-only.cases.toml").unwrap_or_else(|e| panic!("{e}"));
    (doc, file)
}

#[test]
fn the_fixture_cases_hold_and_are_constructed() {
    let (doc, file) = fixture();
    assert!(file.cases.len() >= 3);
    for wc in &file.cases {
        assert_eq!(check(&doc, wc, common::day()), Outcome::Pass, "{}", wc.id);
        // Our own arithmetic: never to be counted as a published example.
        assert!(wc.published.is_none(), "{} is constructed", wc.id);
    }
}

/// Issue 27: the slip's 大病 and 医疗救助 payments have no layer in this policy; each is a row of
/// its own, and 倾斜救助 works on what they leave (10,000, not 30,000).
#[test]
fn amounts_without_a_layer_get_their_own_rows_and_lower_what_later_layers_work_on() {
    let (doc, file) = fixture();
    let wc = file
        .cases
        .iter()
        .find(|c| c.id == "known-three-tilt-only")
        .unwrap();
    let e = estimate(&doc, &wc.input, common::day()).unwrap();
    let k = &wc.input.known;
    // Each known amount is reported under its own key, as entered.
    assert_eq!(Some(e.settlement.hifp_pay), k.hifp_pay);
    assert_eq!(Some(e.settlement.hifmi_pay), k.hifmi_pay);
    assert_eq!(Some(e.settlement.maf_pay), k.maf_pay);
    // The rows as entered from the slip, in slip order, before the layer that follows them.
    let entered: Vec<(&str, Money)> = e
        .steps
        .iter()
        .filter_map(|s| match &s.text {
            Msg::KnownEntered { key, pay, .. } => Some((*key, *pay)),
            _ => None,
        })
        .collect();
    assert_eq!(
        entered,
        [
            ("hifmi_pay", k.hifmi_pay.unwrap()),
            ("maf_pay", k.maf_pay.unwrap())
        ]
    );
    for s in e
        .steps
        .iter()
        .filter(|s| matches!(s.text, Msg::KnownEntered { .. }))
    {
        assert!(s.zh().contains("按结算单录入"), "{}", s.zh());
        assert!(
            s.en().contains("as entered from the settlement slip"),
            "{}",
            s.en()
        );
        assert_eq!(s.cite.source.as_ref(), "input");
        assert!(["hifmi_pay", "maf_pay"].contains(&s.key.as_str()));
    }
    let pos = |f: &dyn Fn(&Msg) -> bool| e.steps.iter().position(|s| f(&s.text)).unwrap();
    let last_entered = pos(&|m| matches!(m, Msg::KnownEntered { key: "maf_pay", .. }));
    let tilt = pos(&|m| matches!(m, Msg::Layer { .. }));
    assert!(last_entered < tilt);
    // What 倾斜救助 worked on: the in-scope amount less every known payment before it.
    let Msg::Layer { burden, .. } = &e.steps[tilt].text else {
        unreachable!()
    };
    let inscope = wc.input.bill.in_scope.unwrap();
    let before: Money = [k.hifp_pay, k.hifmi_pay, k.maf_pay]
        .iter()
        .flatten()
        .copied()
        .sum();
    assert_eq!(*burden, inscope - before);
    // The cases file's constructed figure.
    assert_eq!(
        e.settlement.oth_pay,
        Money::parse(&wc.expect["oth_pay"]).unwrap()
    );
}

#[test]
fn a_known_amount_above_what_it_could_pay_is_refused_with_its_key() {
    let (doc, _) = fixture();
    // 90,000 in scope; 60,000 + 12,000 leave 18,000 for 医疗救助.
    let case = |maf: &str| Case {
        date: Some(common::day()),
        level: "county".into(),
        bill: Bill {
            total: Some(Money::parse("100000").unwrap()),
            in_scope: Some(Money::parse("90000").unwrap()),
            items: vec![],
        },
        known: Known {
            hifp_pay: Some(Money::parse("60000").unwrap()),
            hifmi_pay: Some(Money::parse("12000").unwrap()),
            maf_pay: Some(Money::parse(maf).unwrap()),
            ..Known::default()
        },
        ..Case::default()
    };
    let e = estimate(&doc, &case("18000"), common::day()).unwrap();
    assert_eq!(e.settlement.maf_pay, Money::parse("18000").unwrap());
    assert_eq!(e.settlement.oth_pay, Money::ZERO);
    let err = estimate(&doc, &case("18000.01"), common::day()).unwrap_err();
    assert_eq!(
        (err.0[0].code, err.0[0].path.as_str()),
        (Code::KnownAboveScope, "known")
    );

    // Within the in-scope amount in total, but above what is still owed when it is applied: on
    // 渝北, 医疗救助 is computed between the slip's basic fund and its 其他支付 (倾斜救助).
    let yubei = common::shipped("chongqing-yubei/resident-2023");
    let mut c = Case {
        date: Some(yubei.policy.meta.effective_from),
        level: "level2".into(),
        patient: Patient {
            category: "dibao_edge".into(),
            ..Patient::default()
        },
        bill: Bill {
            total: Some(Money::parse("52000").unwrap()),
            in_scope: Some(Money::parse("50000").unwrap()),
            items: vec![],
        },
        known: Known {
            hifp_pay: Some(Money::parse("30000").unwrap()),
            ..Known::default()
        },
        ..Case::default()
    };
    let day = c.date.unwrap();
    let e = estimate(yubei, &c, day).unwrap();
    // What 倾斜救助 (the layer paying into oth_pay) works on: what is still owed at that point.
    let owed = e
        .steps
        .iter()
        .find_map(|s| match &s.text {
            Msg::Layer { burden, .. } if s.key == "layer:tilt_assistance" => Some(*burden),
            _ => None,
        })
        .unwrap();
    c.known.oth_pay = Some(owed);
    let e = estimate(yubei, &c, day).unwrap();
    assert_eq!(e.settlement.oth_pay, owed);
    c.known.oth_pay = Some(owed + Money::parse("0.01").unwrap());
    let total = c.known.hifp_pay.unwrap() + c.known.oth_pay.unwrap();
    assert!(total < c.bill.in_scope.unwrap());
    let err = estimate(yubei, &c, day).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert_eq!(
        (err.0[0].code, err.0[0].path.as_str()),
        (Code::KnownAboveScope, "known.oth_pay")
    );

    // The basic fund's payment above the in-scope part the split found (line items: no
    // in-scope figure to check before estimating).
    let mut items = case("0");
    items.bill = Bill {
        items: vec![yibao_core::case::Item {
            name: "甲类".into(),
            class: yibao_core::policy::ItemClass::Jia,
            amount: Money::parse("50000").unwrap(),
            limit: None,
        }],
        ..Bill::default()
    };
    items.known = Known {
        hifp_pay: Some(Money::parse("50000.01").unwrap()),
        ..Known::default()
    };
    let err = estimate(&doc, &items, common::day()).unwrap_err();
    assert_eq!(
        (err.0[0].code, err.0[0].path.as_str()),
        (Code::KnownAboveScope, "known.hifp_pay")
    );
}

/// A case's knobs for the property: the policy's level and category, the bill, and the known
/// amounts: together `budget` thousandths of the in-scope amount, shared in the ratio of `shares`.
#[derive(Clone, Debug)]
struct Knobs {
    level: Index,
    category: Index,
    emergency: bool,
    total_yuan: u64,
    in_scope_pct: u64,
    budget: u64,
    shares: [Option<u64>; 5],
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        any::<Index>(),
        any::<Index>(),
        any::<bool>(),
        1u64..600_000,
        1u64..=100,
        0u64..=1000,
        prop::array::uniform5(prop::option::of(0u64..=1000)),
    )
        .prop_map(
            |(level, category, emergency, total_yuan, in_scope_pct, budget, shares)| Knobs {
                level,
                category,
                emergency,
                total_yuan,
                in_scope_pct,
                budget,
                shares,
            },
        )
}

/// The keys the slip states, in `Known`'s order; `None` is the basic fund.
const KEYS: [Option<PaysInto>; 5] = [
    None,
    Some(PaysInto::HifmiPay),
    Some(PaysInto::HifobPay),
    Some(PaysInto::MafPay),
    Some(PaysInto::OthPay),
];

fn case_for(doc: &PolicyDoc, k: &Knobs) -> Case {
    let p = &doc.policy;
    // Whole yuan, so that rounding to the policy's unit (fen, jiao or yuan) never moves them.
    let in_scope = k.total_yuan * k.in_scope_pct / 100;
    let sum: u64 = k.shares.iter().flatten().sum();
    let amount = |share: Option<u64>| {
        share.map(|s| {
            let s = (s * k.budget).checked_div(sum).unwrap_or(0);
            Money(rust_decimal::Decimal::from(in_scope * s / 1000))
        })
    };
    let [hifp, hifmi, hifob, maf, oth] = k.shares.map(amount);
    Case {
        date: Some(p.meta.effective_from),
        level: k.level.get(&p.levels).id.clone(),
        patient: Patient {
            category: k.category.get(&p.categories).id.clone(),
            ..Patient::default()
        },
        emergency: k.emergency,
        // Paperwork in order: a visit the policy does not reimburse cannot take a slip's payments.
        referral: ReferralFacts {
            slip: true,
            filing: true,
            ..ReferralFacts::default()
        },
        bill: Bill {
            total: Some(Money(rust_decimal::Decimal::from(k.total_yuan))),
            in_scope: Some(Money(rust_decimal::Decimal::from(in_scope))),
            items: vec![],
        },
        known: Known {
            hifp_pay: hifp,
            hifmi_pay: hifmi,
            hifob_pay: hifob,
            maf_pay: maf,
            oth_pay: oth,
        },
        ..Case::default()
    }
}

/// Over every shipped policy and random valid known amounts: every known amount is reported under
/// its settlement key and has its step, and together they are inside `fund_pay_sumamt`. Cases
/// the engine refuses are counted by code; most must be estimated, on every policy.
#[test]
fn known_payments_always_count_on_every_policy() {
    let cases = 1000;
    let estimated: Mutex<BTreeMap<String, usize>> = Mutex::new(BTreeMap::new());
    let refused: Mutex<BTreeMap<&'static str, usize>> = Mutex::new(BTreeMap::new());
    let unusable = Mutex::new(0usize);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&knobs(), |k| {
        for doc in common::all_shipped() {
            let c = case_for(doc, &k);
            let day = c.date.unwrap();
            let id = &doc.policy.meta.id;
            let e = match estimate(doc, &c, day) {
                Ok(e) => e,
                Err(ps) => {
                    // A case the policy refuses without any known amount (an inpatient stay at a
                    // village clinic …) says nothing about them; otherwise the known amounts
                    // are why, and the codes say so.
                    let bare = Case {
                        known: Known::default(),
                        ..c.clone()
                    };
                    if estimate(doc, &bare, day).is_err() {
                        *unusable.lock().unwrap() += 1;
                        continue;
                    }
                    for p in &ps.0 {
                        prop_assert!(
                            matches!(p.code, Code::KnownAboveScope | Code::KnownNotApplicable),
                            "{id}: {p}"
                        );
                        *refused.lock().unwrap().entry(p.code.as_str()).or_default() += 1;
                    }
                    continue;
                }
            };
            *estimated.lock().unwrap().entry(id.clone()).or_default() += 1;
            let s = &e.settlement;
            common::check_settlement(s, id)?;
            let mut sum = Money::ZERO;
            for (key, known) in KEYS.iter().zip([
                c.known.hifp_pay,
                c.known.hifmi_pay,
                c.known.hifob_pay,
                c.known.maf_pay,
                c.known.oth_pay,
            ]) {
                let Some(known) = known else { continue };
                sum += known;
                match key {
                    None => prop_assert_eq!(s.hifp_pay, known, "{}", id),
                    Some(into) => {
                        // Its key holds it (a 兜底 top-up may add to the same key).
                        prop_assert!(s.paid_into(*into) >= known, "{id}: {into:?} {known} {s:?}");
                        let stepped = e.steps.iter().any(|st| {
                            st.amount == known
                                && match &st.text {
                                    Msg::KnownEntered { key, .. } => *key == into.field(),
                                    Msg::KnownLayer { .. } => {
                                        let layer = st.key.strip_prefix("layer:");
                                        doc.policy.layers.iter().any(|l| {
                                            Some(l.id.as_str()) == layer && l.pays_into == *into
                                        })
                                    }
                                    _ => false,
                                }
                        });
                        prop_assert!(stepped, "{id}: no step pays {into:?} {known}");
                    }
                }
            }
            prop_assert!(
                sum <= s.fund_pay_sumamt,
                "{id}: known {sum} > fund {}",
                s.fund_pay_sumamt
            );
            // The settlement-only path takes the slip alike.
            let (settled, _) =
                settle(doc, &c, day).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&settled.settlement, s, "{}", id);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let estimated = estimated.into_inner().unwrap();
    let refused = refused.into_inner().unwrap();
    let unusable = unusable.into_inner().unwrap();
    let policies = common::all_shipped().count();
    let total: usize = estimated.values().sum();
    let tried = cases as usize * policies - unusable;
    // Coverage: most cases the policy can estimate at all were estimated with their known
    // amounts (not refused because of them), and every policy estimated some.
    assert_eq!(
        estimated.len(),
        policies,
        "some policy estimated nothing: {estimated:?}"
    );
    assert!(
        total * 100 >= tried * 55,
        "only {total} of {tried} estimated; refused: {refused:?}"
    );
    for (id, n) in &estimated {
        assert!(
            *n * 10 >= cases as usize,
            "{id}: only {n} of {cases} estimated; refused: {refused:?}"
        );
    }
    eprintln!("estimated {total} of {tried}; refused {refused:?}; {unusable} unusable without known amounts; {estimated:?}");
}
