//! Invariants over generated cases on every shipped policy, each case drawn from that policy's
//! own levels, categories and disease catalogue (the demo-only properties are in `properties.rs`).

mod common;
use common::{money, patient_pays};
use proptest::prelude::*;
use proptest::sample::Index;
use yibao_core::case::{Bill, Case, Patient, ReferralFacts, Ytd};
use yibao_core::{estimate, settle, PolicyDoc};

/// Every shipped policy, parsed once for the whole binary (not once per generated case).
fn docs() -> impl Iterator<Item = &'static PolicyDoc> {
    common::all_shipped()
}

/// The knobs of a case, resolved against one policy by `case_for`.
#[derive(Clone, Debug)]
struct Knobs {
    level: Index,
    category: Index,
    disease: Option<Index>,
    age: u32,
    emergency: bool,
    accident: bool,
    slip: bool,
    filing: bool,
    from: Option<Index>,
    admissions: u32,
    ytd_fund: u64,
    total: u64,
    in_scope_pct: Option<u64>,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        (
            any::<Index>(),
            any::<Index>(),
            prop::option::of(any::<Index>()),
            0u32..100,
        ),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        (prop::option::of(any::<Index>()), 0u32..4, 0u64..25_000_000),
        (1u64..60_000_000, prop::option::of(0u64..=100)),
    )
        .prop_map(
            |(
                (level, category, disease, age),
                (emergency, accident, slip, filing),
                (from, admissions, ytd_fund),
                (total, in_scope_pct),
            )| Knobs {
                level,
                category,
                disease,
                age,
                emergency,
                accident,
                slip,
                filing,
                from,
                admissions,
                ytd_fund,
                total,
                in_scope_pct,
            },
        )
}

fn case_for(doc: &PolicyDoc, k: &Knobs, total: u64) -> Case {
    let p = &doc.policy;
    let diseases = p
        .catalogue
        .as_ref()
        .map(|c| c.diseases.as_slice())
        .unwrap_or(&[]);
    Case {
        date: Some(p.meta.effective_from),
        level: k.level.get(&p.levels).id.clone(),
        patient: Patient {
            category: k.category.get(&p.categories).id.clone(),
            age: Some(k.age),
            ..Patient::default()
        },
        disease: k
            .disease
            .filter(|_| !diseases.is_empty())
            .map(|i| i.get(diseases).code.clone()),
        emergency: k.emergency,
        accident: k.accident,
        referral: ReferralFacts {
            from_level: k.from.map(|i| i.get(&p.levels).id.clone()),
            slip: k.slip,
            slip_date: None,
            filing: k.filing,
            filing_kind: None,
        },
        bill: Bill {
            total: Some(money(total)),
            in_scope: k.in_scope_pct.map(|pct| money(total * pct / 100)),
            items: vec![],
        },
        ytd: Ytd {
            admissions: k.admissions,
            hifp_pay: money(k.ytd_fund),
            ..Ytd::default()
        },
        ..Case::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// The replay's settlement-only path (`settle`, no worded trace) pays exactly what the full
    /// estimate pays, routes the same way and leaves the same year to date, or refuses alike.
    #[test]
    fn the_settlement_only_path_equals_the_full_estimate(k in knobs()) {
        for doc in docs() {
            let c = case_for(doc, &k, k.total);
            let day = c.date.unwrap();
            match (estimate(doc, &c, day), settle(doc, &c, day)) {
                (Ok(e), Ok((s, ytd))) => {
                    let id = &doc.policy.meta.id;
                    prop_assert_eq!(&e.settlement, &s.settlement, "{}", id);
                    prop_assert_eq!(&e.route, &s.route, "{}", id);
                    prop_assert_eq!(&e.ytd_after, &ytd, "{}", id);
                    prop_assert_eq!(e.referral.eligibility, s.eligibility, "{}", id);
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "estimate {:?} but settle {:?}", a.map(|e| e.settlement), b.map(|s| s.0.settlement)),
            }
        }
    }

    #[test]
    fn every_shipped_policy_balances_its_amounts(k in knobs()) {
        for doc in docs() {
            let c = case_for(doc, &k, k.total);
            let e = match estimate(doc, &c, c.date.unwrap()) {
                Ok(e) => e,
                // A refusal must be a worded problem naming its field, never a panic.
                Err(p) => {
                    prop_assert!(p.0.iter().all(|p| !p.path.is_empty() && !p.message_zh.is_empty()));
                    continue;
                }
            };
            common::check_settlement(&e.settlement, &doc.policy.meta.id)?;
        }
    }

    #[test]
    fn on_every_shipped_policy_more_cost_never_means_less_to_pay(k in knobs(), extra in 100u64..10_000_000) {
        for doc in docs() {
            let a = case_for(doc, &k, k.total);
            let b = case_for(doc, &k, k.total + extra);
            let pay = |c: &Case| patient_pays(doc, c, c.date.unwrap());
            if let (Ok(x), Ok(y)) = (pay(&a), pay(&b)) {
                // Except across a bill amount where the policy's own rule switches a benefit on.
                let cliffs = common::cliffs(doc);
                let crosses = cliffs.iter().any(|c| money(k.total) < *c && money(k.total + extra) >= *c);
                prop_assert!(crosses || y >= x, "{}: pays {x} for {} but {y} for {}", doc.policy.meta.id, money(k.total), money(k.total + extra));
            }
        }
    }
}
