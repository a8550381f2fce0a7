//! `cargo xtask <task>`: every chore that is more than one cargo command. Installing is
//! `setup.sh` (`cargo xtask setup`), which the tasks that need tools run first.

mod bench;
mod budget;
mod engines;
mod fuzz;
mod pkg;
mod python;
mod setup;
mod sw;
mod test;
mod web;

/// The demo's file server (its own crate: what a host of the widget configures).
pub use yibao_serve as serve;

use clap::Parser;
use std::process::{Command, ExitCode};

/// Build, serve, test and measure yibao.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
enum Task {
    /// fmt, clippy, unit/property/snapshot tests, worked cases, Python and Spark, a bounded fuzz
    /// run, the package and the browser suites (behaviour and sizes, never a time); `fast`: the
    /// inner loop (no browsers, Python, fuzzing or npm)
    Test {
        #[arg(value_parser = ["fast"])]
        tier: Option<String>,
    },
    /// Install what the full gate needs (setup.sh), saying what is present
    Setup,
    /// Build the widget (web/) and serve the demo on http://127.0.0.1:PORT
    Serve {
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Serve web/dist as it is, without building it first
        #[arg(long)]
        no_build: bool,
    },
    /// Build the widget into web/dist and print its sizes; `web test`: its browser tests
    Web {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Build the npm package (wasm + TypeScript) into pkg/dist; `pkg test`: its browser tests
    Pkg {
        #[arg(value_parser = ["build", "test"])]
        action: Option<String>,
    },
    /// Measure times and sizes, each beside its peer, into BENCHMARKS.md; never fails on a figure
    Bench {
        /// The groups to measure (all when none is named)
        #[arg(value_parser = ["native", "pkg", "zen", "web", "replay"])]
        groups: Vec<String>,
    },
    /// The native estimate's instruction count (callgrind) against its budget (≈ 5 µs)
    Budget,
    /// Coverage-guided fuzzing (libFuzzer, stable) of every input
    Fuzz(fuzz::Args),
    /// The Python wheel (maturin, abi3) and the PySpark job in Spark local mode, with pytest
    Python,
}

fn main() -> ExitCode {
    let task = Task::parse();
    // What the task's tools need is installed once, first (setup.sh: only what is missing), not
    // again by each step that uses a tool; `test fast` and serving a built page need nothing.
    let needs_tools = match &task {
        Task::Test { tier } => tier.is_none(),
        Task::Serve { no_build, .. } => !no_build,
        Task::Setup => false,
        _ => true,
    };
    if needs_tools {
        if let Err(e) = setup::run() {
            eprintln!("xtask: {e}");
            return ExitCode::FAILURE;
        }
    }
    let result = match task {
        Task::Test { tier } => test::run(tier.is_some()),
        Task::Setup => setup::run(),
        Task::Serve { port, no_build } => serve_demo(port, no_build),
        Task::Web { args } => web::run(&args),
        Task::Pkg { action } => match action.as_deref() {
            Some("test") => pkg::test(),
            _ => pkg::build().map(|_| ()),
        },
        Task::Bench { groups } => bench::run(&groups),
        Task::Budget => budget::native_estimate(),
        Task::Fuzz(args) => fuzz::run(args),
        Task::Python => python::test(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask serve`: web/dist (built first unless `--no-build`) on a loopback port.
fn serve_demo(port: u16, no_build: bool) -> Result<(), String> {
    let dist = if no_build {
        web::dist()
    } else {
        let dist = web::build()?;
        web::report_sizes()?;
        dist
    };
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("port {port}: {e}"))?;
    let at = format!("http://127.0.0.1:{port}");
    println!("serving {} on {at}/  (Ctrl-C to stop)", dist.display());
    println!("  resident: {at}/   desk: {at}/?mode=clerk   embedding: {at}/embed.html   office: {at}/office.html");
    serve::serve(&dist, listener)
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
