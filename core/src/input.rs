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
//!
//! An unknown key names the struct's field nearest to it when one is near ("did you mean",
//! by `strsim`'s edit distance over the field list serde passes to `deserialize_struct`). A
//! value that its own type refuses (a [`Fault`]: an amount, a rate, a date) is replaced in the
//! tree by the fault's neutral stand-in and the tree is read again ([`read`]), so every wrong
//! value is reported at once; a policy's semantic checks then run on what was read, leaving out
//! what concerns a stand-in.

use crate::error::{Code, Fault, Problem, Problems};
use crate::policy::validate::validate;
use crate::policy::{Policy, PolicyDoc};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::Deserialize;
pub use serde_value::Value;
use std::cell::RefCell;
use std::fmt;

/// Read `T` from a value tree; unknown keys and every wrong value are reported together.
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, Problems> {
    let r = read::<T>(v);
    match r.value {
        Some(t) if r.problems.is_empty() => Ok(t),
        _ => Err(Problems(r.problems)),
    }
}

/// The most values one reading replaces before it gives up: far more than a file has mistakes.
const MAX_PATCHES: usize = 256;

/// What [`read`] found.
pub struct Read<T> {
    /// The value, when reading got to its end: with each faulted value replaced by its neutral
    /// stand-in (at `patched`), so usable for further checks but not as the input's meaning.
    pub value: Option<T>,
    /// Unknown keys, each wrong value, and the error that stopped reading (if one did).
    pub problems: Vec<Problem>,
    /// Key paths of the values that were replaced by a neutral stand-in.
    pub patched: Vec<String>,
}

/// Read `T` from a value tree, going on past wrong values: when a value's own type refuses it
/// (an amount, a rate, a date: a [`Fault`] with a neutral stand-in), the value is replaced in the
/// tree by that stand-in and the tree is read again, so one reading reports every such value,
/// and every unknown key, not only the first. Any other error (a missing field, a list where a
/// table belongs) ends the reading.
pub fn read<T: DeserializeOwned>(mut v: Value) -> Read<T> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut patched: Vec<String> = Vec::new();
    for _ in 0..=MAX_PATCHES {
        let unknown = RefCell::new(Vec::new());
        let result = T::deserialize(Node {
            v: v.clone(),
            path: &Path::Root,
            fields: &[],
            unknown: &unknown,
        });
        // Each reading meets the unknown keys before its first error again: each is kept once.
        for (path, near) in unknown.into_inner() {
            let seen = problems
                .iter()
                .any(|p| p.code == Code::UnknownKey && p.path == path);
            if !seen {
                problems.push(unknown_key(path, near));
            }
        }
        let e = match result {
            Ok(t) => {
                return Read {
                    value: Some(t),
                    problems,
                    patched,
                }
            }
            Err(e) => e.at(&Path::Root),
        };
        let path = e.problem.path.clone();
        let replaced = match e.stand_in {
            Some(s) if !patched.contains(&path) => {
                let StandIn { text, steps } = *s;
                replace(&mut v, &steps, Value::String(text))
            }
            _ => false,
        };
        problems.push(e.problem);
        if !replaced {
            break;
        }
        patched.push(path);
    }
    Read {
        value: None,
        problems,
        patched,
    }
}

/// Put `with` in the place of the value at `steps`; false if there is no such value.
fn replace(v: &mut Value, steps: &[Step], with: Value) -> bool {
    let Some((first, rest)) = steps.split_first() else {
        *v = with;
        return true;
    };
    match (v, first) {
        (Value::Option(Some(inner)) | Value::Newtype(inner), _) => replace(inner, steps, with),
        (Value::Map(m), Step::Key(k)) => m
            .get_mut(&Value::String(k.clone()))
            .is_some_and(|c| replace(c, rest, with)),
        (Value::Seq(items), Step::Index(i)) => {
            items.get_mut(*i).is_some_and(|c| replace(c, rest, with))
        }
        _ => false,
    }
}

/// Whether a problem at `path` concerns the value at `patched`: the same value, a part of it,
/// or the list or table right around it (a check over its items, such as their order, saw the
/// stand-in among them).
fn concerns(path: &str, patched: &str) -> bool {
    let under = path
        .strip_prefix(patched)
        .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['));
    let around = patched
        .rfind(['.', '['])
        .is_some_and(|i| &patched[..i] == path);
    path == patched || under || around
}

/// Read `T` from JSON text.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, Problems> {
    from_value(json_value(text)?)
}

/// JSON text as a value tree; a syntax error names its line and column.
pub fn json_value(text: &str) -> Result<Value, Problems> {
    serde_json::from_str(text).map_err(|e| json_problem(&e).into())
}

/// A JSON syntax error as a problem that names its line and column.
pub(crate) fn json_problem(e: &serde_json::Error) -> Problem {
    let (line, col) = (e.line(), e.column());
    let mut p = Problem::new(
        Code::InvalidJson,
        "",
        format!("JSON 格式错误(第 {line} 行第 {col} 列)"),
        format!("invalid JSON at line {line}, column {col}: {e}"),
    );
    p.line = Some(line);
    p
}

/// A policy from JSON text: what `yibao export` prints (`{ "policy": …, "sha256": … }`, which
/// keeps the fingerprint of the TOML file it came from), or the bare rules, whose fingerprint is
/// then the SHA-256 of `text`. Validated like a policy file.
pub fn policy_doc_from_json(text: &str) -> Result<PolicyDoc, Problems> {
    policy_doc_from_value(json_value(text)?, || {
        crate::policy::sha256_hex(text.as_bytes())
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
        checked(read::<PolicyDoc>(v), |d| d, "policy")
    } else {
        policy_from_value(v, sha256())
    }
}

/// Bare rules from a value tree, with the fingerprint of the text they came from: unknown keys,
/// wrong values and every semantic problem, all at once (the TOML reader's too).
pub(crate) fn policy_from_value(v: Value, sha256: String) -> Result<PolicyDoc, Problems> {
    checked(read::<Policy>(v), |policy| PolicyDoc { policy, sha256 }, "")
}

/// Unknown keys, wrong values and every semantic problem (its path under `head`), all at once.
/// When wrong values were replaced by stand-ins, the semantic checks run on the rules as read
/// with them; a problem that concerns a replaced value is left out (the value's own problem is
/// already reported, and what the check saw was the stand-in).
fn checked<T>(
    read: Read<T>,
    doc: impl FnOnce(T) -> PolicyDoc,
    head: &str,
) -> Result<PolicyDoc, Problems> {
    let Read {
        value,
        mut problems,
        patched,
    } = read;
    let Some(t) = value else {
        return Err(Problems(problems));
    };
    let d = doc(t);
    let semantic = prefix(Problems(validate(&d.policy)), head).0;
    problems.extend(
        semantic
            .into_iter()
            .filter(|p| !patched.iter().any(|q| concerns(&p.path, q))),
    );
    if problems.is_empty() {
        Ok(d)
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
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Shipped {
    pub path: String,
    pub doc: PolicyDoc,
}

/// An unknown key, with the known field of its table nearest to it when one is near.
pub fn unknown_key(path: String, near: Option<&str>) -> Problem {
    let (zh, en) = match near {
        Some(field) => {
            // The path with its last key replaced by the field's name.
            let key = path.rsplit('.').next().unwrap_or(&path);
            let fixed = format!("{}{field}", &path[..path.len() - key.len()]);
            (
                format!("未知的键 \"{path}\",是否想写 \"{fixed}\"?"),
                format!("unknown key \"{path}\"; did you mean \"{fixed}\"?"),
            )
        }
        None => (
            format!("未知的键 \"{path}\"(拼写错误或不支持的设置)"),
            format!("unknown key \"{path}\" (a typo or an unsupported setting)"),
        ),
    };
    Problem::new(Code::UnknownKey, path, zh, en)
}

/// The field of `fields` nearest to the unknown `key`, if it is near enough to be what was meant:
/// at most one edit (a letter left out, added, changed or two swapped) in three letters.
fn nearest(key: &str, fields: &'static [&'static str]) -> Option<&'static str> {
    let key = key.to_lowercase();
    fields
        .iter()
        .map(|f| (strsim::osa_distance(&key, f), *f))
        .filter(|(d, f)| d * 3 <= key.chars().count().max(f.chars().count()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, f)| f)
}

/// Where a value sits in the input (`bill.items[0].amount`): a chain of borrowed steps on the
/// stack, written out only for a problem.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

/// One step of a path, owned: where a faulted value is to be replaced.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

impl Path<'_> {
    fn steps(&self, out: &mut Vec<Step>) {
        match self {
            Path::Root => {}
            Path::Key(parent, k) => {
                parent.steps(out);
                out.push(Step::Key(k.to_string()));
            }
            Path::Index(parent, i) => {
                parent.steps(out);
                out.push(Step::Index(*i));
            }
        }
    }
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
    /// What may stand in for the wrong value, and where (boxed: errors pass through every
    /// reader's `Result`, which stays small).
    stand_in: Option<Box<StandIn>>,
}

/// A [`Fault`]'s neutral text, and the steps to the value it replaces (filled in when placed).
#[derive(Debug)]
struct StandIn {
    text: String,
    steps: Vec<Step>,
}

impl ReadError {
    fn new(code: Code, zh: String, en: String) -> Self {
        ReadError {
            problem: Problem::new(code, "", zh, en),
            placed: false,
            field: None,
            stand_in: None,
        }
    }

    fn at(mut self, path: &Path) -> Self {
        if !self.placed {
            if let Some(s) = &mut self.stand_in {
                path.steps(&mut s.steps);
            }
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
            Some(f) => {
                let mut e = ReadError::new(f.code, f.zh, f.en);
                e.stand_in = f.neutral.map(|text| {
                    Box::new(StandIn {
                        text,
                        steps: Vec::new(),
                    })
                });
                e
            }
            None => ReadError::new(
                Code::InvalidValue,
                "取值错误(详见英文说明)".into(),
                format!("invalid value: {msg}"),
            ),
        }
    }
    fn invalid_type(got: de::Unexpected, expected: &dyn de::Expected) -> Self {
        let (got_zh, got_en) = crate::error::unexpected_words(&got);
        let expected = expected.to_string();
        ReadError::new(
            Code::InvalidType,
            format!("类型错误:应为{},实际是{got_zh}", expected_zh(&expected)),
            format!("invalid type: {got_en}, expected {expected}"),
        )
    }
    fn invalid_value(got: de::Unexpected, expected: &dyn de::Expected) -> Self {
        let (got_zh, got_en) = crate::error::unexpected_words(&got);
        let expected = expected.to_string();
        ReadError::new(
            Code::InvalidValue,
            format!("取值错误:应为{},实际是{got_zh}", expected_zh(&expected)),
            format!("invalid value: {got_en}, expected {expected}"),
        )
    }
    fn invalid_length(n: usize, expected: &dyn de::Expected) -> Self {
        let expected = expected.to_string();
        ReadError::new(
            Code::InvalidValue,
            format!("个数错误:有 {n} 项,应为{}", expected_zh(&expected)),
            format!("invalid length {n}, expected {expected}"),
        )
    }
    fn unknown_variant(name: &str, allowed: &'static [&'static str]) -> Self {
        let quoted: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        ReadError::new(
            Code::InvalidValue,
            format!(
                "取值不在允许范围内:{},可选 {}",
                crate::error::quoted(name),
                quoted.join("、")
            ),
            format!(
                "unknown value {}, expected one of {}",
                crate::error::quoted(name),
                quoted.join(", ")
            ),
        )
    }
    fn missing_field(field: &'static str) -> Self {
        let mut e = ReadError::new(
            Code::MissingField,
            format!("缺少必填项 \"{field}\""),
            format!("missing field `{field}`"),
        );
        e.field = Some(field);
        e
    }
    fn duplicate_field(field: &'static str) -> Self {
        ReadError::new(
            Code::DuplicateKey,
            format!("键 \"{field}\" 重复"),
            format!("duplicate key `{field}`"),
        )
    }
}

/// What serde's own readers expect (`a boolean`, `u32`, `struct Tier` …), in Chinese: the
/// Chinese half of a message says it in Chinese only. (Our own value types — amounts, rates,
/// dates — refuse a value of the wrong kind with their own bilingual [`Fault`].)
fn expected_zh(en: &str) -> String {
    let length = |prefix: &str| {
        en.strip_prefix(prefix)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<usize>().ok())
    };
    if let Some(n) = length("an array of length ")
        .or_else(|| length("a tuple of size "))
        .or_else(|| length("tuple of "))
    {
        return format!(" {n} 项的列表");
    }
    match en {
        "a boolean" => "布尔值(\"true\" 或 \"false\")".into(),
        "a string" | "a borrowed string" | "a character" | "a char" => "文本".into(),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "非负整数".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "整数".into(),
        "f32" | "f64" => "数字".into(),
        "a sequence" => "列表".into(),
        "a map" => "表(对象)".into(),
        "option" => "值".into(),
        "unit" => "空值".into(),
        _ if en.starts_with("struct ") => "表(对象)".into(),
        _ if en.starts_with("enum ") || en.starts_with("variant ") => "选项名称(文本)".into(),
        _ => "另一种类型的值".into(),
    }
}

/// "Invalid type" for a value of the wrong kind, placed at `path`.
fn wrong_type(v: &Value, expected: &dyn de::Expected, path: &Path) -> ReadError {
    let got = match v {
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::U8(n) => de::Unexpected::Unsigned((*n).into()),
        Value::U16(n) => de::Unexpected::Unsigned((*n).into()),
        Value::U32(n) => de::Unexpected::Unsigned((*n).into()),
        Value::U64(n) => de::Unexpected::Unsigned(*n),
        Value::I8(n) => de::Unexpected::Signed((*n).into()),
        Value::I16(n) => de::Unexpected::Signed((*n).into()),
        Value::I32(n) => de::Unexpected::Signed((*n).into()),
        Value::I64(n) => de::Unexpected::Signed(*n),
        Value::F32(_) | Value::F64(_) => de::Unexpected::Float(0.0),
        Value::Char(c) => de::Unexpected::Char(*c),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Unit | Value::Option(_) => de::Unexpected::Unit,
        Value::Newtype(_) => de::Unexpected::NewtypeStruct,
        Value::Seq(_) => de::Unexpected::Seq,
        Value::Map(_) => de::Unexpected::Map,
        Value::Bytes(_) => de::Unexpected::Bytes(&[]),
    };
    let e: ReadError = de::Error::invalid_type(got, expected);
    e.at(path)
}

/// Unknown keys as they are met: each path, with the nearest known field of its table.
type Unknown = RefCell<Vec<(String, Option<&'static str>)>>;

/// The deserializer the derived code runs on: one value of the tree, where it sits, the fields
/// of the struct it is a member of (for "did you mean"), and the list of unknown keys.
struct Node<'a> {
    v: Value,
    path: &'a Path<'a>,
    fields: &'static [&'static str],
    unknown: &'a Unknown,
}

impl<'de> de::Deserializer<'de> for Node<'_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let (path, fields, unknown) = (self.path, self.fields, self.unknown);
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
                    fields,
                    unknown,
                }
                .deserialize_any(visitor)
            }
            v @ Value::Seq(_) => {
                return Node {
                    v,
                    path,
                    fields,
                    unknown,
                }
                .deserialize_seq(visitor)
            }
            v @ Value::Map(_) => {
                return Node {
                    v,
                    path,
                    fields,
                    unknown,
                }
                .deserialize_map(visitor)
            }
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
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.members(fields, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.members(&[], visitor)
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
        let near = match self.path {
            Path::Key(_, key) => nearest(key, self.fields),
            _ => None,
        };
        self.unknown
            .borrow_mut()
            .push((self.path.to_string(), near));
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct tuple tuple_struct identifier
    }
}

impl Node<'_> {
    /// A table's members, read as a map or (with its `fields`) as a struct.
    // The error every method of the `Deserializer` above returns, unboxed like theirs.
    #[allow(clippy::result_large_err)]
    fn members<'de, V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        let (path, unknown) = (self.path, self.unknown);
        match self.v {
            Value::Map(members) => visitor
                .visit_map(Members {
                    members: members.into_iter(),
                    value: None,
                    path,
                    fields,
                    unknown,
                })
                .map_err(|e| e.at(path)),
            other => Err(wrong_type(&other, &visitor, path)),
        }
    }
}

/// An array's items, each at its index.
struct Items<'a> {
    items: std::iter::Enumerate<std::vec::IntoIter<Value>>,
    path: &'a Path<'a>,
    unknown: &'a Unknown,
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
            fields: &[],
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
    /// The struct's fields (none for a map).
    fields: &'static [&'static str],
    unknown: &'a Unknown,
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
                    let e = ReadError::new(
                        Code::InvalidType,
                        "键必须是文本".into(),
                        "a key must be text".into(),
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
            fields: self.fields,
            unknown: self.unknown,
        })
        .map_err(|e| e.at(&path))
    }
}

#[cfg(test)]
pub(crate) mod tests {
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

    /// Fails unless the Chinese half is Chinese and the English half English: once the text the
    /// user wrote (quoted) is set aside, no Latin letters in Chinese, no Chinese in English.
    pub(crate) fn assert_languages(p: &Problem) {
        fn unquoted(s: &str) -> String {
            let mut out = String::new();
            let mut quote = None;
            for c in s.chars() {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == '"' || c == '`' => quote = Some(c),
                    None => out.push(c),
                }
            }
            out
        }
        let cjk = |c: char| {
            ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
        };
        // Names of formats are written as they are in Chinese too.
        let zh = unquoted(&p.message_zh)
            .replace("TOML", "")
            .replace("JSON", "");
        assert!(zh.chars().any(cjk), "no Chinese in the Chinese half: {p:?}");
        assert!(
            !zh.chars().any(|c| c.is_ascii_alphabetic()),
            "Latin letters in the Chinese half: {:?}",
            p.message_zh
        );
        let en = unquoted(&p.message_en);
        assert!(
            en.chars().any(|c| c.is_ascii_alphabetic()),
            "no English: {p:?}"
        );
        assert!(
            !en.chars().any(cjk),
            "Chinese in the English half: {:?}",
            p.message_en
        );
    }

    fn demo() -> serde_json::Value {
        let text = yibao_shipped::file(yibao_shipped::DEMO).unwrap();
        let doc = crate::policy::load::parse_policy(text, "demo").unwrap();
        serde_json::to_value(&doc.policy).unwrap()
    }

    /// The demo policy as JSON with `changes` made (a JSON pointer and its new value; `null`
    /// removes the member), read back as a policy.
    fn policy_with(changes: &[(&str, serde_json::Value)]) -> Result<PolicyDoc, Problems> {
        let mut v = demo();
        for (pointer, value) in changes {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let obj = v.pointer_mut(parent).unwrap();
            match (obj, key.parse::<usize>()) {
                (serde_json::Value::Array(items), Ok(i)) => items[i] = value.clone(),
                (obj, _) if value.is_null() => {
                    obj.as_object_mut().unwrap().remove(key);
                }
                (obj, _) => {
                    obj.as_object_mut()
                        .unwrap()
                        .insert(key.to_string(), value.clone());
                }
            }
        }
        policy_doc_from_json(&v.to_string())
    }

    fn found(r: Result<PolicyDoc, Problems>) -> Vec<Problem> {
        let ps = r.expect_err("the policy should be refused").0;
        for p in &ps {
            assert_languages(p);
        }
        ps
    }

    fn code_paths(ps: &[Problem]) -> Vec<String> {
        ps.iter()
            .map(|p| format!("{}@{}", p.code, p.path))
            .collect()
    }

    #[test]
    fn every_value_fault_is_placed_at_its_key_in_both_languages() {
        use serde_json::json;
        for (pointer, value, want) in [
            (
                "/inpatient/ratio/rates/county",
                json!("800%"),
                "invalid_rate@inpatient.ratio.rates.county",
            ),
            (
                "/inpatient/ratio/rates/county",
                json!("abc"),
                "invalid_rate@inpatient.ratio.rates.county",
            ),
            (
                "/inpatient/ratio/rates/county",
                json!(true),
                "invalid_type@inpatient.ratio.rates.county",
            ),
            (
                "/inpatient/ratio/rates/county",
                json!(0.75),
                "not_exact@inpatient.ratio.rates.county",
            ),
            (
                "/layers/0/tiers/1/rate",
                json!("8"),
                "invalid_rate@layers[0].tiers[1].rate",
            ),
            (
                "/inpatient/caps/annual_fund",
                json!("-1"),
                "negative_amount@inpatient.caps.annual_fund",
            ),
            (
                "/inpatient/caps/annual_fund",
                json!("12abc"),
                "invalid_number@inpatient.caps.annual_fund",
            ),
            (
                "/inpatient/caps/annual_fund",
                json!(1e13),
                "amount_too_large@inpatient.caps.annual_fund",
            ),
            (
                "/inpatient/caps/annual_fund",
                json!("1000000000001"),
                "amount_too_large@inpatient.caps.annual_fund",
            ),
            (
                "/inpatient/caps/annual_fund",
                json!([1]),
                "invalid_type@inpatient.caps.annual_fund",
            ),
            (
                "/inpatient/caps/annual_fund",
                json!({ "a": 1 }),
                "invalid_type@inpatient.caps.annual_fund",
            ),
            (
                "/inpatient/ratio/adjust/0/points",
                json!("five"),
                "invalid_number@inpatient.ratio.adjust[0].points",
            ),
            (
                "/meta/effective_to",
                json!("2026-13-31"),
                "invalid_date@meta.effective_to",
            ),
            (
                "/meta/effective_to",
                json!(20261231),
                "invalid_type@meta.effective_to",
            ),
            (
                "/meta/effective_to",
                json!({ "year": 2026 }),
                "invalid_type@meta.effective_to",
            ),
        ] {
            let ps = found(policy_with(&[(pointer, value.clone())]));
            assert_eq!(code_paths(&ps), [want], "{pointer} = {value}");
        }
    }

    #[test]
    fn serde_s_own_messages_are_chinese_in_the_chinese_half() {
        use serde_json::json;
        for (pointer, value, want) in [
            (
                "/meta/scheme",
                json!("private"),
                "invalid_value@meta.scheme",
            ),
            ("/meta/name_zh", json!(5), "invalid_type@meta.name_zh"),
            (
                "/levels/0/rank",
                json!("one"),
                "invalid_type@levels[0].rank",
            ),
            ("/levels", json!({ "a": 1 }), "invalid_type@levels"),
            ("/sources/0", json!("x"), "invalid_type@sources[0]"),
            ("/meta/id", serde_json::Value::Null, "missing_field@meta.id"),
            (
                "/typical_mix/by_level/county/out_of_scope",
                json!(["1%", "2%"]),
                "invalid_value@typical_mix.by_level.county.out_of_scope",
            ),
        ] {
            let ps = found(policy_with(&[(pointer, value.clone())]));
            assert_eq!(code_paths(&ps), [want], "{pointer} = {value}");
        }
    }

    #[test]
    fn every_wrong_value_is_reported_and_the_semantic_checks_still_run() {
        use serde_json::json;
        let ps = found(policy_with(&[
            ("/inpatient/deductable", json!({})),
            ("/inpatient/ratio/rates/county", json!("800%")),
            ("/layers/0/tiers/0/up_to", json!("5000")),
            ("/layers/0/tiers/1/rate", json!("600%")),
            ("/meta/effective_to", json!("2026-02-30")),
        ]));
        let mut got = code_paths(&ps);
        got.sort();
        assert_eq!(
            got,
            [
                "invalid_date@meta.effective_to",
                "invalid_rate@inpatient.ratio.rates.county",
                "invalid_rate@layers[0].tiers[1].rate",
                "tiers_not_ordered@layers[0].tiers[0].up_to",
                "unknown_key@inpatient.deductable",
            ]
        );
    }

    #[test]
    fn a_semantic_problem_about_a_stand_in_is_left_out() {
        use serde_json::json;
        // The stand-in 0 for the cap would be below every deductible (cap_below_threshold), a
        // stand-in 1900-01-01 end before the start (period_reversed), a 0 bound out of order.
        let ps = found(policy_with(&[
            ("/inpatient/caps/annual_fund", json!("-1")),
            ("/meta/effective_to", json!("someday")),
            ("/layers/0/tiers/0/up_to", json!("1e5")),
        ]));
        let mut got = code_paths(&ps);
        got.sort();
        assert_eq!(
            got,
            [
                "invalid_date@meta.effective_to",
                "invalid_number@layers[0].tiers[0].up_to",
                "negative_amount@inpatient.caps.annual_fund",
            ]
        );
        // The same checks on values that are really wrong are still made.
        let ps = found(policy_with(&[
            ("/inpatient/caps/annual_fund", json!("1")),
            ("/meta/effective_to", json!("2000-01-01")),
        ]));
        let mut got = code_paths(&ps);
        got.sort();
        got.dedup();
        assert_eq!(
            got,
            [
                "cap_below_threshold@inpatient.caps.annual_fund",
                "period_reversed@meta.effective_to",
            ]
        );
    }

    #[test]
    fn what_a_stand_in_concerns() {
        assert!(concerns("a.b", "a.b"));
        assert!(concerns("a.b.c", "a.b"));
        assert!(concerns("a.b[2]", "a.b"));
        assert!(concerns("a.b", "a.b[1]"));
        assert!(concerns("a", "a.b"));
        assert!(!concerns("a.bc", "a.b"));
        assert!(!concerns("a.c", "a.b"));
        assert!(!concerns("", "a.b"));
        assert!(!concerns("a", "a.b.c"));
    }

    #[test]
    fn an_exported_policy_s_stand_ins_are_under_policy() {
        let mut v = serde_json::json!({ "policy": demo(), "sha256": "x" });
        v["policy"]["inpatient"]["caps"]["annual_fund"] = "-1".into();
        v["policy"]["inpatient"]["ratio"]["rates"]["county"] = "120%".into();
        let ps = found(policy_doc_from_json(&v.to_string()));
        let mut got = code_paths(&ps);
        got.sort();
        assert_eq!(
            got,
            [
                "invalid_rate@policy.inpatient.ratio.rates.county",
                "negative_amount@policy.inpatient.caps.annual_fund",
            ]
        );
    }

    #[test]
    fn a_case_s_wrong_values_are_all_reported() {
        let r = from_json::<Case>(
            r#"{"date":"2025-02-30","level":"county","bill":{"total":"-5","in_scope":"x"}}"#,
        );
        let ps = r.unwrap_err().0;
        let mut got = code_paths(&ps);
        got.sort();
        assert_eq!(
            got,
            [
                "invalid_date@date",
                "invalid_number@bill.in_scope",
                "negative_amount@bill.total"
            ]
        );
        for p in &ps {
            assert_languages(p);
        }
    }

    #[test]
    fn a_misspelt_key_gets_the_nearest_field() {
        use serde_json::json;
        let ps = found(policy_with(&[("/inpatient/deductable", json!({}))]));
        assert_eq!(code_paths(&ps), ["unknown_key@inpatient.deductable"]);
        assert_eq!(
            ps[0].message_zh,
            "未知的键 \"inpatient.deductable\",是否想写 \"inpatient.deductible\"?"
        );
        assert_eq!(
            ps[0].message_en,
            "unknown key \"inpatient.deductable\"; did you mean \"inpatient.deductible\"?"
        );
        let r = from_json::<Case>(
            r#"{"levl":"x","level":"county","bill":{"totl":"5","total":"5","nonsense":"1"},"patient":{"Age":3}}"#,
        );
        let ps = r.unwrap_err().0;
        let said: Vec<(&str, &str)> = ps
            .iter()
            .map(|p| (p.path.as_str(), p.message_en.as_str()))
            .collect();
        assert!(said.contains(&("levl", "unknown key \"levl\"; did you mean \"level\"?")));
        assert!(said.contains(&(
            "bill.totl",
            "unknown key \"bill.totl\"; did you mean \"bill.total\"?"
        )));
        assert!(said.contains(&(
            "patient.Age",
            "unknown key \"patient.Age\"; did you mean \"patient.age\"?"
        )));
        // Nothing near: no guess.
        assert!(said.contains(&(
            "bill.nonsense",
            "unknown key \"bill.nonsense\" (a typo or an unsupported setting)"
        )));
        for p in &ps {
            assert_languages(p);
        }
        // A key of a map (levels by id) is not a field: no guess either.
        let ps = found(policy_with(&[(
            "/inpatient/ratio/rates/countyy",
            json!("1%"),
        )]));
        assert_eq!(
            code_paths(&ps),
            ["unknown_level@inpatient.ratio.rates.countyy"]
        );
    }

    #[test]
    fn near_enough_to_guess() {
        const FIELDS: &[&str] = &["deductible", "ratio", "caps", "id", "up_to"];
        assert_eq!(nearest("deductable", FIELDS), Some("deductible"));
        assert_eq!(nearest("ratoi", FIELDS), Some("ratio"));
        assert_eq!(nearest("cap", FIELDS), Some("caps"));
        assert_eq!(nearest("idd", FIELDS), Some("id"));
        assert_eq!(nearest("upto", FIELDS), Some("up_to"));
        assert_eq!(nearest("x", FIELDS), None);
        assert_eq!(nearest("rates", FIELDS), None);
        assert_eq!(nearest("anything", &[]), None);
    }

    #[test]
    fn invalid_json_names_its_line() {
        let r = from_json::<Case>("{\n\"level\": }");
        let ps = r.unwrap_err();
        assert_eq!(ps.0[0].code, Code::InvalidJson);
        assert_eq!(ps.0[0].line, Some(2));
    }
}
