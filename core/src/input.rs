//! Reading every input — policies, cases, requests — through serde and the types' derives, the
//! same way whatever the format: TOML (`policy::load`), JSON text ([`from_json`]), or a JS value
//! (the npm package hands a [`Value`] made by serde-wasm-bindgen to [`from_value`]).
//!
//! Each input is first read into a [`serde_value::Value`] tree, then the derived `Deserialize`
//! runs on [`Node`], a deserializer over that tree which also does what `serde_ignored` and
//! `serde_path_to_error` would: it records every unknown key (a derived struct asks for an
//! unknown member with `deserialize_ignored_any`) and places each error at its key path. Our own
//! deserializer, not those two wrappers: nested around the tree's deserializer they multiplied
//! every type's derived code (the browser modules' code grew from 0.5 to 1.7 MB), and its error
//! type makes each code typed — missing field, invalid type, unknown option — never read from
//! an error's wording. Members that are `null` (or JS `undefined`) are absent members, as JS
//! code writes them.

use crate::error::{Code, Fault, Problem, Problems};
use crate::policy::validate::validate;
use crate::policy::{Policy, PolicyDoc};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::Deserialize;
pub use serde_value::Value;
use std::cell::RefCell;
use std::fmt;

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
    let unknown = RefCell::new(Vec::new());
    let result = T::deserialize(Node {
        v,
        path: &Path::Root,
        unknown: &unknown,
    })
    .map_err(|e| e.at(&Path::Root).problem);
    let unknown = unknown.into_inner().into_iter().map(unknown_key).collect();
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
        policy_from_value(v, sha256())
    }
}

/// Bare rules from a value tree, with the fingerprint of the text they came from: unknown keys,
/// the type error or else every semantic problem, all at once (the TOML reader's too).
pub(crate) fn policy_from_value(v: Value, sha256: String) -> Result<PolicyDoc, Problems> {
    checked_with_unknown(
        collect::<Policy>(v),
        |policy| PolicyDoc { policy, sha256 },
        "",
    )
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
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Shipped {
    pub path: String,
    pub doc: PolicyDoc,
}

pub fn unknown_key(path: String) -> Problem {
    Problem::new(
        Code::UnknownKey,
        path.clone(),
        format!("未知的键 \"{path}\"(拼写错误或不支持的设置)"),
        format!("unknown key \"{path}\" (a typo or an unsupported setting)"),
    )
}

/// Where a value sits in the input (`bill.items[0].amount`): a chain of borrowed steps on the
/// stack, written out only for a problem.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, k) => f.write_str(k),
            Path::Key(parent, k) => write!(f, "{parent}.{k}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// A reading error: the problem, placed at its path by the innermost [`Node`] it passes.
#[derive(Debug)]
pub struct ReadError {
    problem: Problem,
    placed: bool,
    /// A missing field is reported by its struct; the problem is the field's.
    field: Option<&'static str>,
}

impl ReadError {
    fn new(code: Code, zh: String, en: String) -> Self {
        ReadError {
            problem: Problem::new(code, "", zh, en),
            placed: false,
            field: None,
        }
    }

    fn at(mut self, path: &Path) -> Self {
        if !self.placed {
            let here = path.to_string();
            self.problem.path = match self.field {
                Some(f) if here.is_empty() => f.to_string(),
                Some(f) => format!("{here}.{f}"),
                None => here,
            };
            self.placed = true;
        }
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.problem.fmt(f)
    }
}

impl std::error::Error for ReadError {}

/// Each of serde's error kinds is its own method here, so each gets its code by construction.
impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let msg = msg.to_string();
        match Fault::unpack(&msg) {
            Some(f) => ReadError::new(f.code, f.zh, f.en),
            None => ReadError::new(
                Code::InvalidValue,
                format!("取值错误:{msg}"),
                format!("invalid value: {msg}"),
            ),
        }
    }
    fn invalid_type(got: de::Unexpected, expected: &dyn de::Expected) -> Self {
        let got = unexpected(got);
        ReadError::new(
            Code::InvalidType,
            format!("类型错误:应为 {expected},实际是 {got}"),
            format!("invalid type: {got}, expected {expected}"),
        )
    }
    fn invalid_value(got: de::Unexpected, expected: &dyn de::Expected) -> Self {
        let got = unexpected(got);
        ReadError::new(
            Code::InvalidValue,
            format!("取值错误:应为 {expected},实际是 {got}"),
            format!("invalid value: {got}, expected {expected}"),
        )
    }
    fn invalid_length(n: usize, expected: &dyn de::Expected) -> Self {
        ReadError::new(
            Code::InvalidValue,
            format!("个数错误:有 {n} 项,应为 {expected}"),
            format!("invalid length {n}, expected {expected}"),
        )
    }
    fn unknown_variant(name: &str, allowed: &'static [&'static str]) -> Self {
        ReadError::new(
            Code::InvalidValue,
            format!("取值不在允许范围内:\"{name}\",可选 {}", allowed.join(", ")),
            format!(
                "unknown value \"{name}\", expected one of {}",
                allowed.join(", ")
            ),
        )
    }
    fn missing_field(field: &'static str) -> Self {
        let mut e = ReadError::new(
            Code::MissingField,
            format!("缺少必填项 {field}"),
            format!("missing field `{field}`"),
        );
        e.field = Some(field);
        e
    }
    fn duplicate_field(field: &'static str) -> Self {
        ReadError::new(
            Code::DuplicateKey,
            format!("键 {field} 重复"),
            format!("duplicate key `{field}`"),
        )
    }
}

/// What a value was, in words, for "invalid type" messages.
fn unexpected(u: de::Unexpected) -> String {
    match u {
        de::Unexpected::Float(_) => "a fractional number".into(),
        de::Unexpected::Unit | de::Unexpected::Option => "null".into(),
        de::Unexpected::Str(s) => format!("string {}", crate::error::quoted(s)),
        other => other.to_string(),
    }
}

/// "Invalid type" for a value of the wrong kind, placed at `path`.
fn wrong_type(v: &Value, expected: &dyn de::Expected, path: &Path) -> ReadError {
    let got = match v {
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::U8(_) | Value::U16(_) | Value::U32(_) | Value::U64(_) => {
            de::Unexpected::Other("an integer")
        }
        Value::I8(_) | Value::I16(_) | Value::I32(_) | Value::I64(_) => {
            de::Unexpected::Other("an integer")
        }
        Value::F32(_) | Value::F64(_) => de::Unexpected::Float(0.0),
        Value::Char(c) => de::Unexpected::Char(*c),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Unit | Value::Option(_) => de::Unexpected::Unit,
        Value::Newtype(_) => de::Unexpected::NewtypeStruct,
        Value::Seq(_) => de::Unexpected::Seq,
        Value::Map(_) => de::Unexpected::Map,
        Value::Bytes(_) => de::Unexpected::Other("bytes"),
    };
    let e: ReadError = de::Error::invalid_type(got, expected);
    e.at(path)
}

/// The deserializer the derived code runs on: one value of the tree, where it sits, and the
/// list of unknown keys.
struct Node<'a> {
    v: Value,
    path: &'a Path<'a>,
    unknown: &'a RefCell<Vec<String>>,
}

impl<'de> de::Deserializer<'de> for Node<'_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let (path, unknown) = (self.path, self.unknown);
        let result = match self.v {
            Value::Bool(b) => visitor.visit_bool(b),
            Value::U8(n) => visitor.visit_u64(n.into()),
            Value::U16(n) => visitor.visit_u64(n.into()),
            Value::U32(n) => visitor.visit_u64(n.into()),
            Value::U64(n) => visitor.visit_u64(n),
            Value::I8(n) => visitor.visit_i64(n.into()),
            Value::I16(n) => visitor.visit_i64(n.into()),
            Value::I32(n) => visitor.visit_i64(n.into()),
            Value::I64(n) => visitor.visit_i64(n),
            Value::F32(n) => visitor.visit_f64(n.into()),
            Value::F64(n) => visitor.visit_f64(n),
            Value::Char(c) => visitor.visit_char(c),
            Value::String(s) => visitor.visit_string(s),
            Value::Unit | Value::Option(None) => visitor.visit_unit(),
            Value::Option(Some(v)) | Value::Newtype(v) => {
                return Node {
                    v: *v,
                    path,
                    unknown,
                }
                .deserialize_any(visitor)
            }
            v @ Value::Seq(_) => return Node { v, path, unknown }.deserialize_seq(visitor),
            v @ Value::Map(_) => return Node { v, path, unknown }.deserialize_map(visitor),
            Value::Bytes(b) => visitor.visit_byte_buf(b),
        };
        result.map_err(|e: ReadError| e.at(path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.v {
            Value::Unit | Value::Option(None) => visitor.visit_none(),
            Value::Option(Some(v)) => visitor.visit_some(Node { v: *v, ..self }),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        // Every enum of the schema is a plain name.
        match self.v {
            Value::String(s) => visitor
                .visit_enum(s.into_deserializer())
                .map_err(|e: ReadError| e.at(self.path)),
            other => Err(wrong_type(&other, &visitor, self.path)),
        }
    }

    // Structs, maps, lists and text each take only their own kind of value. Besides saying what
    // was expected, this keeps each type's copy of the code small: `deserialize_any` holds every
    // kind of value, and the derived code would otherwise copy all of it for every type.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let (path, unknown) = (self.path, self.unknown);
        match self.v {
            Value::Map(members) => visitor
                .visit_map(Members {
                    members: members.into_iter(),
                    value: None,
                    path,
                    unknown,
                })
                .map_err(|e| e.at(path)),
            other => Err(wrong_type(&other, &visitor, path)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let (path, unknown) = (self.path, self.unknown);
        match self.v {
            Value::Seq(items) => visitor
                .visit_seq(Items {
                    items: items.into_iter().enumerate(),
                    path,
                    unknown,
                })
                .map_err(|e| e.at(path)),
            other => Err(wrong_type(&other, &visitor, path)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.v {
            Value::String(s) => visitor
                .visit_string(s)
                .map_err(|e: ReadError| e.at(self.path)),
            other => Err(wrong_type(&other, &visitor, self.path)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    /// A member the derived struct does not know: an unknown key.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.unknown.borrow_mut().push(self.path.to_string());
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct tuple tuple_struct identifier
    }
}

/// An array's items, each at its index.
struct Items<'a> {
    items: std::iter::Enumerate<std::vec::IntoIter<Value>>,
    path: &'a Path<'a>,
    unknown: &'a RefCell<Vec<String>>,
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = ReadError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        let Some((i, v)) = self.items.next() else {
            return Ok(None);
        };
        let path = Path::Index(self.path, i);
        // Placed here too: a type may reject a value after its visitor accepted it.
        seed.deserialize(Node {
            v,
            path: &path,
            unknown: self.unknown,
        })
        .map(Some)
        .map_err(|e| e.at(&path))
    }
}

/// An object's members without the `null` ones, each value at its key.
struct Members<'a> {
    members: std::collections::btree_map::IntoIter<Value, Value>,
    /// The member whose key was just read.
    value: Option<(String, Value)>,
    path: &'a Path<'a>,
    unknown: &'a RefCell<Vec<String>>,
}

impl<'de> de::MapAccess<'de> for Members<'_> {
    type Error = ReadError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        for (k, v) in self.members.by_ref() {
            if matches!(v, Value::Unit | Value::Option(None)) {
                continue;
            }
            let key = match k {
                Value::String(s) => s,
                // JSON, TOML and JS keys are all text; a tree built otherwise is refused.
                _ => {
                    let e: ReadError = de::Error::invalid_type(
                        de::Unexpected::Other("a key that is not text"),
                        &"text",
                    );
                    return Err(e.at(self.path));
                }
            };
            let at = Path::Key(self.path, &key);
            let read = seed
                .deserialize(key.as_str().into_deserializer())
                .map_err(|e: ReadError| e.at(&at))?;
            self.value = Some((key, v));
            return Ok(Some(read));
        }
        Ok(None)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ReadError> {
        let (key, v) = self.value.take().ok_or_else(|| {
            ReadError::new(
                Code::Internal,
                "内部错误".into(),
                "internal error: a value asked for before its key".into(),
            )
        })?;
        let path = Path::Key(self.path, &key);
        // Placed here too: a type may reject a value after its visitor accepted it.
        seed.deserialize(Node {
            v,
            path: &path,
            unknown: self.unknown,
        })
        .map_err(|e| e.at(&path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Case;

    fn codes(r: Result<Case, Problems>) -> Vec<String> {
        r.unwrap_err()
            .0
            .iter()
            .map(|p| format!("{}@{}", p.code, p.path))
            .collect()
    }

    #[test]
    fn every_unknown_key_is_reported_with_its_path() {
        let r = from_json::<Case>(
            r#"{"levl":"x","level":"county","bill":{"totl":"1","total":"5","items":[]},"patient":{"agee":3}}"#,
        );
        let mut got = codes(r);
        got.sort();
        assert_eq!(
            got,
            [
                "unknown_key@bill.totl",
                "unknown_key@levl",
                "unknown_key@patient.agee"
            ]
        );
    }

    #[test]
    fn a_bad_value_is_placed_at_its_key_or_index() {
        let r = from_json::<Case>(
            r#"{"level":"county","bill":{"items":[{"name":"a","class":"jia","amount":"1"},{"name":"b","class":"jia","amount":"-2"}]}}"#,
        );
        assert_eq!(codes(r), ["negative_amount@bill.items[1].amount"]);
        let r = from_json::<Case>(r#"{"bill":{"total":"5"}}"#);
        assert_eq!(codes(r), ["missing_field@level"]);
        let r = from_json::<Case>(r#"{"level":"county","setting":"daycare","bill":{"total":"5"}}"#);
        assert_eq!(codes(r), ["invalid_value@setting"]);
    }

    #[test]
    fn null_members_are_absent() {
        let c: Case =
            from_json(r#"{"level":"county","date":null,"bill":{"total":"5","in_scope":null}}"#)
                .unwrap();
        assert!(c.date.is_none() && c.bill.in_scope.is_none());
        let r = from_json::<Case>(r#"{"level":null,"bill":{"total":"5"}}"#);
        assert_eq!(codes(r), ["missing_field@level"]);
    }

    #[test]
    fn invalid_json_names_its_line() {
        let r = from_json::<Case>("{\n\"level\": }");
        let ps = r.unwrap_err();
        assert_eq!(ps.0[0].code, Code::InvalidJson);
        assert_eq!(ps.0[0].line, Some(2));
    }
}
