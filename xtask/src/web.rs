//! `cargo xtask web`: build the yew widget (web/) into web/dist — cargo for wasm32, then
//! wasm-bindgen --target web, then wasm-opt -Oz — with the static files and .gz copies
//! (the server sends those to browsers that accept gzip). `cargo xtask web test` also runs the
//! widget's end-to-end tests in headless Chromium (tests/browser/web/), then in Chromium, Firefox
//! and WebKit (tests/browser/engines/).

use crate::{cargo, root, setup, sh};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The page files of web/ (`.html`, `.js`, `.css`) are copied as they are into dist/, but for the
/// service worker's template (web/sw.js), which `page` fills in.
fn is_static(name: &str) -> bool {
    name != "sw.js" && [".html", ".js", ".css"].iter().any(|e| name.ends_with(e))
}

/// The office's replay (提标测算) in a web worker: its own small module (web/worker/, crate
/// `yibao-replay-worker`: core's replay and yibao-batch's CSV reader, without Arrow, Parquet or
/// threads), loaded by `replay-worker.js` only when the office user starts a replay.
const WORKER: (&str, &str) = ("yibao-replay-worker", "yibao_replay");

/// The builds of the widget: (cargo features, wasm-bindgen's output name). The full one
/// serves `mode="clerk"`; the resident one (no desk) is what a phone loads; the office one
/// (`mode="office"`, office.html through office.js: the desk for its preview, core's TOML reader
/// and the workbench) is loaded by the county office's page only.
const MODULES: &[(&[&str], &str)] = &[
    (&[], "yibao_web"),
    (
        &["--no-default-features", "--features", "hydration"],
        "yibao_resident",
    ),
    (
        &["--no-default-features", "--features", "office"],
        "yibao_office",
    ),
];

/// What a phone downloads on its first visit to the resident page (the browser test reads this
/// list from `YIBAO_FIRST_VISIT`).
pub const FIRST_VISIT: &[&str] = &[
    "index.html",
    "page.css",
    "boot.js",
    "yibao.js",
    "yibao_resident.js",
    "yibao_resident_bg.wasm",
    "yibao.css",
];

/// The size guard of the first visit (`FIRST_VISIT`), gzip -9 as node's zlib counts it, in
/// bytes: a guard against accidents, well above the build (342,999 B before issue 30's
/// prerender; the history is in git), not a target; checked by the browser test's size test.
pub const FIRST_VISIT_CEILING: u64 = 408_000;

/// The files of every shipped policy in `web/dist` (`yibao_shipped::json_file`), which the resident
/// module fetches when a policy it does not embed is chosen.
pub fn policy_files() -> Result<Vec<String>, String> {
    let shipped = yibao_shipped::shipped().map_err(|e| e.to_string())?;
    Ok(shipped
        .iter()
        .map(|s| yibao_shipped::json_file(&s.doc.policy.meta.id))
        .collect())
}

/// The national diagnosis index in `web/dist` (`data/diagnoses.idx`, core's `INDEX_FILE`).
pub const DIAGNOSES: &str = "diagnoses.idx";

/// Writes `FILE.br` beside each file given (brotli, quality 11).
const BROTLI_JS: &str = "const z = require('zlib'), fs = require('fs');\
    for (const f of process.argv.slice(1)) { const d = fs.readFileSync(f);\
    fs.writeFileSync(f + '.br', z.brotliCompressSync(d, { params: {\
    [z.constants.BROTLI_PARAM_QUALITY]: 11, [z.constants.BROTLI_PARAM_SIZE_HINT]: d.length } })); }";

pub fn dist() -> PathBuf {
    root().join("web/dist")
}

pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("test") => test(),
        None | Some("build") => {
            build()?;
            report_sizes()
        }
        Some(other) => Err(format!(
            "unknown `web` task {other:?}; try `cargo xtask web [build|test]`"
        )),
    }
}

pub fn build() -> Result<PathBuf, String> {
    let target_dir = root().join("target/web");
    let dist = dist();
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    // One after the other in one target directory: only yibao-web itself is built thrice.
    let web = MODULES
        .iter()
        .map(|(features, name)| ("yibao-web", *features, *name));
    for (package, features, name) in web.chain([(WORKER.0, &[][..], WORKER.1)]) {
        let mut build = cargo();
        build
            .args(["build", "-p", package, "--lib"])
            .args(features)
            .env("CARGO_TARGET_DIR", &target_dir);
        setup::size_build(&mut build, &[])?;
        sh(&mut build)?;
        let file = format!("{}.wasm", package.replace('-', "_"));
        let wasm = target_dir.join("wasm32-unknown-unknown/release").join(file);
        setup::bindgen_and_optimize(&wasm, &dist, name, &["--no-typescript"])?;
    }
    for entry in std::fs::read_dir(root().join("web")).map_err(|e| e.to_string())? {
        let p = entry.map_err(|e| e.to_string())?.path();
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        if p.is_file() && is_static(&name) {
            std::fs::copy(&p, dist.join(&*name)).map_err(|e| format!("web/{name}: {e}"))?;
        }
    }
    // Every shipped policy as the file the resident module fetches when one it does not embed
    // is chosen (web/build.rs).
    for shipped in yibao_shipped::shipped().map_err(|e| e.to_string())? {
        let file = yibao_shipped::json_file(&shipped.doc.policy.meta.id);
        std::fs::write(dist.join(&file), yibao_shipped::browser_json(&shipped.doc))
            .map_err(|e| format!("{file}: {e}"))?;
    }
    // The national diagnosis index: fetched by the disease box on its first keystroke, never
    // on the first visit (`FIRST_VISIT`).
    std::fs::copy(root().join("data").join(DIAGNOSES), dist.join(DIAGNOSES))
        .map_err(|e| format!("data/{DIAGNOSES}: {e}"))?;
    // What a phone downloads is minified (the sources in web/ stay readable); module exports
    // and the wasm import names are kept, only local names shrink.
    let glue = MODULES.iter().map(|(_, name)| *name).chain([WORKER.1]);
    let pages = ["yibao", "boot", "embed", "office", "replay-worker"];
    for f in glue.chain(pages) {
        minify(&dist.join(format!("{f}.js")), true)?;
    }
    // The resident's first step into index.html, and the service worker with the manifest of
    // the files just written (their final bytes): web/src/bin/page.rs.
    page(&dist)?;
    minify(&dist.join("sw.js"), false)?;
    compress(&dist)?;
    Ok(dist)
}

fn minify(p: &Path, module: bool) -> Result<(), String> {
    let mut terser = Command::new(setup::terser()?);
    terser.arg(p).args(module.then_some("--module"));
    sh(terser.args(["--compress", "--mangle", "-o"]).arg(p))
}

/// The web crate's `page` tool on the build in `dir` (its first step, its service worker).
pub fn page(dir: &Path) -> Result<(), String> {
    let (now, later) = crate::sw::offline_files()?;
    sh(cargo()
        .args([
            "run",
            "-q",
            "-p",
            "yibao-web",
            "--no-default-features",
            "--features",
            "ssr",
        ])
        .args(["--bin", "page", "--"])
        .arg(dir)
        .args([now.join(","), later.join(",")]))
}

/// Precompressed copies for the server of every file in `dir`: gzip (what the size budget
/// counts) and brotli (what a browser that accepts it downloads; node's zlib, quality 11).
pub fn compress(dir: &Path) -> Result<(), String> {
    let mut files = vec![];
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let p = entry.map_err(|e| e.to_string())?.path();
        if !p.extension().is_some_and(|e| e == "gz" || e == "br") {
            files.push(p);
        }
    }
    for p in &files {
        sh(Command::new("gzip").args(["-9", "-k", "-f", "-n"]).arg(p))?;
    }
    sh(Command::new("node").arg("-e").arg(BROTLI_JS).args(&files))
}

/// The first visit's files as served (the `.gz` copies the gzip CLI wrote), after a build. The
/// ceiling itself is checked by the browser test's size test, which counts with node's zlib
/// (a little larger than the CLI) — one measure of record, not two.
pub fn report_sizes() -> Result<(), String> {
    let dist = dist();
    let size = |f: &str| std::fs::metadata(dist.join(f)).map_or(0, |m| m.len());
    let (mut raw, mut gz) = (0, 0);
    for f in FIRST_VISIT {
        let (r, g) = (size(f), size(&format!("{f}.gz")));
        println!("{f:<22} {r:>9} B  gzip {g:>8} B");
        (raw, gz) = (raw + r, gz + g);
    }
    let ceiling = format!("ceiling {FIRST_VISIT_CEILING} B: `cargo xtask web test`");
    println!(
        "{:<22} {raw:>9} B  gzip {gz:>8} B ({ceiling})",
        "first visit"
    );
    let worker = format!("{}_bg.wasm", WORKER.1);
    for (f, what) in [
        (worker.as_str(), "the office's replay worker"),
        (DIAGNOSES, "national diagnosis list"),
    ] {
        let (r, g) = (size(f), size(&format!("{f}.gz")));
        println!("{f:<22} {r:>9} B  gzip {g:>8} B (on demand: {what})");
    }
    Ok(())
}

/// Build, serve on a free loopback port, and run the browser tests against it.
pub fn test() -> Result<(), String> {
    let dist = build()?;
    // The UI modules only exist for wasm32: lint them there (the workspace clippy sees the host build).
    for (features, _) in MODULES {
        sh(cargo()
            .args(["clippy", "-p", "yibao-web", "--lib"])
            .args(*features)
            .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"])
            // Not the size build's directory (its flags differ): each keeps its own cache.
            .env("CARGO_TARGET_DIR", root().join("target/web-lint")))?;
    }
    sh(cargo()
        .args(["clippy", "-p", WORKER.0, "--lib"])
        .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root().join("target/web-lint")))?;
    let (browser, chromedriver) = setup::chromium()?;
    let addr = crate::serve::spawn(&dist)?;
    let out = root().join("tests/browser/out");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let node = |script: &str, addr: std::net::SocketAddr| {
        let mut c = Command::new("node");
        // The suites are node:test tests: one line each, failures in full.
        c.arg("--test-reporter=spec")
            .arg(root().join("tests/browser/web").join(script))
            .env("YIBAO_URL", format!("http://{addr}/"))
            .env("YIBAO_DIST", &dist)
            .env("YIBAO_FIRST_VISIT", FIRST_VISIT.join(","))
            .env("YIBAO_FIRST_VISIT_CEILING", FIRST_VISIT_CEILING.to_string())
            .env("YIBAO_OUT", &out)
            .env("CHROMIUM", &browser)
            .env("NODE_PATH", setup::tools_dir().join("node_modules"));
        c
    };
    let chromium = sh(&mut node("run.mjs", addr));
    // The county office's workbench (office.html), with the CLI the test checks its exports by.
    sh(cargo().args(["build", "-p", "yibao-cli"]))?;
    let office = sh(node("office.mjs", addr).env("YIBAO_CLI", root().join("target/debug/yibao")));
    // The accessibility audit (axe-core, names read in Chinese, 长辈版 AAA contrast, touch
    // targets), run whether or not the behaviour tests passed.
    let a11y = sh(&mut node("a11y.mjs", addr));
    // The same build and server in Chromium, Firefox and WebKit (tests/browser/engines/), run
    // whether or not the Chromium suite passed: both suites' failures are worth seeing.
    let engines = crate::engines::test(addr, &browser, &chromedriver);
    // Offline repeat visits and updates (the service worker): on a copy of the build of its own,
    // on a server of its own, which the test empties ("no network") and deploys the next build
    // over (xtask/src/sw.rs `next_build`).
    let work = root().join("target/web-offline");
    let (served, next) = (work.join("served"), work.join("next"));
    let _ = std::fs::remove_dir_all(&work);
    copy_dir(&dist, &served)?;
    crate::sw::next_build(&dist, &next)?;
    let offline_addr = crate::serve::spawn(&served)?;
    let offline = sh(node("offline.mjs", offline_addr)
        .env("YIBAO_SERVED", &served)
        .env("YIBAO_NEXT", &next)
        .env("YIBAO_POLICIES", root().join("policies")));
    chromium.and(office).and(a11y).and(engines).and(offline)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let p = entry.map_err(|e| e.to_string())?.path();
        std::fs::copy(&p, to.join(p.file_name().unwrap_or_default()))
            .map_err(|e| format!("{}: {e}", p.display()))?;
    }
    Ok(())
}
