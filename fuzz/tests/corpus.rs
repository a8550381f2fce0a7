//! The kept corpus replayed through every target, uninstrumented, under `cargo test`: each
//! input any fuzz run found (and each crash, once fixed and moved here) stays a regression test.

use std::fs;
use std::path::Path;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| {
            let bytes = fs::read(e.path()).expect("a corpus file reads");
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_input_runs_without_a_panic() {
    for t in yibao_fuzz::TARGETS {
        let run = yibao_fuzz::by_name(t).expect("a target");
        let files = corpus(t);
        assert!(!files.is_empty(), "fuzz/corpus/{t} is empty");
        for (name, bytes) in files {
            let r = std::panic::catch_unwind(|| run(&bytes));
            assert!(r.is_ok(), "fuzz/corpus/{t}/{name} panics");
        }
    }
}

/// The seeds reach past the readers: every worked case's input reads as a case again, and
/// every shipped policy's export reads as a policy (a seed the reader refuses would leave the
/// fuzzer starting at the door).
#[test]
fn the_seeds_read() {
    for (name, bytes) in corpus("estimate") {
        if name.starts_with("seed-") && !name.starts_with("seed-bad-") && name.ends_with(".json") {
            let text = std::str::from_utf8(&bytes).expect("UTF-8");
            let r = yibao_core::input::from_json::<yibao_core::Case>(text);
            assert!(r.is_ok(), "{name}: {r:?}");
        }
    }
    for (name, bytes) in corpus("policy_json") {
        if name.ends_with(".export.json") {
            let text = std::str::from_utf8(&bytes).expect("UTF-8");
            let r = yibao_core::input::policy_doc_from_json(text);
            assert!(r.is_ok(), "{name}: {:?}", r.err());
        }
    }
}

/// The JS-object path sees what only a JS value can be: the twisted seeds differ from their
/// plain JSON (a twist that changed nothing would test nothing).
#[test]
fn twists_change_the_tree() {
    for (name, bytes) in corpus("js_value") {
        let seed = name.starts_with("seed-");
        if let Some(plain) = bytes.iter().position(|b| *b == 0).filter(|_| seed) {
            assert_ne!(
                yibao_fuzz::js_tree(&bytes),
                yibao_fuzz::js_tree(&bytes[..plain]),
                "{name}"
            );
        }
    }
}

/// Minimizing the corpus (`cargo xtask fuzz minimize`) keeps the regression inputs whatever
/// coverage says: each entry of `tests/bad-inputs.json` is still a seed of its reader's target.
#[test]
fn every_bad_input_stays_in_the_corpus() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/bad-inputs.json");
    let text = fs::read_to_string(&path).expect("bad-inputs.json reads");
    let bad: serde_json::Value = serde_json::from_str(&text).expect("bad-inputs.json is JSON");
    let inputs = bad["inputs"].as_array().expect("inputs");
    assert!(!inputs.is_empty());
    for (i, entry) in inputs.iter().enumerate() {
        let code = entry["code"].as_str().expect("code");
        let name = format!("seed-bad-{i:02}-{code}.json");
        let targets: &[&str] = match entry["kind"].as_str() {
            Some("case") => &["case_json", "estimate", "js_value"],
            Some("policy") => &["policy_json"],
            // A pathway request has no fuzz target of its own (fuzz/examples/seeds.rs).
            _ => &[],
        };
        for t in targets {
            let names: Vec<String> = corpus(t).into_iter().map(|(n, _)| n).collect();
            assert!(names.contains(&name), "fuzz/corpus/{t}/{name} is missing");
        }
    }
}
