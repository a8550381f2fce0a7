//! The policies shipped with yibao, embedded at build time from `policies/` (the data crate:
//! core reads no policy file; the front ends, their build scripts and the tests take the shipped
//! policies from here).

use yibao_core::error::Problem;
use yibao_core::policy::lookup::{shipped_id, Named};

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
pub fn shipped() -> Result<Vec<yibao_core::input::Shipped>, yibao_core::Problems> {
    let mut all = policies()
        .map(|(path, text)| {
            yibao_core::policy::load::parse_policy(text, path).map(|doc| {
                yibao_core::input::Shipped {
                    path: path.to_string(),
                    doc,
                }
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
pub fn browser_json(doc: &yibao_core::PolicyDoc) -> String {
    serde_json::to_string(doc).expect("a PolicyDoc always serializes")
}

/// What a policy spec names (core's `policy::lookup::name`: text, then a file, then a shipped
/// id) over the policies yibao ships, as (path, TOML text): for the front ends that read TOML
/// (the CLI, the Python package).
pub fn name<'a>(
    spec: &'a str,
    is_file: impl FnOnce(&str) -> bool,
) -> Result<Named<'a, (&'static str, &'static str)>, Problem> {
    let known: Vec<String> = policies().map(|(p, _)| shipped_id(p).to_string()).collect();
    yibao_core::policy::lookup::name(
        spec,
        is_file,
        |id| policies().find(|(p, _)| shipped_id(p) == id),
        &known,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use yibao_core::error::Code;

    /// A shipped id names its file (with or without `policies/` and `.toml`); the user's own
    /// file of the same name wins; an unknown id lists the shipped ones.
    #[test]
    fn a_spec_names_a_shipped_policy() {
        let none = |_: &str| false;
        let Named::Shipped((path, text)) = name("demo-county/resident-2024", none).unwrap() else {
            panic!("not shipped")
        };
        assert_eq!(path, DEMO);
        assert_eq!(Some(text), file(DEMO));
        assert!(matches!(
            name("policies/demo-county/resident-2024.toml", none),
            Ok(Named::Shipped((DEMO, _)))
        ));
        let mine = |s: &str| s == "demo-county/resident-2024";
        assert_eq!(
            name("demo-county/resident-2024", mine).unwrap(),
            Named::File("demo-county/resident-2024")
        );
        let e = name("no-such/policy", none).unwrap_err();
        assert_eq!(e.code, Code::UnknownPolicy);
        assert!(
            e.message_en.contains("sichuan-dazhou/employee-2024"),
            "{}",
            e.message_en
        );
    }

    /// Every policy file has its worked cases, and every cases file its policy.
    #[test]
    fn the_files_are_policies_and_their_cases() {
        let policies: Vec<&str> = policies().map(|(p, _)| p).collect();
        assert!(policies.contains(&DEMO), "{policies:?}");
        assert!(cases().count() > 0);
        for (c, _) in cases() {
            let policy = c.replace(".cases.toml", ".toml");
            assert!(file(&policy).is_some(), "{c} has no policy {policy}");
        }
        assert_eq!(FILES.len(), policies.len() + cases().count() + examples());
    }

    fn examples() -> usize {
        FILES
            .iter()
            .filter(|(p, _)| p.contains("/examples/"))
            .count()
    }
}
