//! The policies shipped with yibao, embedded at build time from `policies/`.

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Shipped policy files (not their `.cases.toml`), as (path, text).
pub fn policies() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES
        .iter()
        .copied()
        .filter(|(p, _)| !p.ends_with(".cases.toml") && !p.contains("/examples/"))
}

/// Shipped worked-case files (`*.cases.toml`), as (path, text).
pub fn cases() -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES
        .iter()
        .copied()
        .filter(|(p, _)| p.ends_with(".cases.toml"))
}

/// The text of a shipped file by its path under `policies/` (with or without `.toml`).
pub fn file(path: &str) -> Option<&'static str> {
    let want = path.trim_start_matches("policies/");
    FILES
        .iter()
        .find(|(p, _)| *p == want || p.strip_suffix(".toml") == Some(want))
        .map(|(_, t)| *t)
}

/// The demo county policy, the default for every front end.
pub const DEMO: &str = "demo-county/resident-2024.toml";

/// Every shipped policy parsed and validated, demo first, then by path: what the browser builds
/// embed as JSON (converted at build time; they carry no TOML parser).
#[cfg(feature = "toml")]
pub fn shipped() -> Result<Vec<crate::input::Shipped>, crate::Problems> {
    let mut all = policies()
        .map(|(path, text)| {
            crate::policy::load::parse_policy(text, path).map(|doc| crate::input::Shipped {
                path: path.to_string(),
                doc,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    all.sort_by(|a, b| (a.path != DEMO, &a.path).cmp(&(b.path != DEMO, &b.path)));
    Ok(all)
}

/// The file a browser build fetches a shipped policy from when its module does not embed it
/// (`yibao_resident` embeds only the site's own policies): `policy.<id, '/' as '.'>.json`, beside
/// the module's other files. Written by `cargo xtask web`; read by the widget.
pub fn json_file(id: &str) -> String {
    format!("policy.{}.json", id.replace('/', "."))
}

/// A shipped policy as the browser builds read it: the JSON of the validated `PolicyDoc` (rules
/// and the SHA-256 of the TOML text it came from), whether embedded or fetched as `json_file`.
#[cfg(feature = "toml")]
pub fn browser_json(doc: &crate::PolicyDoc) -> String {
    serde_json::to_string(doc).expect("a PolicyDoc always serializes")
}
