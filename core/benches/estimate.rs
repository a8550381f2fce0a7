//! One full inpatient estimate with trace: 20 line items, three layers (大病保险, 医疗救助,
//! 二次补助) and the overall ceiling, on the demo policy. Budget: under 5 µs natively. Steps keep
//! their sentences as data (`message::Msg`); a second bench adds wording every step in both languages.
//! Also the disease type-ahead search, which runs on every keystroke.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use yibao_core::catalogue::search;
use yibao_core::policy::load::parse_policy;
use yibao_core::{estimate, Date};

#[path = "support/case.rs"]
mod bench_case;
use bench_case::case;

fn bench(c: &mut Criterion) {
    let doc = parse_policy(
        yibao_shipped::file(yibao_shipped::DEMO).unwrap(),
        yibao_shipped::DEMO,
    )
    .unwrap();
    let case = case();
    let today = Date::parse("2025-06-01").unwrap();
    let e = estimate(&doc, &case, today).unwrap();
    let layers = e
        .steps
        .iter()
        .filter(|s| s.key.starts_with("layer:") && !s.amount.is_zero())
        .count();
    assert!(
        layers >= 3,
        "the benchmark case should exercise three paying layers, got {layers}"
    );
    c.bench_function("estimate_inpatient_20_items_3_layers", |b| {
        b.iter(|| estimate(black_box(&doc), black_box(&case), today).unwrap())
    });
    // What a front end pays when it also words every step in both languages.
    c.bench_function("estimate_and_word_every_step_zh_en", |b| {
        b.iter(|| {
            let e = estimate(black_box(&doc), black_box(&case), today).unwrap();
            e.steps
                .iter()
                .map(|s| s.zh().len() + s.en().len())
                .sum::<usize>()
        })
    });
    c.bench_function("search_diseases_pinyin", |b| {
        b.iter(|| search(black_box(&doc.policy), black_box("gxy"), 10))
    });
    // The one diagnosis search on a keystroke: the demo catalogue and the national list (33,304
    // names, their pinyin and 750+ everyday words), an everyday word, pinyin initials (every
    // name scanned), and a typo (nothing matches exactly: the one-edit pass over every name).
    let index = include_str!("../../data/diagnoses.idx");
    let national = yibao_core::diagnosis::National::parse(index).unwrap();
    for (bench, q) in [
        ("search_diagnoses_alias", "心梗"),
        ("search_diagnoses_initials", "jxxjgs"),
        ("search_diagnoses_typo", "xinegng"),
    ] {
        c.bench_function(bench, |b| {
            b.iter(|| {
                yibao_core::diagnosis::search(
                    black_box(&doc.policy),
                    Some(&national),
                    black_box(q),
                    8,
                )
            })
        });
    }
    c.bench_function("parse_diagnosis_index", |b| {
        b.iter(|| {
            yibao_core::diagnosis::National::parse(black_box(index))
                .unwrap()
                .len()
        })
    });
    c.bench_function("parse_and_validate_demo_policy", |b| {
        b.iter(|| {
            parse_policy(
                black_box(yibao_shipped::file(yibao_shipped::DEMO).unwrap()),
                "demo",
            )
            .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
