//! The widget in three browser engines (tests/browser/engines/run.mjs): Debian's Chromium,
//! Firefox ESR and WebKitGTK (the engine of Safari and of WeChat on iOS) through one WebDriver
//! client, selenium-webdriver, with every driver path given by the suite (no driver is ever
//! downloaded at run time). Run by `cargo xtask web test` after the Chromium suite, on the same
//! build and server, under xvfb-run: WebKitGTK has no headless mode.

use crate::{root, setup, sh};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

/// Runs the cross-engine suite against the widget served at `addr` (from `web::test`).
pub fn test(addr: SocketAddr, chromium: &Path, chromedriver: &Path) -> Result<(), String> {
    let out = root().join("tests/browser/out");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    sh(Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1400x1000x24"])
        .args(["node", "--test-reporter=spec"])
        .arg(root().join("tests/browser/engines/run.mjs"))
        .env("YIBAO_URL", format!("http://{addr}/"))
        .env("YIBAO_OUT", &out)
        .env("CHROMIUM", chromium)
        .env("CHROMEDRIVER", chromedriver)
        .env("NODE_PATH", setup::tools_dir().join("node_modules")))
}
