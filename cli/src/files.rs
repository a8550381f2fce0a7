//! Reading the files the user named; turning every failure into one bilingual message.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yibao_core::case::{Case, Ytd};
use yibao_core::policy::load::{locate, parse_policy, parse_strict};
use yibao_core::policy::lookup::{self, Named};
use yibao_core::policy::validate::overlaps;
use yibao_core::worked::{beside, by_id, check, policy_not_found, CaseFile, Outcome, Target};
use yibao_core::{input, Code, Date, PolicyDoc, Problem, Problems};

/// A failure to report: the problems, already placed in their file.
pub struct Fail(pub Problems);

impl Fail {
    /// Problems the engine found in a case read from `file`, placed there: at the line of their
    /// key when the file is TOML (a JSON file is named without a line).
    pub fn at(p: Problems, file: &Path) -> Fail {
        let name = file.display().to_string();
        match std::fs::read_to_string(file) {
            Ok(text) if !is_json(&name) => Fail(locate(p, &text, &name)),
            _ => Fail(p.in_file(&name)),
        }
    }
}

impl From<Problems> for Fail {
    fn from(p: Problems) -> Self {
        Fail(p)
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0 .0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "错误 / error ({}): {p}", p.code)?;
        }
        Ok(())
    }
}

/// The most a policy, case or year-to-date file may hold: far above any real one, and a bound on
/// what a wrong path (a device, a huge file) can make the CLI read.
const MAX_FILE_BYTES: u64 = 16 << 20;

pub fn read(path: &Path) -> Result<String, Fail> {
    let refuse = |zh: String, en: String| {
        let mut p = Problem::new(Code::UnreadableFile, "", zh, en);
        p.file = Some(path.display().to_string());
        Fail(p.into())
    };
    // Not a regular file (a FIFO, /dev/zero …): reading it could block or never end.
    if let Ok(meta) = std::fs::metadata(path) {
        if !meta.is_file() {
            return Err(refuse(
                format!("不是普通文件:{}", path.display()),
                format!("not a regular file: {}", path.display()),
            ));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(refuse(
                format!("文件过大(超过 16 MiB):{}", path.display()),
                format!("file too large (over 16 MiB): {}", path.display()),
            ));
        }
    }
    std::fs::read_to_string(path).map_err(|e| {
        let (zh, code) = match e.kind() {
            std::io::ErrorKind::NotFound => ("文件不存在", Code::FileNotFound),
            std::io::ErrorKind::InvalidData => ("文件不是 UTF-8 文本", Code::NotUtf8),
            _ => ("无法读取文件", Code::UnreadableFile),
        };
        let mut p = Problem::new(
            code,
            "",
            format!("{zh}:{}", path.display()),
            format!("cannot read {}: {e}", path.display()),
        );
        p.file = Some(path.display().to_string());
        Fail(p.into())
    })
}

/// A policy by file path (TOML, or the JSON `yibao export` writes and the browser builds take),
/// or a shipped one by its path under `policies/`.
pub fn load_policy(spec: &str) -> Result<PolicyDoc, Fail> {
    // Core's one order (policy::lookup): text, then a file, then a shipped id. A spec written as
    // a file name (`.toml`, `.json`) that is neither says the file cannot be read.
    let named = match yibao_shipped::name(spec, |s| Path::new(s).exists()) {
        Ok(named) => named,
        Err(e) => {
            if is_json(spec) || spec.to_ascii_lowercase().ends_with(".toml") {
                read(Path::new(spec))?;
            }
            return Err(Fail(e.into()));
        }
    };
    match named {
        Named::Text(text) => parse_policy_file(text, "--policy"),
        Named::File(path) => parse_policy_file(&read(Path::new(path))?, path),
        Named::Shipped((path, text)) => parse_policy(text, path).map_err(Fail),
    }
}

/// A policy file's text, read as JSON when its name or its text says so, else as TOML.
fn parse_policy_file(text: &str, name: &str) -> Result<PolicyDoc, Fail> {
    if lookup::is_json(name, text) {
        input::policy_doc_from_json(text).map_err(|ps| Fail(ps.in_file(name)))
    } else {
        parse_policy(text, name).map_err(Fail)
    }
}

fn is_json(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json")
}

/// A case or year-to-date file: TOML, or JSON as the npm package takes it.
fn load_input<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Fail> {
    let text = read(path)?;
    let name = path.display().to_string();
    if is_json(&name) {
        input::from_json(&text).map_err(|ps| Fail(ps.in_file(&name)))
    } else {
        parse_strict(&text, &name).map_err(Fail)
    }
}

pub fn load_case(path: &Path) -> Result<Case, Fail> {
    load_input(path)
}

pub fn load_ytd(path: &Path) -> Result<Ytd, Fail> {
    load_input(path)
}

/// Policy files named on the command line, each a file or a directory: a directory gives every
/// policy under it (see [`walk`]); a directory that holds none is a problem of its own.
fn policies_named(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for path in paths {
        if path.is_dir() {
            let mut found = Found::default();
            walk(path, true, &mut found);
            if found.policies.is_empty() {
                problems.push(no_policies(path, true));
            }
            files.extend(found.policies);
        } else {
            files.push(path.clone());
        }
    }
    // A file named twice (itself and inside a directory named too) is checked once.
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    (files, problems)
}

/// A directory without policy files (running nothing is not passing).
fn no_policies(dir: &Path, json: bool) -> Problem {
    let (zh_kinds, en_kinds) = if json {
        ("*.toml、*.json", "*.toml, *.json")
    } else {
        ("*.toml", "*.toml")
    };
    let mut p = Problem::new(
        Code::NoFiles,
        "",
        format!(
            "目录中没有可读的政策文件({zh_kinds},不含 *.cases.toml):{}",
            dir.display()
        ),
        format!(
            "no readable policy files ({en_kinds}, not *.cases.toml) under {}",
            dir.display()
        ),
    );
    p.file = Some(dir.display().to_string());
    p
}

/// `yibao validate`: policy files and directories of them, any mix.
pub fn validate(paths: &[PathBuf]) -> Result<ExitCode, Fail> {
    if paths.is_empty() {
        return Err(Fail(
            Problem::new(
                Code::NoFiles,
                "",
                "请指定至少一个政策文件或目录",
                "name at least one policy file or directory",
            )
            .into(),
        ));
    }
    let (files, mut all) = policies_named(paths);
    let mut docs = vec![];
    for path in &files {
        let name = path.display().to_string();
        match read(path).and_then(|t| parse_policy_file(&t, &name)) {
            Ok(doc) => {
                println!(
                    "✓ {name}: {} ({:?})",
                    doc.policy.meta.id, doc.policy.meta.status
                );
                // Warnings do not fail the check: the file is valid, but silent about a rule.
                for mut w in yibao_core::policy::validate::warnings(&doc.policy) {
                    w.file = Some(name.clone());
                    println!("  ⚠ 警告 / warning [{}] {w}", w.code);
                }
                docs.push((name, doc));
            }
            Err(Fail(ps)) => all.extend(ps.0),
        }
    }
    let refs: Vec<_> = docs.iter().map(|(n, d)| (n.as_str(), &d.policy)).collect();
    all.extend(overlaps(&refs));
    if all.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Fail(Problems(all)))
    }
}

/// What a directory holds, each list sorted.
#[derive(Default)]
struct Found {
    /// `*.toml` that are not `*.cases.toml` (and, when asked, `*.json`).
    policies: Vec<PathBuf>,
    /// `*.cases.toml`.
    cases: Vec<PathBuf>,
}

/// Every policy and cases file under `dir`, recursively, except in `examples` directories
/// (which hold cases to estimate, not policies).
fn walk(dir: &Path, json: bool, out: &mut Found) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let name = p.to_string_lossy().to_ascii_lowercase();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "examples") {
                walk(&p, json, out);
            }
        } else if name.ends_with(".cases.toml") {
            out.cases.push(p);
        } else if name.ends_with(".toml") || (json && name.ends_with(".json")) {
            out.policies.push(p);
        }
    }
}

/// Passed, failed and known-discrepancy counts of a `yibao test` run, and how many of the cases
/// read are published examples (the source's own figures) and how many constructed.
#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    known: usize,
    published: usize,
    constructed: usize,
}

/// Run one cases file's cases against `doc`, printing each outcome.
fn run_cases(doc: &PolicyDoc, file: &CaseFile, cname: &str, today: Date, t: &mut Tally) {
    for wc in &file.cases {
        match check(doc, wc, today) {
            Outcome::Pass => {
                t.passed += 1;
                println!("✓ {} — {}", wc.id, wc.title);
            }
            Outcome::KnownDiscrepancy { mismatches } => {
                t.known += 1;
                println!(
                    "≠ {} — {} (known discrepancy, documented in the case file)",
                    wc.id, wc.title
                );
                for m in mismatches {
                    println!(
                        "    {}: published {}, engine {}",
                        m.field, m.expected, m.actual
                    );
                }
            }
            Outcome::DiscrepancyResolved => {
                t.failed += 1;
                println!(
                    "✗ {} — documented as a discrepancy but now matches; re-check the note",
                    wc.id
                );
            }
            Outcome::Fail { mismatches } => {
                t.failed += 1;
                println!("✗ {} — {} ({cname})", wc.id, wc.title);
                for m in mismatches {
                    println!(
                        "    {}: expected {}, actual {}",
                        m.field, m.expected, m.actual
                    );
                }
            }
        }
    }
}

/// The policies of a `yibao test` run, by path, and the shipped ones, read when first asked.
struct Policies {
    /// Every policy file found, with what reading it gave (its problems already printed).
    found: Vec<(PathBuf, Option<PolicyDoc>)>,
    shipped: std::cell::OnceCell<Vec<PolicyDoc>>,
}

impl Policies {
    /// The policy the cases file at `cases_path` checks; `Ok(None)` when it is a policy of this
    /// run that did not load (already counted as failed).
    fn for_cases(
        &self,
        file: &CaseFile,
        cases_path: &Path,
    ) -> Result<Option<Cow<'_, PolicyDoc>>, Problem> {
        let target = file.target();
        let at_path = |p: &Path| -> Result<Option<Cow<'_, PolicyDoc>>, Problem> {
            let key = std::fs::canonicalize(p).map_err(|_| policy_not_found(target))?;
            let hit = self
                .found
                .iter()
                .find(|(f, _)| std::fs::canonicalize(f).is_ok_and(|f| f == key));
            match hit {
                Some((_, doc)) => Ok(doc.as_ref().map(Cow::Borrowed)),
                // A policy outside the directory under test: read it now.
                None => {
                    let name = p.display().to_string();
                    match read(p).and_then(|t| parse_policy_file(&t, &name)) {
                        Ok(doc) => Ok(Some(Cow::Owned(doc))),
                        Err(f) => {
                            println!("✗ {name}\n{f}");
                            Ok(None)
                        }
                    }
                }
            }
        };
        match target {
            Target::Beside => {
                let name = cases_path.to_string_lossy();
                match beside(&name) {
                    Some(p) if Path::new(&p).is_file() => at_path(Path::new(&p)),
                    _ => Err(policy_not_found(target)),
                }
            }
            Target::Path(rel) => {
                let dir = cases_path.parent().unwrap_or(Path::new(""));
                at_path(&dir.join(rel))
            }
            Target::Id(id) => {
                let in_run = self.found.iter().filter_map(|(_, d)| d.as_ref());
                if let Some(doc) = by_id(id, in_run) {
                    return Ok(Some(Cow::Borrowed(doc)));
                }
                let shipped = self.shipped.get_or_init(|| {
                    yibao_shipped::policies()
                        .filter_map(|(path, text)| parse_policy(text, path).ok())
                        .collect()
                });
                by_id(id, shipped)
                    .map(|d| Some(Cow::Borrowed(d)))
                    .ok_or_else(|| policy_not_found(target))
            }
        }
    }
}

/// `yibao test DIR`: every cases file under DIR against the policy it checks (the one beside
/// it, or the one its `policy` key names), and the overlap check over DIR's policies.
pub fn test_dir(dir: &Path, today: Date) -> Result<ExitCode, Fail> {
    if !dir.is_dir() {
        return Err(Fail(
            Problem::new(
                Code::NotADirectory,
                "",
                format!("目录不存在:{}", dir.display()),
                format!("no such directory: {}", dir.display()),
            )
            .into(),
        ));
    }
    let mut found = Found::default();
    walk(dir, false, &mut found);
    if found.policies.is_empty() && found.cases.is_empty() {
        return Err(Fail(no_policies(dir, false).into()));
    }
    let mut t = Tally::default();
    let mut policies = Policies {
        found: vec![],
        shipped: std::cell::OnceCell::new(),
    };
    for path in found.policies {
        let name = path.display().to_string();
        let doc = match read(&path).and_then(|t| parse_policy_file(&t, &name)) {
            Ok(d) => Some(d),
            Err(f) => {
                println!("✗ {name}\n{f}");
                t.failed += 1;
                None
            }
        };
        policies.found.push((path, doc));
    }
    // Which policies some cases file checked (by id, as a policy read from elsewhere has no
    // place in `found`).
    let mut checked: Vec<String> = vec![];
    for cases_path in &found.cases {
        let cname = cases_path.display().to_string();
        let loaded = read(cases_path).and_then(|text| {
            parse_strict::<CaseFile>(&text, &cname)
                .map(|file| (file, text))
                .map_err(Fail)
        });
        let (file, text) = match loaded {
            Ok(f) => f,
            Err(f) => {
                println!("✗ {cname}\n{f}");
                t.failed += 1;
                continue;
            }
        };
        let published = file.cases.iter().filter(|c| c.published.is_some()).count();
        t.published += published;
        t.constructed += file.cases.len() - published;
        match policies.for_cases(&file, cases_path) {
            Ok(Some(doc)) => {
                checked.push(doc.policy.meta.id.clone());
                run_cases(&doc, &file, &cname, today, &mut t);
            }
            // The policy's own problems are printed and counted already.
            Ok(None) => {}
            Err(p) => {
                println!("✗ {cname}\n{}", Fail(locate(p.into(), &text, &cname)));
                t.failed += 1;
            }
        }
    }
    for (path, doc) in &policies.found {
        if let Some(d) = doc {
            if !checked.contains(&d.policy.meta.id) {
                println!("· {}: no worked cases", path.display());
            }
        }
    }
    let named: Vec<(String, &PolicyDoc)> = policies
        .found
        .iter()
        .filter_map(|(p, d)| Some((p.display().to_string(), d.as_ref()?)))
        .collect();
    let refs: Vec<_> = named.iter().map(|(n, d)| (n.as_str(), &d.policy)).collect();
    for p in overlaps(&refs) {
        t.failed += 1;
        println!("✗ {p}");
    }
    let known_note = if t.known > 0 {
        format!(", {} known discrepancies", t.known)
    } else {
        String::new()
    };
    println!("{} passed, {} failed{known_note}", t.passed, t.failed);
    println!(
        "公布算例 {p} / 自行构造 {c} · published {p} / constructed {c}",
        p = t.published,
        c = t.constructed
    );
    Ok(if t.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
