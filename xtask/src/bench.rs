//! `cargo xtask bench [native] [pkg] [zen] [web] [replay]`: measure and report, never fail on a
//! figure (a run fails only when it cannot measure, or when yibao and a peer disagree on an
//! amount). The drivers live in benchmarks/, each in its ecosystem, and print the rows of
//! BENCHMARKS.md's current table as JSON (`rows`: figure, target, measured, how):
//!
//! - native: criterion (`cargo bench -p yibao-core --bench estimate`) and the callgrind count
//!   (budget.rs), reported by `benchmarks/native/report.mjs`;
//! - pkg: the package in headless Chromium (`benchmarks/browser/pkg.mjs`);
//! - zen: one call against GoRules ZEN, wasm and native, on the same rule, amounts checked to the
//!   fen (`benchmarks/zen/zen.mjs`, Node);
//! - web: the widget in the throttled phone profile (`benchmarks/browser/web.mjs`);
//! - replay: yibao against OpenFisca on the same mixed claims, the county-year and a larger file,
//!   in alternating rounds (`benchmarks/openfisca/bench.sh` → `side_by_side.py`).
//!
//! This file orchestrates them (builds, claims files, servers) and writes the table (a row measured
//! replaces its figure's line, with the date, commit and load when its driver started; others
//! stay). With no argument every group runs.

use crate::{cargo, root, setup, sh};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

const BEGIN: &str = "<!-- cargo xtask bench: the table below is written by each run -->";
const END: &str = "<!-- cargo xtask bench: end of table -->";
const HEADER: &str = "| figure | target | measured | how measured | date (UTC) | commit | load (1, 5, 15 min) · cores |\n|---|---|---|---|---|---|---|\n";

pub fn run(args: &[String]) -> Result<(), String> {
    let want = |g: &str| args.is_empty() || args.iter().any(|a| a == g);
    let cli = root().join("target/release/yibao");
    if want("zen") || want("replay") {
        sh(cargo().args(["build", "--release", "-p", "yibao-cli"]))?;
    }
    if want("pkg") || want("zen") {
        crate::pkg::build()?;
    }
    if want("native") {
        let when = now();
        sh(cargo().args(["bench", "-p", "yibao-core", "--bench", "estimate"]))?;
        let count = crate::budget::instructions_per_estimate()?.to_string();
        let report = "benchmarks/native/report.mjs";
        let v = driver(Command::new("node").args([report, "--instructions", &count]))?;
        record(&measured(&v, &when)?)?;
    }
    if want("pkg") {
        let (browser, _) = setup::chromium()?;
        let when = now();
        let v = driver(
            Command::new("node")
                .arg("benchmarks/browser/pkg.mjs")
                .env("CHROMIUM", &browser)
                .env("YIBAO_BENCH_OUT", root().join("target/bench/pkg.json")),
        )?;
        record(&measured(&v, &when)?)?;
    }
    if want("zen") {
        let policy = root().join("target/bench/openfisca-policy.json");
        let out = Command::new(&cli)
            .args(["export", "--policy", "benchmarks/openfisca/policy.toml"])
            .current_dir(root())
            .output()
            .map_err(|e| e.to_string())?;
        std::fs::write(&policy, out.stdout).map_err(|e| format!("{}: {e}", policy.display()))?;
        // ZEN's packages, at benchmarks/zen/package.json's exact versions (not the gate's).
        sh(Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(root().join("benchmarks/zen")))?;
        let when = now();
        // zen.mjs exits non-zero, failing this run, when the engines disagree on an amount.
        let v = driver(
            Command::new("node")
                .arg("benchmarks/zen/zen.mjs")
                .arg(&policy),
        )?;
        record(&measured(&v, &when)?)?;
    }
    if want("web") {
        let dist = crate::web::build()?;
        let (browser, _) = setup::chromium()?;
        let addr = crate::serve::spawn(&dist)?;
        let when = now();
        let v = driver(
            Command::new("node")
                .arg("benchmarks/browser/web.mjs")
                .env("YIBAO_URL", format!("http://{addr}/"))
                .env("YIBAO_DIST", &dist)
                .env("YIBAO_FIRST_VISIT", crate::web::FIRST_VISIT.join(","))
                .env("YIBAO_BENCH_OUT", root().join("target/bench/web.json"))
                .env("CHROMIUM", &browser)
                .env("NODE_PATH", setup::tools_dir().join("node_modules")),
        )?;
        record(&measured(&v, &when)?)?;
    }
    if want("replay") {
        record(&replay(&cli)?)?;
    }
    Ok(())
}

/// Print a group's rows and write them into the table at once (a later group's failure keeps them).
fn record(rows: &[Row]) -> Result<(), String> {
    rows.iter().for_each(|r| println!("{}", r.line));
    write_table(&root().join("BENCHMARKS.md"), rows)
}

/// The claims files (`yibao claims generate`, seed 19), then the replay benchmark's rounds.
/// `YIBAO_BENCH_LARGE` sets the larger file's size (1,000,000 claims by default).
fn replay(cli: &Path) -> Result<Vec<Row>, String> {
    let work = root().join("target/replay-bench");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let county = "demo-county/resident-2024";
    let large: u64 = std::env::var("YIBAO_BENCH_LARGE")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let files = [
        ("benchmarks/openfisca/policy.toml", 450_000, "mixed.csv"),
        (county, 450_000, "county.csv"),
        (county, large, "large.csv"),
    ];
    for (policy, n, name) in files {
        sh(Command::new(cli)
            .args(["claims", "generate", "--seed", "19", "--policy", policy])
            .args(["--claims", &n.to_string(), "--out"])
            .arg(work.join(name)))?;
    }
    let when = now();
    let v = driver(
        Command::new("bash")
            .arg("benchmarks/openfisca/bench.sh")
            .arg(work.join("mixed.csv"))
            .arg("--yibao")
            .arg(cli)
            .arg("--out")
            .arg(&work)
            .args(["--county"])
            .arg(work.join("county.csv"))
            .args(["--county-policy", county, "--large"])
            .arg(work.join("large.csv")),
    );
    let _ = std::fs::remove_file(work.join("large.csv"));
    measured(&v?, &when)
}

/// Run a driver from the workspace root; its standard output's last line that is JSON.
fn driver(cmd: &mut Command) -> Result<Value, String> {
    eprintln!("$ {}", crate::show(cmd));
    let out = cmd
        .current_dir(root())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", crate::show(cmd)))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "{} failed ({}): {text}",
            crate::show(cmd),
            out.status
        ));
    }
    text.lines()
        .rev()
        .find_map(|l| serde_json::from_str(l.trim()).ok())
        .ok_or_else(|| format!("{} printed no JSON line", crate::show(cmd)))
}

/// One row of the table as measured now.
struct Row {
    figure: String,
    line: String,
}

/// A driver's `rows`, each completed with `when` (`date | commit | load`).
fn measured(v: &Value, when: &str) -> Result<Vec<Row>, String> {
    let rows = v["rows"]
        .as_array()
        .ok_or("the driver's JSON has no rows")?;
    rows.iter()
        .map(|r| {
            let get = |k: &str| r[k].as_str().ok_or(format!("a row has no {k}: {r}"));
            let cells = [
                get("figure")?,
                get("target")?,
                get("measured")?,
                get("how")?,
            ];
            let line = format!("| {} | {when} |", cells.join(" | "));
            Ok(Row {
                figure: cells[0].to_string(),
                line,
            })
        })
        .collect()
}

/// The date, the commit measured (`+changes` when tracked files other than BENCHMARKS.md differ
/// from it) and the machine's load, as the table's last three cells.
fn now() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<_> = load.split_whitespace().take(3).collect();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let git = |a: &[&str]| {
        let o = Command::new("git").args(a).current_dir(root()).output();
        o.map_or(String::new(), |o| {
            String::from_utf8_lossy(&o.stdout).trim().to_string()
        })
    };
    let head = git(&["rev-parse", "--short", "HEAD"]);
    let status = ["status", "--porcelain", "--untracked-files=no", "--", "."];
    let changed = !git(&[&status[..], &[":!BENCHMARKS.md"]].concat()).is_empty();
    let plus = if changed { "+changes" } else { "" };
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let date = yibao_core::Date::from_days((secs / 86_400) as i64);
    let (h, m) = (secs % 86_400 / 3600, secs % 3600 / 60);
    format!(
        "{date} {h:02}:{m:02} | `{head}{plus}` | {} · {cores} cores",
        load.join(" ")
    )
}

/// The table between its markers with each measured row in place of its figure's line, new
/// figures at the end, every other line kept.
fn write_table(path: &Path, rows: &[Row]) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let no = |m: &str| format!("{}: no line {m:?}", path.display());
    let (head, rest) = text.split_once(BEGIN).ok_or_else(|| no(BEGIN))?;
    let (old, tail) = rest.split_once(END).ok_or_else(|| no(END))?;
    let figure = |l: &str| {
        l.strip_prefix("| ")
            .and_then(|l| l.split(" | ").next().map(str::to_string))
    };
    let mut table = format!("\n{HEADER}");
    let old_rows = old.lines().skip_while(|l| !l.starts_with("|---")).skip(1);
    for line in old_rows.filter(|l| l.starts_with("| ")) {
        match rows
            .iter()
            .find(|r| figure(line).as_deref() == Some(&r.figure))
        {
            Some(r) => table.push_str(&r.line),
            None => table.push_str(line),
        }
        table.push('\n');
    }
    for r in rows
        .iter()
        .filter(|r| !old.lines().any(|l| figure(l).as_deref() == Some(&r.figure)))
    {
        table.push_str(&r.line);
        table.push('\n');
    }
    std::fs::write(path, format!("{head}{BEGIN}{table}{END}{tail}"))
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_replaces_its_rows_keeps_the_others_and_adds_new_ones() {
        let path = std::env::temp_dir().join(format!("yibao-bench-{}.md", std::process::id()));
        let old = |f: &str| format!("| {f} | t | 9 ms | old | 12-01 | `abc` | 1 · 2 cores |");
        let body = format!(
            "# B\n{BEGIN}\n{HEADER}{}\n{}\n{END}\nafter\n",
            old("a"),
            old("b")
        );
        std::fs::write(&path, body).unwrap();
        let v: Value = serde_json::from_str(
            r#"{"rows":[{"figure":"b","target":"≤ 1 s","measured":"**2 ms**","how":"h"},
                        {"figure":"new","target":"—","measured":"3","how":"h2"}]}"#,
        )
        .unwrap();
        let rows = measured(&v, "2026-12-02 14:10 | `def` | 0.5 · 2 cores").unwrap();
        write_table(&path, &rows).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        let table: Vec<_> = text.lines().filter(|l| l.starts_with("| ")).collect();
        assert_eq!(
            table,
            [
                HEADER.lines().next().unwrap(),
                &old("a"),
                "| b | ≤ 1 s | **2 ms** | h | 2026-12-02 14:10 | `def` | 0.5 · 2 cores |",
                "| new | — | 3 | h2 | 2026-12-02 14:10 | `def` | 0.5 · 2 cores |",
            ]
        );
        assert!(text.starts_with("# B\n") && text.ends_with(&format!("{END}\nafter\n")));
        assert!(measured(&serde_json::json!({"rows": [{"figure": "x"}]}), "").is_err());
    }
}
