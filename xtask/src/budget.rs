//! The native estimate budget (issue: under 5 µs for the 20-item, three-layer case), held by
//! counting instructions under callgrind: deterministic on any machine, unlike a stopwatch.
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

pub fn native_estimate() -> Result<(), String> {
    if crate::setup::have("valgrind", "--version").is_none() {
        crate::setup::apt_install(&["valgrind"])?;
    }
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
    let per = loaded.saturating_sub(base) / RUNS;
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
