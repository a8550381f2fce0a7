//! A synthetic county-year of claims, for tests and benchmarks: seeded (the same seed gives the
//! same file on every machine: ChaCha8), shaped by the policy (its levels, categories, year and
//! outpatient routes). Where each distribution comes from:
//!
//! - **Who is admitted, how often**: admissions per person 1 + Poisson(0.35), so most people
//!   have one stay and a few chronic patients several (about a quarter of 住院人次 are repeat
//!   stays) — illustrative, chosen so that annual caps and 大病 thresholds are reached by some.
//! - **Where**: the policy's levels from lowest to highest rank take 45 %, 40 %, 15 % of stays
//!   (seed 003: 区乡级医疗机构住院人次占 73.09 %; seed 001 and domain brief: 县外住院人次控制在
//!   15 % 以内); a policy with more levels shares the last 15 % among the rest.
//! - **What it costs**: log-normal bills (σ = 0.9, a long right tail: a few stays cost ten times
//!   the typical one) with means of 1,000, 2,800 and 7,500 元 by rank — the overall mean, about
//!   2,700 元, near seed 003's 住院次均费用 2,523 元; higher levels of a policy with more than
//!   three scale by 2.5× each. In-scope share uniform 80–95 % (seed 003: 可报费用比例 88 %).
//! - **Who**: the policy's first category for 85 % of people, the others sharing the rest; ages
//!   0–90, weighted towards the old (half are over 50), as inpatients are.
//! - **Referral**: stays above the lowest level come with a referral slip from it 80 % of the
//!   time and are emergencies 5 % of the time (illustrative: the penalties then show in replays).
//! - **Outpatient**: when the policy has a general outpatient route (门诊统筹), each person also
//!   has 0–6 visits at the lowest level of 30–300 元.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Poisson};
use yibao_core::case::Setting;
use yibao_core::claims::Claim;
use yibao_core::date::Date;
use yibao_core::money::Money;
use yibao_core::policy::{OutpatientKind, Policy};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    pub seed: u64,
    /// Stop at this many claims.
    pub claims: usize,
    /// Inpatient stays only (the OpenFisca comparison's rule has no outpatient part).
    pub inpatient_only: bool,
}

/// σ of the log-normal bills.
const SIGMA: f64 = 0.9;

/// The mean bill at the level of the given rank order (0 = lowest), in yuan.
fn mean_bill(order: usize) -> f64 {
    match order {
        0 => 1_000.0,
        1 => 2_800.0,
        n => 7_500.0 * 2.5f64.powi(n as i32 - 2),
    }
}

/// Yuan to an exact amount in fen. Floats only draw the random numbers; each amount becomes an
/// exact decimal once, here, and no arithmetic is ever done on the float.
fn yuan(x: f64) -> Money {
    let fen = (x.max(0.01) * 100.0).round() as i64;
    Money(rust_decimal::Decimal::new(fen, 2))
}

pub fn claims(p: &Policy, spec: &Spec) -> Vec<Claim> {
    let mut out = Vec::with_capacity(spec.claims);
    let Ok(_) = each(p, spec, |c| {
        out.push(c);
        Ok::<(), std::convert::Infallible>(())
    });
    out
}

/// The claims [`claims`] gives, handed to `f` one at a time as they are made (a province's file
/// is written as it goes, never held whole); stops at `f`'s first error. Returns how many.
pub fn each<E>(
    p: &Policy,
    spec: &Spec,
    mut f: impl FnMut(Claim) -> Result<(), E>,
) -> Result<usize, E> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    // Stays happen where the policy pays for them (a village clinic admits no one).
    let r = &p.inpatient.ratio;
    let admits = |id: &String| {
        r.rates.contains_key(id)
            || r.tiered.contains_key(id)
            || p.inpatient
                .tables
                .iter()
                .any(|t| t.rates.contains_key(id) || t.tiered.contains_key(id))
    };
    let mut levels: Vec<&yibao_core::policy::Level> =
        p.levels.iter().filter(|l| admits(&l.id)).collect();
    levels.sort_by_key(|l| l.rank);
    if levels.is_empty() {
        return Ok(0);
    }
    // Visits go to the lowest level the general outpatient route pays at.
    let clinic = p
        .levels
        .iter()
        .filter(|l| {
            p.outpatient
                .iter()
                .any(|o| o.kind == OutpatientKind::General && o.rates.contains_key(&l.id))
        })
        .min_by_key(|l| l.rank)
        .map(|l| l.id.clone());
    let level_weights: Vec<f64> = match levels.len() {
        1 => vec![1.0],
        2 => vec![0.6, 0.4],
        n => {
            let rest = 0.15 / (n - 2) as f64;
            [0.45, 0.40]
                .into_iter()
                .chain((2..n).map(|_| rest))
                .collect()
        }
    };
    let outpatient = if spec.inpatient_only { None } else { clinic };
    let year = p.meta.effective_from.year;
    let start = Date {
        year,
        month: 1,
        day: 1,
    }
    .days()
    .max(p.meta.effective_from.days());
    let end = Date {
        year,
        month: 12,
        day: 31,
    }
    .days()
    .min(p.meta.effective_to.days());
    let days = (end - start).max(0) as u64 + 1;
    let stays = Poisson::new(0.35).expect("a positive rate");
    let visits_per_person = 0..=6u32;
    let mut made = 0usize;
    let mut person = 0u64;
    while made < spec.claims {
        person += 1;
        let pid = format!("P{person:07}");
        let category = if p.categories.len() < 2 || rng.random_bool(0.85) {
            p.categories.first()
        } else {
            p.categories.get(rng.random_range(1..p.categories.len()))
        }
        .map_or(String::new(), |c| c.id.clone());
        let age = if rng.random_bool(0.5) {
            rng.random_range(51..=90)
        } else {
            rng.random_range(0..=50)
        };
        let n = 1 + stays.sample(&mut rng) as u32;
        let mut mine = Vec::new();
        for _ in 0..n {
            let order = pick(&mut rng, &level_weights);
            let mean = mean_bill(order);
            // A log-normal with this mean: μ = ln(mean) − σ²/2.
            let bill = LogNormal::new(mean.ln() - SIGMA * SIGMA / 2.0, SIGMA)
                .expect("a finite σ")
                .sample(&mut rng);
            let total = yuan(bill);
            let share = rng.random_range(0.80..=0.95);
            let in_scope = yuan(bill * share).min(total);
            let lowest = &levels[0].id;
            let referred = order > 0 && rng.random_bool(0.8);
            let date = Date::from_days(start + rng.random_range(0..days) as i64);
            mine.push(Claim {
                person_id: pid.clone(),
                date,
                setting: Setting::Inpatient,
                level: levels[order].id.clone(),
                category: category.clone(),
                age: Some(age),
                total: Some(total),
                in_scope: Some(in_scope),
                from_level: referred.then(|| lowest.clone()),
                slip: referred,
                slip_date: referred.then_some(date),
                emergency: order > 0 && rng.random_bool(0.05),
                ..Claim::default()
            });
        }
        if let Some(clinic) = &outpatient {
            for _ in 0..rng.random_range(visits_per_person.clone()) {
                let cost = yuan(rng.random_range(30.0..300.0));
                mine.push(Claim {
                    person_id: pid.clone(),
                    date: Date::from_days(start + rng.random_range(0..days) as i64),
                    setting: Setting::Outpatient,
                    level: clinic.clone(),
                    category: category.clone(),
                    age: Some(age),
                    total: Some(cost),
                    in_scope: Some(cost),
                    ..Claim::default()
                });
            }
        }
        mine.sort_by_key(|c| c.date);
        for mut c in mine {
            if made == spec.claims {
                break;
            }
            made += 1;
            c.claim_id = format!("C{made:08}");
            f(c)?;
        }
    }
    Ok(made)
}

fn pick(rng: &mut impl Rng, weights: &[f64]) -> usize {
    let mut x = rng.random_range(0.0..weights.iter().sum::<f64>());
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}
