//! The browser has no TOML parser (it would cost more than the rest of the engine): the shipped
//! policies are parsed and validated here, at build time, and embedded as JSON of the loaded
//! `PolicyDoc` (rules + the SHA-256 of the original TOML text, which every receipt quotes).

use std::path::PathBuf;

fn main() {
    let mut src = String::from(
        "/// Every shipped policy, demo first: its names (for the policy menus, which must not\n\
         /// read seven policies on each render) and the JSON of the validated `PolicyDoc`.\n\
         pub const POLICIES: &[ShippedPolicy] = &[\n",
    );
    // Demo first, then by path (`bundled::shipped`).
    for shipped in yibao_core::bundled::shipped().unwrap_or_else(|e| panic!("{e}")) {
        let m = &shipped.doc.policy.meta;
        src.push_str(&format!(
            "    ShippedPolicy {{ id: {:?}, region_zh: {:?}, region_en: {:?}, name_zh: {:?}, \
             name_en: {:?}, json: {:?} }},\n",
            m.id,
            m.region_zh,
            m.region_en,
            m.name_zh,
            m.name_en,
            serde_json::to_string(&shipped.doc).unwrap(),
        ));
    }
    src.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("policies.rs");
    std::fs::write(out, src).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../policies");
}
