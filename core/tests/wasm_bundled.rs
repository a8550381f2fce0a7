//! `pkg/bundled-policies.json`: the shipped policies in the form the wasm package embeds
//! (the browser build has no TOML parser). Each entry is the validated `PolicyDoc` as JSON —
//! the rules plus the SHA-256 of the TOML text, so browser receipts quote the same fingerprint
//! as the CLI's.
//!
//! This test keeps the file in step with `policies/`: outside CI it rewrites a stale file (commit
//! the result); in CI (`CI` set) a stale file fails. `cargo xtask pkg` runs it first.
#![cfg(all(not(target_arch = "wasm32"), feature = "toml"))]

use std::path::Path;
use yibao_core::bundled;
use yibao_core::policy::load::parse_policy;
use yibao_core::PolicyDoc;

fn expected() -> String {
    let mut docs: Vec<(bool, &str, PolicyDoc)> = bundled::policies()
        .map(|(path, text)| {
            let doc = parse_policy(text, path)
                .unwrap_or_else(|e| panic!("shipped policy {path} does not load:\n{e}"));
            (path != bundled::DEMO, path, doc)
        })
        .collect();
    docs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let lines: Vec<String> = docs
        .iter()
        .map(|(_, path, doc)| {
            let entry = serde_json::json!({ "path": path, "doc": doc });
            serde_json::to_string(&entry).unwrap()
        })
        .collect();
    format!("[\n{}\n]\n", lines.join(",\n"))
}

#[test]
fn bundled_policies_json_is_current() {
    let want = expected();
    // The JSON form reads back into the same rules.
    let back: Vec<serde_json::Value> = serde_json::from_str(&want).unwrap();
    for entry in back {
        let doc: PolicyDoc = serde_json::from_value(entry["doc"].clone()).unwrap();
        assert_eq!(serde_json::to_value(&doc).unwrap(), entry["doc"]);
    }
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pkg/bundled-policies.json");
    let have = std::fs::read_to_string(&file).unwrap_or_default();
    if have != want {
        if std::env::var_os("CI").is_some() {
            panic!(
                "pkg/bundled-policies.json is out of date with policies/: run \
                 `cargo xtask pkg` (or `cargo test -p yibao-core --test wasm_bundled`) and commit it"
            );
        }
        std::fs::write(&file, want).unwrap();
        eprintln!("updated {}", file.display());
    }
}
