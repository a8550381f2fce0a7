//! The widget in three browser engines (tests/browser/engines/run.mjs): Debian's Chromium
//! (chromedriver), Firefox ESR (geckodriver, from crates.io) and WebKitGTK (WebKitWebDriver +
//! MiniBrowser: the engine of Safari and of WeChat on iOS), all through one WebDriver client,
//! selenium-webdriver from npm, with every driver path given (no driver is ever downloaded at run
//! time). Run by `cargo xtask web test` after the Chromium suite, on the same build and server.

use crate::{root, setup, sh};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;

// npm packages of the suite (package.json): selenium-webdriver (4.46 is the last to run on
// Debian's Node 20; 4.47 asks for 22) and pdf-lib, which counts the pages of a printout (Firefox
// writes its pages into compressed object streams, which no regular expression reads).

const FIREFOX: &str = "/usr/bin/firefox-esr";
const WEBKIT_DRIVER: &str = "/usr/bin/WebKitWebDriver";
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const XVFB_RUN: &str = "/usr/bin/xvfb-run";

/// Firefox ESR, WebKitGTK's driver and MiniBrowser, and xvfb (WebKitGTK has no headless mode),
/// installed with apt when missing; geckodriver with cargo.
fn install() -> Result<PathBuf, String> {
    let missing = [FIREFOX, WEBKIT_DRIVER, MINIBROWSER, XVFB_RUN]
        .iter()
        .any(|p| !Path::new(p).exists());
    if missing {
        setup::apt_install(&["firefox-esr", "webkit2gtk-driver", "xvfb", "xauth"])?;
    }
    let gecko = setup::have("geckodriver", "--version");
    if gecko.is_none() {
        sh(crate::cargo().args(["install", "geckodriver", "--locked"]))?;
    }
    setup::npm_tools()?;
    which("geckodriver")
}

/// A program's path on PATH (cargo's bin directory included).
fn which(program: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|h| h.join("bin"));
    std::env::split_paths(&path)
        .chain(cargo_bin)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{program} is not on PATH"))
}

/// Runs the cross-engine suite against the widget served at `addr` (from `web::test`).
pub fn test(addr: SocketAddr, chromium: &Path, chromedriver: &Path) -> Result<(), String> {
    let geckodriver = install()?;
    let out = root().join("tests/browser/out");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    sh(Command::new(XVFB_RUN)
        .args(["-a", "-s", "-screen 0 1400x1000x24"])
        .args(["node", "--test-reporter=spec"])
        .arg(root().join("tests/browser/engines/run.mjs"))
        .env("YIBAO_URL", format!("http://{addr}/"))
        .env("YIBAO_OUT", &out)
        .env("CHROMIUM", chromium)
        .env("CHROMEDRIVER", chromedriver)
        .env("CHROMIUM_FLAGS", setup::CHROMIUM_FLAGS.join(" "))
        .env("FIREFOX", FIREFOX)
        .env("GECKODRIVER", &geckodriver)
        .env("WEBKITDRIVER", WEBKIT_DRIVER)
        .env("MINIBROWSER", MINIBROWSER)
        .env("NODE_PATH", setup::tools_dir().join("node_modules")))
}

#[cfg(test)]
mod tests {
    /// Every WebAssembly feature the build enables (`WASM_OPT_FLAGS`) is probed by the loader
    /// before it compiles the engine (`WASM_FEATURES` in web/yibao.js), and nothing else is.
    #[test]
    fn the_loader_checks_every_feature_the_build_uses() {
        let enabled: Vec<&str> = crate::setup::WASM_OPT_FLAGS
            .iter()
            .filter_map(|f| f.strip_prefix("--enable-"))
            .collect();
        let js = std::fs::read_to_string(crate::root().join("web/yibao.js")).unwrap();
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
        let mut enabled = enabled;
        probed.sort_unstable();
        enabled.sort_unstable();
        assert!(!enabled.is_empty());
        assert_eq!(
            probed, enabled,
            "web/yibao.js probes other features than the build enables"
        );
    }
}
