//! The browser has no TOML parser (it would cost more than the rest of the engine): the shipped
//! policies are parsed and validated here, at build time, and embedded as JSON of the loaded
//! `PolicyDoc` (rules + the SHA-256 of the original TOML text, which every receipt quotes).
//!
//! The resident module (built without the `desk` feature: what a phone downloads) embeds only
//! the site's own policies, `YIBAO_SITE_POLICIES` (comma-separated ids or id prefixes; the demo
//! county's by default); every other one is listed by name and fetched from its
//! `yibao_shipped::json_file` when chosen (`cargo xtask web` writes those files). The desk and the
//! office embed every policy.

use std::path::PathBuf;

/// The site's own policies when `YIBAO_SITE_POLICIES` is not set.
const SITE_DEFAULT: &str = "demo-county/";

fn main() {
    let resident_only = std::env::var_os("CARGO_FEATURE_DESK").is_none();
    let site = std::env::var("YIBAO_SITE_POLICIES").unwrap_or_else(|_| SITE_DEFAULT.into());
    let site: Vec<&str> = site
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let mut src = String::from(
        "/// Every shipped policy, demo first: its names (for the policy menus, which must not\n\
         /// read seven policies on each render), the JSON of the validated `PolicyDoc` when this\n\
         /// module embeds it, and the file it is fetched from otherwise.\n\
         pub const POLICIES: &[ShippedPolicy] = &[\n",
    );
    let mut first_embedded = None;
    // Demo first, then by path (`yibao_shipped::shipped`).
    for shipped in yibao_shipped::shipped().unwrap_or_else(|e| panic!("{e}")) {
        let m = &shipped.doc.policy.meta;
        let embedded = !resident_only || site.iter().any(|s| m.id.starts_with(s));
        let json = embedded.then(|| yibao_shipped::browser_json(&shipped.doc));
        if embedded && first_embedded.is_none() {
            first_embedded = Some(m.id.clone());
        }
        src.push_str(&format!(
            "    ShippedPolicy {{ id: {:?}, region_zh: {:?}, region_en: {:?}, name_zh: {:?}, \
             name_en: {:?}, sha256: {:?}, json: {:?} }},\n",
            m.id, m.region_zh, m.region_en, m.name_zh, m.name_en, shipped.doc.sha256, json,
        ));
    }
    src.push_str("];\n");
    // The default everywhere: the first policy this module embeds (the demo county's unless the
    // site names its own).
    let Some(first) = first_embedded else {
        panic!("YIBAO_SITE_POLICIES={site:?} names no shipped policy: the resident module would have none to start from");
    };
    src.push_str(&format!(
        "/// The policy every form starts from: the first one this module embeds.\npub const DEFAULT_POLICY: &str = {first:?};\n"
    ));
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("policies.rs");
    std::fs::write(out, src).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../policies");
    println!("cargo:rerun-if-env-changed=YIBAO_SITE_POLICIES");
}
