//! Replays of generated county-years: the batch path against the full estimate claim by claim,
//! its totals recomputed here from the per-claim results, files in and out, bad rows, two
//! policies side by side, and the same answer on any number of threads.

mod common;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use yibao_batch::generate::{self, Spec};
use yibao_batch::{columnar, table, text};
use yibao_core::case::Ytd;
use yibao_core::claims::Claim;
use yibao_core::estimate::{Key, FIELDS};
use yibao_core::{estimate, Code, Money, PolicyDoc};

const POLICIES: [&str; 4] = [
    "demo-county/resident-2024",
    "sichuan-dazhou/employee-2024",
    "tianjin/resident-2024",
    "shandong/critical-illness-2014",
];

fn year(doc: &PolicyDoc, n: usize, seed: u64) -> Vec<Claim> {
    let spec = Spec {
        seed,
        claims: n,
        inpatient_only: false,
    };
    generate::claims(&doc.policy, &spec)
}

fn quiet(_: u64) {}

#[test]
fn a_replay_pays_what_the_full_estimate_pays_claim_by_claim() {
    for id in POLICIES {
        let doc = common::shipped(id);
        let claims = year(doc, 4000, 7);
        let r = yibao_batch::replay(doc, &claims, &quiet);
        assert_eq!(r.results.len(), claims.len());
        assert_eq!(
            r.summary.refused, 0,
            "{id}: the generator writes claims the policy takes"
        );
        // Every 7th person, chained by hand with the full estimate and its own ytd_after.
        let persons = yibao_core::replay::by_person(&claims);
        let mut checked = 0;
        for idx in persons.iter().step_by(7) {
            let mut ytd = Ytd::default();
            for i in idx.iter().map(|&i| i as usize) {
                let c = &claims[i];
                let e = estimate(doc, &c.to_case(ytd.clone()), c.date).unwrap();
                let s = r.results[i].as_ref().unwrap();
                assert_eq!(e.settlement, s.settlement, "{id} {}", c.claim_id);
                assert_eq!(e.route, s.route);
                ytd = e.ytd_after;
                checked += 1;
            }
        }
        assert!(checked > 400, "{id}: {checked}");
        // Some people have several stays, so the chaining was exercised.
        assert!(persons.iter().any(|p| p.len() >= 3), "{id}");
    }
}

/// Sum a results table's column from its text, as a spreadsheet would.
fn column_sum(t: &table::Results, col: &str, only: impl Fn(&[String]) -> bool) -> Money {
    let i = t.header.iter().position(|h| h == col).unwrap();
    t.rows
        .iter()
        .filter(|r| only(r))
        .map(|r| Money(r[i].parse::<Decimal>().unwrap()))
        .sum()
}

#[test]
fn the_totals_are_the_sums_of_the_claims_results() {
    let doc = common::demo();
    let claims = year(doc, 3000, 11);
    let r = yibao_batch::replay(doc, &claims, &quiet);
    let t = table::results(&claims, &[&r.results]);
    let all = &r.summary.all;
    let any = |_: &[String]| true;
    assert_eq!(all.claims, 3000);
    // Every summed field is its column's sum.
    for k in Key::SUMMED {
        assert_eq!(
            all.get(k),
            column_sum(&t, k.as_str(), any),
            "{}",
            k.as_str()
        );
    }
    // Every bill is paid by someone, to the fen.
    assert_eq!(
        all.get(Key::MedfeeSumamt),
        all.get(Key::FundPaySumamt) + all.get(Key::PsnPartAmt) + all.get(Key::HospPartAmt)
    );
    // Breakdowns add up to the whole and match their own rows.
    let level_col = t.header.iter().position(|h| h == "level").unwrap();
    let mut by_level: BTreeMap<String, Money> = BTreeMap::new();
    for (lv, tot) in &r.summary.by_level {
        let only = |row: &[String]| row[level_col] == *lv;
        assert_eq!(
            tot.get(Key::FundPaySumamt),
            column_sum(&t, "fund_pay_sumamt", only),
            "{lv}"
        );
        by_level.insert(lv.clone(), tot.get(Key::FundPaySumamt));
    }
    assert_eq!(
        by_level.values().copied().sum::<Money>(),
        all.get(Key::FundPaySumamt)
    );
    let months: u64 = r.summary.by_month.values().map(|t| t.claims).sum();
    assert_eq!(months, 3000);
    assert_eq!(r.summary.ratio_bands.iter().sum::<u64>(), 3000);
    assert!(r.summary.by_month.len() == 12 && r.summary.by_level.len() >= 3);
    // Someone reaches a cap in a county-year (the generator's tail is there for that).
    assert!(!r.summary.cap_hits.is_empty());
}

#[test]
fn the_answer_is_the_same_on_one_thread_and_on_four() {
    let doc = common::demo();
    let claims = year(doc, 2000, 3);
    let run = |n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
            .install(|| yibao_batch::replay(doc, &claims, &quiet))
    };
    let (a, b) = (run(1), run(4));
    assert_eq!(a.summary, b.summary);
    assert_eq!(a.results, b.results);
}

#[test]
fn without_threads_the_replay_and_who_gains_are_the_same() {
    // What the browser's replay worker runs (yibao-batch without `parallel`), here beside the
    // threaded path on the same claims, with a proposal that changes what people pay.
    let current = common::demo();
    let text_now = yibao_shipped::file("demo-county/resident-2024.toml").unwrap();
    let proposed_text = text_now.replacen("county = \"75%\", city", "county = \"85%\", city", 1);
    let proposed = yibao_core::policy::load::parse_policy(&proposed_text, "proposed.toml").unwrap();
    let claims = year(current, 5000, 4);
    let told = std::sync::Mutex::new(vec![]);
    let a = yibao_batch::run::replay_in_order(current, &claims, &|n| told.lock().unwrap().push(n));
    let b = yibao_batch::run::replay_in_order(&proposed, &claims, &quiet);
    let (ta, tb) = (
        yibao_batch::replay(current, &claims, &quiet),
        yibao_batch::replay(&proposed, &claims, &quiet),
    );
    assert_eq!(a.summary, ta.summary);
    assert_eq!(a.results, ta.results);
    assert_eq!(b.summary, tb.summary);
    assert_ne!(
        a.summary.all, b.summary.all,
        "the proposal changes the totals"
    );
    let e = yibao_batch::run::extremes_in_order(&claims, &a, &b, 5);
    assert_eq!(e, yibao_batch::run::extremes(&claims, &ta, &tb, 5));
    assert!(e.fewer > 0 && e.gains.len() == 5);
    // Progress between persons, every couple of thousand claims, rising, ending with all.
    let told = told.into_inner().unwrap();
    assert!(told.len() >= 3, "{told:?}");
    assert!(told.windows(2).all(|w| w[0] < w[1]), "{told:?}");
    assert!(told
        .windows(2)
        .all(|w| w[1] - w[0] <= 2 * yibao_batch::run::PROGRESS_EVERY));
    assert_eq!(told.last(), Some(&5000));
}

#[test]
fn claims_files_round_trip_through_csv_and_parquet() {
    let doc = common::shipped("sichuan-dazhou/employee-2024");
    let claims = year(doc, 500, 5);
    let mut csv = vec![];
    text::write_claims(&mut csv, &claims).unwrap();
    let back = text::read_claims(&csv[..]).unwrap();
    assert!(back.bad.is_empty(), "{:?}", back.bad.first());
    assert_eq!(back.claims, claims);
    assert_eq!(back.rows[0], 2, "row numbers count the header as row 1");

    let dir = std::env::temp_dir().join(format!("yibao-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("claims.parquet");
    let batch = columnar::claims_batch(&claims).unwrap();
    columnar::write_parquet(std::fs::File::create(&path).unwrap(), &batch).unwrap();
    let back = columnar::read_parquet(std::fs::File::open(&path).unwrap()).unwrap();
    assert!(back.bad.is_empty(), "{:?}", back.bad.first());
    assert_eq!(back.claims, claims);

    // Results as Arrow: amounts are exact decimals.
    let r = yibao_batch::replay(doc, &claims, &quiet);
    let t = table::results(&claims, &[&r.results]);
    let b = columnar::results_batch(&t).unwrap();
    assert_eq!(b.num_rows(), 500);
    let field = b
        .schema()
        .field_with_name("fund_pay_sumamt")
        .unwrap()
        .clone();
    assert_eq!(field.data_type(), &columnar::AMOUNT);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_rows_are_counted_and_named_by_row_and_column_and_the_rest_still_run() {
    let csv = "claim_id,person_id,date,setting,level,category,total,in_scope,colour\n\
        c1,p1,2024-03-01,inpatient,county,general,8000,7000,red\n\
        c2,p1,2024-13-01,inpatient,county,general,8000,7000,\n\
        c3,p2,2024-03-02,inpatient,county,general,-5,,\n\
        c4,,2024-03-02,inpatient,county,general,100,,\n\
        c5,p3,2024-03-02,inpatient,county,general,12.345.6,,\n\
        c6,p3,2024-04-02,hospital,county,general,100,,\n\
        c7,p4,2024-05-02,inpatient,moon,general,100,,\n\
        c8,p4,2024-06-02,inpatient,county,general,900,,\n";
    let loaded = text::read_claims(csv.as_bytes()).unwrap();
    let seen: Vec<(u64, &str, Code)> = loaded
        .bad
        .iter()
        .map(|b| (b.row, b.problem.path.as_str(), b.problem.code))
        .collect();
    assert_eq!(
        seen,
        [
            (1, "colour", Code::UnknownKey),
            (3, "date", Code::InvalidDate),
            (4, "total", Code::NegativeAmount),
            (5, "person_id", Code::MissingField),
            (6, "total", Code::InvalidNumber),
            (7, "setting", Code::InvalidValue),
        ]
    );
    assert!(loaded
        .bad
        .iter()
        .all(|b| !b.problem.message_zh.is_empty() && !b.problem.message_en.is_empty()));
    assert_eq!(loaded.rows, [2, 8, 9]);
    // The engine refuses the unknown level: counted, named at its column, the others settle.
    let r = yibao_batch::replay(common::demo(), &loaded.claims, &quiet);
    assert_eq!(r.summary.refused, 1);
    let refused = r.results[1].as_ref().unwrap_err();
    assert_eq!(refused.0[0].path, "level");
    assert_eq!(refused.0[0].code, Code::UnknownLevel);
    assert_eq!(r.summary.all.claims, 2);
}

#[test]
fn two_policies_side_by_side_show_who_gains() {
    let current = common::demo();
    // The proposal raises the county hospital's ratio by ten points: nobody pays more, and
    // those with a county stay pay less.
    let text_now = yibao_shipped::file("demo-county/resident-2024.toml").unwrap();
    let now = "county = \"75%\", city";
    assert!(
        text_now.contains(now),
        "the demo's county hospital pays 75 %"
    );
    let proposed_text = text_now.replacen(now, "county = \"85%\", city", 1);
    let proposed = yibao_core::policy::load::parse_policy(&proposed_text, "proposed.toml").unwrap();
    let claims = year(current, 3000, 9);
    let a = yibao_batch::replay(current, &claims, &quiet);
    let b = yibao_batch::replay(&proposed, &claims, &quiet);
    let e = yibao_batch::run::extremes(&claims, &a, &b, 5);
    assert_eq!(e.fewer + e.same + e.more, a.summary.persons);
    assert_eq!(e.more, 0, "a higher ratio never raises anyone's burden");
    assert!(e.fewer > 0);
    assert_eq!(e.gains.len(), 5);
    assert!(e.gains.windows(2).all(|w| w[0].change <= w[1].change));
    assert!(b.summary.all.get(Key::FundPaySumamt) > a.summary.all.get(Key::FundPaySumamt));
    let county_gain: Decimal = a.summary.by_level["county"].get(Key::PsnPartAmt).0
        - b.summary.by_level["county"].get(Key::PsnPartAmt).0;
    assert!(county_gain > Decimal::ZERO);
    // The comparison table carries both policies' amounts.
    let t = table::results(&claims, &[&a.results, &b.results]);
    assert!(t.header.contains(&"a_psn_part_amt".to_string()));
    assert!(t.header.contains(&"b_psn_part_amt".to_string()));
    assert_eq!(t.header.len(), 7 + 2 * (FIELDS.len() + 2));
}

#[test]
fn the_generator_is_seeded_and_shaped_by_the_policy() {
    let doc = common::demo();
    let a = year(doc, 1000, 42);
    assert_eq!(a, year(doc, 1000, 42));
    assert_ne!(a, year(doc, 1000, 43));
    let levels: Vec<&str> = doc.policy.levels.iter().map(|l| l.id.as_str()).collect();
    assert!(a.iter().all(|c| levels.contains(&c.level.as_str())));
    assert!(a
        .iter()
        .all(|c| c.date.year == doc.policy.meta.effective_from.year));
    let inpatient_only = generate::claims(
        &doc.policy,
        &Spec {
            seed: 1,
            claims: 500,
            inpatient_only: true,
        },
    );
    assert!(inpatient_only
        .iter()
        .all(|c| c.setting == yibao_core::case::Setting::Inpatient));
}

#[test]
fn a_gbk_row_is_named_as_an_encoding_problem() {
    let mut csv = b"claim_id,person_id,date,setting,level,category,total\n\
        c1,p1,2024-03-01,inpatient,county,general,8000\n"
        .to_vec();
    // "张三" in GBK, as Excel writes a Chinese CSV by default.
    csv.extend_from_slice(b"c2,\xd5\xc5\xc8\xfd,2024-03-02,inpatient,county,general,900\n");
    let loaded = text::read_claims(&csv[..]).unwrap();
    assert_eq!(loaded.claims.len(), 1);
    assert_eq!(loaded.bad.len(), 1);
    assert_eq!(loaded.bad[0].row, 3);
    assert_eq!(loaded.bad[0].problem.code, Code::NotUtf8);
    assert!(loaded.bad[0].problem.message_en.contains("UTF-8"));
}

/// The benchmark rule (benchmarks/openfisca/policy.toml), as the OpenFisca comparison replays it.
fn benchmark_policy() -> PolicyDoc {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../benchmarks/openfisca/policy.toml"
    );
    let text = std::fs::read_to_string(path).unwrap();
    yibao_core::policy::load::parse_policy(&text, "policy.toml").unwrap()
}

#[test]
fn the_compiled_path_replays_what_the_general_path_replays() {
    use yibao_batch::run::{run, Keep, Path};
    let bench = benchmark_policy();
    let docs: Vec<&PolicyDoc> = POLICIES
        .iter()
        .map(|id| common::shipped(id))
        .chain([&bench])
        .collect();
    // Inpatient stays only, and stays with visits (门诊统筹: compiled like the stays).
    for (doc, inpatient_only) in docs.iter().flat_map(|d| [(*d, true), (*d, false)]) {
        let id = &doc.policy.meta.id;
        let spec = Spec {
            seed: 23,
            claims: 12_000,
            inpatient_only,
        };
        let claims = generate::claims(&doc.policy, &spec);
        let keys = yibao_core::claims::Keys::of(&claims);
        let fast = run(doc, &claims, &keys, &quiet, Keep::Results, Path::Fastest);
        let general = run(doc, &claims, &keys, &quiet, Keep::Results, Path::General);
        let totals = run(doc, &claims, &keys, &quiet, Keep::Totals, Path::Fastest);
        assert_eq!(general.engine.compiled_claims, 0);
        // Every one of these policies compiles, and the generator writes plain stays and visits:
        // at least four claims in five are the compiled path's, so the equalities below are
        // about it.
        assert_eq!(fast.engine.not_compiled, None, "{id}");
        assert!(
            fast.engine.compiled_claims * 10 >= claims.len() as u64 * 8,
            "{id} (inpatient only: {inpatient_only}): {:?}",
            fast.engine
        );
        // And visits among them, when the policy has a general outpatient route.
        let visits = claims
            .iter()
            .filter(|c| c.setting == yibao_core::case::Setting::Outpatient)
            .count();
        assert!(
            inpatient_only || visits * 3 > claims.len() || doc.policy.outpatient.is_empty(),
            "{id}: {visits} visits of {}",
            claims.len()
        );
        assert_eq!(fast.results, general.results, "{id}");
        assert_eq!(fast.summary, general.summary, "{id}");
        // The same text too: amounts and ratio sums are written alike whichever path made them.
        assert_eq!(
            serde_json::to_string(&fast.summary).unwrap(),
            serde_json::to_string(&general.summary).unwrap(),
            "{id}"
        );
        assert_eq!(fast.refused, general.refused, "{id}");
        assert_eq!(totals.summary, fast.summary, "{id}");
        assert!(totals.results.is_empty());
    }
}

/// The partition does not depend on the file being grouped by person or in date order: the
/// same claims shuffled replay to the same summary and the same result per claim.
#[test]
fn a_shuffled_file_replays_the_same() {
    let doc = common::shipped("tianjin/resident-2024");
    let claims = year(doc, 6000, 31);
    // Persons interleaved (each one's first claims, then their second ones …), and each person's
    // claims written backwards when their dates all differ (same-day claims keep file order).
    let persons = yibao_core::replay::by_person(&claims);
    let mut ranked: Vec<(usize, usize, usize)> = vec![];
    for (p, idx) in persons.iter().enumerate() {
        let mut mine: Vec<usize> = idx.iter().map(|&i| i as usize).collect();
        if mine
            .windows(2)
            .all(|w| claims[w[0]].date != claims[w[1]].date)
        {
            mine.reverse();
        }
        ranked.extend(
            mine.into_iter()
                .enumerate()
                .map(|(rank, i)| (rank, (p * 7919) % 1009, i)),
        );
    }
    ranked.sort();
    let order: Vec<usize> = ranked.into_iter().map(|(_, _, i)| i).collect();
    let shuffled: Vec<Claim> = order.iter().map(|&i| claims[i].clone()).collect();
    let a = yibao_batch::replay(doc, &claims, &quiet);
    let b = yibao_batch::replay(doc, &shuffled, &quiet);
    assert_eq!(a.summary, b.summary);
    for (j, &i) in order.iter().enumerate() {
        assert_eq!(a.results[i], b.results[j], "{}", claims[i].claim_id);
    }
    let persons = yibao_core::replay::by_person(&shuffled);
    for idx in persons.iter() {
        assert!(idx
            .windows(2)
            .all(|w| shuffled[w[0] as usize].date <= shuffled[w[1] as usize].date));
        assert!(idx
            .iter()
            .all(|&i| shuffled[i as usize].person_id == shuffled[idx[0] as usize].person_id));
    }
}
