//! `cargo xtask test`: the one command CI and the README run.

use crate::{cargo, sh};

pub fn run(_args: &[String]) -> Result<(), String> {
    sh(cargo().args(["fmt", "--all", "--", "--check"]))?;
    sh(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    sh(cargo().args(["test", "--workspace"]))?;
    sh(cargo().args([
        "run",
        "--quiet",
        "-p",
        "yibao-cli",
        "--",
        "test",
        "policies",
    ]))?;
    // The native time budget, as an instruction count (see budget.rs).
    crate::budget::native_estimate()?;
    // The npm package: wasm-bindgen tests in Chromium, size budget, tsc, example page e2e.
    crate::pkg::test()?;
    // The yew widget (web/): build, lint for wasm32, end-to-end tests in headless Chromium.
    crate::web::test()?;
    Ok(())
}
