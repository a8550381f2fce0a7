//! Installing is `setup.sh` (one visible step: Debian packages, the cargo-installed tools, npm and
//! PyPI locks, each "present" or installed); this file runs it and holds the build settings every
//! browser module shares.

use crate::{root, sh};
use std::path::{Path, PathBuf};
use std::process::Command;

/// `cargo xtask setup`, and the first step of every task that uses a tool (`main`, before it runs):
/// `setup.sh`, which installs only what is missing.
pub fn run() -> Result<(), String> {
    sh(Command::new("bash").arg(root().join("setup.sh")))
}

/// Debian's Chromium and ChromeDriver (`setup.sh` installs them).
pub fn chromium() -> Result<(PathBuf, PathBuf), String> {
    let found = |p: &str| {
        let p = PathBuf::from(p);
        p.exists()
            .then_some(p)
            .ok_or("Chromium is missing: run `cargo xtask setup` / 缺少 Chromium:请先运行 `cargo xtask setup`")
    };
    Ok((found("/usr/bin/chromium")?, found("/usr/bin/chromedriver")?))
}

/// Where package.json's npm packages are installed (`node_modules` at the root, by `npm ci`).
pub fn tools_dir() -> PathBuf {
    root()
}

/// PATH with the npm packages' programs (`wasm-opt`, …) first.
pub fn tools_path() -> std::ffi::OsString {
    let bin = tools_dir().join("node_modules/.bin");
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap_or(rest)
}

/// `terser` (a JavaScript minifier) from npm.
pub fn terser() -> Result<PathBuf, String> {
    Ok(tools_dir().join("node_modules/.bin/terser"))
}

/// The size settings of a browser module's release build, as cargo profile overrides, on the
/// stable toolchain: `opt-level = "z"`, fat LTO, one codegen unit, `panic = "abort"` (a panic in
/// the browser is a bug either way; abort drops the unwinding tables — the message formatting
/// stays, stable has no way to leave it out). Not stripped: wasm-bindgen reads the
/// `target_features` section, and wasm-opt strips afterwards. Used by `size_build` (the
/// widget) and around `wasm-pack build` (the package, `pkg.rs`). `extra_rustflags` are set as
/// the build's rustflags (space-free flags only).
pub fn size_profile(cmd: &mut Command, extra_rustflags: &[String]) -> Result<(), String> {
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

/// The `wasm-opt` settings of every browser module: the package's, `pkg/Cargo.toml`'s
/// `[package.metadata.wasm-pack.profile.release]` (which wasm-pack reads and which explains each).
pub fn wasm_opt_flags() -> Result<Vec<String>, String> {
    let out = crate::cargo()
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    let pkg = meta["packages"].as_array().into_iter().flatten();
    let flags = pkg
        .filter(|p| p["name"] == "yibao")
        .find_map(|p| p["metadata"]["wasm-pack"]["profile"]["release"]["wasm-opt"].as_array());
    let flags = flags.ok_or("pkg/Cargo.toml has no wasm-opt settings")?;
    Ok(flags
        .iter()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect())
}

/// `wasm-bindgen --target web` into `out_dir` as `<out_name>_bg.wasm` + JS glue, then
/// `wasm-opt` (`wasm_opt_flags`) in place: the widget's last steps (the package's are
/// wasm-pack's, with the same settings).
pub fn bindgen_and_optimize(
    wasm: &Path,
    out_dir: &Path,
    out_name: &str,
    extra: &[&str],
) -> Result<PathBuf, String> {
    let wasm_opt = tools_dir().join("node_modules/.bin/wasm-opt");
    sh(Command::new("wasm-bindgen")
        .args(["--target", "web", "--out-name", out_name])
        .args(extra)
        .arg("--out-dir")
        .arg(out_dir)
        .arg(wasm))?;
    let bg = out_dir.join(format!("{out_name}_bg.wasm"));
    sh(Command::new(&wasm_opt)
        .args(wasm_opt_flags()?)
        .arg(&bg)
        .arg("-o")
        .arg(&bg))?;
    Ok(bg)
}
