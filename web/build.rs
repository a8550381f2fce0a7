//! The browser has no TOML parser (it would cost more than the rest of the engine): the shipped
//! policies are parsed and validated here, at build time, and embedded as JSON of the loaded
//! `PolicyDoc` (rules + the SHA-256 of the original TOML text, which every receipt quotes).

use std::path::PathBuf;

fn main() {
    let mut src = String::from(
        "/// (policy id, JSON of the validated `PolicyDoc`) for every shipped policy, demo first.\n\
         pub const POLICIES: &[(&str, &str)] = &[\n",
    );
    let mut docs = vec![];
    for (path, text) in yibao_core::bundled::policies() {
        let doc = yibao_core::policy::load::parse_policy(text, path)
            .unwrap_or_else(|e| panic!("shipped policy {path} does not load: {e}"));
        let demo = path == yibao_core::bundled::DEMO;
        docs.push((
            !demo,
            doc.policy.meta.id.clone(),
            serde_json::to_string(&doc).unwrap(),
        ));
    }
    docs.sort();
    for (_, id, json) in docs {
        src.push_str(&format!("    ({id:?}, {json:?}),\n"));
    }
    src.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("policies.rs");
    std::fs::write(out, src).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../policies");
}
