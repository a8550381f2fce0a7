//! The architecture ARCHITECTURE.md states, held by tests: core's layer order (no module reaches
//! upward), each crate's dependencies (an allow-list), and every path and name the document
//! mentions existing in the tree.
//!
//! The layer check reads core's sources as text: every `crate::…` and `super::…` path outside a
//! `#[cfg(test)]` module (a unit test may use any layer to build its inputs), `use` lines and
//! paths written inline alike, with `{…}` groups expanded.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// Core's layers, lowest first; a module may use its own layer and those below it. A module is
/// placed by the longest entry that prefixes its path (`referral::compare` before `referral`).
///
/// `referral` itself (`referral/mod.rs`: `assess`, `Verdict`, `questions`) is the rule the
/// estimate applies (its penalties are data on the `Verdict`), so it sits in the estimate's
/// layer; `referral::compare` and `referral::transfer` run the estimate and sit above it.
const LAYERS: [(&str, &[&str]); 6] = [
    ("money, date, error", &["money", "date", "error"]),
    (
        "policy, case",
        &["policy", "case", "input", "catalogue", "diagnosis"],
    ),
    (
        "estimate",
        &["estimate", "message", "trace", "caveats", "referral"],
    ),
    (
        "referral",
        &["referral::compare", "referral::transfer", "reconcile"],
    ),
    ("replay", &["claims", "replay"]),
    ("worked cases", &["worked"]),
];

/// The layer of a module path (`a::b::c`): its longest listed prefix.
fn layer_of(path: &[String]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, mods)) in LAYERS.iter().enumerate() {
        for m in *mods {
            let segs: Vec<&str> = m.split("::").collect();
            let fits = segs.len() <= path.len() && segs.iter().zip(path).all(|(a, b)| a == b);
            if fits && best.is_none_or(|(len, _)| segs.len() > len) {
                best = Some((segs.len(), i));
            }
        }
    }
    best.map(|(_, i)| i)
}

/// The crate root's `pub use` lines: a name re-exported at the root → the module it comes from.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let text = strip_comments(lib);
    let mut rest = text.as_str();
    while let Some(at) = rest.find("pub use ") {
        rest = &rest[at + "pub use ".len()..];
        let end = rest.find(';').expect("a pub use ends");
        let mut paths = Vec::new();
        expand(&rest[..end], &mut Vec::new(), &mut paths);
        for p in paths {
            if let (Some(first), Some(last)) = (p.first(), p.last()) {
                out.insert(last.clone(), first.clone());
            }
        }
        rest = &rest[end..];
    }
    out
}

/// Remove `//` comments (a `//` inside a string literal is kept) and, with them, doc comments.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut cut = line.len();
        for (i, c) in line.char_indices() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            }
            if !in_str && c == '/' && prev == '/' {
                cut = i - 1;
                break;
            }
            prev = c;
        }
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

/// Blank out every `#[cfg(test)] mod … { … }` (or `#[cfg(all(test, …))]`) (kept as empty lines, so line numbers hold).
fn strip_test_modules(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let next = lines.get(i + 1).map_or("", |l| l.trim_start());
        let attr = lines[i].trim();
        if (attr == "#[cfg(test)]" || attr.starts_with("#[cfg(all(test,"))
            && ["mod ", "pub mod ", "pub(crate) mod "]
                .iter()
                .any(|m| next.starts_with(m))
        {
            // Skip to the brace that closes the module (strings are blank: no `{` counted).
            let mut depth = 0i32;
            let mut opened = false;
            while i < lines.len() {
                let mut in_str = false;
                let mut prev = ' ';
                for c in lines[i].chars() {
                    if c == '"' && prev != '\\' {
                        in_str = !in_str;
                    } else if !in_str && c == '{' {
                        depth += 1;
                        opened = true;
                    } else if !in_str && c == '}' {
                        depth -= 1;
                    }
                    prev = c;
                }
                out.push("");
                i += 1;
                if opened && depth == 0 {
                    break;
                }
            }
            continue;
        }
        out.push(lines[i]);
        i += 1;
    }
    out.join("\n")
}

/// Expand a use tree (`a::b`, `a::{b, c::{d, self}}`) into its paths, appended to `out`.
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head: Vec<String> = tree[..open]
            .split("::")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let close = tree.rfind('}').expect("a group closes");
        let inner = &tree[open + 1..close];
        let n = prefix.len();
        prefix.extend(head);
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..i], prefix, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], prefix, out);
        prefix.truncate(n);
    } else if !tree.is_empty() {
        let mut p = prefix.clone();
        for seg in tree.split("::") {
            let seg = seg.split_whitespace().next().unwrap_or("");
            if seg != "self" && !seg.is_empty() {
                p.push(seg.to_string());
            }
        }
        out.push(p);
    }
}

/// From `at` (just after `crate::` or `super::`), the use tree or path written there.
fn tree_at(text: &str) -> &str {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return &text[..i],
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..=i];
                }
            }
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':') => return &text[..i],
            _ => {}
        }
    }
    text
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = e.expect("a directory entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `core/src/a/b.rs` → `[a, b]`; `core/src/a/mod.rs` → `[a]`; `lib.rs` → `[]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut segs: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(segs.last().map(String::as_str), Some("mod" | "lib")) {
        segs.pop();
    }
    segs
}

/// Every upward reach in core's sources, as `file:line: …` lines; and the modules no layer lists.
fn upward_reaches(src: &Path) -> (Vec<String>, Vec<String>) {
    let lib = fs::read_to_string(src.join("lib.rs")).expect("lib.rs reads");
    let reexports = root_reexports(&lib);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let (mut bad, mut unplaced) = (Vec::new(), Vec::new());
    for file in files {
        let module = module_of(src, &file);
        if module.is_empty() {
            continue;
        }
        let shown = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        let Some(from) = layer_of(&module) else {
            unplaced.push(format!("{shown}: module `{}`", module.join("::")));
            continue;
        };
        let text = fs::read_to_string(&file).expect("a source file reads");
        let code = strip_test_modules(&strip_comments(&text));
        for kw in ["crate::", "super::"] {
            let mut search = 0;
            while let Some(found) = code[search..].find(kw) {
                let at = search + found;
                search = at + kw.len();
                // `crate::` inside a longer word (`yibao_crate::`) is not one.
                let before = code[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let line = code[..at].lines().count().max(1);
                let mut base: Vec<String> = if kw == "crate::" {
                    Vec::new()
                } else {
                    let mut m = module.clone();
                    // A `foo.rs` or `foo/mod.rs` file is module `foo`: `super` is its parent.
                    m.pop();
                    m
                };
                let mut paths = Vec::new();
                expand(tree_at(&code[search..]), &mut base, &mut paths);
                for mut path in paths {
                    let is_module = |n: &str| {
                        src.join(format!("{n}.rs")).exists() || src.join(n).join("mod.rs").exists()
                    };
                    if let Some(first) = path.first().filter(|n| !is_module(n)) {
                        if let Some(m) = reexports.get(first) {
                            path = vec![m.clone()];
                        }
                    }
                    if path.is_empty() {
                        continue;
                    }
                    let Some(to) = layer_of(&path) else {
                        unplaced.push(format!("{shown}:{line}: `{}`", path.join("::")));
                        continue;
                    };
                    if to > from {
                        bad.push(format!(
                            "{shown}:{line}: `{}` (layer {}) reaches up to `{}` (layer {})",
                            module.join("::"),
                            LAYERS[from].0,
                            path.join("::"),
                            LAYERS[to].0
                        ));
                    }
                }
            }
        }
    }
    (bad, unplaced)
}

#[test]
fn core_modules_never_reach_upward() {
    let src = root().join("core/src");
    let (bad, unplaced) = upward_reaches(&src);
    assert!(
        unplaced.is_empty(),
        "modules or paths no layer of `LAYERS` places (add them to a layer):\n{}",
        unplaced.join("\n")
    );
    assert!(
        bad.is_empty(),
        "core's layers, lowest first: {}. Upward reaches:\n{}",
        LAYERS.map(|(n, _)| n).join(" → "),
        bad.join("\n")
    );
}

/// The checker itself finds what it is for: an upward `use`, an inline path, a grouped import,
/// a `super::` path, a root re-export; and it ignores comments and test modules.
#[test]
fn the_layer_check_sees_each_way_of_reaching() {
    let dir = root().join("target/architecture-probe/src");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("referral")).expect("probe folder");
    let files = [
        ("lib.rs", "pub use estimate::{estimate, Estimate};\n"),
        ("money.rs", "use crate::estimate::Estimate;\n"),
        ("date.rs", "fn f() { crate::replay::by_person(); }\n"),
        ("error.rs", "use crate::{money::Money, worked::Check};\n"),
        ("case.rs", "fn g() { crate::estimate(); }\n"),
        ("referral/mod.rs", "pub mod compare;\n"),
        ("referral/compare.rs", "use super::Verdict;\n"),
        ("estimate.rs", "use crate::referral::compare::x;\n"),
        (
            "policy.rs",
            "// use crate::replay::x;\n#[cfg(test)]\nmod tests {\n    use crate::worked::y;\n}\n",
        ),
    ];
    for (name, text) in files {
        fs::write(dir.join(name), text).expect("probe file");
    }
    let (bad, unplaced) = upward_reaches(&dir);
    assert!(unplaced.is_empty(), "{unplaced:?}");
    let at: BTreeSet<&str> = bad
        .iter()
        .map(|l| {
            l.rsplit('/')
                .next()
                .unwrap_or(l)
                .split(':')
                .next()
                .unwrap_or("")
        })
        .collect();
    assert_eq!(
        at,
        BTreeSet::from(["money.rs", "date.rs", "error.rs", "case.rs", "estimate.rs"]),
        "{bad:#?}"
    );
    assert_eq!(bad.len(), 5, "{bad:#?}");
}

/// What each crate may depend on (normal, dev, build and target-specific dependencies alike).
/// A dependency not on its crate's list fails: taking one is a decision this list records.
const ALLOWED: [(&str, &[&str]); 13] = [
    (
        "core",
        &[
            // A dev-dependency only (`core_embeds_no_policy`): unit tests read the shipped files.
            "yibao-shipped",
            "foldhash",
            "rust_decimal",
            "serde",
            "serde-value",
            "serde_json",
            "sha2",
            "strsim",
            "toml",
            // Only with the `ts` feature (optional, see `core_binds_no_js_unless_asked`).
            "tsify",
            "wasm-bindgen",
            // Only with the `schema` feature (the policy's JSON Schema; `schema_stays_out_of_the_browser`).
            "schemars",
            "criterion",
            "proptest",
        ],
    ),
    ("shipped", &["yibao-core", "serde_json"]),
    (
        "batch",
        &[
            "yibao-core",
            "arrow",
            "csv",
            "parquet",
            "rand",
            "rand_chacha",
            "rand_distr",
            "rayon",
            "rust_decimal",
            "serde",
            "serde_json",
            "proptest",
            // The exact set of a province's claim and person ids, kept compact (`table::IdSet`).
            "hashbrown",
            "foldhash",
        ],
    ),
    (
        "python",
        &[
            "yibao-core",
            "yibao-shipped",
            "yibao-batch",
            "arrow",
            "pyo3",
            "serde_json",
        ],
    ),
    (
        "cli",
        &[
            "yibao-core",
            "yibao-shipped",
            "yibao-batch",
            "yibao-replay-worker",
            // The office's export, compared with the CLI's (a dev-dependency of its tests).
            "yibao-web",
            // The input/output cases, cli/tests/cmd (a dev-dependency).
            "trycmd",
            "clap",
            "indicatif",
            "mimalloc",
            "rust_decimal",
            "serde",
            "serde_json",
            "toml",
        ],
    ),
    // The demo's file server: tower-http's ServeDir on axum.
    ("serve", &["axum", "tokio", "tower-http"]),
    // The diagnosis index's generator: the pinyin table; core's reader and SHA-256 in its tests.
    ("data", &["pinyin", "yibao-core", "sha2"]),
    (
        "xtask",
        &[
            "yibao-core",
            "yibao-shipped",
            "yibao-serve",
            "clap",
            "serde_json",
            "sha2",
        ],
    ),
    (
        "tests",
        &[
            "yibao-core",
            "yibao-shipped",
            "yibao-batch",
            "insta",
            "proptest",
            "rayon",
            "rust_decimal",
            "serde_json",
            "toml",
        ],
    ),
    (
        "web",
        &[
            "yibao-core",
            "yibao-shipped",
            // The replay report the office reads (no Arrow, no threads).
            "yibao-batch",
            "percent-encoding",
            "qrcodegen",
            "serde",
            "serde_json",
            "toml",
            // The office's TOML export, built as a document (office feature only).
            "toml_edit",
            "gloo",
            "js-sys",
            "tracing",
            "wasm-bindgen",
            "web-sys",
            "yew",
            // The build-time tool (web/src/bin/page.rs): the service worker's manifest, and the
            // prerender's runtime for yew's server renderer (feature `ssr`).
            "sha2",
            "tokio",
        ],
    ),
    (
        "web/worker",
        &[
            "yibao-core",
            "yibao-shipped",
            "yibao-batch",
            "rust_decimal",
            "serde",
            "serde_json",
            "wasm-bindgen",
        ],
    ),
    (
        "pkg",
        &[
            "yibao-core",
            "yibao-shipped",
            "js-sys",
            "serde",
            "serde-wasm-bindgen",
            "serde_ignored",
            "serde_json",
            "tsify",
            "wasm-bindgen",
            "wasm-bindgen-test",
        ],
    ),
    (
        "fuzz",
        &[
            "yibao-core",
            "yibao-shipped",
            "yibao-batch",
            "libfuzzer-sys",
            "serde-value",
            "serde_json",
            "toml",
        ],
    ),
];

fn manifest(dir: &str) -> toml::Table {
    let path = root().join(dir).join("Cargo.toml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every dependency a manifest declares: name → its entry, from every section.
fn dependencies(m: &toml::Table) -> Vec<(String, toml::Value)> {
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&toml::Table> = kinds
        .iter()
        .filter_map(|k| m.get(*k).and_then(toml::Value::as_table))
        .collect();
    if let Some(targets) = m.get("target").and_then(toml::Value::as_table) {
        for t in targets.values().filter_map(toml::Value::as_table) {
            tables.extend(
                kinds
                    .iter()
                    .filter_map(|k| t.get(*k).and_then(toml::Value::as_table)),
            );
        }
    }
    tables
        .into_iter()
        .flat_map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect()
}

/// The dependencies of `dir` not on its list; every listed crate must be a workspace member.
fn forbidden(dir: &str, m: &toml::Table) -> Vec<String> {
    let allowed = ALLOWED
        .iter()
        .find(|(d, _)| *d == dir)
        .map(|(_, a)| *a)
        .unwrap_or_else(|| panic!("{dir} has no allow-list in ALLOWED"));
    dependencies(m)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !allowed.contains(&name.as_str()))
        .collect()
}

fn members() -> Vec<String> {
    let ws = manifest(".");
    ws["workspace"]["members"]
        .as_array()
        .expect("workspace members")
        .iter()
        .map(|m| m.as_str().expect("a member path").to_string())
        .collect()
}

#[test]
fn every_crate_depends_only_on_its_allow_list() {
    let members = members();
    for (dir, _) in ALLOWED {
        assert!(
            members.iter().any(|m| m == dir),
            "{dir} is no workspace member"
        );
    }
    let mut bad = Vec::new();
    for dir in &members {
        for name in forbidden(dir, &manifest(dir)) {
            bad.push(format!("{dir}/Cargo.toml: {name}"));
        }
    }
    assert!(
        bad.is_empty(),
        "dependencies not on their crate's allow-list (tests/tests/architecture.rs `ALLOWED`):\n{}",
        bad.join("\n")
    );
}

/// The allow-list check refuses a dependency it does not list, in any section.
#[test]
fn the_allow_list_refuses_a_new_dependency() {
    let mut m = manifest("core");
    assert!(forbidden("core", &m).is_empty());
    let target: toml::Table = "[\"cfg(unix)\".dependencies]\nreqwest = \"0.12\"\n"
        .parse()
        .expect("TOML");
    m.insert("target".into(), toml::Value::Table(target));
    assert_eq!(forbidden("core", &m), ["reqwest"]);
}

/// Core's own code never touches JS: tsify and wasm-bindgen are optional, and only the `ts`
/// feature (which the npm package alone enables) turns them on.
#[test]
fn core_binds_no_js_unless_asked() {
    let m = manifest("core");
    for (name, entry) in dependencies(&m) {
        if name == "tsify" || name == "wasm-bindgen" {
            assert_eq!(
                entry.get("optional").and_then(toml::Value::as_bool),
                Some(true),
                "core's {name} must be optional"
            );
        }
    }
    for dir in members() {
        let m = manifest(&dir);
        for (name, entry) in dependencies(&m) {
            let features = entry.get("features").and_then(toml::Value::as_array);
            let ts = features.is_some_and(|f| f.iter().any(|x| x.as_str() == Some("ts")));
            if name == "yibao-core" && ts {
                assert_eq!(dir, "pkg", "{dir} turns on core's `ts` feature");
            }
        }
    }
}

/// Core embeds no policy: it has no build script, and the shipped policies' data crate
/// (`yibao-shipped`) is only a dev-dependency of its unit tests — editing a policy under
/// `policies/` never rebuilds the engine.
#[test]
fn core_embeds_no_policy() {
    assert!(
        !root().join("core/build.rs").exists(),
        "core has a build script"
    );
    let m = manifest("core");
    assert!(
        m["package"].get("build").is_none(),
        "core names a build script"
    );
    for kind in ["dependencies", "build-dependencies"] {
        let deps = m.get(kind).and_then(toml::Value::as_table);
        assert!(
            deps.is_none_or(|d| !d.contains_key("yibao-shipped")),
            "core's {kind} take the shipped policies"
        );
    }
    let mut files = Vec::new();
    rust_files(&root().join("core/src"), &mut files);
    for f in files {
        let text = strip_comments(&strip_test_modules(
            &fs::read_to_string(&f).expect("a core source"),
        ));
        for needle in ["yibao_shipped", "include_str!", "include_bytes!"] {
            assert!(
                !text.contains(needle),
                "{} names {needle} outside its tests",
                f.display()
            );
        }
    }
}

/// The policy's JSON Schema is generated where it is checked (the tests crate), never in a
/// browser module: schemars is optional in core and only `tests/` turns its `schema` feature on
/// (the office reads the committed `schema/policy.schema.json`).
#[test]
fn schema_stays_out_of_the_browser() {
    let m = manifest("core");
    let schemars = dependencies(&m)
        .into_iter()
        .find(|(name, _)| name == "schemars")
        .expect("core depends on schemars (optional)");
    assert_eq!(
        schemars.1.get("optional").and_then(toml::Value::as_bool),
        Some(true),
        "core's schemars must be optional"
    );
    for dir in members() {
        let m = manifest(&dir);
        for (name, entry) in dependencies(&m) {
            let features = entry.get("features").and_then(toml::Value::as_array);
            let on = features.is_some_and(|f| f.iter().any(|x| x.as_str() == Some("schema")));
            if name == "yibao-core" && on {
                assert_eq!(dir, "tests", "{dir} turns on core's `schema` feature");
            }
        }
    }
}

/// Core is pure: its code (tests aside) names no file system, network, environment, process,
/// thread, clock, console or global state (a `static` that can change). Callers pass `today`; the CLI reads files.
#[test]
fn core_reads_no_file_clock_or_network() {
    let forbidden = [
        "std::fs",
        "std::net",
        "std::env",
        "std::process",
        "std::thread",
        "std::io::stdin",
        "SystemTime",
        "Instant::now",
        "println!",
        "eprintln!",
        "print!",
        "dbg!",
        "static mut",
        "thread_local!",
    ];
    let mut files = Vec::new();
    rust_files(&root().join("core/src"), &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).expect("a source file reads");
        let code = strip_test_modules(&strip_comments(&text));
        for (n, line) in code.lines().enumerate() {
            let shown = f.strip_prefix(root()).unwrap_or(f).display().to_string();
            for word in forbidden {
                if line.contains(word) {
                    bad.push(format!("{shown}:{}: {word}", n + 1));
                }
            }
            // Global state: a `static` holding something that changes (a value's own lazily
            // filled cells, as the compiled path's, are not global).
            let is_static = line.trim_start().starts_with("static ")
                || line.trim_start().starts_with("pub static ")
                || line.contains(" static ");
            let cells = ["OnceLock", "LazyLock", "Mutex", "RwLock", "Atomic", "Cell<"];
            if is_static && cells.iter().any(|c| line.contains(c)) {
                bad.push(format!("{shown}:{}: global state", n + 1));
            }
        }
    }
    assert!(!files.is_empty());
    assert!(bad.is_empty(), "core is pure, yet:\n{}", bad.join("\n"));
}

/// Stable Rust only: nothing the project runs asks for a nightly feature — no
/// `RUSTC_BOOTSTRAP`, no `-Z` flag, no nightly toolchain file — in the chores (`xtask/src`),
/// cargo's configuration or any manifest.
#[test]
fn the_build_asks_for_no_nightly_feature() {
    let r = root();
    assert!(!r.join("rust-toolchain").exists() && !r.join("rust-toolchain.toml").exists());
    let mut files = Vec::new();
    rust_files(&r.join("xtask/src"), &mut files);
    files.push(r.join(".cargo/config.toml"));
    files.push(r.join("Cargo.toml"));
    files.extend(members().iter().map(|m| r.join(m).join("Cargo.toml")));
    let mut bad = Vec::new();
    for f in files.iter().filter(|f| f.exists()) {
        let text = fs::read_to_string(f).expect("a file reads");
        // Comments may say what is not done; the code and settings may not do it.
        let code: String = if f.extension().is_some_and(|x| x == "rs") {
            strip_comments(&text)
        } else {
            text.lines()
                .map(|l| l.split('#').next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n")
        };
        for word in ["RUSTC_BOOTSTRAP", "\"-Z", "+nightly", "cargo-features"] {
            if code.contains(word) {
                bad.push(format!("{}: {word}", f.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every WebAssembly feature the browser builds enable (the `--enable-…` wasm-opt flags of
/// `pkg/Cargo.toml`, which the widget's builds read too) is probed by the loader before it
/// compiles the engine (`WASM_FEATURES` in web/yibao.js), and nothing else is.
#[test]
fn the_loader_checks_every_feature_the_build_uses() {
    let pkg = manifest("pkg");
    let flags = pkg["package"]["metadata"]["wasm-pack"]["profile"]["release"]["wasm-opt"]
        .as_array()
        .expect("pkg/Cargo.toml lacks its wasm-opt settings");
    let mut enabled: Vec<&str> = flags
        .iter()
        .filter_map(|f| f.as_str()?.strip_prefix("--enable-"))
        .collect();
    let js = fs::read_to_string(root().join("web/yibao.js")).unwrap();
    let table = js
        .split("const WASM_FEATURES = {")
        .nth(1)
        .expect("web/yibao.js lacks WASM_FEATURES")
        .split("};")
        .next()
        .unwrap();
    let mut probed: Vec<&str> = table
        .lines()
        .filter_map(|l| l.trim().strip_prefix('\'')?.split('\'').next())
        .collect();
    probed.sort_unstable();
    enabled.sort_unstable();
    assert!(enabled.len() >= 6, "{enabled:?}");
    assert_eq!(
        probed, enabled,
        "web/yibao.js probes other features than the build enables"
    );
}
