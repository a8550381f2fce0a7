//! `page DIST NOW LATER`: finishes the built page in `DIST` (web/dist), run by `cargo xtask web`
//! once the modules are built with the same policies:
//! - the resident's first step (`yibao_web::first_step`, yew's server renderer) into index.html,
//!   in a declarative shadow root in its `<div id="app">`, where yibao.js finds and hydrates it: a
//!   phone shows the first question while the engine downloads (a page already done is left);
//! - the service worker, web/sw.js with the manifest of the files `NOW` (comma-separated: kept at
//!   install) and `LATER` (kept when first fetched), `yibao_web::offline::script`, as sw.js.

use std::path::Path;
use std::process::ExitCode;

/// What the page has in `<div id="app">` in place of the first step.
const SLOT: &str = "<!--yibao-first-step-->";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dist, now, later] = &args[..] else {
        eprintln!("usage: page DIST NOW LATER (files, comma-separated)");
        return ExitCode::FAILURE;
    };
    match prerender(&Path::new(dist).join("index.html")).and_then(|()| worker(dist, now, later)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("page: {e}");
            ExitCode::FAILURE
        }
    }
}

fn prerender(page: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
    if !text.contains(SLOT) {
        return Ok(());
    }
    // yew's local renderer runs on the current thread, inside a tokio LocalSet.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let html = tokio::task::LocalSet::new().block_on(&runtime, yibao_web::first_step());
    // The widget's styles inside the shadow root as yibao.js links them (the page's head links
    // the same file, so that the first step is not drawn unstyled); `data-ssr` marks what
    // yibao.js hydrates; the noscript line shows where scripts are off.
    let root = format!(
        "<template shadowrootmode=\"open\"><link rel=\"stylesheet\" href=\"yibao.css\">\
         <noscript><p class=\"yb-nowasm\">本页面需要开启 JavaScript。This page needs JavaScript.</p></noscript>\
         <div data-ssr=\"1\">{html}</div></template>"
    );
    std::fs::write(page, text.replacen(SLOT, &root, 1)).map_err(|e| e.to_string())
}

fn worker(dist: &str, now: &str, later: &str) -> Result<(), String> {
    let list = |s: &str| -> Vec<String> {
        s.split(',')
            .filter(|f| !f.is_empty())
            .map(String::from)
            .collect()
    };
    let later = list(later);
    let files: Vec<String> = list(now).into_iter().chain(later.iter().cloned()).collect();
    let template = include_str!("../../sw.js");
    let script = yibao_web::offline::script(template, Path::new(dist), &files, &later)?;
    std::fs::write(Path::new(dist).join("sw.js"), script).map_err(|e| format!("sw.js: {e}"))
}
