//! `yibao diseases` (alias `search`) and `--disease` through the real binary: every everyday word
//! of tests/fixtures/everyday-words.tsv finds its code, on a policy without a catalogue and on
//! the demo county (its catalogue first).

mod common;
use common::yibao;

const NO_CATALOGUE: &str = "jiangxi-nanchang/resident-2025";
const DEMO: &str = "demo-county/resident-2024";

#[path = "../../tests/fixtures/everyday_words.rs"]
mod everyday_words;
use everyday_words::words;

/// The first hit's code and `listed`, from `--json`.
fn first(policy: &str, word: &str) -> (String, String) {
    let out = yibao(&["search", word, "--policy", policy, "--limit", "1", "--json"]);
    assert!(
        out.status.success(),
        "{word}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let h = &v[0];
    (
        h["code"].as_str().unwrap_or("").into(),
        h["listed"].as_str().unwrap_or("").into(),
    )
}

#[test]
fn every_everyday_word_finds_its_code() {
    let words = words();
    assert!(words.len() >= 50);
    // Two threads: the machine's cores; each run reads the embedded index once.
    let failures: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<_> = words.chunks(words.len().div_ceil(2)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    let mut bad = vec![];
                    for (word, national, demo) in chunk {
                        let got = first(NO_CATALOGUE, word);
                        if got != (national.clone(), "no_catalogue".into()) {
                            bad.push(format!(
                                "{word} (no catalogue): want {national}, got {got:?}"
                            ));
                        }
                        let want = if demo == "=" {
                            (national.clone(), "not_listed".to_string())
                        } else {
                            (demo.clone(), "catalogue".to_string())
                        };
                        let got = first(DEMO, word);
                        if got != want {
                            bad.push(format!("{word} (demo): want {want:?}, got {got:?}"));
                        }
                    }
                    bad
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_text_output_says_where_a_disease_is_treated_or_that_the_county_does_not_say() {
    let out = yibao(&["diseases", "肺癌", "--limit", "2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("C34 ") && first.contains("肺恶性肿瘤") && first.contains("本县"),
        "{text}"
    );
    let out = yibao(&["diseases", "痛风", "--limit", "1"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("M10.900") && text.contains("本县目录未列出该病种的诊治机构"),
        "{text}"
    );
    let out = yibao(&["diseases", "zzzqqq"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn refer_and_compare_take_an_everyday_word_or_a_clinical_code() {
    let out = yibao(&["refer", "--level", "county", "--disease", "肺癌", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = yibao(&["compare", "--disease", "心梗", "--cost", "30000"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("急性心肌梗死 (I21)"), "{text}");
    // A policy without a catalogue never blocks on the disease.
    let out = yibao(&[
        "refer",
        "--policy",
        NO_CATALOGUE,
        "--level",
        "level2",
        "--disease",
        "肺癌",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // 国家临床版 → 医保版.
    let out = yibao(&[
        "diseases",
        "A01.000x002",
        "--json",
        "--policy",
        NO_CATALOGUE,
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v[0]["code"].as_str(), v[0]["matched"].as_str()),
        (Some("A01.003"), Some("mapped_code"))
    );
    // Nothing found: a coded bilingual problem, exit 2.
    let out = yibao(&["refer", "--level", "county", "--disease", "zzzqqq"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown_disease"));
}
