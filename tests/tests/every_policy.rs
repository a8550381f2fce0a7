//! Invariants over generated cases on every shipped policy, each case drawn from that policy's
//! own levels, categories and disease catalogue (the demo-only properties are in `properties.rs`).

mod common;
use common::{money, patient_pays};
use proptest::prelude::*;
use proptest::sample::Index;
use yibao_core::case::{Bill, Case, Patient, ReferralFacts, Setting, Ytd};
use yibao_core::claims::Claim;
use yibao_core::replay::compiled::Compiled;
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

/// The policy's disease catalogue (empty when it has none), where cases draw their diseases.
fn catalogue(doc: &PolicyDoc) -> &[yibao_core::policy::Disease] {
    doc.policy
        .catalogue
        .as_ref()
        .map(|c| c.diseases.as_slice())
        .unwrap_or(&[])
}

fn case_for(doc: &PolicyDoc, k: &Knobs, total: u64) -> Case {
    let p = &doc.policy;
    let diseases = catalogue(doc);
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

/// One person's year of claims, resolved against one policy by `claims_for`.
#[derive(Clone, Debug)]
struct Stay {
    level: Index,
    day: u16,
    total: u64,
    in_scope_pct: Option<u64>,
    /// 0: none, 1: a code no rule names, 2: one from the policy's catalogue.
    disease: (u8, Index),
    /// Something the compiled path leaves to the general path.
    unusual: Option<u8>,
    /// A visit (门诊) instead of a stay: on which outpatient route, at which of its levels, and
    /// how it says so (0: nothing, the general route; 1: the route named, with a disease on its
    /// list when it has one; 2: only the disease, from which the engine finds the route).
    visit: Option<(Index, Index, u8)>,
}

fn stays() -> impl Strategy<Value = (Index, Option<u32>, Vec<Stay>)> {
    let stay = (
        any::<Index>(),
        0u16..365,
        1u64..40_000_000,
        prop::option::of(0u64..=100),
        (0u8..3, any::<Index>()),
        prop::option::weighted(0.3, 0u8..8),
        prop::option::weighted(0.6, (any::<Index>(), any::<Index>(), 0u8..3)),
    )
        .prop_map(
            |(level, day, total, in_scope_pct, disease, unusual, visit)| Stay {
                level,
                day,
                total,
                in_scope_pct,
                disease,
                unusual,
                visit,
            },
        );
    (
        any::<Index>(),
        prop::option::of(0u32..100),
        prop::collection::vec(stay, 1..8),
    )
}

/// A person's claims under `doc`, in date order.
fn claims_for(doc: &PolicyDoc, category: &Index, age: Option<u32>, stays: &[Stay]) -> Vec<Claim> {
    let p = &doc.policy;
    let diseases = catalogue(doc);
    let mut out: Vec<Claim> = stays
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let from = p.meta.effective_from;
            let date = Some(yibao_core::Date::from_days(from.days() + i64::from(s.day)))
                .filter(|d| *d <= p.meta.effective_to)
                .unwrap_or(from);
            let mut c = Claim {
                claim_id: format!("c{i}"),
                person_id: "p".into(),
                date,
                setting: Setting::Inpatient,
                level: s.level.get(&p.levels).id.clone(),
                category: category.get(&p.categories).id.clone(),
                age,
                disease: match s.disease.0 {
                    1 => Some("Z99.9".into()),
                    2 if !diseases.is_empty() => Some(s.disease.1.get(diseases).code.clone()),
                    _ => None,
                },
                total: Some(money(s.total)),
                in_scope: s.in_scope_pct.map(|pct| money(s.total * pct / 100)),
                ..Claim::default()
            };
            if let Some(v) = &s.visit {
                visit(doc, &mut c, v, s.total);
            }
            let lowest = p.levels.iter().min_by_key(|l| l.rank).map(|l| l.id.clone());
            let highest = p.levels.iter().max_by_key(|l| l.rank).map(|l| l.id.clone());
            match s.unusual {
                Some(0) => c.emergency = true,
                Some(1) => c.accident = true,
                // Referred up with a slip of the day, or one issued long before.
                Some(2) | Some(3) => {
                    c.from_level = lowest;
                    c.slip = true;
                    c.slip_date = Some(if s.unusual == Some(2) {
                        date
                    } else {
                        yibao_core::Date::from_days(date.days() - 200)
                    });
                }
                // Transferred down, without a slip.
                Some(4) => c.from_level = highest,
                Some(5) => {
                    c.filing = true;
                    c.filing_kind = yibao_core::policy::FilingKind::ALL
                        .get(s.day as usize % 5)
                        .copied();
                }
                Some(6) => c.filing = true,
                Some(_) => c.setting = Setting::Outpatient,
                None => {}
            }
            c
        })
        .collect();
    out.sort_by_key(|c| c.date);
    out
}

/// Make `c` a visit as `v` says (see [`Stay::visit`]), when the policy has outpatient routes:
/// at a level the route pays at, a bill of a clinic's size (up to 5,000 yuan, so that annual
/// limits bind after some visits).
fn visit(doc: &PolicyDoc, c: &mut Claim, v: &(Index, Index, u8), total: u64) {
    let routes = &doc.policy.outpatient;
    if routes.is_empty() {
        return;
    }
    let general = routes
        .iter()
        .find(|r| r.kind == yibao_core::policy::OutpatientKind::General);
    let r = match (v.2, general) {
        (0, Some(g)) => g,
        _ => v.0.get(routes),
    };
    let levels: Vec<&String> = r.rates.keys().collect();
    if levels.is_empty() {
        return;
    }
    c.setting = Setting::Outpatient;
    c.level = v.1.get(&levels).to_string();
    let fen = total % 500_000 + 1;
    c.total = Some(money(fen));
    c.in_scope = c.in_scope.map(|_| money(fen * (total % 101) / 100));
    c.disease = r.diseases.first().map(|d| on_list(d));
    match v.2 {
        0 if general.is_some() => c.disease = None,
        1 => c.route = Some(r.id.clone()),
        _ => {}
    }
}

/// A code on a route's disease list (an entry may be a prefix: `E11` stands for `E11.9`, the
/// chapter `C` for `C34.9`).
fn on_list(d: &str) -> String {
    match d.len() {
        1 => format!("{d}34.9"),
        3 => format!("{d}.9"),
        _ => d.to_string(),
    }
}

/// Compiled policies whose generated persons the compiled path almost always declines (fewer than
/// one in twenty compared in the property below): counted here so that the gap is visible and the
/// list stays exact. Found by counting (issue 29): the demo and the two jiangxi-nanchang
/// policies were here until visits compiled (issue 30); a person is now mostly visits, and
/// those policies compare one person in five to ten, although the jiangxi-nanchang policies'
/// generated stays still decline (why is not yet known; see
/// `most_shipped_policies_replay_alike_by_both_paths`).
const THIN: &[&str] = &[];

/// Persons the compiled-path property compared, and persons the compiled path declined (left to
/// the general path), per policy id; then the visits compared and declined when each person's
/// visits are settled on their own.
type Coverage = std::collections::BTreeMap<String, ((u64, u64), (u64, u64))>;

/// The compiled path (integer tables, for replays) equals the settlement path on every shipped
/// policy that compiles, for 1,000 generated persons each. The persons it declines are skipped,
/// so they are counted: every compiled policy must have been compared on most of them.
#[test]
fn the_compiled_path_equals_the_settlement_path() {
    let coverage = std::sync::Mutex::new(Coverage::new());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(1000));
    let run = runner.run(&stays(), |(category, age, stays)| {
        for (doc, compiled) in compiled_docs() {
            let Some(compiled) = compiled else { continue };
            let claims = claims_for(doc, &category, age, &stays);
            let compared = common::compiled_equals_general(doc, compiled, &claims)
                .map_err(|e| TestCaseError::fail(format!("{}: {e}", doc.policy.meta.id)))?;
            // The person's visits alone too (a person's stays often decline, taking their
            // visits with them): counted by visit.
            let visits: Vec<Claim> = claims
                .iter()
                .filter(|c| c.setting == Setting::Outpatient)
                .cloned()
                .collect();
            let visits_compared = !visits.is_empty()
                && common::compiled_equals_general(doc, compiled, &visits).map_err(|e| {
                    TestCaseError::fail(format!("{} (visits): {e}", doc.policy.meta.id))
                })?;
            // A policy without outpatient routes refuses every visit (the general path says so).
            let n = visits.len() as u64 * u64::from(!doc.policy.outpatient.is_empty());
            let mut cov = coverage.lock().unwrap();
            let (persons, seen) = cov.entry(doc.policy.meta.id.clone()).or_default();
            if compared {
                persons.0 += 1;
            } else {
                persons.1 += 1;
            }
            if visits_compared {
                seen.0 += n;
            } else {
                seen.1 += n;
            }
        }
        Ok(())
    });
    if let Err(e) = run {
        panic!("{e}");
    }
    let cov = coverage.into_inner().unwrap();
    let compiled = compiled_docs().filter(|(_, c)| c.is_some()).count();
    assert_eq!(
        cov.len(),
        compiled,
        "every compiled policy was tried: {cov:?}"
    );
    // Declined persons (a disease the policy names, a 起付线 as a share of the bill …) go to
    // the general path, so the property says nothing about them: at least one in ten
    // compared, on every compiled policy but the THIN ones, and most persons overall.
    let thin: Vec<&str> = cov
        .iter()
        .filter(|(_, ((compared, declined), _))| *compared * 20 < *compared + *declined)
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(thin, THIN, "compared / declined persons: {cov:?}");
    let (compared, declined) = cov
        .values()
        .fold((0, 0), |(a, b), ((c, d), _)| (a + c, b + d));
    assert!(
        compared > declined,
        "compared {compared}, declined {declined}: {cov:?}"
    );
    // Visits compiled like stays: most generated visits were compared, and at least one in ten
    // on every policy with outpatient routes that is not THIN (the demo's visits are about one
    // in five: most of its levels split a bill without its in-scope part by a typical mix,
    // which is left to the general path).
    let (visits, left) = cov
        .values()
        .fold((0, 0), |(a, b), (_, (c, d))| (a + c, b + d));
    assert!(
        visits > left,
        "visits compared {visits}, declined {left}: {cov:?}"
    );
    let few: Vec<&str> = cov
        .iter()
        .filter(|(id, (_, (c, d)))| !THIN.contains(&id.as_str()) && *c * 10 < *c + *d)
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(
        few,
        Vec::<&str>::new(),
        "visits compared / declined: {cov:?}"
    );
}

/// Every shipped policy with its compiled form (`None`: it does not compile), built once.
fn compiled_docs() -> impl Iterator<Item = (&'static PolicyDoc, &'static Option<Compiled>)> {
    static ALL: std::sync::OnceLock<Vec<Option<Compiled>>> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| docs().map(|d| Compiled::new(d).ok()).collect());
    docs().zip(all.iter())
}

/// The compiled path covers most of the shipped policies: a county-year of generated claims
/// replays to the same summary and per-claim results by the compiled path and by the general
/// path, for every shipped policy; and most of them do compile (those that do not are named).
#[test]
fn most_shipped_policies_replay_alike_by_both_paths() {
    use yibao_batch::run::{run, Keep, Path};
    let quiet = |_| {};
    let mut declined = vec![];
    // Claims of the mixed county-years (stays and visits), and those the compiled path settled.
    let (mut mixed, mut mixed_compiled) = (0u64, 0u64);
    for (doc, inpatient_only) in docs().flat_map(|d| [(d, true), (d, false)]) {
        let id = &doc.policy.meta.id;
        let spec = yibao_batch::generate::Spec {
            seed: 31,
            claims: 1_500,
            inpatient_only,
        };
        let claims = yibao_batch::generate::claims(&doc.policy, &spec);
        let keys = yibao_core::claims::Keys::of(&claims);
        let fast = run(doc, &claims, &keys, &quiet, Keep::Results, Path::Fastest);
        let general = run(doc, &claims, &keys, &quiet, Keep::Results, Path::General);
        assert_eq!(fast.results, general.results, "{id}");
        assert_eq!(fast.summary, general.summary, "{id}");
        assert_eq!(general.engine.compiled_claims, 0, "{id}");
        if !inpatient_only {
            mixed += claims.len() as u64;
            mixed_compiled += fast.engine.compiled_claims;
            continue;
        }
        match &fast.engine.not_compiled {
            Some(why) => declined.push(format!("{id}: {why}")),
            // The jiangxi-nanchang policies compile but settle no generated stay (see THIN).
            None if id.starts_with("jiangxi-nanchang/") => {
                assert_eq!(fast.engine.compiled_claims, 0, "{id}: not THIN any more?")
            }
            None => assert!(fast.engine.compiled_claims > 0, "{id}: {:?}", fast.engine),
        }
    }
    // Visits are compiled like stays: most of the mixed claims took the compiled path too.
    assert!(
        mixed_compiled * 2 > mixed,
        "{mixed_compiled} of {mixed} mixed claims by the compiled path"
    );
    let all = docs().count();
    assert!(
        declined.len() * 2 < all,
        "{} of {all} shipped policies do not compile:\n{}",
        declined.len(),
        declined.join("\n")
    );
}
