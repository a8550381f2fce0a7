//! ARCHITECTURE.md names only what exists. Every name it puts in backticks (outside code
//! blocks) is checked against the tree:
//!
//! - a path (`core/src/money.rs`, `fuzz/corpus/`; a bare file name after a folder it names, as
//!   `split.rs` after `core/src/estimate/`; `*.cases.toml` as a pattern) exists;
//! - a Rust path (`replay::by_person`, `error::Code`, `run::replay`) resolves: its modules are
//!   files of core or batch, and its item is declared in the last one (a method anywhere in the
//!   crate); a path into another crate (`rust_decimal::Decimal`) names one of our dependencies;
//! - a type name (`Verdict`) is a struct, enum, trait or type of ours (or a TypeScript interface
//!   the package declares);
//! - a test (or constant) named `x` in `file` is declared in that file; any other name (a setlinfo key, a
//!   feature, a TOML table, a crate) occurs in the sources.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// Every source and data file of the tree, as text (build output, dependencies, the fuzz corpus
/// and the document itself left out).
fn sources() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                let skip = ["target", "node_modules", "dist", "corpus", "artifacts"];
                let hidden = name.starts_with('.') && name != ".cargo";
                if !hidden && !skip.contains(&name.as_str()) {
                    walk(&p, out);
                }
            } else {
                let exts = [
                    "rs", "toml", "json", "tsv", "mjs", "js", "ts", "py", "html", "css", "md",
                ];
                let keep = p
                    .extension()
                    .is_some_and(|x| exts.contains(&x.to_string_lossy().as_ref()));
                if keep && name != "ARCHITECTURE.md" && name != "architecture_doc.rs" {
                    if let Ok(text) = fs::read_to_string(&p) {
                        out.push((p, text));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&root(), &mut out);
    out
}

/// The backticked spans of a Markdown text outside fenced code blocks, with what follows each.
fn spans(md: &str) -> Vec<(String, String)> {
    let mut prose = String::new();
    let mut fenced = false;
    for line in md.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let parts: Vec<&str> = prose.split('`').collect();
    let mut out = Vec::new();
    for i in (1..parts.len()).step_by(2) {
        let after: String = parts[i + 1..].join("`").chars().take(200).collect();
        out.push((parts[i].to_string(), after));
    }
    out
}

fn is_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Whether `name` is declared as an item in `text` (`fn name`, `struct name`, …).
fn declares(text: &str, name: &str) -> bool {
    [
        "fn ", "struct ", "enum ", "trait ", "type ", "const ", "static ", "mod ", "union ",
    ]
    .iter()
    .any(|kw| contains_word(text, &format!("{kw}{name}")))
        || contains_word(text, &format!("macro_rules! {name}"))
}

/// The file of module `segs` under `src` (`a/b.rs` or `a/b/mod.rs`).
fn module_file(src: &Path, segs: &[&str]) -> Option<PathBuf> {
    if segs.is_empty() {
        return Some(src.join("lib.rs"));
    }
    let rel = segs.join("/");
    [src.join(format!("{rel}.rs")), src.join(&rel).join("mod.rs")]
        .into_iter()
        .find(|p| p.exists())
}

/// A Rust path resolves (see the module comment); `Err` says why not.
fn resolve(path: &str, crates: &BTreeSet<String>, all: &[(PathBuf, String)]) -> Result<(), String> {
    let segs: Vec<&str> = path.split("::").collect();
    let r = root();
    let (src, rest): (PathBuf, &[&str]) = match segs[0] {
        "crate" | "yibao_core" => (r.join("core/src"), &segs[1..]),
        "yibao_batch" => (r.join("batch/src"), &segs[1..]),
        first if crates.contains(first) => return Ok(()),
        first => {
            let src = ["core/src", "batch/src"]
                .iter()
                .map(|s| r.join(s))
                .find(|src| module_file(src, &[first]).is_some())
                .ok_or_else(|| format!("`{first}` is no module of core or batch"))?;
            (src, &segs[..])
        }
    };
    // The longest run of segments that are module files, then the item and maybe a method.
    let mut n = rest.len();
    while n > 0 && module_file(&src, &rest[..n]).is_none() {
        n -= 1;
    }
    let file = module_file(&src, &rest[..n]).expect("lib.rs at least");
    let items = &rest[n..];
    let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
    match items {
        [] => Ok(()),
        [item] if declares(&text, item) || reexports(&text, item) => Ok(()),
        [ty, method] if declares(&text, ty) || reexports(&text, ty) => {
            let in_crate = all
                .iter()
                .any(|(p, t)| p.starts_with(&src) && contains_word(t, &format!("fn {method}")));
            in_crate
                .then_some(())
                .ok_or_else(|| format!("no `fn {method}` in {}", src.display()))
        }
        _ => Err(format!(
            "`{}` is not declared in {}",
            items.join("::"),
            file.display()
        )),
    }
}

/// Whether `text` re-exports `name` (`pub use …::name;` or inside a `pub use …::{…}` group).
fn reexports(text: &str, name: &str) -> bool {
    text.split("pub use ").skip(1).any(|u| {
        let stmt = u.split(';').next().unwrap_or("");
        contains_word(stmt, name)
    })
}

/// Our dependencies' crate names (`rust_decimal`, `serde`), as a path writes them.
fn dependency_crates(all: &[(PathBuf, String)]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (p, text) in all {
        if p.file_name().is_some_and(|n| n == "Cargo.toml") {
            let Ok(m) = text.parse::<toml::Table>() else {
                continue;
            };
            for k in ["dependencies", "dev-dependencies", "build-dependencies"] {
                for section in [m.get(k), m.get("workspace").and_then(|w| w.get(k))] {
                    if let Some(t) = section.and_then(toml::Value::as_table) {
                        out.extend(t.keys().map(|d| d.replace('-', "_")));
                    }
                }
            }
        }
    }
    out
}

/// What is wrong with the names `md` mentions (empty: all exist).
fn missing(md: &str, all: &[(PathBuf, String)]) -> Vec<String> {
    let r = root();
    let crates = dependency_crates(all);
    let mut bad = Vec::new();
    let mut folder: Option<PathBuf> = None;
    for (span, after) in spans(md) {
        let s = span.trim();
        if s.is_empty() || s.contains(' ') || s.starts_with('-') || s.contains("://") {
            continue;
        }
        let pathlike = s.contains('/')
            || [
                ".rs", ".toml", ".json", ".tsv", ".mjs", ".js", ".md", ".py", ".html",
            ]
            .iter()
            .any(|x| s.ends_with(x));
        if s.starts_with('[') {
            // A TOML table of the policy format.
            if !all
                .iter()
                .any(|(p, t)| p.starts_with(r.join("policies")) && t.contains(s))
            {
                bad.push(format!("`{s}`: no shipped policy file has this table"));
            }
        } else if let Some(tail) = s.strip_prefix('*') {
            if !all.iter().any(|(p, _)| p.to_string_lossy().ends_with(tail)) {
                bad.push(format!("`{s}`: no file matches"));
            }
        } else if pathlike {
            let here = r.join(s.trim_end_matches('/'));
            let near = folder.as_ref().map(|f| f.join(s));
            if here.exists() {
                if s.ends_with('/') {
                    folder = Some(here);
                }
            } else if !near.is_some_and(|p| p.exists()) {
                bad.push(format!("`{s}`: no such file or folder"));
            }
        } else if s.contains("::") {
            if let Err(why) = resolve(s, &crates, all) {
                bad.push(format!("`{s}`: {why}"));
            }
        } else if is_word(s)
            && s.starts_with(|c: char| c.is_ascii_uppercase())
            && s.chars().any(|c| c.is_ascii_lowercase())
        {
            let declared = all.iter().any(|(p, t)| {
                (p.extension().is_some_and(|x| x == "rs") && declares(t, s))
                    || contains_word(t, &format!("interface {s}"))
                    || contains_word(t, &format!("class {s}"))
            });
            if !declared {
                bad.push(format!("`{s}`: no type of this name is declared"));
            }
        } else if is_word(s) && !s.ends_with('_') {
            // A test named with its file: the file declares it.
            let file = after
                .strip_prefix(" in `")
                .and_then(|a| a.split('`').next())
                .filter(|f| f.ends_with(".rs"));
            if let Some(f) = file {
                let text = fs::read_to_string(r.join(f)).unwrap_or_default();
                if !declares(&text, s) {
                    bad.push(format!("`{s}`: {f} declares no `{s}`"));
                }
            } else if !all.iter().any(|(_, t)| contains_word(t, s)) {
                bad.push(format!("`{s}`: named nowhere in the sources"));
            }
        } else if !all.iter().any(|(_, t)| t.contains(s)) {
            bad.push(format!("`{s}`: found nowhere in the sources"));
        }
    }
    bad
}

#[test]
fn every_name_architecture_md_mentions_exists() {
    let md = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md reads");
    let all = sources();
    let checked = spans(&md).len();
    assert!(
        checked > 0,
        "no backticked name found: the check checks nothing"
    );
    let bad = missing(&md, &all);
    assert!(
        bad.is_empty(),
        "ARCHITECTURE.md names what does not exist:\n{}",
        bad.join("\n")
    );
}

/// The check refuses each kind of name that does not exist, and accepts each kind that does.
#[test]
fn the_check_refuses_names_that_do_not_exist() {
    let all = sources();
    let good = "`core/src/money.rs`, `core/src/estimate/` (`split.rs`), `replay::by_person`, \
                `error::Code`, `run::replay`, `Verdict`, `rust_decimal::Decimal`, `hifp_pay`, \
                `*.cases.toml`, `[inpatient.deductible]`, \
                `every_crate_depends_only_on_its_allow_list` in `tests/tests/architecture.rs`";
    assert_eq!(missing(good, &all), Vec::<String>::new());
    let bad = [
        "`core/src/nowhere.rs`",
        "`core/src/estimate/` (`nowhere.rs`)",
        "`replay::nowhere`",
        "`nowhere::Code`",
        "`NoSuchType`",
        "`no_such_key_anywhere_at_all`",
        "`core_modules_never_reach_upward` in `tests/tests/replay.rs`",
        "`[no.such.table]`",
        "`*.nowhere.toml`",
    ];
    for b in bad {
        assert_eq!(missing(b, &all).len(), 1, "{b} should be refused");
    }
}
