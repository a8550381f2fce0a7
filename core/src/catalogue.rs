//! Disease look-up for type-ahead: by ICD-10 code or prefix, Chinese name, pinyin initials
//! or English name. Linear over a county catalogue (tens to hundreds of entries): cheap
//! enough for every keystroke (see BENCHMARKS.md).

use crate::policy::{Disease, Policy};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    ExactCode,
    CodePrefix,
    NameStart,
    PinyinStart,
    Name,
    Pinyin,
    English,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct DiseaseHit {
    pub matched: MatchKind,
    pub disease: Disease,
}

/// Best matches first (exact code, code prefix, name start, pinyin start, then contains).
pub fn search(p: &Policy, query: &str, limit: usize) -> Vec<DiseaseHit> {
    let q = query.trim();
    let Some(cat) = &p.catalogue else {
        return vec![];
    };
    if q.is_empty() {
        return vec![];
    }
    let upper = q.to_ascii_uppercase();
    // ASCII only: pinyin and English names are ASCII, Chinese names are matched on `q` itself
    // (`str::to_lowercase` would link the Unicode case tables into the browser builds).
    let lower = q.to_ascii_lowercase();
    let code_like = upper.len() >= 2
        && upper.as_bytes()[0].is_ascii_alphabetic()
        && upper.as_bytes()[1].is_ascii_digit();
    let mut hits: Vec<DiseaseHit> = cat
        .diseases
        .iter()
        .filter_map(|d| {
            let code = d.code.to_ascii_uppercase();
            let kind = if code_like && code == upper {
                MatchKind::ExactCode
            } else if code_like
                && (code.starts_with(&upper) || crate::policy::icd_matches(&code, &upper))
            {
                MatchKind::CodePrefix
            } else if d.name_zh.starts_with(q) {
                MatchKind::NameStart
            } else if d.pinyin.starts_with(&lower) {
                MatchKind::PinyinStart
            } else if d.name_zh.contains(q) {
                MatchKind::Name
            } else if lower.is_ascii() && d.pinyin.contains(&lower) && lower.len() >= 2 {
                MatchKind::Pinyin
            } else if lower.len() >= 3 && d.name_en.to_ascii_lowercase().contains(&lower) {
                MatchKind::English
            } else {
                return None;
            };
            Some(DiseaseHit {
                matched: kind,
                disease: d.clone(),
            })
        })
        .collect();
    hits.sort_by(|a, b| {
        a.matched
            .cmp(&b.matched)
            .then(a.disease.pinyin.len().cmp(&b.disease.pinyin.len()))
            .then(a.disease.code.cmp(&b.disease.code))
    });
    hits.truncate(limit);
    hits
}
