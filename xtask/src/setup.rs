//! Installing what the build and the browser tests need, only when it is missing.
//! Everything comes from registries this machine can reach: rustup, crates.io, npm, Debian.
#![allow(dead_code)]

use crate::{root, sh};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Tools installed by xtask live here (inside target/, so `cargo clean` resets them).
/// Where the npm tools are installed: `node_modules` beside the repository's package.json, whose
/// package-lock.json pins every version (`npm_tools`).
pub fn tools_dir() -> PathBuf {
    root()
}

pub fn have(program: &str, arg: &str) -> Option<String> {
    let out = Command::new(program).arg(arg).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A rustup target or component (`kind` is "target" or "component"), added when missing.
fn rustup_ensure(kind: &str, name: &str) -> Result<(), String> {
    let installed = Command::new("rustup")
        .args([kind, "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.starts_with(name))
        })
        .unwrap_or(false);
    if !installed {
        sh(Command::new("rustup").args([kind, "add", name]))?;
    }
    Ok(())
}

pub fn wasm_target() -> Result<(), String> {
    rustup_ensure("target", "wasm32-unknown-unknown")
}

/// The size settings of a browser module's release build, as cargo profile overrides, on the
/// stable toolchain: `opt-level = "z"`, fat LTO, one codegen unit, `panic = "abort"` (a panic in
/// the browser is a bug either way; abort drops the unwinding tables — the message formatting
/// stays, stable has no way to leave it out). Not stripped: wasm-bindgen reads the
/// `target_features` section, and wasm-opt strips afterwards. Used by `size_build` (the
/// widget) and around `wasm-pack build` (the package, `pkg.rs`). `extra_rustflags` are set as
/// the build's rustflags (space-free flags only).
pub fn size_profile(cmd: &mut Command, extra_rustflags: &[String]) -> Result<(), String> {
    wasm_target()?;
    cmd.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "z")
        .env("CARGO_PROFILE_RELEASE_LTO", "fat")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1")
        .env("CARGO_PROFILE_RELEASE_PANIC", "abort")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "false");
    if !extra_rustflags.is_empty() {
        cmd.env("CARGO_ENCODED_RUSTFLAGS", extra_rustflags.join("\u{1f}"));
    }
    Ok(())
}

/// A `cargo build` of a browser module for wasm32 with `size_profile`'s settings.
pub fn size_build(cmd: &mut Command, extra_rustflags: &[String]) -> Result<(), String> {
    size_profile(cmd, extra_rustflags)?;
    cmd.args(["--release", "--target", "wasm32-unknown-unknown"]);
    Ok(())
}

/// The wasm-bindgen version pinned in Cargo.lock (the CLI must match it exactly).
pub fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(l) = lines.next() {
        if l == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|v| v.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

/// `wasm-bindgen` at exactly the locked version, installed with cargo when missing.
pub fn wasm_bindgen_cli() -> Result<(), String> {
    let want = locked_wasm_bindgen_version()?;
    if have("wasm-bindgen", "--version").is_some_and(|v| v.ends_with(&want)) {
        return Ok(());
    }
    // `--locked` first; crates.io mirrors sometimes lack a yanked transitive version, then resolve afresh.
    let locked = sh(cargo_install().args([
        "wasm-bindgen-cli",
        "--version",
        &format!("={want}"),
        "--locked",
    ]));
    if locked.is_err() {
        sh(cargo_install().args(["wasm-bindgen-cli", "--version", &format!("={want}")]))?;
    }
    Ok(())
}

/// `wasm-pack`, installed with cargo when missing. It finds wasm-bindgen (`wasm_bindgen_cli`)
/// and wasm-opt (`wasm_opt`, through `tools_path`) on PATH, and is run with `--mode no-install`
/// so that it never fetches a tool itself.
pub fn wasm_pack() -> Result<(), String> {
    if have("wasm-pack", "--version").is_none() {
        sh(cargo_install().args(["wasm-pack", "--locked"]))?;
    }
    Ok(())
}

/// PATH with the npm tools' programs (`wasm-opt`, …) first.
pub fn tools_path() -> std::ffi::OsString {
    let bin = tools_dir().join("node_modules/.bin");
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap_or(rest)
}

fn cargo_install() -> Command {
    let mut c = crate::cargo();
    c.arg("install");
    c
}

/// An npm package's program (`npm_tools`).
fn npm_tool(bin: &str) -> Result<PathBuf, String> {
    npm_tools()?;
    Ok(tools_dir().join("node_modules/.bin").join(bin))
}

/// `terser` (a JavaScript minifier, pure JS).
pub fn terser() -> Result<PathBuf, String> {
    npm_tool("terser")
}

/// `wasm-opt` from the npm package `binaryen`.
pub fn wasm_opt() -> Result<PathBuf, String> {
    npm_tool("wasm-opt")
}

/// The `wasm-opt` settings of both browser builds: `-Oz` and the features the stable wasm32
/// target emits. The package takes them from `pkg/Cargo.toml`
/// (`[package.metadata.wasm-pack.profile.release]`, which wasm-pack reads); a test keeps the two
/// lists the same.
pub const WASM_OPT_FLAGS: &[&str] = &[
    "-Oz",
    // Do not merge every function that has one caller into it. The merged giants compress
    // worse: without them the resident module is 12 KB and the package 6 KB smaller gzipped
    // (BENCHMARKS.md).
    "--one-caller-inline-max-function-size=0",
    // Addresses below 1 KiB are never read or written: Rust's wasm32 target puts the 1 MiB
    // stack first (the stack pointer starts at 1 MiB and data follows it), so only a stack
    // within 1 KiB of overflowing would reach them. Lets wasm-opt fold constant offsets into
    // loads and stores (BENCHMARKS.md).
    "--low-memory-unused",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
    "--strip-debug",
    "--strip-producers",
];

/// `wasm-bindgen --target web` into `out_dir` as `<out_name>_bg.wasm` + JS glue, then
/// `wasm-opt` (`WASM_OPT_FLAGS`) in place: the widget's last steps (the package's are
/// wasm-pack's, with the same settings).
pub fn bindgen_and_optimize(
    wasm: &Path,
    out_dir: &Path,
    out_name: &str,
    extra: &[&str],
) -> Result<PathBuf, String> {
    let wasm_opt = wasm_opt()?;
    sh(Command::new("wasm-bindgen")
        .args(["--target", "web", "--out-name", out_name])
        .args(extra)
        .arg("--out-dir")
        .arg(out_dir)
        .arg(wasm))?;
    let bg = out_dir.join(format!("{out_name}_bg.wasm"));
    sh(Command::new(&wasm_opt)
        .args(WASM_OPT_FLAGS)
        .arg(&bg)
        .arg("-o")
        .arg(&bg))?;
    Ok(bg)
}

/// The npm tools of package.json at exactly package-lock.json's versions (`npm ci`, never a
/// browser download), installed into `node_modules` when it is missing or older than the lock.
pub fn npm_tools() -> Result<(), String> {
    npm_ci(&tools_dir())
}

/// `npm ci` in `dir` (its package.json at its package-lock.json's versions) when its
/// `node_modules` is missing or older than the lock.
pub fn npm_ci(dir: &Path) -> Result<(), String> {
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(dir.join("node_modules/.package-lock.json"));
    let locked = modified(dir.join("package-lock.json"));
    if installed.is_some() && installed >= locked {
        return Ok(());
    }
    sh(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(dir))
}

/// What the full gate needs from Debian, each with what it is for: checked at once and the
/// missing ones installed by one `apt-get` (the first step of `cargo xtask test`).
pub const DEBIAN: &[(&str, &str)] = &[
    ("chromium", "the browser suites (headless)"),
    (
        "chromium-driver",
        "Chromium over WebDriver (the engines suite)",
    ),
    ("firefox-esr", "Gecko (the engines suite)"),
    (
        "webkit2gtk-driver",
        "WebKit's WebDriver and MiniBrowser (the engines suite)",
    ),
    (
        "xvfb",
        "a display for WebKitGTK, which has no headless mode",
    ),
    ("xauth", "xvfb-run's authority file"),
    ("fonts-wqy-microhei", "Chinese text in the screenshots"),
    (
        "default-jre-headless",
        "Spark local mode (the PySpark job's test)",
    ),
    ("g++", "libFuzzer's C++ sources (the bounded fuzz run)"),
];

/// Whether Debian's package `name` is installed.
fn installed(name: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", name])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).ends_with("install ok installed"))
}

/// `cargo xtask setup`: everything the full gate installs, in one visible step — each tool with
/// what it is for, "present" or installed now. The gate's later steps find it all present.
pub fn run() -> Result<(), String> {
    let missing: Vec<&str> = DEBIAN
        .iter()
        .map(|(name, why)| {
            let here = installed(name);
            eprintln!(
                "setup: {name:<22} {:<10} {why}",
                if here { "present" } else { "install" }
            );
            (name, here)
        })
        .filter(|(_, here)| !here)
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    eprintln!("setup: the wasm32 target, wasm-bindgen-cli at Cargo.lock's version, wasm-pack, geckodriver (installed when missing)");
    wasm_target()?;
    wasm_bindgen_cli()?;
    wasm_pack()?;
    if have("geckodriver", "--version").is_none() {
        sh(crate::cargo().args(["install", "geckodriver", "--locked"]))?;
    }
    // (The Vite check's own lock is installed beside the package it links, once that is built.)
    eprintln!("setup: npm tools at package-lock.json's versions (npm ci when the lock is newer)");
    npm_tools()?;
    eprintln!("setup: the Python venv at python/requirements-test.txt's hashes");
    crate::python::ensure_venv()
}

/// Install Debian packages (as root, or through sudo).
pub fn apt_install(pkgs: &[&str]) -> Result<(), String> {
    let sudo = have("id", "-u").is_some_and(|u| u != "0");
    let apt = |args: &[&str]| {
        let mut c = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        sh(&mut c)
    };
    apt(&["update", "-q"])?;
    let mut args = vec!["install", "-y", "-q"];
    args.extend_from_slice(pkgs);
    apt(&args)
}

/// Debian's Chromium and ChromeDriver, installed with apt when missing.
pub fn chromium() -> Result<(PathBuf, PathBuf), String> {
    let browser = PathBuf::from("/usr/bin/chromium");
    let driver = PathBuf::from("/usr/bin/chromedriver");
    if !browser.exists() || !driver.exists() {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    Ok((browser, driver))
}

/// Flags for headless Chromium on a machine with a closed network.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

#[cfg(test)]
mod tests {
    /// The package's wasm-opt settings (pkg/Cargo.toml, read by wasm-pack) are the widget's.
    #[test]
    fn the_package_and_the_widget_are_optimized_alike() {
        let manifest = std::fs::read_to_string(crate::root().join("pkg/Cargo.toml")).unwrap();
        let section = "[package.metadata.wasm-pack.profile.release]";
        let at = manifest
            .find(section)
            .expect("pkg/Cargo.toml lacks its wasm-opt settings");
        let list = manifest[at..].split("wasm-opt = [").nth(1).unwrap();
        let list = list.split(']').next().unwrap();
        let flags: Vec<&str> = list
            .split(',')
            .map(|f| f.trim().trim_matches('"'))
            .filter(|f| !f.is_empty())
            .collect();
        assert_eq!(flags, super::WASM_OPT_FLAGS);
    }
}
