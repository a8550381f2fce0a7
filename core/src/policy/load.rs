//! Reading policy and case TOML strictly through `crate::input` (unknown keys are errors), with
//! every problem placed at its file, line and key path — all of them at once, not the first only.

use super::PolicyDoc;
use crate::error::{Code, Problem, Problems, Seg};
use crate::input::{from_value, policy_from_value, Value};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::de::{DeTable, DeValue};

/// Parse and validate a policy file's text. Unknown keys and semantic problems are reported
/// together, so one run shows everything that needs fixing.
pub fn parse_policy(text: &str, file: &str) -> Result<PolicyDoc, Problems> {
    let sha256 = crate::policy::sha256_hex(text.as_bytes());
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
    let line = e.span().map(|s| line_at(text, s.start));
    // The parser explains in English only: the Chinese half says where, the English half what.
    let (zh, en) = match line {
        Some(n) => (
            format!("TOML 格式错误(第 {n} 行;详见英文说明,如字符串须加引号)"),
            format!("invalid TOML at line {n}: {msg}"),
        ),
        None => (
            "TOML 格式错误(详见英文说明)".to_string(),
            format!("invalid TOML: {msg}"),
        ),
    };
    let mut p = Problem::new(Code::InvalidToml, "", zh, en);
    p.file = Some(file.to_string());
    p.line = line;
    p.into()
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// Fill in file and line for problems that know only their key path, and list them in the
/// file's order (a problem with no line after those with one; otherwise as found).
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
    ps.0.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
    ps
}

/// Byte offset of the deepest key of `path` (`a.b[2].c`) that exists in the document.
fn find_span(root: &DeTable, path: &str) -> Option<usize> {
    let mut table = root;
    let mut best = None;
    let mut value: Option<&DeValue> = None;
    let mut steps = crate::error::segments(path).into_iter().peekable();
    while let Some(step) = steps.next() {
        let Seg::Key(name) = step else { break };
        let index = match steps.peek() {
            Some(Seg::Index(i)) => Some(*i),
            _ => None,
        };
        if index.is_some() {
            steps.next();
        }
        if let Some(v) = value.take() {
            match v {
                DeValue::Table(t) => table = t,
                _ => break,
            }
        }
        let Some((k, v)) = table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == name.as_str())
        else {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tests::assert_languages;

    fn demo() -> String {
        yibao_shipped::file(yibao_shipped::DEMO)
            .unwrap()
            .to_string()
    }

    /// `(code, path, line)` of each problem, sorted.
    fn found(r: Result<PolicyDoc, Problems>) -> Vec<(String, String, Option<usize>)> {
        let ps = r.expect_err("the policy should be refused").0;
        let mut got: Vec<_> = ps
            .iter()
            .map(|p| {
                assert_languages(p);
                assert_eq!(p.file.as_deref(), Some("p.toml"), "{p:?}");
                (p.code.to_string(), p.path.clone(), p.line)
            })
            .collect();
        got.sort();
        got
    }

    fn line_of(text: &str, needle: &str) -> Option<usize> {
        text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
    }

    #[test]
    fn a_misspelt_key_a_wrong_ratio_and_a_tier_out_of_order_are_reported_at_once() {
        let text = demo()
            .replacen(
                "[inpatient.caps]\n",
                "[inpatient.caps]\nanual_fund = \"1\"\n",
                1,
            )
            .replacen("county = \"75%\"", "county = \"800%\"", 1)
            .replacen(
                "tiers = [{ up_to = \"100000\", rate = \"50%\" }",
                "tiers = [{ up_to = \"5000\", rate = \"50%\" }",
                1,
            );
        let got = found(parse_policy(&text, "p.toml"));
        assert_eq!(
            got,
            [
                (
                    "invalid_rate".into(),
                    "inpatient.ratio.rates.county".into(),
                    line_of(&text, "county = \"800%\"")
                ),
                (
                    "tiers_not_ordered".into(),
                    "layers[0].tiers[0].up_to".into(),
                    line_of(&text, "up_to = \"5000\"")
                ),
                (
                    "unknown_key".into(),
                    "inpatient.caps.anual_fund".into(),
                    line_of(&text, "anual_fund")
                ),
            ]
        );
        let ps = parse_policy(&text, "p.toml").unwrap_err();
        let typo = ps.0.iter().find(|p| p.code == Code::UnknownKey).unwrap();
        assert!(
            typo.message_en
                .ends_with("did you mean \"inpatient.caps.annual_fund\"?"),
            "{typo:?}"
        );
        assert!(typo.message_zh.contains("是否想写"), "{typo:?}");
    }

    #[test]
    fn a_toml_syntax_error_is_explained_in_english_only_in_the_english_half() {
        let text = demo().replacen("county = \"75%\"", "county = 75%", 1);
        let ps = parse_policy(&text, "p.toml").unwrap_err().0;
        assert_eq!(ps.len(), 1);
        let p = &ps[0];
        assert_eq!(p.code, Code::InvalidToml);
        assert_eq!(p.line, line_of(&text, "county = 75%"));
        assert_languages(p);
        assert!(p.message_en.contains("invalid TOML at line"), "{p:?}");
    }
}
