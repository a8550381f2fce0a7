//! The files of the demo page's service worker (web/sw.js): `offline_files` for its manifest,
//! which the web crate's `page` tool writes into the built sw.js (web/src/offline.rs: each file's
//! SHA-256, a version that hashes them and the worker; one build is one cache).

use std::path::Path;

/// The files of the build that index.html can load: what the resident page loads at its start
/// (`web::FIRST_VISIT`, kept when the worker installs), then what it loads only when asked
/// (`later`, kept when first fetched): the desk it hands over to (the 窗口版 button,
/// `?mode=clerk`), the diagnosis list of the disease box, the policies the resident module
/// fetches when one is chosen. Not the embedding example (its page is not the worker's) nor
/// nowasm.js (only for browsers without modules, which have no service workers either).
pub fn offline_files() -> Result<(Vec<String>, Vec<String>), String> {
    let now = crate::web::FIRST_VISIT.iter().map(|f| f.to_string());
    let mut later: Vec<String> = ["yibao_web.js", "yibao_web_bg.wasm", "yibao-desk.css"]
        .into_iter()
        .chain([crate::web::DIAGNOSES])
        .map(String::from)
        .collect();
    later.extend(crate::web::policy_files()?);
    Ok((now.collect(), later))
}

/// For the offline browser test: a copy of the build in `dist` as the next build would be — the
/// page and its loader changed (each marks itself `next`), sw.js regenerated, the compressed
/// copies made again — in `next`. The test deploys it over the served files.
pub fn next_build(dist: &Path, next: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(next);
    std::fs::create_dir_all(next).map_err(|e| format!("{}: {e}", next.display()))?;
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let p = entry.map_err(|e| e.to_string())?.path();
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        if !(name.ends_with(".gz") || name.ends_with(".br") || name == "sw.js") {
            std::fs::copy(&p, next.join(&*name)).map_err(|e| format!("{name}: {e}"))?;
        }
    }
    let mark = |f: &str, change: &dyn Fn(&str) -> String| -> Result<(), String> {
        let p = next.join(f);
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{f}: {e}"))?;
        let changed = change(&text);
        if changed == text {
            return Err(format!("{f}: the next build's change did not apply"));
        }
        std::fs::write(&p, changed).map_err(|e| format!("{f}: {e}"))
    };
    let charset = "<meta charset=\"utf-8\">";
    mark("index.html", &|t| {
        t.replacen(
            charset,
            &format!("{charset}\n<meta name=\"yibao-build\" content=\"next\">"),
            1,
        )
    })?;
    mark("boot.js", &|t| {
        format!("{t}\ndocument.documentElement.dataset.build = 'next';\n")
    })?;
    crate::web::page(next)?;
    crate::web::compress(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_keeps_everything_the_page_loads() {
        // Every preload of index.html and each module yibao.js and boot.js import.
        let page = std::fs::read_to_string(crate::root().join("web/index.html")).unwrap();
        let (now, later) = offline_files().unwrap();
        let kept = |f: &str| now.iter().chain(&later).any(|k| k == f);
        let link = crate::serve::preload_header(&page).unwrap();
        for hint in link.split(", ") {
            let href = hint.trim_start_matches('<').split('>').next().unwrap();
            assert!(
                now.iter().any(|f| f == href),
                "{href} is preloaded but not kept at install"
            );
        }
        for js in ["yibao.js", "boot.js"] {
            let src = std::fs::read_to_string(crate::root().join("web").join(js)).unwrap();
            // Every file name the source mentions (its imports, fetches and style sheets).
            let names = src.split(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c)));
            for f in names.filter(|f| [".js", ".wasm", ".css"].iter().any(|e| f.ends_with(e))) {
                assert!(
                    f == "sw.js" || kept(f),
                    "{js} names {f}, which is not kept offline"
                );
            }
        }
        // The desk is the desk's: a resident's phone does not download it at install.
        assert!(
            later.iter().any(|f| f == "yibao_web_bg.wasm")
                && !now.iter().any(|f| f.starts_with("yibao_web"))
        );
        // Only our page registers it.
        let yibao = std::fs::read_to_string(crate::root().join("web/yibao.js")).unwrap();
        assert!(!yibao.contains("serviceWorker"));
        let boot = std::fs::read_to_string(crate::root().join("web/boot.js")).unwrap();
        assert!(boot.contains("serviceWorker.register('sw.js')"));
    }
}
