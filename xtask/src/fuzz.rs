//! `cargo xtask fuzz`: coverage-guided fuzzing of every input yibao reads (the targets are in
//! `fuzz/`) on the stable toolchain: libFuzzer (built from source by `libfuzzer-sys`) with the
//! instrumentation `cargo fuzz run -s none` asks rustc for, stable `-C` flags only, so a fresh
//! machine needs no cargo-fuzz (which works on the same crate for those who have it). New inputs
//! go to `target/fuzz/corpus/<target>/`; `--merge` keeps those that add coverage in
//! `fuzz/corpus/<target>/`, which `fuzz/tests/corpus.rs` replays under `cargo test`. [`bounded`]
//! is the run in `cargo xtask test`: a fixed number of executions per target from the kept corpus
//! with a fixed seed (bounded by count, never by a time). A panic, a hang past [`TIMEOUT_SECS`] or
//! memory past [`RSS_LIMIT_MB`] fails the run and leaves the input in `fuzz/artifacts/<target>/`;
//! once fixed, move it into `fuzz/corpus/<target>/`.

use crate::{cargo, root, sh};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The targets: (binary and corpus name, dictionary, executions in `cargo xtask test`).
/// The counts keep the bounded run near 1–2 minutes on the project's 2-core machine (their
/// speeds are in BENCHMARKS.md's fuzzing table); they bound work, not time.
const TARGETS: [(&str, &str, u64); 6] = [
    ("toml", "toml", 25_000),
    ("policy_json", "json", 200_000),
    ("case_json", "json", 600_000),
    ("js_value", "json", 150_000),
    ("estimate", "json", 500_000),
    ("claims_csv", "csv", 20_000),
];

/// An input that runs this long is a hang (libFuzzer's `-timeout`); no input should come near.
const TIMEOUT_SECS: u32 = 20;

/// An input that makes the target use this much memory is a failure (`-rss_limit_mb`; a single
/// allocation above it too, `-malloc_limit_mb`).
const RSS_LIMIT_MB: u32 = 2048;

/// The largest input tried: above the largest shipped policy (≈ 40 KB of TOML), far below what
/// would make one execution slow.
const MAX_LEN: u32 = 65_536;

/// The largest new input `--merge` keeps in `fuzz/corpus/`.
const KEEP_MAX: u64 = 4096;

fn files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    Ok(std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect())
}

/// `cargo xtask fuzz`'s arguments.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// Seconds in all, shared by the targets
    #[arg(long, default_value_t = 600)]
    secs: u64,
    /// Merge the new inputs that add coverage (up to KEEP_MAX bytes) into fuzz/corpus/
    #[arg(long)]
    merge: bool,
    /// Only the bounded run of `cargo xtask test`
    #[arg(long)]
    bounded: bool,
    /// The targets to run (all when none is named)
    #[arg(value_parser = names())]
    targets: Vec<String>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Rewrite the seed corpus and dictionaries (fuzz/examples/seeds.rs), then minimize
    Seed,
    /// Keep only the inputs of fuzz/corpus/ that add coverage (and every regression input)
    Minimize {
        #[arg(value_parser = names())]
        targets: Vec<String>,
    },
}

pub fn run(args: Args) -> Result<(), String> {
    match args.action {
        Some(Action::Seed) => {
            sh(cargo().args(["run", "-q", "-p", "yibao-fuzz", "--example", "seeds"]))?;
            return minimize(&[]);
        }
        Some(Action::Minimize { targets }) => return minimize(&targets),
        None if args.bounded => return bounded(),
        None => {}
    }
    let (secs, merge, only) = (args.secs, args.merge, args.targets);
    let chosen: Vec<_> = TARGETS
        .iter()
        .filter(|(n, _, _)| only.is_empty() || only.iter().any(|o| o == n))
        .collect();
    let each = (secs / chosen.len() as u64).max(1);
    let bins = build()?;
    let mut rows = Vec::new();
    for (name, dict, _) in chosen {
        let scratch = root().join("target/fuzz/corpus").join(name);
        std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
        let limit = format!("-max_total_time={each}");
        let stats = fuzz(&bins, name, dict, &scratch, &[&limit])?;
        rows.push((name.to_string(), stats));
        if merge {
            let kept = root().join("fuzz/corpus").join(name);
            let before = files(&kept)?;
            let mut cmd = Command::new(bins.join(name));
            cmd.arg("-merge=1")
                .arg(format!("-max_len={MAX_LEN}"))
                .arg(&kept)
                .arg(&scratch);
            sh(&mut cmd)?;
            // Keep the small ones only: a mutated whole policy (≈ 10 KB), by the thousand,
            // would weigh tens of MB in the repository; the seeds carry the policies.
            for f in files(&kept)? {
                let big = std::fs::metadata(&f).map_or(true, |m| m.len() > KEEP_MAX);
                if big && !before.contains(&f) {
                    std::fs::remove_file(&f).map_err(|e| format!("{}: {e}", f.display()))?;
                }
            }
        }
    }
    print_table(&rows, &format!("{each} s each"));
    Ok(())
}

/// The bounded run in `cargo xtask test`: each target a fixed number of executions from the
/// kept corpus (seed 1, a fresh scratch folder each time, so a run is repeatable).
pub fn bounded() -> Result<(), String> {
    let bins = build()?;
    let mut rows = Vec::new();
    for (name, dict, runs) in TARGETS {
        let scratch = root().join("target/fuzz/bounded").join(name);
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
        let runs = format!("-runs={runs}");
        let stats = fuzz(&bins, name, dict, &scratch, &[&runs, "-seed=1"])?;
        rows.push((name.to_string(), stats));
    }
    print_table(&rows, "bounded by count");
    Ok(())
}

/// Shrink the kept corpus of each target (all, or those named) to what adds coverage.
///
/// libFuzzer's own `-merge=1` (a runtime flag of the instrumented binary, stable like the rest)
/// reads the kept corpus into an empty folder, keeping an input only when it reaches code (an
/// edge) that the inputs kept before it do not (it tries the smaller ones first). With
/// `-use_counters=0` how often an edge runs is not a feature: an input that only runs a loop
/// once more is left to the fuzzer to find again, not kept in the repository. The inputs it
/// keeps are matched back to their files by content, so a seed keeps its `seed-` name. Kept as
/// well, whatever coverage says:
/// - every regression input: the bad inputs of `tests/bad-inputs.json` (`seed-bad-*`), the claims
///   reader's regression files (`seed-reader-*`), and any file that is neither a seed nor named
///   by libFuzzer (a crash input moved here once fixed, under its `crash-…` name);
/// - one seed of each kind ([`seed_kind`]), so that every kind `fuzz/examples/seeds.rs` writes is
///   still replayed by `fuzz/tests/corpus.rs` (and its checks on seeds have something to check).
pub fn minimize(args: &[String]) -> Result<(), String> {
    let bins = build()?;
    println!("| target | files before | bytes before | files after | bytes after |");
    println!("|---|---|---|---|---|");
    for (name, _, _) in TARGETS {
        if !args.is_empty() && !args.iter().any(|a| a == name) {
            continue;
        }
        let kept = root().join("fuzz/corpus").join(name);
        let merged = root().join("target/fuzz/minimize").join(name);
        let _ = std::fs::remove_dir_all(&merged);
        std::fs::create_dir_all(&merged).map_err(|e| format!("{}: {e}", merged.display()))?;
        let mut cmd = Command::new(bins.join(name));
        cmd.arg("-merge=1")
            .arg("-use_counters=0")
            .arg(format!("-max_len={MAX_LEN}"))
            .arg(format!("-timeout={TIMEOUT_SECS}"))
            .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
            .arg(&merged)
            .arg(&kept);
        let log = root()
            .join("target/fuzz")
            .join(format!("{name}.minimize.log"));
        eprintln!("$ {} 2> {}", crate::show(&cmd), log.display());
        let out = cmd
            .current_dir(root())
            .output()
            .map_err(|e| format!("{}: {e}", bins.join(name).display()))?;
        std::fs::write(&log, &out.stderr).map_err(|e| format!("{}: {e}", log.display()))?;
        if !out.status.success() {
            return Err(format!(
                "fuzz target {name}: -merge=1 failed ({}), see {} / 模糊测试目标 {name} 合并失败",
                out.status,
                log.display()
            ));
        }
        let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
        let mut useful = std::collections::HashSet::new();
        for f in files(&merged)? {
            useful.insert(read(&f)?);
        }
        let mut before = files(&kept)?;
        before.sort();
        let (mut bytes_before, mut bytes_after, mut files_after) = (0u64, 0u64, 0usize);
        let mut kinds = std::collections::BTreeSet::new();
        let mut contents = std::collections::HashSet::new();
        // Seeds first (sorted), so that a seed and a libFuzzer file with the same bytes keep the
        // seed's name, and each kind's first seed in name order is its representative.
        before.sort_by_key(|p| !file_name(p).starts_with("seed-"));
        let mut drop = Vec::new();
        for f in &before {
            let bytes = read(f)?;
            bytes_before += bytes.len() as u64;
            let n = file_name(f);
            let regression = n.starts_with("seed-bad-")
                || n.starts_with("seed-reader-")
                || !(n.starts_with("seed-") || is_sha1(&n));
            let first_of_kind = n.starts_with("seed-") && kinds.insert(seed_kind(&n));
            let adds = useful.contains(&bytes);
            if (regression || first_of_kind || adds) && contents.insert(bytes.clone()) {
                bytes_after += bytes.len() as u64;
                files_after += 1;
            } else {
                drop.push(f);
            }
        }
        for f in drop {
            std::fs::remove_file(f).map_err(|e| format!("{}: {e}", f.display()))?;
        }
        println!(
            "| {name} | {} | {bytes_before} | {files_after} | {bytes_after} |",
            before.len()
        );
    }
    Ok(())
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
}

/// A name libFuzzer gives an input it writes: the input's SHA-1, in hex.
fn is_sha1(name: &str) -> bool {
    name.len() == 40 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What kind of seed a file is, from its name (see `fuzz/examples/seeds.rs`): the edge-value
/// seeds are one kind; otherwise the ending after the source file's own name (`toml`,
/// `cases.toml`, `export.json`, `bare.json`, `json`, `twisted`, `claims.csv`, …).
fn seed_kind(name: &str) -> String {
    if name.starts_with("seed-edge-") {
        return "edge".into();
    }
    let last = name.rsplit("__").next().unwrap_or(name);
    last.split_once('.')
        .map_or(last, |(_, ext)| ext)
        .to_string()
}

fn names() -> Vec<&'static str> {
    TARGETS.iter().map(|(n, _, _)| *n).collect()
}

/// Build the instrumented targets; the folder holding them.
fn build() -> Result<PathBuf, String> {
    // libfuzzer-sys compiles libFuzzer's C++ sources with the C++ compiler (setup.sh's g++).
    let host = host()?;
    // The coverage flags `cargo fuzz build -s none` passes (cargo-fuzz 0.13), all stable.
    let flags = [
        "-Cpasses=sancov-module",
        "-Cllvm-args=-sanitizer-coverage-level=4",
        "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
        "-Cllvm-args=-sanitizer-coverage-pc-table",
        "-Cllvm-args=-sanitizer-coverage-trace-compares",
        "-Cllvm-args=-simplifycfg-branch-fold-threshold=0",
        "-Cllvm-args=-sanitizer-coverage-stack-depth",
        "--cfg",
        "fuzzing",
    ]
    .join(" ");
    let target_dir = root().join("target/fuzz");
    // `--target` keeps the flags off build scripts and proc macros (as cargo-fuzz does); a
    // target folder of its own keeps them from invalidating the ordinary build.
    sh(cargo()
        .env("RUSTFLAGS", flags)
        .args(["build", "-p", "yibao-fuzz", "--bins", "--profile", "fuzz"])
        .args(["--target", &host])
        .arg("--target-dir")
        .arg(&target_dir))?;
    Ok(target_dir.join(host).join("fuzz"))
}

fn host() -> Result<String, String> {
    let out = Command::new("rustc")
        .arg("-vV")
        .output()
        .map_err(|e| format!("rustc -vV: {e}"))?;
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .ok_or_else(|| "rustc -vV names no host".into())
}

/// What one run did, from libFuzzer's final statistics.
struct Stats {
    execs: u64,
    secs: u64,
    coverage: String,
}

/// Run one target from `scratch` (written) and the kept corpus (read), with `extra` flags; its
/// log goes to `target/fuzz/<name>.log`.
fn fuzz(
    bins: &Path,
    name: &str,
    dict: &str,
    scratch: &Path,
    extra: &[&str],
) -> Result<Stats, String> {
    let r = root();
    let artifacts = r.join("fuzz/artifacts").join(name);
    std::fs::create_dir_all(&artifacts).map_err(|e| format!("{}: {e}", artifacts.display()))?;
    let log = r.join("target/fuzz").join(format!("{name}.log"));
    let mut cmd = Command::new(bins.join(name));
    cmd.args(extra)
        .arg(format!(
            "-dict={}",
            r.join("fuzz/dict").join(format!("{dict}.dict")).display()
        ))
        .arg(format!("-max_len={MAX_LEN}"))
        .arg(format!("-timeout={TIMEOUT_SECS}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
        .arg(format!("-artifact_prefix={}/", artifacts.display()))
        .arg("-print_final_stats=1")
        .arg(scratch)
        .arg(r.join("fuzz/corpus").join(name));
    eprintln!("$ {} 2> {}", crate::show(&cmd), log.display());
    let out = cmd
        .current_dir(&r)
        .output()
        .map_err(|e| format!("{}: {e}", bins.join(name).display()))?;
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    std::fs::write(&log, &text).map_err(|e| format!("{}: {e}", log.display()))?;
    if !out.status.success() {
        let tail: Vec<&str> = text.lines().rev().take(40).collect();
        for l in tail.iter().rev() {
            eprintln!("{l}");
        }
        return Err(format!(
            "fuzz target {name} failed ({}); the input is under {} / 模糊测试目标 {name} 失败,输入已保存在 {}",
            out.status,
            artifacts.display(),
            artifacts.display()
        ));
    }
    let stat = |key: &str| -> Option<u64> {
        text.lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.trim().parse().ok())
    };
    // The last status line, e.g. "#40000 DONE cov: 5321 ft: 20311 corp: 800/1Mb …".
    let coverage = text
        .lines()
        .rev()
        .find(|l| l.starts_with('#') && l.contains("cov:"))
        .and_then(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let at = |k: &str| w.iter().position(|x| *x == k).and_then(|i| w.get(i + 1));
            Some(format!("cov {} · ft {}", at("cov:")?, at("ft:")?))
        })
        .unwrap_or_default();
    // Run time from libFuzzer's own "Done N runs in S second(s)".
    let secs = text
        .lines()
        .find_map(|l| l.strip_prefix("Done "))
        .and_then(|l| l.split(" in ").nth(1))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(Stats {
        execs: stat("stat::number_of_executed_units:").unwrap_or(0),
        secs,
        coverage,
    })
}

fn print_table(rows: &[(String, Stats)], how: &str) {
    println!(
        "fuzzing ({how}): no panic, hang or memory blow-up / 模糊测试:无崩溃、无卡死、无内存失控"
    );
    println!("| target | executions | seconds | coverage at the end |");
    println!("|---|---|---|---|");
    for (name, s) in rows {
        println!("| {name} | {} | {} | {} |", s.execs, s.secs, s.coverage);
    }
}
