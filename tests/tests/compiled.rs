//! The compiled settlement path (`replay::compiled`) against the general one, on inline
//! policies that use what the shipped policies do not (OutOfScope and commercial layers,
//! once-a-year deductibles, jiao / yuan rounding, truncation, step-down nth admissions,
//! referral penalties, category tables), and on corner cases found by reading the code.

mod common;
use proptest::prelude::*;
use proptest::sample::Index;
use yibao_core::case::Setting;
use yibao_core::claims::{Claim, Keys};
use yibao_core::estimate::Key;
use yibao_core::policy::load::parse_policy;
use yibao_core::policy::FilingKind;
use yibao_core::replay::compiled::Compiled;
use yibao_core::{Date, Money, PolicyDoc};

/// A policy with most of what compiles: five levels (the village has no inpatient ratio),
/// three categories, category table, age adjustments, referral rules, fund layers in and out of
/// scope, commercial layers that are not opt-in. `@…@` marks are replaced per variant.
const BASE: &str = r#"
[meta]
id = "test/compiled"
name_zh = "测试政策"
name_en = "test policy"
region_zh = "测试县"
region_en = "Test County"
scheme = "resident"
effective_from = 2024-01-01
effective_to = 2025-12-31
status = "example"

[[sources]]
id = "t"
title = "test"

[rounding]
mode = "@MODE@"
unit = "@UNIT@"
cite = { source = "t", clause = "rounding" }

[[levels]]
id = "village"
name_zh = "村"
name_en = "village"
rank = 0
scope = "county"
[[levels]]
id = "township"
name_zh = "乡"
name_en = "township"
rank = 1
scope = "county"
[[levels]]
id = "county"
name_zh = "县"
name_en = "county"
rank = 2
scope = "county"
[[levels]]
id = "city"
name_zh = "市"
name_en = "city"
rank = 3
scope = "city"
[[levels]]
id = "province"
name_zh = "省"
name_en = "province"
rank = 4
scope = "province"

[[categories]]
id = "general"
name_zh = "普通"
name_en = "general"
[[categories]]
id = "dibao"
name_zh = "低保"
name_en = "dibao"
[[categories]]
id = "retired"
name_zh = "退休"
name_en = "retired"

[inpatient.deductible]
by_level = { village = "100", township = "300", county = "650.50", city = "1000", province = "3000" }
upward_difference_only = true
waived_after_downward = true
transfer_cite = { source = "t", clause = "transfer" }
cite = { source = "t", clause = "deductible" }
@NTH@
@ONCE@

[[inpatient.deductible.by_category]]
categories = ["dibao"]
factor = "50%"
cite = { source = "t", clause = "by category" }

[inpatient.ratio]
rates = { village = "90%", township = "80%", county = "75%", city = "65%", province = "50%" }
cite = { source = "t", clause = "ratio" }

[[inpatient.ratio.adjust]]
name_zh = "老人"
name_en = "elderly"
when = { age_min = 60 }
points = "3"
cite = { source = "t", clause = "adjust" }

[[inpatient.ratio.adjust]]
name_zh = "儿童"
name_en = "children"
when = { age_max = 6, levels = ["county", "city"] }
points = "2.5"
cite = { source = "t", clause = "adjust" }

[inpatient.caps]
annual_fund = "150000"
@PER_ADMISSION@
cite = { source = "t", clause = "caps" }

[[inpatient.tables]]
categories = ["retired"]
deductible = { county = "500" }
rates = { county = "85%" }
annual_fund = "200000"
cite = { source = "t", clause = "retired" }

[[layers]]
id = "critical"
name_zh = "大病"
name_en = "critical"
pays_into = "hifmi_pay"
threshold = "10000"
base = "cumulative"
tiers = [{ up_to = "50000", rate = "50%" }, { rate = "60%" }]
annual_cap = "100000"
cite = { source = "t", clause = "critical" }
[[layers.overrides]]
categories = ["dibao"]
threshold = "5000"
rate_points = "5"
no_cap = true
cite = { source = "t", clause = "override" }
[[layers.overrides]]
diseases = ["C34"]
threshold = "0"
cite = { source = "t", clause = "override disease" }

[[layers]]
id = "assistance"
name_zh = "救助"
name_en = "assistance"
pays_into = "maf_pay"
categories = ["dibao"]
threshold = "0"
base = "cumulative"
tiers = [{ rate = "70%" }]
annual_cap = "20000"
cite = { source = "t", clause = "assistance" }

[[layers]]
id = "second"
name_zh = "二次补助"
name_en = "second"
pays_into = "oth_pay"
min_bill = "20000"
threshold = "5000"
base = "above_threshold"
tiers = [{ up_to = "10000", rate = "20%" }, { rate = "25%" }]
annual_cap = "4000"
cite = { source = "t", clause = "second" }

@LAYERS@
[[referral.out_of_area]]
scope = "city"
filing_accepted = false
penalty = { ratio_points = "-10" }
cite = { source = "t", clause = "out of area" }

[[referral.out_of_area]]
scope = "province"
filing_accepted = true
penalty = { deductible = "4000" }
cite = { source = "t", clause = "out of province" }
[[referral.out_of_area.by_filing]]
kinds = ["long_term"]
cite = { source = "t", clause = "long term" }
[[referral.out_of_area.by_filing]]
kinds = ["emergency"]
penalty = { ratio_points = "-5" }
cite = { source = "t", clause = "emergency" }

[referral.upward]
validity_days = 30
penalty = { ratio_points = "-20" }
cite = { source = "t", clause = "upward" }

[referral.exemptions]
emergency = true
age_at_least = 80
age_at_most = 3
cite = { source = "t", clause = "exemptions" }
"#;

/// Layers outside scope and commercial ones (not opt-in, so claims reach them).
const MORE_LAYERS: &str = r#"
[[layers]]
id = "outside"
name_zh = "目录外救助"
name_en = "outside"
pays_into = "oth_pay"
on = "out_of_scope"
threshold = "1000"
base = "cumulative"
tiers = [{ rate = "30%" }]
annual_cap = "5000"
cite = { source = "t", clause = "outside" }

[[layers]]
id = "hmb_in"
name_zh = "惠民保目录内"
name_en = "commercial in scope"
pays_into = "yb_commercial_pay"
threshold = "2000"
base = "cumulative"
tiers = [{ rate = "50%" }]
annual_cap = "30000"
cite = { source = "t", clause = "hmb in" }

[[layers]]
id = "hmb_out"
name_zh = "惠民保目录外"
name_en = "commercial out of scope"
pays_into = "yb_commercial_pay"
on = "out_of_scope"
threshold = "500"
base = "cumulative"
tiers = [{ rate = "40%" }]
annual_cap = "8000"
cite = { source = "t", clause = "hmb out" }

[[layers]]
id = "relief"
name_zh = "倾斜救助"
name_en = "relief"
pays_into = "maf_pay"
threshold = "3000"
base = "cumulative"
tiers = [{ rate = "10%" }]
annual_cap = "1500"
cite = { source = "t", clause = "relief" }
"#;

#[derive(Clone, Copy, Debug)]
struct Variant {
    mode: &'static str,
    unit: &'static str,
    nth: &'static str,
    once: &'static str,
    per_admission: &'static str,
    layers: &'static str,
}

const NTH_FACTOR: &str = r#"
[[inpatient.deductible.nth_admission]]
from = 2
factor = "50%"
cite = { source = "t", clause = "nth" }
[[inpatient.deductible.nth_admission]]
from = 4
amount = "0"
cite = { source = "t", clause = "nth" }
"#;
const NTH_STEP: &str = r#"
[[inpatient.deductible.nth_admission]]
from = 2
step_down = "150.25"
min = "100"
cite = { source = "t", clause = "nth" }
"#;
const NTH_BY_LEVEL: &str = r#"
[[inpatient.deductible.nth_admission]]
from = 2
by_level = { county = "270", city = "350.5" }
cite = { source = "t", clause = "nth" }
"#;
const ONCE_CAP: &str = r#"
[inpatient.deductible.once_a_year]
cap = "800"
cite = { source = "t", clause = "once" }
"#;
const ONCE: &str = r#"
[inpatient.deductible.once_a_year]
cite = { source = "t", clause = "once" }
"#;

fn policy(v: &Variant) -> PolicyDoc {
    let text = BASE
        .replace("@MODE@", v.mode)
        .replace("@UNIT@", v.unit)
        .replace("@NTH@", v.nth)
        .replace("@ONCE@", v.once)
        .replace("@PER_ADMISSION@", v.per_admission)
        .replace("@LAYERS@", v.layers);
    parse_policy(&text, "test.toml").unwrap_or_else(|e| panic!("{e:?}"))
}

fn variants() -> Vec<Variant> {
    let mut out = vec![];
    let base = Variant {
        mode: "half_up",
        unit: "fen",
        nth: "",
        once: "",
        per_admission: "",
        layers: MORE_LAYERS,
    };
    for (mode, unit) in [
        ("half_up", "fen"),
        ("truncate", "fen"),
        ("half_up", "jiao"),
        ("truncate", "jiao"),
        ("half_up", "yuan"),
        ("truncate", "yuan"),
    ] {
        out.push(Variant { mode, unit, ..base });
    }
    for nth in [NTH_FACTOR, NTH_STEP, NTH_BY_LEVEL] {
        for once in ["", ONCE, ONCE_CAP] {
            out.push(Variant {
                nth,
                once,
                unit: "jiao",
                ..base
            });
        }
    }
    out.push(Variant {
        per_admission: r#"per_admission = "40000""#,
        ..base
    });
    out.push(Variant { layers: "", ..base });
    let overall: &'static str = Box::leak(format!("{MORE_LAYERS}{OVERALL}").into_boxed_str());
    out.push(Variant {
        layers: overall,
        ..base
    });
    out
}

/// The overall step: a ceiling on the funds' share, a floor for the dibao, full relief for the
/// retired (a variant kept only when the compiled path covers it).
const OVERALL: &str = r#"
[overall.max_share]
rate = "90%"
cite = { source = "t", clause = "max share" }

[[overall.floor]]
categories = ["dibao"]
min_ratio = "85%"
pays_into = "oth_pay"
cite = { source = "t", clause = "floor" }

[[overall.full_relief]]
categories = ["retired"]
pays_into = "maf_pay"
cite = { source = "t", clause = "full relief" }
"#;

/// Every variant, parsed and compiled once.
fn compiled_variants() -> &'static [(Variant, PolicyDoc, Compiled)] {
    static ALL: std::sync::OnceLock<Vec<(Variant, PolicyDoc, Compiled)>> =
        std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        variants()
            .into_iter()
            .filter_map(|v| {
                let doc = policy(&v);
                match Compiled::new(&doc) {
                    Ok(c) => Some((v, doc, c)),
                    // Only the overall step may be outside what compiles.
                    Err(e) if v.layers.contains("[overall") => {
                        eprintln!("not compiled: {e}");
                        None
                    }
                    Err(e) => panic!("{v:?}: {e}"),
                }
            })
            .collect()
    })
}

fn money(fen: i64) -> Money {
    Money(rust_decimal::Decimal::new(fen, 2))
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn claim(i: usize, day: &str, level: &str, category: &str, total_fen: i64) -> Claim {
    Claim {
        claim_id: format!("c{i}"),
        person_id: "p".into(),
        date: date(day),
        setting: Setting::Inpatient,
        level: level.into(),
        category: category.into(),
        age: None,
        total: Some(money(total_fen)),
        in_scope: None,
        ..Claim::default()
    }
}

/// Whether the compiled path takes these claims (one person's); a panic if it takes them and
/// settles them otherwise than the general path.
fn compiled_takes(doc: &PolicyDoc, claims: &[Claim]) -> bool {
    let c = Compiled::new(doc).unwrap_or_else(|e| panic!("{e}"));
    common::compiled_equals_general(doc, &c, claims).unwrap_or_else(|e| panic!("{e}"))
}

// --- generated persons on the inline policies ---

#[derive(Clone, Debug)]
struct Stay {
    level: Index,
    day: u16,
    total: i64,
    in_scope_pct: Option<i64>,
    /// 0 none, 1 an unknown code, 2 the override's disease.
    disease: u8,
    from: Option<Index>,
    /// 0 none, 1 slip of the day, 2 slip long expired, 3 slip without date.
    slip: u8,
    filing: bool,
    kind: Option<Index>,
    emergency: bool,
    /// The category changes for this stay.
    category: Option<Index>,
}

fn stays() -> impl Strategy<Value = (Index, Option<u32>, Vec<Stay>)> {
    let stay = (
        (
            any::<Index>(),
            0u16..730,
            prop_oneof![
                0i64..40_000_000,
                0i64..5_000_000_000,
                (0i64..400_000).prop_map(|y| y * 100)
            ],
            prop::option::of(0i64..=100),
        ),
        (0u8..3, prop::option::weighted(0.3, any::<Index>()), 0u8..4),
        (
            any::<bool>(),
            prop::option::weighted(0.3, any::<Index>()),
            prop::bool::weighted(0.15),
            prop::option::weighted(0.1, any::<Index>()),
        ),
    )
        .prop_map(
            |(
                (level, day, total, in_scope_pct),
                (disease, from, slip),
                (filing, kind, emergency, category),
            )| Stay {
                level,
                day,
                total,
                in_scope_pct,
                disease: if disease == 2 && day % 3 != 0 {
                    0
                } else {
                    disease
                },
                from,
                slip,
                filing,
                kind,
                emergency,
                category,
            },
        );
    (
        any::<Index>(),
        prop::option::of(prop::sample::select(vec![
            0u32, 2, 3, 4, 6, 7, 30, 59, 60, 61, 79, 80, 95,
        ])),
        prop::collection::vec(stay, 1..24),
    )
}

fn claims_for(doc: &PolicyDoc, category: &Index, age: Option<u32>, stays: &[Stay]) -> Vec<Claim> {
    let p = &doc.policy;
    let mut out: Vec<Claim> = stays
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let from = p.meta.effective_from;
            let d = Date::from_days(from.days() + i64::from(s.day));
            let cat = s.category.as_ref().unwrap_or(category).get(&p.categories);
            let mut c = claim(
                i,
                "2024-01-01",
                &s.level.get(&p.levels).id,
                &cat.id,
                s.total,
            );
            c.date = d;
            c.age = age;
            c.in_scope = s.in_scope_pct.map(|pct| money(s.total * pct / 100));
            c.disease = match s.disease {
                1 => Some("Z99.9".into()),
                2 => Some("C34.1".into()),
                _ => None,
            };
            c.from_level = s.from.map(|i| i.get(&p.levels).id.clone());
            match s.slip {
                1 => {
                    c.slip = true;
                    c.slip_date = Some(d);
                }
                2 => {
                    c.slip = true;
                    c.slip_date = Some(Date::from_days(d.days() - 45));
                }
                3 => c.slip = true,
                _ => {}
            }
            c.filing = s.filing;
            c.filing_kind = s.kind.map(|k| *k.get(&FilingKind::ALL));
            c.emergency = s.emergency;
            c
        })
        .collect();
    out.sort_by_key(|c| c.date);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every inline variant: what the compiled path accepts, it settles as the general path does.
    #[test]
    fn inline_policies_compiled_equals_general((category, age, stays) in stays()) {
        for (v, doc, c) in compiled_variants() {
            let claims = claims_for(doc, &category, age, &stays);
            if let Err(e) = common::compiled_equals_general(doc, c, &claims) {
                prop_assert!(false, "{:?}: {}", v, e);
            }
        }
    }
}

/// The generated persons are not mostly declined (the property above is not empty).
#[test]
fn the_inline_variants_compile_most_persons() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let mut accepted = vec![0usize; compiled_variants().len()];
    let n = 200;
    for _ in 0..n {
        let (category, age, stays) = stays().new_tree(&mut runner).unwrap().current();
        for (i, (v, doc, c)) in compiled_variants().iter().enumerate() {
            let claims = claims_for(doc, &category, age, &stays);
            if common::compiled_equals_general(doc, c, &claims)
                .unwrap_or_else(|e| panic!("{v:?}: {e}"))
            {
                accepted[i] += 1;
            }
        }
    }
    assert!(accepted.iter().all(|a| a * 5 > n), "{accepted:?} of {n}");
}

/// The whole replay (threads, partition, the integer tally merged with the general summary)
/// on many generated persons of the inline variants.
#[test]
fn the_inline_variants_replay_alike_on_both_paths() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use yibao_batch::run::{run, Keep, Path};
    fn quiet(_: u64) {}
    for (v, doc, _) in compiled_variants().iter().step_by(3) {
        let mut runner = TestRunner::deterministic();
        let mut claims = vec![];
        for person in 0..150 {
            let (category, age, stays) = stays().new_tree(&mut runner).unwrap().current();
            for mut c in claims_for(doc, &category, age, &stays) {
                c.person_id = format!("p{person}");
                c.claim_id = format!("p{person}-{}", c.claim_id);
                claims.push(c);
            }
        }
        let keys = Keys::of(&claims);
        let fast = run(doc, &claims, &keys, &quiet, Keep::Results, Path::Fastest);
        let general = run(doc, &claims, &keys, &quiet, Keep::Results, Path::General);
        assert!(fast.engine.compiled_claims > 0, "{v:?}");
        assert_eq!(fast.results, general.results, "{v:?}");
        assert_eq!(fast.summary, general.summary, "{v:?}");
    }
}

// --- features the shipped policies do not exercise, case by case (these pass) ---

fn base() -> PolicyDoc {
    policy(&Variant {
        mode: "half_up",
        unit: "fen",
        nth: "",
        once: "",
        per_admission: "",
        layers: MORE_LAYERS,
    })
}

/// Fund and commercial layers on the out-of-scope part, with the in-scope ones, chained over a
/// year until their caps bind; then a new year starts from nothing.
#[test]
fn out_of_scope_and_commercial_layers_chain_over_a_year() {
    let doc = base();
    let mut claims = vec![];
    for (i, (day, total, inscope)) in [
        ("2024-02-01", 3_000_000, Some(2_000_000)),
        ("2024-03-01", 9_876_543, Some(6_543_210)),
        ("2024-05-01", 12_345_678, Some(11_111_111)),
        ("2024-06-01", 80_000_001, Some(40_000_000)),
        ("2024-07-01", 20_000_000, None),
        ("2024-12-31", 15_000_000, Some(1_000_000)),
        ("2025-01-01", 15_000_000, Some(1_000_000)),
    ]
    .into_iter()
    .enumerate()
    {
        let mut c = claim(i, day, "county", "general", total);
        c.in_scope = inscope.map(money);
        claims.push(c);
    }
    assert!(compiled_takes(&doc, &claims));
    let c = Compiled::new(&doc).unwrap();
    let mine: Vec<&Claim> = claims.iter().collect();
    let slips = c.person(&mine).unwrap();
    // The layers did pay (and the out-of-scope and commercial caps bound).
    assert!(slips.iter().any(|s| s.fen[Key::YbCommercialPay] > 0));
    assert!(slips.iter().any(|s| s.fen[Key::OthPay] > 0));
    let limits: Vec<String> = slips.iter().flat_map(|s| c.limits(s.limits)).collect();
    assert!(limits.iter().any(|l| l == "layer:outside"), "{limits:?}");
    assert!(limits.iter().any(|l| l == "layer:hmb_out"), "{limits:?}");
}

/// One 起付线 a year (with and without a cap), across levels, the nth-admission rules and a new
/// year, on jiao rounding.
#[test]
fn once_a_year_deductibles_across_levels_and_years() {
    for once in [ONCE, ONCE_CAP] {
        for nth in ["", NTH_FACTOR, NTH_STEP] {
            let doc = policy(&Variant {
                mode: "half_up",
                unit: "jiao",
                nth,
                once,
                per_admission: "",
                layers: "",
            });
            let claims: Vec<Claim> = [
                ("2024-01-05", "township", 20_055),
                ("2024-02-05", "county", 150_099),
                ("2024-03-05", "province", 1_000_001),
                ("2024-04-05", "city", 5_000_000),
                ("2025-01-05", "city", 30_000),
                ("2025-01-06", "province", 900_000),
            ]
            .into_iter()
            .enumerate()
            .map(|(i, (d, l, t))| claim(i, d, l, "dibao", t))
            .collect();
            assert!(compiled_takes(&doc, &claims));
        }
    }
}

/// Jiao and yuan rounding, half up and truncated, on amounts that end in odd fen.
#[test]
fn jiao_and_yuan_rounding_half_up_and_truncated() {
    for (mode, unit) in [
        ("half_up", "jiao"),
        ("truncate", "jiao"),
        ("half_up", "yuan"),
        ("truncate", "yuan"),
        ("truncate", "fen"),
    ] {
        let doc = policy(&Variant {
            mode,
            unit,
            nth: NTH_BY_LEVEL,
            once: "",
            per_admission: "",
            layers: MORE_LAYERS,
        });
        let claims: Vec<Claim> = [1_234_567, 2_345_655, 99_999, 4_567_895, 6_000_051]
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let mut c = claim(i, "2024-05-01", "city", "dibao", t);
                c.in_scope = Some(money(t * 7 / 9));
                c
            })
            .collect();
        assert!(compiled_takes(&doc, &claims), "{mode} {unit}");
    }
}

/// A step-down deductible keeps lowering to its minimum over many admissions.
#[test]
fn step_down_nth_admissions_reach_their_minimum() {
    let doc = policy(&Variant {
        mode: "half_up",
        unit: "fen",
        nth: NTH_STEP,
        once: "",
        per_admission: r#"per_admission = "40000""#,
        layers: MORE_LAYERS,
    });
    let claims: Vec<Claim> = (0..40)
        .map(|i| {
            let d = Date::from_days(date("2024-01-01").days() + i * 9);
            let mut c = claim(
                i as usize,
                "2024-01-01",
                "province",
                "retired",
                500_000 + i * 77_777,
            );
            c.date = d;
            c
        })
        .collect();
    assert!(compiled_takes(&doc, &claims));
}

/// The referral situations: out of the county without a slip, with one of the day, with an
/// expired one; out of the province filed, unfiled, by filing kind, in an emergency; exempt by
/// age; transferred up (the difference of the deductibles) and down (none).
#[test]
fn referral_situations_settle_alike() {
    let doc = base();
    let mut claims = vec![];
    let mut push = |f: &dyn Fn(&mut Claim)| {
        let i = claims.len();
        let d = Date::from_days(date("2024-01-01").days() + 7 * i as i64);
        let level = ["city", "province"][i % 2];
        let mut c = claim(
            i,
            "2024-01-01",
            level,
            "general",
            2_345_600 + 100 * i as i64,
        );
        c.date = d;
        f(&mut c);
        claims.push(c);
    };
    push(&|_| {});
    push(&|_| {});
    push(&|c| {
        c.slip = true;
        c.slip_date = Some(c.date);
    });
    push(&|c| {
        c.slip = true;
        c.slip_date = Some(Date::from_days(c.date.days() - 31));
    });
    push(&|c| {
        c.slip = true;
        c.slip_date = Some(Date::from_days(c.date.days() + 1));
    });
    push(&|c| c.filing = true);
    push(&|c| c.filing_kind = Some(FilingKind::LongTerm));
    push(&|c| c.filing_kind = Some(FilingKind::Emergency));
    push(&|c| c.emergency = true);
    push(&|c| c.age = Some(80));
    push(&|c| c.from_level = Some("township".into()));
    push(&|c| c.from_level = Some("province".into()));
    push(&|c| {
        c.from_level = Some("county".into());
        c.slip = true;
    });
    assert!(compiled_takes(&doc, &claims));
    let c = Compiled::new(&doc).unwrap();
    let slips = c.person(&claims.iter().collect::<Vec<_>>()).unwrap();
    assert!(slips.iter().any(|s| s.penalised) && slips.iter().any(|s| !s.penalised));
}

/// The head the two employee test policies below share: meta, source, rounding, one level.
const EMPLOYEE_HEAD: &str = r#"
[meta]
id = "@ID@"
name_zh = "测试"
name_en = "test"
region_zh = "测试"
region_en = "test"
scheme = "employee"
effective_from = 2024-01-01
effective_to = 2024-12-31
status = "example"

[[sources]]
id = "t"
title = "test"

[rounding]
mode = "half_up"
unit = "fen"
cite = { source = "t", clause = "r" }

[[levels]]
id = "a"
name_zh = "甲"
name_en = "a"
rank = 1
scope = "county"
"#;

/// An employee test policy: [`EMPLOYEE_HEAD`] with `id`, then `body`.
fn employee(id: &str, body: &str) -> PolicyDoc {
    let text = format!("{}{body}", EMPLOYEE_HEAD.replace("@ID@", id));
    parse_policy(&text, "test.toml").unwrap_or_else(|e| panic!("{e:?}"))
}

/// A policy with a tiered basic ratio above the deductible, a category table with a co-pay
/// factor, a ratio floor, a penalty that multiplies the ratio, a typical mix and a raised cap.
const TIERED: &str = r#"
[[levels]]
id = "b"
name_zh = "乙"
name_en = "b"
rank = 3
scope = "national"

[[categories]]
id = "working"
name_zh = "在职"
name_en = "working"
[[categories]]
id = "retired"
name_zh = "退休"
name_en = "retired"

[inpatient.deductible]
by_level = { a = "800", b = "1200" }
cite = { source = "t", clause = "d" }

[inpatient.ratio]
tiered.a = { base = "above_threshold", tiers = [{ up_to = "30000", rate = "80%" }, { up_to = "90000", rate = "85%" }, { rate = "90%" }] }
tiered.b = { base = "cumulative", tiers = [{ up_to = "50000", rate = "70%" }, { rate = "80%" }] }
floor = { b = "65%" }
floor_cite = { source = "t", clause = "floor" }
cite = { source = "t", clause = "ratio" }

[inpatient.caps]
annual_fund = "400000"
cite = { source = "t", clause = "caps" }

[[inpatient.tables]]
categories = ["retired"]
copay_factor = "60%"
cite = { source = "t", clause = "retired" }

[[layers]]
id = "big"
name_zh = "大额"
name_en = "big"
pays_into = "hifob_pay"
threshold = "0"
base = "cumulative"
tiers = [{ rate = "90%" }]
annual_cap = "100000"
cite = { source = "t", clause = "big" }
[layers.cap_raise]
after_years = 4
per_continuous_year = "3000"
per_claim_free_year = "3000"
max_share = "20%"
cite = { source = "t", clause = "raise" }

[[referral.out_of_area]]
scope = "national"
filing_accepted = true
penalty = { ratio_factor = "90%" }
cite = { source = "t", clause = "out" }

[referral.exemptions]
cite = { source = "t", clause = "ex" }

[typical_mix]
cite = { source = "t", clause = "mix" }
[typical_mix.by_level.b]
out_of_scope = ["5%", "10%", "15%"]
preselfpay = ["1%", "2%", "3%"]
"#;

#[test]
fn tiered_ratios_copay_factors_floors_and_ratio_factors_settle_alike() {
    let doc = employee("test/tiered", TIERED);
    for category in ["working", "retired"] {
        let mut claims = vec![];
        for (i, (level, total, filed)) in [
            ("a", 2_000_000, false),
            ("a", 9_000_000, false),
            ("b", 7_000_000, true),
            ("b", 30_000_000, false),
            ("a", 25_000_000, false),
        ]
        .into_iter()
        .enumerate()
        {
            let mut c = claim(i, "2024-03-01", level, category, total);
            c.in_scope = Some(money(total - 10_000));
            c.filing = filed;
            claims.push(c);
        }
        assert!(compiled_takes(&doc, &claims), "{category}");
        // Without its in-scope part, a bill at a level with a typical mix is left to the
        // general path.
        claims[2].in_scope = None;
        assert!(!compiled_takes(&doc, &claims));
    }
}

// --- corner cases found by review: once settled differently, now declined ---

/// A policy with no annual cap but for the retired, whose own table has one.
const CAP_FOR_RETIRED: &str = r#"

[[categories]]
id = "working"
name_zh = "在职"
name_en = "working"
[[categories]]
id = "retired"
name_zh = "退休"
name_en = "retired"

[inpatient.deductible]
by_level = { a = "800" }
cite = { source = "t", clause = "d" }

[inpatient.ratio]
rates = { a = "90%" }
cite = { source = "t", clause = "ratio" }

[inpatient.caps]
cite = { source = "t", clause = "caps" }

[[inpatient.tables]]
categories = ["retired"]
annual_fund = "500000"
cite = { source = "t", clause = "retired" }
"#;

/// The year's basic-fund total is kept in fen and multiplied into units (10⁻¹⁰ yuan) for the
/// annual cap: past about 922 million yuan of payments in a year (possible when the cap is a
/// category's own and the person's category changes, 21 bills at the 50-million limit of a
/// key) that product would overflow; the compiled path declines the person instead (a checked
/// product), and the general path settles them.
#[test]
fn a_huge_year_of_fund_payments_does_not_overflow_the_annual_cap() {
    let doc = employee("test/cap", CAP_FOR_RETIRED);
    let mut claims: Vec<Claim> = (0..22)
        .map(|i| {
            claim(
                i,
                "2024-03-01",
                "a",
                "working",
                yibao_core::claims::Key::MAX_FEN,
            )
        })
        .collect();
    claims.push(claim(22, "2024-04-01", "a", "retired", 1_000_000));
    // Either declined or the same as the general path; never a panic or another amount.
    assert!(
        !compiled_takes(&doc, &claims),
        "declined to the general path"
    );
}

/// A claim's age is packed into a u16, so an age past it would be classed as 65,534: a ratio
/// adjustment (or a referral exemption) bounded above that would then be decided on the wrong
/// age. Only absurd ages and bounds reach it; such a claim is not `Key::PLAIN`, so the general
/// path settles it.
#[test]
fn an_age_past_the_packed_range_is_classed_by_its_real_age() {
    let adjust = r#"
[[inpatient.ratio.adjust]]
name_zh = "调整"
name_en = "adjust"
when = { age_min = 70000 }
points = "5"
cite = { source = "t", clause = "adjust" }
"#;
    let text = CAP_FOR_RETIRED.replace("[inpatient.caps]", &format!("{adjust}\n[inpatient.caps]"));
    let doc = employee("test/age", &text);
    let mut c = claim(0, "2024-03-01", "a", "working", 1_000_000);
    c.age = Some(70_000);
    assert!(!compiled_takes(&doc, &[c]), "declined to the general path");
}
