//! What the CLI's integration tests share: running the real binary from the repository root.

use std::process::{Command, Output};

pub fn yibao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("run yibao")
}
