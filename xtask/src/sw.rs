//! The demo page's service worker (web/sw.js) and its manifest: every file of the build that
//! the page can load, with the SHA-256 of its content, written into `dist/sw.js` by
//! `cargo xtask web`. The worker's cache is named after the manifest's version, so a new build
//! (a new policy is one: the policies are compiled into the wasm) is a new cache, and the
//! worker keeps a file only if its content hashes to the manifest's value.

use sha2::{Digest, Sha256};
use std::path::Path;

/// What web/sw.js has in place of the manifest's JSON.
pub const PLACEHOLDER: &str = "__YIBAO_MANIFEST__";

/// The files of the build that index.html can load: the resident page (`web::FIRST_VISIT`) and
/// the desk it hands over to (the 窗口版 button, `?mode=clerk`), so that both work offline.
/// Not the embedding example (its page is not the worker's) nor nowasm.js (only for browsers
/// without modules, which have no service workers either).
pub fn offline_files() -> Result<Vec<String>, String> {
    let mut files = crate::web::FIRST_VISIT.to_vec();
    files.extend(["yibao_web.js", "yibao_web_bg.wasm", "yibao-desk.css"]);
    // Fetched by the disease box on its first keystroke: kept for offline search.
    files.push(crate::web::DIAGNOSES);
    let mut files: Vec<String> = files.into_iter().map(String::from).collect();
    // The shipped policies the resident module fetches when one is chosen: kept for offline use.
    files.extend(crate::web::policy_files()?);
    Ok(files)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The worker script for the build in `dir`: `template` (web/sw.js) with the manifest of
/// `files` in place of `PLACEHOLDER`. The version hashes each file's name and SHA-256 and the
/// template itself, so a change to any file or to the worker's code is a new version.
pub fn script(template: &str, dir: &Path, files: &[impl AsRef<str>]) -> Result<String, String> {
    if template.matches(PLACEHOLDER).count() != 1 {
        return Err(format!("web/sw.js must hold {PLACEHOLDER} exactly once"));
    }
    let mut entries = serde_json::Map::new();
    let mut version = Sha256::new();
    version.update(template.as_bytes());
    for f in files.iter().map(AsRef::as_ref) {
        let bytes =
            std::fs::read(dir.join(f)).map_err(|e| format!("{}: {e}", dir.join(f).display()))?;
        let sum = hex(&Sha256::digest(&bytes));
        version.update(format!("\n{f} {sum}").as_bytes());
        entries.insert(f.to_string(), sum.into());
    }
    let manifest = serde_json::json!({
        "version": hex(&version.finalize()[..8]),
        "files": entries,
    });
    Ok(template.replace(PLACEHOLDER, &manifest.to_string()))
}

/// Writes `dir/sw.js` from web/sw.js for the build in `dir`.
pub fn write(dir: &Path) -> Result<(), String> {
    let src = crate::root().join("web/sw.js");
    let template = std::fs::read_to_string(&src).map_err(|e| format!("{}: {e}", src.display()))?;
    let out = script(&template, dir, &offline_files()?)?;
    std::fs::write(dir.join("sw.js"), out).map_err(|e| format!("sw.js: {e}"))
}

/// For the offline browser test: a copy of the build in `dist` as the next build would be — the
/// page and its loader changed (each marks itself `next`), sw.js regenerated, the compressed
/// copies made again — in `next`. The test deploys it over the served files.
pub fn next_build(dist: &Path, next: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(next);
    std::fs::create_dir_all(next).map_err(|e| format!("{}: {e}", next.display()))?;
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let p = entry.map_err(|e| e.to_string())?.path();
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        if name.ends_with(".gz") || name.ends_with(".br") || name == "sw.js" {
            continue;
        }
        std::fs::copy(&p, next.join(&name)).map_err(|e| format!("{name}: {e}"))?;
    }
    let edit = |f: &str, change: &dyn Fn(String) -> String| -> Result<(), String> {
        let p = next.join(f);
        let text = std::fs::read_to_string(&p).map_err(|e| format!("{f}: {e}"))?;
        let changed = change(text.clone());
        if changed == text {
            return Err(format!("{f}: the next build's change did not apply"));
        }
        std::fs::write(&p, changed).map_err(|e| format!("{f}: {e}"))
    };
    edit("index.html", &|t| {
        t.replacen(
            "<meta charset=\"utf-8\">",
            "<meta charset=\"utf-8\">\n<meta name=\"yibao-build\" content=\"next\">",
            1,
        )
    })?;
    edit("boot.js", &|t| {
        t + "\ndocument.documentElement.dataset.build = 'next';\n"
    })?;
    write(next)?;
    crate::web::compress(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "const BUILD = __YIBAO_MANIFEST__;\n";

    /// The version (cache name suffix) of a worker script `script` wrote.
    fn version(script: &str) -> Option<String> {
        let at = script.find("\"version\":\"")? + "\"version\":\"".len();
        Some(script[at..].split('"').next()?.to_string())
    }

    fn build(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("yibao-sw-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (f, body) in files {
            std::fs::write(dir.join(f), body).unwrap();
        }
        dir
    }

    fn manifest(script: &str) -> serde_json::Value {
        let json = script
            .strip_prefix("const BUILD = ")
            .and_then(|s| s.strip_suffix(";\n"))
            .unwrap();
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_cache_is_keyed_by_every_files_hash() {
        let names = ["index.html", "a.js", "m.wasm"];
        let a = build(
            "a",
            &[
                ("index.html", "<p>1"),
                ("a.js", "export {}"),
                ("m.wasm", "\0asm"),
            ],
        );
        let same = build(
            "same",
            &[
                ("index.html", "<p>1"),
                ("a.js", "export {}"),
                ("m.wasm", "\0asm"),
            ],
        );
        // One byte of one file (a new policy is a new wasm).
        let b = build(
            "b",
            &[
                ("index.html", "<p>1"),
                ("a.js", "export {}"),
                ("m.wasm", "\0asM"),
            ],
        );
        let (sa, ssame, sb) = (
            script(TEMPLATE, &a, &names).unwrap(),
            script(TEMPLATE, &same, &names).unwrap(),
            script(TEMPLATE, &b, &names).unwrap(),
        );
        assert_eq!(
            sa, ssame,
            "the same files make the same worker (no needless update)"
        );
        let (va, vb) = (version(&sa).unwrap(), version(&sb).unwrap());
        assert_eq!(va.len(), 16);
        assert_ne!(va, vb, "a changed file is a new cache");
        let (ma, mb) = (manifest(&sa), manifest(&sb));
        assert_eq!(ma["version"], va.as_str());
        // Each file's entry is the SHA-256 of its content; only the changed one differs.
        assert_eq!(
            ma["files"]["a.js"],
            hex(&Sha256::digest(b"export {}")).as_str()
        );
        assert_eq!(ma["files"]["index.html"], mb["files"]["index.html"]);
        assert_ne!(ma["files"]["m.wasm"], mb["files"]["m.wasm"]);
        assert_eq!(ma["files"].as_object().unwrap().len(), 3);
        // The worker's own code is part of the version.
        let other = script("let x; const BUILD = __YIBAO_MANIFEST__;\n", &a, &names).unwrap();
        assert_ne!(version(&other).unwrap(), va);
        // A file the page loads that the build lacks, or a template without its placeholder.
        assert!(script(TEMPLATE, &a, &["index.html", "gone.js"])
            .unwrap_err()
            .contains("gone.js"));
        assert!(script("const BUILD = {};", &a, &names).is_err());
        for d in [a, same, b] {
            let _ = std::fs::remove_dir_all(d);
        }
    }

    #[test]
    fn the_worker_keeps_everything_the_page_loads() {
        // Every preload of index.html and each module yibao.js and boot.js import.
        let page = std::fs::read_to_string(crate::root().join("web/index.html")).unwrap();
        let files = offline_files().unwrap();
        let link = crate::serve::preload_header(&page).unwrap();
        for hint in link.split(", ") {
            let href = hint.trim_start_matches('<').split('>').next().unwrap();
            assert!(
                files.iter().any(|f| f == href),
                "{href} is preloaded but not kept offline"
            );
        }
        for js in ["yibao.js", "boot.js"] {
            let src = std::fs::read_to_string(crate::root().join("web").join(js)).unwrap();
            // Every file name the source mentions (its imports, fetches and style sheets).
            let names = src.split(|c: char| !(c.is_ascii_alphanumeric() || "_.-".contains(c)));
            for f in names.filter(|f| [".js", ".wasm", ".css"].iter().any(|e| f.ends_with(e))) {
                if f != "sw.js" {
                    assert!(
                        files.iter().any(|k| k == f),
                        "{js} names {f}, which is not kept offline"
                    );
                }
            }
        }
        // The template is the one the build fills in.
        let sw = std::fs::read_to_string(crate::root().join("web/sw.js")).unwrap();
        assert_eq!(sw.matches(PLACEHOLDER).count(), 1);
        // Only our page registers it: the module hosts embed must not.
        let yibao = std::fs::read_to_string(crate::root().join("web/yibao.js")).unwrap();
        assert!(!yibao.contains("serviceWorker"));
        let boot = std::fs::read_to_string(crate::root().join("web/boot.js")).unwrap();
        assert!(boot.contains("serviceWorker.register('sw.js')"));
    }
}
