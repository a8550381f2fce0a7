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
use yibao_batch::stream::{self, Parts, Stop};
use yibao_batch::table::{self, Loaded, RowProblem};
use yibao_batch::{run, text, Keep, Replay};
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
    // Written as they are made: a province's file is never held whole (the Parquet file a
    // batch of claims at a time).
    let path = &a.out;
    let format = format_of(path)?;
    let file = File::create(path).map_err(|e| io_fail(path, e))?;
    let n = match format {
        Format::Csv => {
            let mut w =
                text::ClaimsWriter::new(BufWriter::new(file)).map_err(|e| io_fail(path, e))?;
            let n = generate::each(&doc.policy, &spec, |c| w.write(&c));
            n.and_then(|n| w.finish().map(|_| n))
        }
        Format::Parquet => {
            let mut w = columnar::ParquetWriter::new(file);
            let mut batch = Vec::with_capacity(PARQUET_BATCH);
            let n = generate::each(&doc.policy, &spec, |c| {
                batch.push(c);
                if batch.len() == PARQUET_BATCH {
                    w.write_claims(&batch)?;
                    batch.clear();
                }
                Ok(())
            });
            n.and_then(|n| {
                if !batch.is_empty() || n == 0 {
                    w.write_claims(&batch)?;
                }
                w.finish().map(|_| n)
            })
        }
    }
    .map_err(|e| io_fail(path, e))?;
    eprintln!(
        "已生成 {n} 条就诊记录 / wrote {n} claims: {}",
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Claims in a batch of a Parquet file `claims generate` writes.
const PARQUET_BATCH: usize = 1 << 16;

fn open(path: &Path) -> Result<File, Fail> {
    File::open(path).map_err(|e| {
        fail(
            path,
            Code::FileNotFound,
            format!("找不到文件:{} ({e})", path.display()),
            format!("cannot open {}: {e}", path.display()),
        )
    })
}

fn read_claims(path: &Path) -> Result<Loaded, Fail> {
    let format = format_of(path)?;
    let file = open(path)?;
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
    /// Present when the file was not grouped by person and so was replayed whole, in memory.
    #[serde(skip_serializing_if = "Option::is_none")]
    not_grouped: Option<NotGrouped>,
    #[serde(flatten)]
    report: &'a Report,
}

/// Where a claims file was found not grouped by person: a person's claims resume at `row` after
/// another person's.
#[derive(Serialize)]
struct NotGrouped {
    row: u64,
    person_id: String,
}

/// How the replay was run: the policies, what to keep, by which paths.
struct How<'a> {
    a: &'a ReplayArgs,
    docs: &'a [PolicyDoc],
    keep: Keep,
    path: run::Path,
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
    let how = How {
        a: &a,
        docs: &docs,
        keep,
        path,
    };
    // Part by part, in bounded memory, when the file is grouped by person; whole otherwise.
    let (report, seconds, not_grouped) = match streamed(&how)? {
        Ok((report, seconds)) => (report, seconds, None),
        Err(ng) => {
            eprintln!(
                "{} 未按参保人排序(第 {} 行,参保人 {} 的记录在其他人之后再次出现):整个文件读入内存测算 / \
                 {} is not grouped by person (row {}: the claims of {} resume after another person's): replaying it whole, in memory",
                a.claims.display(),
                ng.row,
                ng.person_id,
                a.claims.display(),
                ng.row,
                ng.person_id
            );
            let (report, seconds) = whole(&how)?;
            (report, seconds, Some(ng))
        }
    };
    let claims_read = report.claims_read;
    let cli = CliReport {
        seconds,
        claims_file: a.claims.display().to_string(),
        not_grouped,
        report: &report,
    };
    let json = serde_json::to_string_pretty(&cli).unwrap_or_default();
    match a.json.as_deref() {
        Some(p) if p == Path::new("-") => println!("{json}"),
        Some(p) => {
            std::fs::write(p, json).map_err(|e| io_fail(p, e))?;
            print!("{}", tables(&report));
        }
        None => print!("{}", tables(&report)),
    }
    // A file of which nothing could be read is not a replay of zero claims: the report above
    // lists why each row was refused; the run fails.
    if claims_read == 0 {
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

/// Where per-claim results are written, part after part.
enum Out {
    Csv(text::ResultsWriter<BufWriter<File>>),
    Parquet(columnar::ParquetWriter),
}

impl Out {
    fn create(path: &Path) -> Result<Out, Fail> {
        let format = format_of(path)?;
        let file = File::create(path).map_err(|e| io_fail(path, e))?;
        Ok(match format {
            Format::Csv => Out::Csv(text::ResultsWriter::new(BufWriter::new(file))),
            Format::Parquet => Out::Parquet(columnar::ParquetWriter::new(file)),
        })
    }
    fn write(&mut self, t: &table::Results) -> Result<(), String> {
        match self {
            Out::Csv(w) => w.write(t),
            Out::Parquet(w) => w.write_results(t),
        }
    }
    fn finish(self) -> Result<(), String> {
        match self {
            Out::Csv(w) => w.finish(),
            Out::Parquet(w) => w.finish(),
        }
    }
}

/// The replay part by part (`yibao_batch::stream`): `Err` with where the file is not grouped by
/// person, before anything of that part was settled (the results file is then written again by
/// [`whole`]).
fn streamed(how: &How) -> Result<Result<(Report, Seconds), NotGrouped>, Fail> {
    let a = how.a;
    let format = format_of(&a.claims)?;
    let file = open(&a.claims)?;
    let mut out = a.out.as_deref().map(Out::create).transpose()?;
    let bar = progress(None, "");
    let mut each = |part: &Loaded, runs: &[Replay]| -> Result<(), String> {
        if let Some(o) = out.as_mut() {
            let results: Vec<&[_]> = runs.iter().map(|r| r.results.as_slice()).collect();
            o.write(&table::results(&part.claims, &results))?;
        }
        Ok(())
    };
    let tell = |n| bar.set_position(n);
    let unreadable = |p: Problem| Fail::at(p.into(), &a.claims);
    let r = match format {
        Format::Csv => {
            let (rows, loaded) = text::CsvRows::new(BufReader::new(file)).map_err(unreadable)?;
            let parts = Parts::new(rows, loaded, stream::PART);
            stream::replay(how.docs, parts, how.keep, how.path, a.top, &mut each, &tell)
        }
        Format::Parquet => {
            let rows = columnar::ParquetRows::new(file).map_err(unreadable)?;
            let parts = Parts::new(rows, Loaded::default(), stream::PART);
            stream::replay(how.docs, parts, how.keep, how.path, a.top, &mut each, &tell)
        }
    };
    bar.finish_and_clear();
    let s = match r {
        Ok(s) => s,
        Err(Stop::NotGrouped { row, person_id }) => return Ok(Err(NotGrouped { row, person_id })),
        Err(Stop::Unreadable(p)) => return Err(unreadable(p)),
        Err(Stop::Written(e)) => return Err(io_fail(a.out.as_deref().unwrap_or(&a.claims), e)),
    };
    if let (Some(o), Some(p)) = (out, a.out.as_deref()) {
        o.finish().map_err(|e| io_fail(p, e))?;
    }
    let seconds = Seconds {
        read: s.read_seconds,
        replay: s.replay_seconds,
        threads: rayon_threads(),
    };
    Ok(Ok((s.report, seconds)))
}

/// The replay of the file read whole (a file not grouped by person).
fn whole(how: &How) -> Result<(Report, Seconds), Fail> {
    let a = how.a;
    let clock = std::time::Instant::now();
    let mut loaded = read_claims(&a.claims)?;
    let read_seconds = clock.elapsed().as_secs_f64();
    let mut replay_seconds = vec![];
    let runs: Vec<Replay> = how
        .docs
        .iter()
        .map(|d| {
            let bar = progress(Some(loaded.claims.len() as u64), &d.policy.meta.id);
            let clock = std::time::Instant::now();
            let r = run::run(
                d,
                &loaded.claims,
                &loaded.keys,
                &|n| bar.set_position(n),
                how.keep,
                how.path,
            );
            replay_seconds.push(clock.elapsed().as_secs_f64());
            bar.finish_and_clear();
            r
        })
        .collect();
    if let Some(out) = &a.out {
        let results: Vec<&[_]> = runs.iter().map(|r| r.results.as_slice()).collect();
        let mut o = Out::create(out)?;
        o.write(&table::results(&loaded.claims, &results))
            .and_then(|()| o.finish())
            .map_err(|e| io_fail(out, e))?;
    }
    let report = Report::new(how.docs, &mut loaded, &runs, a.top);
    let seconds = Seconds {
        read: read_seconds,
        replay: replay_seconds,
        threads: rayon_threads(),
    };
    Ok((report, seconds))
}

/// A bar of `len` claims, or a count when how many is not known before the end (a file read
/// part by part).
fn progress(len: Option<u64>, label: &str) -> ProgressBar {
    // Only on a terminal: a log file or a pipe gets no bar.
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let Some(len) = len else {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} 条 claims ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        return bar;
    };
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
fn tables(report: &Report) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let runs = &report.policies;
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
