//! `cargo xtask <task>`: every chore that is more than one cargo command.
//! Each task installs what it needs when it is missing, so a fresh machine works.

mod bench;
mod budget;
mod diagnoses;
mod engines;
mod fuzz;
mod pkg;
mod python;
mod serve;
mod setup;
mod sw;
mod test;
mod web;

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let result = match task {
        "test" => test::run(&args[1..]),
        "pkg" => pkg::run(&args[1..]),
        "bench" => bench::run(&args[1..]),
        "budget" => budget::native_estimate(),
        "diagnoses" => diagnoses::run(),
        "fuzz" => fuzz::run(&args[1..]),
        "serve" => serve::run(&args[1..]),
        "setup" => setup::run(),
        "web" => web::run(&args[1..]),
        "python" => python::test(),
        "help" | "--help" | "-h" => {
            println!("cargo xtask bench   measure times and sizes (native, package, widget) into BENCHMARKS.md; never fails on a figure [native] [pkg] [web]");
            println!("cargo xtask budget  the native estimate's instruction count against its budget (≈ 5 µs), under callgrind");
            println!("cargo xtask diagnoses  rewrite data/diagnoses.idx (the national diagnosis search index) from data/");
            println!("cargo xtask fuzz    coverage-guided fuzzing (libFuzzer, stable) of every input: [--secs N (600)] [--merge] [TARGET…]; `fuzz --bounded`: the run in `test`; `fuzz seed`: rewrite the seed corpus; `fuzz minimize [TARGET…]`: keep only the inputs that add coverage");
            println!("cargo xtask pkg     build the npm package (wasm + TypeScript) into pkg/; `pkg test`: its browser tests");
            println!("cargo xtask setup   install what the full gate needs (Debian packages, wasm tools, npm and PyPI locks), saying what is present");
            println!("cargo xtask test    fmt, clippy, unit/property/snapshot tests, worked cases, wasm + browser tests (behaviour and sizes, no times)");
            println!("cargo xtask python the Python wheel (maturin, abi3) and the PySpark job in Spark local mode against `yibao replay`");
            println!("cargo xtask serve   build the widget (web/) and serve the demo on http://127.0.0.1:8080 [--port N] [--no-build]");
            println!("cargo xtask web     build the widget into web/dist and print its sizes; `web test`: its browser tests");
            Ok(())
        }
        other => Err(format!("unknown task {other:?}; try `cargo xtask help`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Run a command from the workspace root, echoing it; fail with its name when it fails.
pub fn sh(cmd: &mut Command) -> Result<(), String> {
    eprintln!("$ {}", show(cmd));
    let status = cmd
        .current_dir(root())
        .status()
        .map_err(|e| format!("{}: {e}", show(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", show(cmd)))
    }
}

pub fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

pub fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}
