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
    Ok(())
}
