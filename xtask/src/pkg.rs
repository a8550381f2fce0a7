//! `cargo xtask pkg`: build the npm package in `pkg/` (core's `wasm` adapter) — cargo for
//! wasm32 without the TOML parser, wasm-bindgen --target web, wasm-opt -Oz, package.json —
//! installing what is missing. `cargo xtask pkg test` (also run by `cargo xtask test`): the
//! wasm-bindgen tests in headless Chromium, the size budget, `tsc --noEmit` on the example
//! consumer and on real outputs, and the example page end to end with the benchmark.

use crate::{cargo, root, setup, sh};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The size budget of `pkg/yibao_bg.wasm`, gzip -9, in bytes. Issue 4 asks for 80 KB (aim
/// 60 KB); see BENCHMARKS.md ("WebAssembly package") for where the bytes go. This number is
/// a ratchet over the current build: lower it as the package shrinks, never raise it silently.
pub const GZIP_BUDGET: u64 = 100 * 1024;
/// The issue's budget, reported beside the measured size.
pub const ISSUE_BUDGET: u64 = 80 * 1024;

pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        None | Some("build") => build().map(|_| ()),
        Some("test") => test(),
        Some(other) => Err(format!(
            "unknown `pkg` task {other:?}; try `cargo xtask pkg [build|test]`"
        )),
    }
}

fn target_dir() -> PathBuf {
    root().join("target/wasm")
}

/// Flags that make the wasm independent of where the checkout and the cargo home are.
fn remap_flags() -> Vec<String> {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    let sysroot = setup::have("rustc", "--print=sysroot").unwrap_or_default();
    vec![
        format!("--remap-path-prefix={}=yibao", root().display()),
        format!("--remap-path-prefix={}=cargo", home.display()),
        format!("--remap-path-prefix={sysroot}=rust"),
    ]
}

/// Build `pkg/` from a clean slate of generated files; returns the path of the `.wasm`.
pub fn build() -> Result<PathBuf, String> {
    setup::wasm_bindgen_cli()?;
    // The shipped policies as JSON (the browser build has no TOML parser); fails in CI when the
    // committed pkg/bundled-policies.json is stale.
    sh(cargo().args([
        "test",
        "--quiet",
        "-p",
        "yibao-core",
        "--test",
        "wasm_bundled",
    ]))?;
    let mut build = cargo();
    build
        .args(["rustc", "-p", "yibao", "--lib", "--crate-type", "cdylib"])
        .env("CARGO_TARGET_DIR", target_dir());
    setup::size_build(&mut build, &remap_flags())?;
    sh(&mut build)?;
    let pkg = root().join("pkg");
    for f in [
        "yibao.js",
        "yibao.d.ts",
        "yibao_bg.wasm",
        "yibao_bg.wasm.d.ts",
        "package.json",
    ] {
        let _ = std::fs::remove_file(pkg.join(f));
    }
    let wasm = target_dir().join("wasm32-unknown-unknown/release/yibao.wasm");
    let bg = setup::bindgen_and_optimize(&wasm, &pkg, "yibao", &[])?;
    let template = std::fs::read_to_string(pkg.join("package.template.json"))
        .map_err(|e| format!("pkg/package.template.json: {e}"))?;
    let version = env!("CARGO_PKG_VERSION");
    std::fs::write(
        pkg.join("package.json"),
        template.replace("0.0.0-version", version),
    )
    .map_err(|e| format!("pkg/package.json: {e}"))?;
    sh(node_script("size.mjs").arg(&bg))?;
    Ok(bg)
}

fn node_script(name: &str) -> Command {
    let mut c = Command::new("node");
    c.arg(root().join("tests/browser/pkg").join(name))
        .env("YIBAO_TOOLS", setup::tools_dir().join("node_modules"));
    c
}

/// Every browser-side check of the package.
pub fn test() -> Result<(), String> {
    let bg = build()?;
    let (browser, driver) = setup::chromium()?;
    // 1. The API in headless Chromium (core/tests/wasm_*.rs).
    wasm_bindgen_tests(&driver)?;
    // 2. The size budget.
    sh(node_script("size.mjs")
        .arg(&bg)
        .arg(format!("--budget={GZIP_BUDGET}"))
        .arg(format!("--target={ISSUE_BUDGET}")))?;
    // 3. TypeScript: the example consumer type-checks against the generated definitions.
    let tools = setup::tools_dir().join("node_modules");
    if !tools.join("playwright-core").exists() || !tools.join("typescript").exists() {
        setup::npm_install(&["playwright-core@1.65.1", "typescript@5.9.3"])?;
    }
    let tsc = tools.join("typescript/bin/tsc");
    sh(Command::new("node")
        .arg(&tsc)
        .args(["--noEmit", "-p"])
        .arg(root().join("pkg/example/tsconfig.json")))?;
    // 4. The example page as a host app uses it, the benchmark, and real outputs written out as
    //    TypeScript literals (target/pkg-e2e/shapes.ts) …
    sh(node_script("e2e.mjs").env("CHROMIUM", &browser))?;
    // … which must type-check against the declared output types.
    sh(Command::new("node")
        .arg(&tsc)
        .args(["--noEmit", "-p"])
        .arg(root().join("tests/browser/pkg/tsconfig.json")))?;
    // 5. The same package in Node with `initSync`, as pkg/README.md documents for servers and workers.
    sh(&mut node_script("node.mjs"))?;
    Ok(())
}

/// Build core's wasm tests and run them with wasm-bindgen-test-runner in headless Chromium.
fn wasm_bindgen_tests(driver: &Path) -> Result<(), String> {
    let out = cargo()
        .current_dir(root())
        .args([
            "test",
            "-p",
            "yibao",
            "--target",
            "wasm32-unknown-unknown",
            "--test",
            "wasm_api",
            "--no-run",
            "--message-format=json",
        ])
        // Its own directory: the package build's size flags would otherwise rebuild everything.
        .env("CARGO_TARGET_DIR", root().join("target/wasm-test"))
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cargo test --no-run: {e}"))?;
    if !out.status.success() {
        return Err("building the wasm tests failed".into());
    }
    // The test binary is the `executable` of the wasm_api compiler-artifact message.
    let text = String::from_utf8_lossy(&out.stdout);
    let wasm = text
        .lines()
        .filter(|l| l.contains("\"compiler-artifact\"") && l.contains("\"wasm_api\""))
        .find_map(|l| {
            let i = l.find("\"executable\":\"")? + 14;
            let j = l[i..].find('"')?;
            Some(PathBuf::from(&l[i..i + j]))
        })
        .ok_or("no wasm_api test binary in cargo's output")?;
    // The runner reads webdriver.json (headless, no sandbox: CI runs as root) from its cwd.
    let mut runner = Command::new("wasm-bindgen-test-runner");
    runner
        .arg(&wasm)
        .current_dir(root().join("tests/browser/pkg"))
        .env("CHROMEDRIVER", driver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    eprintln!("$ (cd tests/browser/pkg && {})", crate::show(&runner));
    let status = runner
        .status()
        .map_err(|e| format!("wasm-bindgen-test-runner: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the wasm-bindgen browser tests failed ({status})"))
    }
}
