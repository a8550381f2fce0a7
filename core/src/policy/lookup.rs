//! Which policy a user means: what the CLI's `--policy`, the package's policy argument and the
//! Python package's `policy_text` take — a policy's own text, a file, or a shipped policy's id —
//! told apart once, in one order, here:
//!
//! 1. **Text**: a spec with a line break, `{` or `=` is a policy's own text (no id or path has
//!    them): the JSON `yibao export` writes when it opens with `{`, else TOML.
//! 2. **File**: a spec the caller can read as a file (the CLI, Python; the browser has no files)
//!    is that file: the user's own file wins over a shipped policy of the same name.
//! 3. **Shipped**: else a shipped policy, by its id (`demo-county/resident-2024`; a leading
//!    `policies/` and a trailing `.toml` are allowed).
//!
//! Nothing else: `unknown_policy`. Core does no I/O: the caller says which specs are files and
//! which ids it ships (the browser builds carry their shipped policies as JSON, not TOML;
//! `yibao_shipped::name` runs this over the TOML ones).

use crate::error::{Code, Problem};

/// What a policy spec names, in the order above.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Named<'a, S> {
    Text(&'a str),
    File(&'a str),
    Shipped(S),
}

/// A shipped policy's id as a spec writes it, without `policies/` and `.toml`.
pub fn shipped_id(spec: &str) -> &str {
    let id = spec.trim().trim_start_matches("policies/");
    id.strip_suffix(".toml").unwrap_or(id)
}

/// What `spec` names: text, then a file (`is_file`), then a shipped policy (`shipped`, given
/// [`shipped_id`]); else `unknown_policy`, listing the shipped ids `known`.
pub fn name<'a, S>(
    spec: &'a str,
    is_file: impl FnOnce(&str) -> bool,
    shipped: impl FnOnce(&str) -> Option<S>,
    known: &[String],
) -> Result<Named<'a, S>, Problem> {
    if spec.contains(['\n', '{', '=']) {
        return Ok(Named::Text(spec));
    }
    if is_file(spec) {
        return Ok(Named::File(spec));
    }
    if let Some(s) = shipped(shipped_id(spec)) {
        return Ok(Named::Shipped(s));
    }
    Err(Problem::new(
        Code::UnknownPolicy,
        "policy",
        format!(
            "找不到政策 \"{spec}\":既不是政策文件,也不是内置政策的编号(内置的有:{})",
            known.join("、")
        ),
        format!(
            "no policy \"{spec}\": neither a policy file nor a shipped policy's id (shipped: {})",
            known.join(", ")
        ),
    ))
}

/// Whether a policy's text is JSON (what `yibao export` writes) rather than TOML: a `.json`
/// name, or text that opens with `{` (a TOML document cannot).
pub fn is_json(name: &str, text: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with('{')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one order: text, then a file, then a shipped id (`yibao-shipped`'s `name` runs
    /// this over the policies yibao ships; its own test reads them).
    #[test]
    fn text_then_file_then_shipped() {
        let files = |s: &str| s == "demo-county/resident-2024" || s == "mine.toml";
        let none = |_: &str| false;
        let known = ["demo-county/resident-2024".to_string()];
        let shipped = |id: &str| (id == "demo-county/resident-2024").then_some(id.len());
        let named = |spec, is_file: &dyn Fn(&str) -> bool| name(spec, is_file, shipped, &known);
        let spec = "demo-county/resident-2024";
        assert_eq!(named(spec, &files).unwrap(), Named::File(spec));
        assert_eq!(named(spec, &none).unwrap(), Named::Shipped(spec.len()));
        assert_eq!(
            named("policies/demo-county/resident-2024.toml", &none).unwrap(),
            Named::Shipped(spec.len())
        );
        assert_eq!(
            named("mine.toml", &files).unwrap(),
            Named::File("mine.toml")
        );
        let text = "[meta]\nid = \"x\"";
        assert_eq!(named(text, &files).unwrap(), Named::Text(text));
        let e = named("no-such/policy", &files).unwrap_err();
        assert_eq!(e.code, Code::UnknownPolicy);
        assert!(
            e.message_en.contains("demo-county/resident-2024"),
            "{}",
            e.message_en
        );
        assert!(
            is_json("a.JSON", "")
                && is_json("-", " {\"policy\":1}")
                && !is_json("a.toml", "[meta]")
        );
    }
}
