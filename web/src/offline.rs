//! The service worker's manifest (web/sw.js): every file of the build the page can load, with
//! the SHA-256 of its content, written into the built sw.js by the `page` tool
//! (src/bin/page.rs, run by `cargo xtask web`). The worker's cache is named after the manifest's
//! version, so a new build (a new policy is one: the policies are compiled into the wasm) is a
//! new cache, and the worker keeps a file only if its content hashes to the manifest's value.

use sha2::{Digest, Sha256};
use std::path::Path;

/// What web/sw.js has in place of the manifest's JSON.
pub const PLACEHOLDER: &str = "__YIBAO_MANIFEST__";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The worker script for the build in `dir`: `template` (web/sw.js) with the manifest of
/// `files` (those also in `later` kept when first fetched, not at install) in place of
/// `PLACEHOLDER`. The version hashes each file's name and SHA-256 and the template itself, so a
/// change to any file or to the worker's code is a new version.
pub fn script(
    template: &str,
    dir: &Path,
    files: &[String],
    later: &[String],
) -> Result<String, String> {
    if template.matches(PLACEHOLDER).count() != 1 {
        return Err(format!("web/sw.js must hold {PLACEHOLDER} exactly once"));
    }
    let mut entries = serde_json::Map::new();
    let mut version = Sha256::new();
    version.update(template.as_bytes());
    for f in files {
        let bytes =
            std::fs::read(dir.join(f)).map_err(|e| format!("{}: {e}", dir.join(f).display()))?;
        let sum = hex(&Sha256::digest(&bytes));
        version.update(format!("\n{f} {sum}").as_bytes());
        entries.insert(f.to_string(), sum.into());
    }
    let version = hex(&version.finalize()[..8]);
    let manifest = serde_json::json!({ "version": version, "files": entries, "later": later });
    Ok(template.replace(PLACEHOLDER, &manifest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const TEMPLATE: &str = "const BUILD = __YIBAO_MANIFEST__;\n";
    const OTHER: &str = "let x; const BUILD = __YIBAO_MANIFEST__;\n";

    /// The manifest of a build of `files` (name, content) for the page's files `names` (the
    /// last one kept later), and the version of the same with another worker script.
    fn build(name: &str, files: &[(&str, &str)], names: &[&str]) -> Result<(Value, Value), String> {
        let dir = std::env::temp_dir().join(format!("yibao-sw-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (f, body) in files {
            std::fs::write(dir.join(f), body).unwrap();
        }
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let later = &names[names.len() - 1..];
        let manifest = |template: &str| -> Result<Value, String> {
            let script = script(template, &dir, &names, later)?;
            let json = script.split("const BUILD = ").nth(1).unwrap_or_default();
            Ok(serde_json::from_str(json.trim_end().trim_end_matches(';')).unwrap())
        };
        let built = manifest(TEMPLATE).and_then(|m| Ok((m, manifest(OTHER)?["version"].clone())));
        let _ = std::fs::remove_dir_all(&dir);
        built
    }

    #[test]
    fn the_cache_is_keyed_by_every_files_hash() {
        let names = ["index.html", "a.js", "m.wasm"];
        let files = [
            ("index.html", "<p>1"),
            ("a.js", "export {}"),
            ("m.wasm", "\0asm"),
        ];
        let (a, other) = build("a", &files, &names).unwrap();
        let (same, _) = build("same", &files, &names).unwrap();
        // One byte of one file (a new policy is a new wasm).
        let (b, _) = build("b", &[files[0], files[1], ("m.wasm", "\0asM")], &names).unwrap();
        assert_eq!(
            a, same,
            "the same files make the same worker (no needless update)"
        );
        assert_eq!(a["version"].as_str().unwrap().len(), 16);
        assert_ne!(a["version"], b["version"], "a changed file is a new cache");
        // Each file's entry is the SHA-256 of its content; only the changed one differs.
        assert_eq!(
            a["files"]["a.js"],
            hex(&Sha256::digest(b"export {}")).as_str()
        );
        assert_eq!(a["files"]["index.html"], b["files"]["index.html"]);
        assert_ne!(a["files"]["m.wasm"], b["files"]["m.wasm"]);
        assert_eq!(a["files"].as_object().unwrap().len(), 3);
        assert_eq!(a["later"], serde_json::json!(["m.wasm"]));
        // The worker's own code is part of the version.
        assert_ne!(a["version"], other);
        // A file the page loads that the build lacks, or a template without its placeholder.
        assert!(build("gone", &files[..2], &names)
            .unwrap_err()
            .contains("m.wasm"));
        assert!(script("const BUILD = {};", &std::env::temp_dir(), &[], &[]).is_err());
    }

    #[test]
    fn the_template_holds_the_placeholder_once() {
        assert_eq!(include_str!("../sw.js").matches(PLACEHOLDER).count(), 1);
    }
}
