//! `cargo xtask web`: build the yew widget (web/) into web/dist — cargo for wasm32, then
//! wasm-bindgen --target web, then wasm-opt -Oz — with the static files and .gz copies
//! (the server sends those to browsers that accept gzip). `cargo xtask web test` also runs the
//! widget's end-to-end tests in headless Chromium (tests/browser/web/), then in Chromium, Firefox
//! and WebKit (tests/browser/engines/).

use crate::{cargo, root, setup, sh};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Files of web/ copied as they are into dist/.
const STATIC: &[&str] = &[
    "index.html",
    "embed.html",
    "embed.js",
    "embed-hostile.css",
    "boot.js",
    "nowasm.js",
    "yibao.js",
    "yibao.css",
    "yibao-desk.css",
    "page.css",
    // The county office's workbench (mode="office"): not on any phone's visit.
    "office.html",
    "office.js",
    "office-page.css",
    "yibao-office.css",
    // The office's replay worker (a module worker the workbench starts for a replay).
    "replay-worker.js",
];

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
    (&["--no-default-features"], "yibao_resident"),
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
/// bytes: about 15 % above the build after issue 27 (355,057 B: every shipped policy now carries
/// what it does not encode — about 120 bilingual `[[not_encoded]]` sentences a resident reads
/// beside the figure — plus known payments, the setlinfo keys, the one-estimate comparison and
/// the embedding's error reporting; 322,221 B before it, 265,382 B after issue 16). Since issue
/// 28 the resident module embeds only the site's own policies (web/build.rs), the others are
/// fetched when chosen, and reads them with serde_json alone (a host's own policy, which needs
/// core's placed reader and the validation, loads the desk's module): 338,535 B. A guard against
/// accidents, not a target; checked by the browser test's size test.
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
    setup::run()?;
    let target_dir = root().join("target/web");
    let dist = dist();
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    // One after the other in one target directory: only yibao-web itself is built twice.
    for (features, name) in MODULES {
        let mut build = cargo();
        build
            .args(["build", "-p", "yibao-web", "--lib"])
            .args(*features)
            .env("CARGO_TARGET_DIR", &target_dir);
        setup::size_build(&mut build, &[])?;
        sh(&mut build)?;
        let wasm = target_dir.join("wasm32-unknown-unknown/release/yibao_web.wasm");
        setup::bindgen_and_optimize(&wasm, &dist, name, &["--no-typescript"])?;
    }
    let (package, name) = WORKER;
    let mut build = cargo();
    build
        .args(["build", "-p", package, "--lib"])
        .env("CARGO_TARGET_DIR", &target_dir);
    setup::size_build(&mut build, &[])?;
    sh(&mut build)?;
    let wasm = target_dir.join(format!(
        "wasm32-unknown-unknown/release/{}.wasm",
        package.replace('-', "_")
    ));
    setup::bindgen_and_optimize(&wasm, &dist, name, &["--no-typescript"])?;
    let web = root().join("web");
    for f in STATIC {
        std::fs::copy(web.join(f), dist.join(f)).map_err(|e| format!("web/{f}: {e}"))?;
    }
    // Every shipped policy as the file the resident module fetches when one it does not embed
    // is chosen (web/build.rs); the service worker keeps them all.
    for shipped in yibao_shipped::shipped().map_err(|e| e.to_string())? {
        let file = yibao_shipped::json_file(&shipped.doc.policy.meta.id);
        std::fs::write(dist.join(&file), yibao_shipped::browser_json(&shipped.doc))
            .map_err(|e| format!("{file}: {e}"))?;
    }
    // The national diagnosis index: fetched by the disease box on its first keystroke, never
    // on the first visit (`FIRST_VISIT`); the service worker keeps it for offline use.
    std::fs::copy(root().join("data").join(DIAGNOSES), dist.join(DIAGNOSES))
        .map_err(|e| format!("data/{DIAGNOSES}: {e}"))?;
    // What a phone downloads is minified (the sources in web/ stay readable); module exports
    // and the wasm import names are kept, only local names shrink.
    let terser = setup::terser()?;
    let glue = MODULES
        .iter()
        .map(|(_, name)| format!("{name}.js"))
        .chain([format!("{}.js", WORKER.1)]);
    let pages = [
        "yibao.js",
        "boot.js",
        "embed.js",
        "office.js",
        "replay-worker.js",
    ];
    for f in glue.chain(pages.map(String::from)) {
        let p = dist.join(f);
        sh(Command::new(&terser)
            .arg(&p)
            .args(["--module", "--compress", "--mangle", "-o"])
            .arg(&p))?;
    }
    // The service worker of the demo page, with the manifest of the files just written
    // (their final, minified bytes): xtask/src/sw.rs.
    crate::sw::write(&dist)?;
    sh(Command::new(&terser)
        .arg(dist.join("sw.js"))
        .args(["--compress", "--mangle", "-o"])
        .arg(dist.join("sw.js")))?;
    compress(&dist)?;
    Ok(dist)
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

fn size(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// The first visit's files as served (the `.gz` copies the gzip CLI wrote), after a build. The
/// ceiling itself is checked by the browser test's size test, which counts with node's zlib
/// (a little larger than the CLI) — one measure of record, not two.
pub fn report_sizes() -> Result<(), String> {
    let dist = dist();
    let (mut raw, mut gz) = (0, 0);
    for f in FIRST_VISIT {
        let (r, g) = (size(&dist.join(f)), size(&dist.join(format!("{f}.gz"))));
        println!("{f:<22} {r:>9} B  gzip {g:>8} B");
        raw += r;
        gz += g;
    }
    println!(
        "{:<22} {raw:>9} B  gzip {gz:>8} B (ceiling {FIRST_VISIT_CEILING} B: `cargo xtask web test`)",
        "first visit"
    );
    let worker = format!("{}_bg.wasm", WORKER.1);
    let (r, g) = (
        size(&dist.join(&worker)),
        size(&dist.join(format!("{worker}.gz"))),
    );
    println!("{worker:<22} {r:>9} B  gzip {g:>8} B (the office's replay worker, on demand)");
    let (r, g, b) = (
        size(&dist.join(DIAGNOSES)),
        size(&dist.join(format!("{DIAGNOSES}.gz"))),
        size(&dist.join(format!("{DIAGNOSES}.br"))),
    );
    println!("{DIAGNOSES:<22} {r:>9} B  gzip {g:>8} B  brotli {b} B (national diagnosis list, on the first keystroke)");
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
    // playwright-core and the accessibility audit's engine (tests/browser/web/a11y.mjs): package.json.
    setup::npm_tools()?;
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
            .env("CHROMIUM_FLAGS", setup::CHROMIUM_FLAGS.join(" "))
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
