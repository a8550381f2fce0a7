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
    let geckodriver = which("geckodriver")?;
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
