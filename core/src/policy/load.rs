//! Reading policy and case TOML strictly: unknown keys are errors, and every problem is
//! reported with its file, line and key path — all of them at once, not the first only.

use super::validate::validate;
use super::{Policy, PolicyDoc};
use crate::error::{Problem, Problems};
use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

/// Parse and validate a policy file's text. Unknown keys and semantic problems are reported
/// together, so one run shows everything that needs fixing.
pub fn parse_policy(text: &str, file: &str) -> Result<PolicyDoc, Problems> {
    let (policy, mut problems) = parse_collecting::<Policy>(text, file)?;
    problems.extend(validate(&policy));
    if !problems.is_empty() {
        return Err(locate(Problems(problems), text, file));
    }
    Ok(PolicyDoc {
        policy,
        sha256: crate::sha256::hex(text.as_bytes()),
    })
}

/// Deserialize TOML into `T`; every unknown key is an error.
pub fn parse_strict<T: DeserializeOwned>(text: &str, file: &str) -> Result<T, Problems> {
    let (value, unknown) = parse_collecting(text, file)?;
    if unknown.is_empty() {
        Ok(value)
    } else {
        Err(locate(Problems(unknown), text, file))
    }
}

/// Deserialize, returning the unknown keys beside the value (or with the type error).
fn parse_collecting<T: DeserializeOwned>(
    text: &str,
    file: &str,
) -> Result<(T, Vec<Problem>), Problems> {
    let mut unknown = Vec::new();
    let de = match toml::Deserializer::parse(text) {
        Ok(de) => de,
        Err(e) => return Err(Problems(vec![toml_problem(&e, text, file)])),
    };
    let result: Result<T, _> =
        serde_ignored::deserialize(de, |path| unknown.push(path_string(&path)));
    let mut problems: Vec<Problem> = unknown
        .into_iter()
        .map(|path| {
            Problem::new(
                "unknown_key",
                path.clone(),
                format!("未知的键 \"{path}\"(拼写错误或不支持的设置)"),
                format!("unknown key \"{path}\" (a typo or an unsupported setting)"),
            )
        })
        .collect();
    match result {
        Ok(v) => Ok((v, problems)),
        Err(e) => {
            problems.push(toml_problem(&e, text, file));
            Err(locate(Problems(problems), text, file))
        }
    }
}

fn path_string(p: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match p {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", path_string(parent)),
        Path::Map { parent, key } => {
            let head = path_string(parent);
            if head.is_empty() {
                key.clone()
            } else {
                format!("{head}.{key}")
            }
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => path_string(parent),
    }
}

fn toml_problem(e: &toml::de::Error, text: &str, file: &str) -> Problem {
    let msg = e.message().trim().to_string();
    let (zh, en) = translate(&msg);
    let mut p = Problem::new("invalid_value", "", zh, en);
    p.file = Some(file.to_string());
    p.line = e.span().map(|s| line_at(text, s.start));
    // toml names the key in its message as "... for key `a.b`"; keep the path when it does.
    if let Some(start) = msg.find("for key `") {
        let rest = &msg[start + 9..];
        if let Some(end) = rest.find('`') {
            p.path = rest[..end].to_string();
        }
    }
    p
}

/// The Chinese wording for the common serde/TOML failures; the English keeps the original detail.
fn translate(msg: &str) -> (String, String) {
    let zh = if msg.starts_with("missing field") {
        format!(
            "缺少必填项 {}",
            msg.trim_start_matches("missing field").trim()
        )
    } else if msg.starts_with("unknown variant") {
        format!(
            "取值不在允许范围内:{}",
            msg.trim_start_matches("unknown variant").trim()
        )
    } else if msg.contains("negative") {
        format!("金额不能为负数:{msg}")
    } else if msg.contains("too large") {
        format!("金额过大(超过一万亿元):{msg}")
    } else if msg.contains("not a decimal") || msg.contains("binary float") {
        format!("不是有效的数字(金额请写成字符串,如 \"1234.56\"):{msg}")
    } else if msg.contains("outside 0–100%") {
        format!("比例必须在 0–100% 之间:{msg}")
    } else if msg.contains("invalid type") {
        format!("类型错误:{msg}")
    } else if msg.contains("date") {
        format!("日期格式错误(应为 YYYY-MM-DD):{msg}")
    } else {
        format!("TOML 格式错误:{msg}")
    };
    (zh, msg.to_string())
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
