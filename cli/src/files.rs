//! Reading the files the user named; turning every failure into one bilingual message.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use yibao_core::case::{Case, Ytd};
use yibao_core::policy::load::{parse_policy, parse_strict};
use yibao_core::policy::validate::overlaps;
use yibao_core::worked::{check, CaseFile, Outcome};
use yibao_core::{bundled, input, Code, Date, PolicyDoc, Problem, Problems};

/// A failure to report: the problems, already placed in their file.
pub struct Fail(pub Problems);

impl Fail {
    pub fn at(p: Problems, file: &Path) -> Fail {
        Fail(p.in_file(&file.display().to_string()))
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
    let path = Path::new(spec);
    if path.exists() {
        let text = read(path)?;
        return parse_policy_file(&text, spec);
    }
    match bundled::file(spec) {
        Some(text) => parse_policy(text, spec).map_err(Fail),
        None => read(path).and_then(|t| parse_policy(&t, spec).map_err(Fail)),
    }
}

/// A policy file's text, read as JSON when its name says so, else as TOML.
fn parse_policy_file(text: &str, name: &str) -> Result<PolicyDoc, Fail> {
    if is_json(name) {
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

pub fn validate(paths: &[PathBuf]) -> Result<ExitCode, Fail> {
    if paths.is_empty() {
        return Err(Fail(
            Problem::new(
                Code::NoFiles,
                "",
                "请指定至少一个政策文件",
                "name at least one policy file",
            )
            .into(),
        ));
    }
    let mut all = vec![];
    let mut docs = vec![];
    for path in paths {
        let name = path.display().to_string();
        match read(path).and_then(|t| parse_policy_file(&t, &name)) {
            Ok(doc) => {
                println!(
                    "✓ {name}: {} ({:?})",
                    doc.policy.meta.id, doc.policy.meta.status
                );
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

fn policy_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "examples") {
                policy_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "toml")
            && !p.to_string_lossy().ends_with(".cases.toml")
        {
            out.push(p);
        }
    }
}

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
    let mut files = vec![];
    policy_files(dir, &mut files);
    if files.is_empty() {
        // Running nothing is not passing.
        return Err(Fail(
            Problem::new(
                Code::NoFiles,
                "",
                format!("目录中没有可读的政策文件(*.toml):{}", dir.display()),
                format!("no readable policy files (*.toml) under {}", dir.display()),
            )
            .into(),
        ));
    }
    let (mut passed, mut failed, mut known) = (0, 0, 0);
    let mut docs = vec![];
    for path in &files {
        let name = path.display().to_string();
        let doc = match read(path).and_then(|t| parse_policy_file(&t, &name)) {
            Ok(d) => d,
            Err(f) => {
                println!("✗ {name}\n{f}");
                failed += 1;
                continue;
            }
        };
        let cases_path = path.with_extension("cases.toml");
        if cases_path.exists() {
            let cname = cases_path.display().to_string();
            let file: CaseFile =
                match read(&cases_path).and_then(|t| parse_strict(&t, &cname).map_err(Fail)) {
                    Ok(f) => f,
                    Err(f) => {
                        println!("✗ {cname}\n{f}");
                        failed += 1;
                        continue;
                    }
                };
            for wc in &file.cases {
                match check(&doc, wc, today) {
                    Outcome::Pass => {
                        passed += 1;
                        println!("✓ {} — {}", wc.id, wc.title);
                    }
                    Outcome::KnownDiscrepancy { mismatches } => {
                        known += 1;
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
                        failed += 1;
                        println!(
                            "✗ {} — documented as a discrepancy but now matches; re-check the note",
                            wc.id
                        );
                    }
                    Outcome::Fail { mismatches } => {
                        failed += 1;
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
        } else {
            println!("· {name}: no worked cases");
        }
        docs.push((name, doc));
    }
    let refs: Vec<_> = docs.iter().map(|(n, d)| (n.as_str(), &d.policy)).collect();
    for p in overlaps(&refs) {
        failed += 1;
        println!("✗ {p}");
    }
    let known_note = if known > 0 {
        format!(", {known} known discrepancies")
    } else {
        String::new()
    };
    println!("{passed} passed, {failed} failed{known_note}");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
