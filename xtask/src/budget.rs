//! The native estimate's instruction count (issue: under 5 µs for the 20-item, three-layer
//! case), counted under callgrind: deterministic on any machine, unlike a stopwatch.
//! Calibration (BENCHMARKS.md): criterion measured 4.65 µs for the case on the development machine
//! while callgrind counted 53,070 instructions per estimate, so 5 µs ≈ 57,000 instructions.

use crate::{cargo, root, sh};
use std::process::Command;

const BUDGET_INSTRUCTIONS: u64 = 57_000;
const RUNS: u64 = 1_000;

fn instructions(bin: &std::path::Path, n: u64) -> Result<u64, String> {
    let out_file = root().join(format!("target/callgrind.{n}.out"));
    let out = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out_file.display()))
        .arg(bin)
        .arg(n.to_string())
        .output()
        .map_err(|e| format!("valgrind: {e}"))?;
    let err = String::from_utf8_lossy(&out.stderr);
    err.lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no instruction count in valgrind output:\n{err}"))
}

/// Instructions of one estimate of the benchmark case: `estimate_loop` run 1,000 times minus
/// run 0 times, under callgrind (release profile). Deterministic for a given build.
pub fn instructions_per_estimate() -> Result<u64, String> {
    sh(cargo().args([
        "build",
        "--release",
        "-p",
        "yibao-core",
        "--example",
        "estimate_loop",
    ]))?;
    let bin = root().join("target/release/examples/estimate_loop");
    let base = instructions(&bin, 0)?;
    let loaded = instructions(&bin, RUNS)?;
    Ok(loaded.saturating_sub(base) / RUNS)
}

/// `cargo xtask budget`: the count against the calibrated budget. Not part of `cargo xtask
/// test` (a proxy for a time is still about time); `cargo xtask bench` reports the count too.
pub fn native_estimate() -> Result<(), String> {
    let per = instructions_per_estimate()?;
    println!(
        "native estimate: {per} instructions per estimate (budget {BUDGET_INSTRUCTIONS}, ≈ 5 µs)"
    );
    if per > BUDGET_INSTRUCTIONS {
        return Err(format!(
            "native estimate over budget: {per} > {BUDGET_INSTRUCTIONS} instructions"
        ));
    }
    Ok(())
}
