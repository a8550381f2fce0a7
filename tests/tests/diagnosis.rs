//! The one diagnosis search (core/src/diagnosis.rs): the county's catalogue first, then the
//! national 医保版 2.0 list, by everyday word, code, 国临版 code, name and pinyin, one typo
//! tolerated.

mod common;
use std::sync::LazyLock;
use yibao_core::diagnosis::{self, Found, Listed, National};
use yibao_core::Code;

static NATIONAL: LazyLock<National> =
    LazyLock::new(|| National::parse(include_str!("../../data/diagnoses.idx")).unwrap());

const NO_CATALOGUE: &str = "jiangxi-nanchang/resident-2025";

#[path = "../fixtures/everyday_words.rs"]
mod everyday_words;
use everyday_words::words;

#[test]
fn every_everyday_word_finds_its_code() {
    let words = words();
    assert!(words.len() >= 50, "{} words", words.len());
    let none = &common::shipped(NO_CATALOGUE).policy;
    assert!(none.catalogue.is_none());
    let demo = &common::demo().policy;
    let mut failures = vec![];
    for (word, national, at_demo) in &words {
        let hit = diagnosis::resolve(none, Some(&NATIONAL), word);
        match &hit {
            Some(h) if h.code == *national && h.national && h.listed == Listed::NoCatalogue => {}
            other => failures.push(format!(
                "{word} (no catalogue): want {national}, got {:?}",
                other.as_ref().map(|h| (&h.code, &h.name_zh, h.matched))
            )),
        }
        let hit = diagnosis::resolve(demo, Some(&NATIONAL), word);
        let (want, listed) = if at_demo == "=" {
            (national, Listed::NotListed)
        } else {
            (at_demo, Listed::Catalogue)
        };
        match &hit {
            Some(h) if h.code == *want && h.listed == listed && h.national == (at_demo == "=") => {}
            other => failures.push(format!(
                "{word} (demo): want {want} {listed:?}, got {:?}",
                other
                    .as_ref()
                    .map(|h| (&h.code, &h.name_zh, h.matched, h.listed))
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_issue_words_show_the_catalogue_row_and_its_national_codes() {
    let demo = &common::demo().policy;
    let hits = diagnosis::search(demo, Some(&NATIONAL), "心梗", 8);
    assert_eq!(hits[0].name_zh, "急性心肌梗死");
    assert_eq!(hits[0].matched, Found::Alias);
    assert_eq!(hits[0].via.as_deref(), Some("心梗"));
    assert!(!hits[0].national);
    // The national rows under the same catalogue entry are placed by it.
    assert!(hits[1..].iter().all(|h| h.national));
    // 急性心肌梗死 I21.900 has the catalogue row's name: shown once.
    assert!(hits.iter().filter(|h| h.name_zh == "急性心肌梗死").count() == 1);
    for h in hits.iter().filter(|h| h.code.starts_with("I21")) {
        assert_eq!(h.listed, Listed::Catalogue, "{}", h.code);
    }
}

#[test]
fn a_clinical_code_resolves_to_its_yibao_code() {
    // 国家临床版 2.0 → 医保版 2.0 (data/nhsa/ZD_MAP.dat).
    let cases = [
        ("A01.000x002", "A01.003"),
        ("A04.800x004", "A04.803"),
        ("a06.000X005", "A06.000"),
    ];
    for (clinical, yibao) in cases {
        assert_eq!(
            NATIONAL.resolve_code(clinical).map(|c| c.0),
            Some(yibao),
            "{clinical}"
        );
        let none = &common::shipped(NO_CATALOGUE).policy;
        let hit = diagnosis::resolve(none, Some(&NATIONAL), clinical).unwrap();
        assert_eq!((hit.code.as_str(), hit.matched), (yibao, Found::MappedCode));
        assert_eq!(hit.via.as_deref(), Some(clinical));
    }
    // A list code stays itself.
    assert_eq!(
        NATIONAL.resolve_code("i21.900").map(|c| c.0),
        Some("I21.900")
    );
}

#[test]
fn codes_prefixes_names_and_pinyin() {
    let none = &common::shipped(NO_CATALOGUE).policy;
    let s = |q: &str| diagnosis::search(none, Some(&NATIONAL), q, 10);
    assert_eq!(s("I21.900")[0].matched, Found::ExactCode);
    let prefix = s("I21.");
    assert!(prefix.len() == 10 && prefix.iter().all(|h| h.code.starts_with("I21.")));
    assert_eq!(s("急性心肌梗死")[0].code, "I21.900");
    // Full pinyin and initials of the names.
    assert_eq!(s("jixingxinjigengsi")[0].code, "I21.900");
    assert_eq!(s("jxxjgs")[0].code, "I21.900");
    // …and of the everyday words.
    assert_eq!(s("xingeng")[0].code, "I21.900");
    assert_eq!(s("danjieshi")[0].code, "K80.200");
    assert_eq!(s("fa")[0].code, "C34.900");
    assert!(s("zzzzqqq").is_empty());
}

#[test]
fn one_typo_is_tolerated_when_nothing_matches() {
    let none = &common::shipped(NO_CATALOGUE).policy;
    let s = |q: &str| diagnosis::search(none, Some(&NATIONAL), q, 5);
    for (typo, code) in [
        ("xinegng", "I21.900"),      // two letters swapped
        ("danjieshii", "K80.200"),   // one added
        ("naogng", "I63.900"),       // one missing
        ("胆结实", "K80.200"),       // homophone
        ("急性心肌埂死", "I21.900"), // look-alike character
    ] {
        let hits = s(typo);
        assert!(!hits.is_empty(), "{typo}");
        assert!(hits.iter().all(|h| h.matched == Found::Typo), "{typo}");
        assert!(
            hits.iter().any(|h| h.code == code),
            "{typo}: {:?}",
            hits.iter().map(|h| &h.code).collect::<Vec<_>>()
        );
    }
    // An exact match is never mixed with typo matches.
    assert!(s("心梗").iter().all(|h| h.matched != Found::Typo));
}

#[test]
fn without_the_index_the_catalogue_alone_is_searched() {
    let demo = &common::demo().policy;
    let hits = diagnosis::search(demo, None, "肺炎", 5);
    assert_eq!(hits[0].code, "J18");
    assert!(hits.iter().all(|h| !h.national));
    let none = &common::shipped(NO_CATALOGUE).policy;
    assert!(diagnosis::search(none, None, "肺炎", 5).is_empty());
}

#[test]
fn a_national_hit_the_county_does_not_place_says_so() {
    let demo = &common::demo().policy;
    let hit = diagnosis::resolve(demo, Some(&NATIONAL), "痛风").unwrap();
    assert_eq!(hit.listed, Listed::NotListed);
    assert_eq!(
        hit.listed.note().unwrap().0,
        "本县目录未列出该病种的诊治机构"
    );
    assert!(hit.disease.is_none());
    let none = &common::shipped(NO_CATALOGUE).policy;
    let hit = diagnosis::resolve(none, Some(&NATIONAL), "痛风").unwrap();
    assert_eq!(hit.listed, Listed::NoCatalogue);
    assert!(hit.listed.note().is_some());
}

#[test]
fn primary_care_groups_are_a_signal_on_their_prefixes_only() {
    let none = &common::shipped(NO_CATALOGUE).policy;
    let g = |q: &str| {
        diagnosis::resolve(none, Some(&NATIONAL), q)
            .unwrap()
            .primary_group
    };
    assert_eq!(g("高血压").unwrap().code, "FV29");
    assert_eq!(g("急性支气管炎").unwrap().code, "EX39");
    assert!(g("高血压").unwrap().note_zh().contains("基层病组"));
    assert!(g("肺癌").is_none());
    assert!(g("心梗").is_none());
}

#[test]
fn a_damaged_index_is_a_coded_problem() {
    for bad in [
        "",
        "hello",
        "yibao-diagnoses 1\n#list\nB00 x\nA00 y\n",
        "yibao-diagnoses 1\n#list\nA00 x\n#alias\n心梗 I21\n",
    ] {
        let e = National::parse(bad)
            .err()
            .unwrap_or_else(|| panic!("{bad:?} was read"));
        assert_eq!(e.code, Code::BadDiagnosisIndex);
        assert!(e.message_zh.contains("行") && e.message_en.contains("line"));
    }
}
