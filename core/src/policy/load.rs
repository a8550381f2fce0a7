//! Reading policy and case TOML strictly through `crate::input` (unknown keys are errors), with
//! every problem placed at its file, line and key path — all of them at once, not the first only.

use super::PolicyDoc;
use crate::error::{Code, Problem, Problems};
use crate::input::{from_value, policy_from_value, Value};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::de::{DeTable, DeValue};

/// Parse and validate a policy file's text. Unknown keys and semantic problems are reported
/// together, so one run shows everything that needs fixing.
pub fn parse_policy(text: &str, file: &str) -> Result<PolicyDoc, Problems> {
    let sha256 = crate::trace::sha256_hex(text.as_bytes());
    policy_from_value(toml_value(text, file)?, sha256).map_err(|ps| locate(ps, text, file))
}

/// Deserialize TOML into `T`; every unknown key is an error.
pub fn parse_strict<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, Problems> {
    from_value(toml_value(text, file)?).map_err(|ps| locate(ps, text, file))
}

/// TOML text as the value tree every reader shares (`crate::input`).
fn toml_value(text: &str, file: &str) -> Result<Value, Problems> {
    Value::deserialize(toml::Deserializer::parse(text).map_err(|e| syntax(&e, text, file))?)
        .map_err(|e| syntax(&e, text, file))
}

fn syntax(e: &toml::de::Error, text: &str, file: &str) -> Problems {
    let msg = e.message().trim();
    let mut p = Problem::new(
        Code::InvalidToml,
        "",
        format!("TOML 格式错误:{msg}"),
        format!("invalid TOML: {msg}"),
    );
    p.file = Some(file.to_string());
    p.line = e.span().map(|s| line_at(text, s.start));
    p.into()
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// Fill in file and line for problems that know only their key path.
pub fn locate(mut ps: Problems, text: &str, file: &str) -> Problems {
    let root = DeTable::parse(text).ok();
    for p in &mut ps.0 {
        p.file.get_or_insert_with(|| file.to_string());
        if p.line.is_none() {
            if let Some(root) = &root {
                p.line = find_span(root.get_ref(), &p.path).map(|off| line_at(text, off));
            }
        }
    }
    ps
}

/// Byte offset of the deepest key of `path` (`a.b[2].c`) that exists in the document.
fn find_span(root: &DeTable, path: &str) -> Option<usize> {
    let mut table = root;
    let mut best = None;
    let segments: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    let mut value: Option<&DeValue> = None;
    for seg in segments {
        let (name, index) = match seg.find('[') {
            Some(i) => (
                &seg[..i],
                seg[i + 1..].trim_end_matches(']').parse::<usize>().ok(),
            ),
            None => (seg, None),
        };
        if let Some(v) = value.take() {
            match v {
                DeValue::Table(t) => table = t,
                _ => break,
            }
        }
        let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == name) else {
            break;
        };
        best = Some(k.span().start);
        let mut v = v;
        if let Some(i) = index {
            match v.get_ref() {
                DeValue::Array(items) => match items.get(i) {
                    Some(item) => {
                        best = Some(item.span().start);
                        v = item;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        value = Some(v.get_ref());
    }
    best
}
