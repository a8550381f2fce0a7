//! The shipped policies as JSON for the package to embed: parsed and validated from `policies/`
//! here, at build time, so the browser needs no TOML parser and a broken policy fails the build.

fn main() {
    let shipped = yibao_shipped::shipped().unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_string(&shipped).expect("policies serialize");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(out.join("bundled-policies.json"), json).unwrap();
    println!("cargo:rerun-if-changed=../policies");
}
