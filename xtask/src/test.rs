//! `cargo xtask test`: the one command CI and the README run. It asserts behaviour (and the
//! deterministic size ceilings), never a time: times are `cargo xtask bench`'s.

use crate::{cargo, sh};

/// `cargo xtask test` (everything: what `.ci/run` calls) or `cargo xtask test fast` (the inner
/// loop: fmt, clippy, the Rust tests and every worked case; no browsers, Python, fuzzing or npm).
pub fn run(fast: bool) -> Result<(), String> {
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
    // Every worked case: the shipped policies', and the replay benchmark's own rule
    // (benchmarks/openfisca/policy.toml) with its hand-worked cases.
    for dir in ["policies", "benchmarks/openfisca"] {
        sh(cargo().args(["run", "--quiet", "-p", "yibao-cli", "--", "test", dir]))?;
    }
    if fast {
        return Ok(());
    }
    // The Python wheel and the PySpark job in Spark local mode: the same totals as `yibao replay`.
    crate::python::test()?;
    // Coverage-guided fuzzing of every input, bounded by executions (`cargo xtask fuzz` runs longer).
    crate::fuzz::bounded()?;
    // The npm package: wasm-bindgen tests in Chromium, size budget, tsc, example page e2e.
    crate::pkg::test()?;
    // The yew widget (web/): build, lint for wasm32, end-to-end tests in headless Chromium.
    crate::web::test()?;
    Ok(())
}
