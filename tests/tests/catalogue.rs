//! Disease look-up by code, prefix, Chinese name and pinyin initials.

mod common;
use yibao_core::catalogue::{search, MatchKind};

#[test]
fn finds_by_code_prefix_name_and_pinyin() {
    let p = &common::demo().policy;
    let by_code = search(p, "J18", 5);
    assert_eq!(by_code[0].disease.name_zh, "肺炎");
    assert_eq!(by_code[0].matched, MatchKind::ExactCode);
    let by_full_code = search(p, "j18.9", 5);
    assert_eq!(by_full_code[0].disease.code, "J18");
    let prefix = search(p, "J4", 10);
    assert!(prefix.iter().all(|h| h.disease.code.starts_with("J4")) && prefix.len() >= 3);
    assert_eq!(search(p, "肺炎", 5)[0].disease.code, "J18");
    assert_eq!(search(p, "fy", 5)[0].disease.code, "J18");
    assert_eq!(search(p, "gxy", 5)[0].disease.code, "I10");
    assert_eq!(search(p, "糖尿病", 5)[0].disease.code, "E11");
    assert!(search(p, "zzzz", 5).is_empty());
    assert!(search(p, "   ", 5).is_empty());
}

#[test]
fn the_longest_catalogue_code_wins_for_a_diagnosis() {
    let p = &common::demo().policy;
    assert_eq!(p.disease("J44.1").unwrap().name_zh, "慢阻肺急性加重");
    assert_eq!(p.disease("J44.9").unwrap().name_zh, "慢阻肺");
}
