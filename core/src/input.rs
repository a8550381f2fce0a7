//! Reading every input — policies, cases, requests — through serde and the types' derives, the
//! same way whatever the format: TOML (`policy::load`), JSON text ([`from_json`]), or a JS value
//! (the npm package hands a [`Value`] made by serde-wasm-bindgen to [`from_value`]).
//!
//! Each input is first read into a [`serde_value::Value`] tree, then deserialized from it with
//! `serde_ignored` (every unknown key is reported) and `serde_path_to_error` (the path of a bad
//! value). Reading from the tree, not the text, is what makes the codes typed and identical in
//! every front end: `serde_value`'s error is an enum (missing field, invalid type, unknown
//! variant …), where TOML's and JSON's errors are text only. Members that are `null` (or JS
//! `undefined`) are absent members, as JS code writes them.

use crate::error::{Code, Fault, Problem, Problems};
use crate::policy::validate::validate;
use crate::policy::{Policy, PolicyDoc};
use serde::de::DeserializeOwned;
use serde::Deserialize;
pub use serde_value::Value;
use serde_value::{DeserializerError, ValueDeserializer};

/// Read `T` from a value tree; unknown keys and the first wrong value are reported together.
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, Problems> {
    let (value, unknown) = collect(v);
    match value {
        Ok(t) if unknown.is_empty() => Ok(t),
        Ok(_) => Err(Problems(unknown)),
        Err(p) => Err(Problems(unknown.into_iter().chain([p]).collect())),
    }
}

/// Read `T` from a value tree, returning the unknown keys beside the result (the policy readers
/// add the semantic checks to them, to report everything at once).
pub fn collect<T: DeserializeOwned>(v: Value) -> (Result<T, Problem>, Vec<Problem>) {
    let mut unknown = Vec::new();
    let de = ValueDeserializer::<DeserializerError>::new(without_nulls(v));
    let mut on_unknown = |path: serde_ignored::Path| {
        unknown.push(unknown_key(ignored_path(&path)));
    };
    let ignored = serde_ignored::Deserializer::new(de, &mut on_unknown);
    let result = serde_path_to_error::deserialize(ignored).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        problem_of(e.into_inner(), path)
    });
    (result, unknown)
}

/// Read `T` from JSON text.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, Problems> {
    from_value(json_value(text)?)
}

/// JSON text as a value tree; a syntax error names its line and column.
pub fn json_value(text: &str) -> Result<Value, Problems> {
    serde_json::from_str(text).map_err(|e| {
        let (line, col) = (e.line(), e.column());
        let mut p = Problem::new(
            Code::InvalidJson,
            "",
            format!("JSON 格式错误(第 {line} 行第 {col} 列)"),
            format!("invalid JSON at line {line}, column {col}: {e}"),
        );
        p.line = Some(line);
        p.into()
    })
}

/// A policy from JSON text: what `yibao export` prints (`{ "policy": …, "sha256": … }`, which
/// keeps the fingerprint of the TOML file it came from), or the bare rules, whose fingerprint is
/// then the SHA-256 of `text`. Validated like a policy file.
pub fn policy_doc_from_json(text: &str) -> Result<PolicyDoc, Problems> {
    policy_doc_from_value(json_value(text)?, || {
        crate::trace::sha256_hex(text.as_bytes())
    })
}

/// A policy from a value tree, as [`policy_doc_from_json`]; `sha256` gives the fingerprint of a
/// bare policy (asked only when the value is not an exported `{ policy, sha256 }`).
pub fn policy_doc_from_value(
    v: Value,
    sha256: impl FnOnce() -> String,
) -> Result<PolicyDoc, Problems> {
    let exported = matches!(&v, Value::Map(m) if m.contains_key(&Value::String("policy".into())));
    if exported {
        // Semantic paths run from the rules' root; in what was given they are under `policy`.
        checked_with_unknown(collect::<PolicyDoc>(v), |d| d, "policy")
    } else {
        let sha = sha256();
        checked_with_unknown(
            collect::<Policy>(v),
            |policy| PolicyDoc {
                policy,
                sha256: sha,
            },
            "",
        )
    }
}

/// Unknown keys, the type error or else every semantic problem (its path under `head`), all at once.
fn checked_with_unknown<T>(
    (read, mut problems): (Result<T, Problem>, Vec<Problem>),
    doc: impl FnOnce(T) -> PolicyDoc,
    head: &str,
) -> Result<PolicyDoc, Problems> {
    match read {
        Ok(t) => {
            let d = doc(t);
            problems.extend(prefix(Problems(validate(&d.policy)), head).0);
            if problems.is_empty() {
                Ok(d)
            } else {
                Err(Problems(problems))
            }
        }
        Err(p) => {
            problems.push(p);
            Err(Problems(problems))
        }
    }
}

/// A policy that passes [`validate`], with its fingerprint.
pub fn checked(policy: Policy, sha256: String) -> Result<PolicyDoc, Problems> {
    let problems = validate(&policy);
    if problems.is_empty() {
        Ok(PolicyDoc { policy, sha256 })
    } else {
        Err(Problems(problems))
    }
}

/// Problems of a part of a larger input, with their paths under `head`.
pub fn prefix(mut ps: Problems, head: &str) -> Problems {
    for p in &mut ps.0 {
        p.path = match (head.is_empty(), p.path.is_empty()) {
            (true, _) => std::mem::take(&mut p.path),
            (_, true) => head.to_string(),
            _ => format!("{head}.{}", p.path),
        };
    }
    ps
}

/// One shipped policy as the browser builds embed it: its path under `policies/` and the
/// validated document (converted from TOML at build time; the browser has no TOML parser).
#[derive(Clone, Debug, serde::Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(hashmap_as_object))]
pub struct Shipped {
    pub path: String,
    pub doc: PolicyDoc,
}

/// `null` members of maps (and JS `undefined`) are absent members.
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(
            m.into_iter()
                .filter(|(_, v)| !matches!(v, Value::Unit | Value::Option(None)))
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Seq(xs) => Value::Seq(xs.into_iter().map(without_nulls).collect()),
        Value::Option(Some(v)) => Value::Option(Some(Box::new(without_nulls(*v)))),
        Value::Newtype(v) => Value::Newtype(Box::new(without_nulls(*v))),
        v => v,
    }
}

pub fn unknown_key(path: String) -> Problem {
    Problem::new(
        Code::UnknownKey,
        path.clone(),
        format!("未知的键 \"{path}\"(拼写错误或不支持的设置)"),
        format!("unknown key \"{path}\" (a typo or an unsupported setting)"),
    )
}

/// `serde_ignored`'s path as the key path messages use: `a.b[2].c`.
pub fn ignored_path(p: &serde_ignored::Path) -> String {
    use serde_ignored::Path;
    match p {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", ignored_path(parent)),
        Path::Map { parent, key } => {
            let head = ignored_path(parent);
            if head.is_empty() {
                key.clone()
            } else {
                format!("{head}.{key}")
            }
        }
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => ignored_path(parent),
    }
}

/// The problem a deserialization error describes: its code comes from the error's variant (or,
/// for a value's own check, from the [`Fault`] it packed), never from its wording.
fn problem_of(e: DeserializerError, path: String) -> Problem {
    use DeserializerError as E;
    let (code, zh, en) = match e {
        E::Custom(msg) => match Fault::unpack(&msg) {
            Some(f) => (f.code, f.zh, f.en),
            None => (
                Code::InvalidValue,
                format!("取值错误:{msg}"),
                format!("invalid value: {msg}"),
            ),
        },
        E::MissingField(field) => {
            // serde reports it at the struct; the problem is the field's.
            let at = join(&path, field);
            return Problem::new(
                Code::MissingField,
                at,
                format!("缺少必填项 {field}"),
                format!("missing field `{field}`"),
            );
        }
        E::InvalidType(got, expected) => (
            Code::InvalidType,
            format!("类型错误:应为 {expected},实际是 {}", unexpected(&got)),
            format!("invalid type: {}, expected {expected}", unexpected(&got)),
        ),
        E::InvalidValue(got, expected) => (
            Code::InvalidValue,
            format!("取值错误:应为 {expected},实际是 {}", unexpected(&got)),
            format!("invalid value: {}, expected {expected}", unexpected(&got)),
        ),
        E::InvalidLength(n, expected) => (
            Code::InvalidValue,
            format!("个数错误:有 {n} 项,应为 {expected}"),
            format!("invalid length {n}, expected {expected}"),
        ),
        E::UnknownVariant(name, allowed) => (
            Code::InvalidValue,
            format!("取值不在允许范围内:\"{name}\",可选 {}", allowed.join(", ")),
            format!(
                "unknown value \"{name}\", expected one of {}",
                allowed.join(", ")
            ),
        ),
        E::UnknownField(name, _) => return unknown_key(join(&path, &name)),
        E::DuplicateField(field) => (
            Code::DuplicateKey,
            format!("键 {field} 重复"),
            format!("duplicate key `{field}`"),
        ),
    };
    Problem::new(code, path, zh, en)
}

fn join(head: &str, key: &str) -> String {
    if head.is_empty() {
        key.to_string()
    } else {
        format!("{head}.{key}")
    }
}

/// What a value was, in words, for "invalid type" messages.
fn unexpected(u: &serde_value::Unexpected) -> String {
    use serde_value::Unexpected as U;
    match u {
        U::Bool(b) => format!("boolean `{b}`"),
        U::Unsigned(n) => format!("integer `{n}`"),
        U::Signed(n) => format!("integer `{n}`"),
        U::Float(_) => "a fractional number".into(),
        U::Char(c) => format!("character `{c}`"),
        U::Str(s) => format!("string {}", crate::error::quoted(s)),
        U::Bytes(_) => "bytes".into(),
        U::Unit | U::Option => "null".into(),
        U::NewtypeStruct | U::NewtypeVariant | U::TupleVariant | U::StructVariant => {
            "a structured value".into()
        }
        U::Seq => "an array".into(),
        U::Map => "an object".into(),
        U::Enum | U::UnitVariant => "an enum value".into(),
        U::Other(s) => s.clone(),
    }
}
