//! `yibao claims generate` and `yibao replay`: a year of claims through one or two policies.
//! The work is yibao-batch's; this module reads and writes the files, shows progress and
//! prints the tables.

use crate::files::{load_policy, Fail};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yibao_batch::columnar;
use yibao_batch::generate::{self, Spec};
use yibao_batch::report::Report;
use yibao_batch::table::{self, Loaded, RowProblem};
use yibao_batch::{run, text, Keep, Replay};
use yibao_core::claims::Claim;
use yibao_core::estimate::Key;
use yibao_core::replay::{Summary, Totals, RATIO_BANDS};
use yibao_core::{Code, Money, PolicyDoc, Problem};

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// The policy the claims are for (its levels, categories, year): a file or a shipped id.
    #[arg(long)]
    policy: String,
    /// How many claims (admissions and visits).
    #[arg(long, default_value_t = 100_000)]
    claims: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Inpatient stays only.
    #[arg(long)]
    inpatient_only: bool,
    /// Where to write them: `.csv` or `.parquet`.
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
pub struct ReplayArgs {
    /// The claims: `.csv` or `.parquet` (columns: README, "Claims files").
    #[arg(long)]
    claims: PathBuf,
    /// The policy; give it twice to compare (current first, proposed second).
    #[arg(long, required = true, num_args = 1)]
    policy: Vec<String>,
    /// Per-claim results: `.csv` or `.parquet`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// The summary as JSON (`-`: to standard output instead of the tables).
    #[arg(long)]
    json: Option<PathBuf>,
    /// How many of those who gain and lose most to list.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Settle every claim by the general path, not the policy's compiled form (the same
    /// amounts, slower: for measuring and checking).
    #[arg(long)]
    general: bool,
}

fn fail(path: &Path, code: Code, zh: String, en: String) -> Fail {
    let mut p = Problem::new(code, "", zh, en);
    p.file = Some(path.display().to_string());
    Fail(p.into())
}

fn io_fail(path: &Path, e: impl std::fmt::Display) -> Fail {
    fail(
        path,
        Code::UnreadableFile,
        format!("无法读写文件 {}:{e}", path.display()),
        format!("cannot read or write {}: {e}", path.display()),
    )
}

enum Format {
    Csv,
    Parquet,
}

fn format_of(path: &Path) -> Result<Format, Fail> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("csv") => Ok(Format::Csv),
        Some("parquet") => Ok(Format::Parquet),
        _ => Err(fail(
            path,
            Code::InvalidValue,
            format!("文件须为 .csv 或 .parquet:{}", path.display()),
            format!("the file must be .csv or .parquet: {}", path.display()),
        )),
    }
}

pub fn generate(a: GenerateArgs) -> Result<ExitCode, Fail> {
    let doc = load_policy(&a.policy)?;
    let spec = Spec {
        seed: a.seed,
        claims: a.claims,
        inpatient_only: a.inpatient_only,
    };
    let claims = generate::claims(&doc.policy, &spec);
    write_claims(&a.out, &claims)?;
    eprintln!(
        "已生成 {} 条就诊记录 / wrote {} claims: {}",
        claims.len(),
        claims.len(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn write_claims(path: &Path, claims: &[Claim]) -> Result<(), Fail> {
    let format = format_of(path)?;
    let file = File::create(path).map_err(|e| io_fail(path, e))?;
    match format {
        Format::Csv => text::write_claims(BufWriter::new(file), claims),
        Format::Parquet => {
            columnar::claims_batch(claims).and_then(|b| columnar::write_parquet(file, &b))
        }
    }
    .map_err(|e| io_fail(path, e))
}

fn read_claims(path: &Path) -> Result<Loaded, Fail> {
    let format = format_of(path)?;
    let file = File::open(path).map_err(|e| {
        fail(
            path,
            Code::FileNotFound,
            format!("找不到文件:{} ({e})", path.display()),
            format!("cannot open {}: {e}", path.display()),
        )
    })?;
    match format {
        Format::Csv => text::read_claims(BufReader::new(file)),
        Format::Parquet => columnar::read_parquet(file),
    }
    .map_err(|p| Fail::at(p.into(), path))
}

/// The summary as `--json` writes it.
/// Wall-clock times of this run (for `cargo xtask bench`; no test reads them).
#[derive(Serialize)]
struct Seconds {
    read: f64,
    replay: Vec<f64>,
    threads: usize,
}

fn rayon_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// What `--json` writes: the replay's report (`yibao_batch::report`, the one the office's worker
/// posts too) with this run's file and wall-clock times.
#[derive(Serialize)]
struct CliReport<'a> {
    seconds: Seconds,
    claims_file: String,
    #[serde(flatten)]
    report: &'a Report,
}

pub fn replay(a: ReplayArgs) -> Result<ExitCode, Fail> {
    if a.policy.len() > 2 {
        return Err(fail(
            Path::new(""),
            Code::InvalidValue,
            "最多比较两个政策(现行、拟调整)".into(),
            "compare at most two policies (current, proposed)".into(),
        ));
    }
    let docs: Vec<PolicyDoc> = a
        .policy
        .iter()
        .map(|p| load_policy(p))
        .collect::<Result<_, _>>()?;
    let clock = std::time::Instant::now();
    let mut loaded = read_claims(&a.claims)?;
    let read_seconds = clock.elapsed().as_secs_f64();
    let mut replay_seconds = vec![];
    // Per-claim results only when a file or the comparison of persons needs them.
    let keep = if a.out.is_some() || docs.len() == 2 {
        Keep::Results
    } else {
        Keep::Totals
    };
    let path = if a.general {
        run::Path::General
    } else {
        run::Path::Fastest
    };
    let runs: Vec<Replay> = docs
        .iter()
        .map(|d| {
            let bar = progress(loaded.claims.len() as u64, &d.policy.meta.id);
            let clock = std::time::Instant::now();
            let r = run::run(
                d,
                &loaded.claims,
                &loaded.keys,
                &|n| bar.set_position(n),
                keep,
                path,
            );
            replay_seconds.push(clock.elapsed().as_secs_f64());
            bar.finish_and_clear();
            r
        })
        .collect();
    if let Some(out) = &a.out {
        let results: Vec<&[_]> = runs.iter().map(|r| r.results.as_slice()).collect();
        let t = table::results(&loaded.claims, &results);
        let format = format_of(out)?;
        let file = File::create(out).map_err(|e| io_fail(out, e))?;
        match format {
            Format::Csv => text::write_results(BufWriter::new(file), &t),
            Format::Parquet => {
                columnar::results_batch(&t).and_then(|b| columnar::write_parquet(file, &b))
            }
        }
        .map_err(|e| io_fail(out, e))?;
    }

    let report = Report::new(&docs, &mut loaded, &runs, a.top);
    let cli = CliReport {
        seconds: Seconds {
            read: read_seconds,
            replay: replay_seconds,
            threads: rayon_threads(),
        },
        claims_file: a.claims.display().to_string(),
        report: &report,
    };
    let json = serde_json::to_string_pretty(&cli).unwrap_or_default();
    match a.json.as_deref() {
        Some(p) if p == Path::new("-") => println!("{json}"),
        Some(p) => {
            std::fs::write(p, json).map_err(|e| io_fail(p, e))?;
            print!("{}", tables(&runs, &report));
        }
        None => print!("{}", tables(&runs, &report)),
    }
    // A file of which nothing could be read is not a replay of zero claims: the report above
    // lists why each row was refused; the run fails.
    if loaded.claims.is_empty() {
        return Err(fail(
            &a.claims,
            Code::NoReadableRow,
            format!("{} 中没有一行可以读取,未做测算", a.claims.display()),
            format!(
                "no row of {} could be read; nothing was replayed",
                a.claims.display()
            ),
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn progress(len: u64, label: &str) -> ProgressBar {
    // Only on a terminal: a log file or a pipe gets no bar.
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} 条 claims ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(label.to_string());
    bar
}

fn percent(r: rust_decimal::Decimal) -> String {
    format!("{}%", (r * rust_decimal::Decimal::ONE_HUNDRED).round_dp(2))
}

fn diff(a: Money, b: Money) -> String {
    (b.0 - a.0).to_string()
}

/// The terminal's tables: totals (and their difference), breakdowns, caps, ratios, bad rows.
fn tables(runs: &[Replay], report: &Report) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let two = runs.len() == 2;
    let _ = writeln!(
        o,
        "就诊记录 claims: {} 条已读 read, {} 行无法读取 bad rows, {} 条被拒 refused; 参保人 persons: {}",
        report.claims_read,
        report.bad_rows.len(),
        report.refused.len(),
        runs.first().map_or(0, |r| r.summary.persons)
    );
    let _ = write!(o, "\n{:<28}", "");
    for p in &report.policies {
        let _ = write!(o, "{:>20}", p.id);
    }
    if two {
        let _ = write!(o, "{:>16}", "差额 change");
    }
    o.push('\n');
    // The summed settlement fields, each under its short label in both languages.
    let rows = Key::SUMMED.map(|k| {
        let f = k.field();
        (format!("{} {}", f.short_zh, f.short_en), k)
    });
    for (label, key) in rows {
        let vals: Vec<Money> = runs.iter().map(|r| r.summary.all.get(key)).collect();
        if vals.iter().all(|v| v.is_zero()) {
            continue;
        }
        let _ = write!(o, "{label:<28}");
        for v in &vals {
            let _ = write!(o, "{:>20}", v.to_string());
        }
        if two {
            let _ = write!(o, "{:>16}", diff(vals[0], vals[1]));
        }
        o.push('\n');
    }
    let _ = write!(o, "{:<28}", "实际报销比例 actual ratio");
    for r in runs {
        let _ = write!(o, "{:>20}", percent(r.summary.all.actual_ratio()));
    }
    o.push('\n');
    let _ = write!(o, "{:<28}", "平均报销比例 mean per claim");
    for r in runs {
        let _ = write!(o, "{:>20}", percent(r.summary.all.mean_ratio()));
    }
    o.push('\n');

    type Breakdown = fn(&Summary) -> &std::collections::BTreeMap<String, Totals>;
    let parts: [(&str, Breakdown); 4] = [
        ("按就诊类型 by setting", |s| &s.by_setting),
        ("按医疗机构级别 by level", |s| &s.by_level),
        ("按人员类别 by category", |s| &s.by_category),
        ("按月份 by month", |s| &s.by_month),
    ];
    for (title, get) in parts {
        let _ = writeln!(
            o,
            "\n{title}: 人次 claims / 基金 funds / 个人 patients / 比例 ratio"
        );
        let keys: std::collections::BTreeSet<&String> =
            runs.iter().flat_map(|r| get(&r.summary).keys()).collect();
        for k in keys {
            let _ = write!(o, "  {k:<16}");
            for r in runs {
                let t = get(&r.summary).get(k).cloned().unwrap_or_default();
                let _ = write!(
                    o,
                    " {:>7} {:>15} {:>15} {:>8} |",
                    t.claims,
                    t.get(Key::FundPaySumamt).to_string(),
                    t.get(Key::PsnPartAmt).to_string(),
                    percent(t.actual_ratio())
                );
            }
            o.push('\n');
        }
    }
    let _ = writeln!(o, "\n封顶 caps reached (参保人 persons):");
    let caps: std::collections::BTreeSet<&String> = runs
        .iter()
        .flat_map(|r| r.summary.cap_hits.keys())
        .collect();
    if caps.is_empty() {
        let _ = writeln!(o, "  无 none");
    }
    for k in caps {
        let _ = write!(o, "  {k:<28}");
        for r in runs {
            let _ = write!(o, "{:>10}", r.summary.cap_hits.get(k).copied().unwrap_or(0));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "\n实际报销比例分布 claims by actual ratio:");
    for band in 0..RATIO_BANDS {
        let _ = write!(o, "  {:>3}–{:<3}%", band * 10, band * 10 + 10);
        for r in runs {
            let _ = write!(o, "{:>10}", r.summary.ratio_bands[band]);
        }
        o.push('\n');
    }
    if let Some(e) = report.change.as_ref().map(|c| &c.persons) {
        let _ = writeln!(
            o,
            "\n个人负担变化 change in what each person pays: 减少 pay less {}, 不变 same {}, 增加 pay more {}",
            e.fewer, e.same, e.more
        );
        for (title, list) in [
            ("受益最多 gain most", &e.gains),
            ("负担增加最多 lose most", &e.losses),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(o, "  {title}:");
            for p in list {
                let _ = writeln!(
                    o,
                    "    {:<12} {:>3} 次 claims {:>12} → {:>12} ({})",
                    p.person_id,
                    p.claims,
                    p.before.to_string(),
                    p.after.to_string(),
                    p.change
                );
            }
        }
    }
    let problems: Vec<&RowProblem> = report.bad_rows.iter().chain(&report.refused).collect();
    if !problems.is_empty() {
        let _ = writeln!(o, "\n无法计算的行 rows not counted ({}):", problems.len());
        for p in problems.iter().take(20) {
            let _ = writeln!(o, "  {p}");
        }
        if problems.len() > 20 {
            let _ = writeln!(o, "  … 其余见 --json / the rest are in --json");
        }
    }
    o
}
