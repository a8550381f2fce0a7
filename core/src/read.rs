//! Reading policies, cases and requests without serde's derived `Deserialize` code.
//!
//! Every browser front end (the npm package's adapter `wasm.rs`, the yew widget in `web/`)
//! reads its inputs here: JSON text through [`parse_json`], or a JS object copied into the same
//! value tree [`V`] (by serde-wasm-bindgen, through the generic `Deserialize for V` below), then
//! read field by field by [`Read`]. Serde's derived visitors for the policy model alone would be
//! larger than the whole engine in wasm (~140–160 KB). The rules are the CLI's: unknown keys are
//! problems, every problem has its path and both languages, amounts are exact (fractional JSON
//! numbers are binary floats to JS and are refused; write them as strings).
//!
//! Pure: no wasm-bindgen, no js-sys.

use crate::case::{
    Bill, Case, Item, Known, LayerYtd, Patient, ReferralFacts, RouteYtd, Setting, Ytd,
};
use crate::date::Date;
use crate::error::{Problem, Problems};
use crate::money::{Money, Points, Rate, RoundMode, RoundUnit};
use crate::policy::validate::validate;
use crate::policy::{
    Adjust, BillRules, Caps, Catalogue, Category, CategoryFactor, Cite, Condition, Deductible,
    Disease, Exemptions, FixedKind, FixedRoute, FloorRatio, FullRelief, Inpatient, ItemClass,
    Layer, LayerOverride, Level, MaxShare, Meta, Mix, NthAdmission, OutOfAreaRule, OutpatientKind,
    OutpatientRoute, Overall, PaysInto, Penalty, PercentDeductible, RatioRules, ReferralRules,
    Rounding, Rule, Schedule, Scheme, Scope, Source, Status, Tier, TierBase, TransferDown,
    TypicalMix, UpwardRule,
};
use crate::policy::{Policy, PolicyDoc};
use crate::referral::compare::CompareRequest;
use crate::referral::transfer::TransferRequest;
use crate::table::Table;
use serde::de::{self, Deserialize, Deserializer, IntoDeserializer, Visitor};
use std::fmt;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// The value tree
// ---------------------------------------------------------------------------------------------

/// A JSON value (parsed from text by [`parse_json`], or a JS value copied into Rust so that every
/// key of every object is seen: serde-wasm-bindgen reads only the declared fields of a struct,
/// which would let a misspelt key pass silently). Members that are `null` (or `undefined`) are
/// left out of objects: they are absent members, as JS code writes them.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    /// A fractional number from JS (a binary float).
    F64(f64),
    /// A fractional (or exponent-form, or out-of-range integer) number from JSON text, as
    /// written: never converted to a float, and refused where an exact value is read.
    Num(String),
    Str(String),
    Seq(Vec<V>),
    Map(Vec<(String, V)>),
}

impl<'de> Deserialize<'de> for V {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<V, D::Error> {
        struct Vis;
        impl<'de> Visitor<'de> for Vis {
            type Value = V;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a plain value, array or object")
            }
            fn visit_unit<E>(self) -> Result<V, E> {
                Ok(V::Null)
            }
            fn visit_none<E>(self) -> Result<V, E> {
                Ok(V::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V, D::Error> {
                V::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<V, E> {
                Ok(V::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<V, E> {
                Ok(V::I64(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<V, E> {
                Ok(V::U64(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<V, E> {
                Ok(V::F64(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<V, E> {
                Ok(V::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<V, E> {
                Ok(V::Str(v))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<V, A::Error> {
                let mut out = vec![];
                while let Some(v) = a.next_element()? {
                    out.push(v);
                }
                Ok(V::Seq(out))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut a: A) -> Result<V, A::Error> {
                let mut out = vec![];
                // Keys read as `V` too: a `String` key would bring serde's float-formatting
                // "invalid type" message into the module (kilobytes), for keys that are
                // always strings in JS anyway.
                while let Some((k, v)) = a.next_entry::<V, V>()? {
                    let V::Str(k) = k else {
                        return Err(de::Error::custom("object keys must be strings"));
                    };
                    // `undefined` and `null` members are absent members, as JS code writes them.
                    if !matches!(v, V::Null) {
                        out.push((k, v));
                    }
                }
                Ok(V::Map(out))
            }
        }
        d.deserialize_any(Vis)
    }
}

impl V {
    /// What the value is, for "invalid type" messages (not serde's `Unexpected`, whose
    /// `Display` formats floats: kilobytes of code).
    pub fn kind(&self) -> &'static str {
        match self {
            V::Null => "null",
            V::Bool(_) => "a boolean",
            V::I64(_) | V::U64(_) => "an integer",
            V::F64(_) | V::Num(_) => "a fractional number",
            V::Str(_) => "a string",
            V::Seq(_) => "an array",
            V::Map(_) => "an object",
        }
    }

    /// Numbers no amount can reach, and numbers that are not numbers, anywhere in the input:
    /// rejected before the engine sees them (exact decimals overflow near 7.9e28).
    pub fn check_numbers(&self, out: &mut Vec<Problem>) {
        self.check_numbers_at(&Path::Root, out);
    }

    /// The walk of [`V::check_numbers`]. The way down is a [`Path`] of borrowed steps, written
    /// out only for a problem: most inputs have none, and a policy has thousands of values.
    fn check_numbers_at(&self, at: &Path, out: &mut Vec<Problem>) {
        let limit = rust_decimal::Decimal::from(MAX_AMOUNT);
        match self {
            V::F64(f) if !f.is_finite() => {
                let v = if f.is_nan() { "NaN" } else { "Infinity" };
                out.push(Problem::new(
                    "not_finite",
                    at.to_string(),
                    format!("{v} 不是有效数字"),
                    format!("{v} is not a number; amounts are decimal strings such as \"1234.56\""),
                ))
            }
            V::F64(f) if f.abs() > MAX_AMOUNT as f64 => out.push(too_large(at, "a number")),
            V::I64(n) if n.unsigned_abs() > MAX_AMOUNT => out.push(too_large(at, &n.to_string())),
            V::U64(n) if *n > MAX_AMOUNT => out.push(too_large(at, &n.to_string())),
            V::Num(s) if matches!(integer(s), Int::Big) => out.push(too_large(at, s)),
            V::Num(s) | V::Str(s) if may_be_decimal(s) => {
                let t = s.trim().replace([',', '_'], "");
                if let Ok(d) = rust_decimal::Decimal::from_str_exact(&t) {
                    if d.abs() > limit {
                        out.push(too_large(at, s));
                    }
                }
            }
            V::Seq(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    x.check_numbers_at(&Path::Index(at, i), out);
                }
            }
            V::Map(m) => {
                for (k, x) in m {
                    x.check_numbers_at(&Path::Key(at, k), out);
                }
            }
            _ => {}
        }
    }
}

/// Whether `Decimal::from_str_exact` could accept `s` once trimmed and rid of `,` and `_`:
/// its first other character is a digit, a sign or a point. Names, codes and rates ("85%"
/// still passes, and fails the parse) are skipped without the copy and the parse.
fn may_be_decimal(s: &str) -> bool {
    s.trim()
        .bytes()
        .find(|b| !matches!(b, b',' | b'_'))
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'))
}

/// One trillion yuan: far above any bill, cap or year total, far below decimal overflow.
const MAX_AMOUNT: u64 = 1_000_000_000_000;

fn too_large(at: &Path, v: &str) -> Problem {
    Problem::new(
        "amount_too_large",
        at.to_string(),
        format!("数值 {v} 过大(上限 1 万亿)"),
        format!("{v} is too large (the limit is 1,000,000,000,000)"),
    )
}

/// Where a value sits in the input (`bill.items[0].amount`), rendered only for messages.
#[derive(Clone, Copy)]
pub enum Path<'a> {
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

/// Problems found while reading an input; reading goes on after one, to report them all.
#[derive(Default)]
pub struct Cx {
    pub problems: Vec<Problem>,
}

impl Cx {
    /// Records a serde-style message (`invalid type: …`, `missing field …`) about the value at
    /// `at`, with the code and Chinese wording [`serde_problem`] gives it. One body for every
    /// reader that rejects a value.
    #[inline(never)]
    pub fn serde_message(&mut self, msg: String, at: &Path) {
        self.problems.extend(serde_problem(msg, at.to_string()).0);
    }
}

/// Reading a [`V`] into a core type. Structs are read field by field below (`reader!`): serde's
/// derived visitors for the policy model alone would be larger than the whole engine in wasm.
/// Leaves (amounts, rates, dates, enums) go through their own serde impls, so the rules are
/// the CLI's. A struct literal names every field, so a field added to a core type stops this
/// module compiling until it is read here too. `None` means a problem was recorded in `cx`.
pub trait Read: Sized {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self>;
}

/// Records an "invalid type" problem; `None` for the caller to return. One shared body (not
/// one copy per type read): this message is built in every container's and struct's reader.
pub fn invalid_type<T>(v: &V, at: &Path, expected: &str, cx: &mut Cx) -> Option<T> {
    wrong_type(v, at, expected, cx);
    None
}

#[inline(never)]
fn wrong_type(v: &V, at: &Path, expected: &str, cx: &mut Cx) {
    cx.serde_message(
        format!("invalid type: {}, expected {expected}", v.kind()),
        at,
    );
}

/// The members of one JS object, taken by the fields that read them; what is left is unknown.
pub struct Obj<'a> {
    members: Vec<(String, V)>,
    at: &'a Path<'a>,
}

impl<'a> Obj<'a> {
    #[inline(never)]
    pub fn new(v: V, at: &'a Path<'a>, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Map(members) => Some(Obj { members, at }),
            other => invalid_type(&other, at, "an object", cx),
        }
    }
    #[inline(never)]
    pub fn take(&mut self, key: &str) -> Option<V> {
        let i = self.members.iter().position(|(k, _)| k == key)?;
        Some(self.members.swap_remove(i).1)
    }
    /// A required field, read into its slot of the struct being built; `false` when it is
    /// missing or wrong (the problem is recorded).
    #[inline(never)]
    pub fn req(&mut self, key: &str, slot: &mut dyn Slot, cx: &mut Cx) -> bool {
        match self.take(key) {
            Some(v) => slot.fill(v, &Path::Key(self.at, key), cx),
            None => {
                self.missing(key, cx);
                false
            }
        }
    }
    #[inline(never)]
    pub fn missing(&self, key: &str, cx: &mut Cx) {
        cx.serde_message(format!("missing field `{key}`"), &Path::Key(self.at, key));
    }
    /// A field with a default (`#[serde(default)]`, or any `Option`): an absent key leaves the
    /// slot as the struct's `Default` made it.
    #[inline(never)]
    pub fn def(&mut self, key: &str, slot: &mut dyn Slot, cx: &mut Cx) -> bool {
        match self.take(key) {
            Some(v) => slot.fill(v, &Path::Key(self.at, key), cx),
            None => true,
        }
    }
    #[inline(never)]
    pub fn finish(self, cx: &mut Cx) {
        for (k, _) in self.members {
            let path = Path::Key(self.at, &k).to_string();
            cx.problems.push(Problem::new(
                "unknown_key",
                path.clone(),
                format!("未知的键 \"{path}\"(拼写错误或不支持的设置)"),
                format!("unknown key \"{path}\" (a typo or an unsupported setting)"),
            ));
        }
    }
}

/// A field's slot in the struct being built. Fields are filled through `dyn Slot` so that
/// [`Obj::req`] and [`Obj::def`] exist once, not once per field type.
pub trait Slot {
    fn fill(&mut self, v: V, at: &Path, cx: &mut Cx) -> bool;
}

impl<T: Read> Slot for T {
    fn fill(&mut self, v: V, at: &Path, cx: &mut Cx) -> bool {
        match T::read(v, at, cx) {
            Some(x) => {
                *self = x;
                true
            }
            None => false,
        }
    }
}

// A struct starts as its `Default` and each field is read straight into its slot, all of them
// (every problem is recorded), with one small call per field: building the struct from a
// local per field instead costs a move, a check and drop code per field — three times the
// code (the policy model's readers were 37 KB of the package's wasm that way).
macro_rules! reader {
    ($($ty:ident { $($field:ident : $how:ident),* $(,)? })*) => {$(
        impl Read for $ty {
            #[inline(never)]
            fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
                let mut o = Obj::new(v, at, cx)?;
                let mut s = $ty::default();
                let ok = $(o.$how(stringify!($field), &mut s.$field, cx) &)* true;
                o.finish(cx);
                ok.then_some(s)
            }
        }
    )*};
}

/// The error of [`Leaf`]: serde's `value::Error` with the "invalid type/value" messages worded
/// here. Serde's own wording displays `Unexpected`, whose float arm brings float formatting
/// (kilobytes) into the browser modules for a case that cannot arise: fractional numbers are
/// refused before a visitor sees them.
#[derive(Debug)]
pub struct LeafError(String);

impl fmt::Display for LeafError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LeafError {}

impl de::Error for LeafError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        LeafError(msg.to_string())
    }
    fn invalid_type(u: de::Unexpected, exp: &dyn de::Expected) -> Self {
        LeafError(format!("invalid type: {}, expected {exp}", unexpected(u)))
    }
    fn invalid_value(u: de::Unexpected, exp: &dyn de::Expected) -> Self {
        LeafError(format!("invalid value: {}, expected {exp}", unexpected(u)))
    }
}

/// Serde's wording of an unexpected value, without its float formatting.
fn unexpected(u: de::Unexpected) -> String {
    use de::Unexpected as U;
    match u {
        U::Bool(b) => format!("boolean `{b}`"),
        U::Unsigned(n) => format!("integer `{n}`"),
        U::Signed(n) => format!("integer `{n}`"),
        U::Char(c) => format!("character `{c}`"),
        U::Str(s) => format!("string {}", crate::error::quoted(s)),
        U::Other(s) => s.to_string(),
        U::Float(_) => "a fractional number".into(),
        U::Bytes(_) => "byte array".into(),
        U::Unit => "unit value".into(),
        U::Option => "Option value".into(),
        U::NewtypeStruct => "newtype struct".into(),
        U::Seq => "sequence".into(),
        U::Map => "map".into(),
        U::Enum => "enum".into(),
        U::UnitVariant => "unit variant".into(),
        U::NewtypeVariant => "newtype variant".into(),
        U::TupleVariant => "tuple variant".into(),
        U::StructVariant => "struct variant".into(),
    }
}

/// Leaves through their serde impls (exact amounts, rates in 0–100%, dates, enum names).
pub struct Leaf(pub V);

impl<'de> Deserializer<'de> for Leaf {
    type Error = LeafError;
    fn deserialize_any<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Self::Error> {
        match self.0 {
            V::Bool(b) => w.visit_bool(b),
            V::I64(n) => w.visit_i64(n),
            V::U64(n) => w.visit_u64(n),
            // Integral numbers arrive as I64; a float here is not exact. Refused without
            // handing it to the visitor (whose message would format the float).
            V::F64(_) | V::Num(_) => Err(de::Error::custom(
                "a fractional number is a binary float; write it as a string such as \"1234.56\"",
            )),
            V::Str(s) => w.visit_string(s),
            other => Err(de::Error::custom(format_args!(
                "invalid type: {}, expected {}",
                other.kind(),
                &w as &dyn de::Expected
            ))),
        }
    }
    fn deserialize_enum<W: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        w: W,
    ) -> Result<W::Value, Self::Error> {
        match self.0 {
            V::Str(s) => w.visit_enum(s.into_deserializer()),
            other => Err(de::Error::custom(format_args!(
                "invalid type: {}, expected {}",
                other.kind(),
                &w as &dyn de::Expected
            ))),
        }
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        struct identifier ignored_any
    }
}

macro_rules! leaf {
    ($($ty:ty),*) => {$(
        impl Read for $ty {
            #[inline(never)]
            fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
                match <$ty>::deserialize(Leaf(v)) {
                    Ok(x) => Some(x),
                    Err(e) => {
                        cx.serde_message(e.to_string(), at);
                        None
                    }
                }
            }
        }
    )*};
}

leaf!(
    Money,
    Rate,
    Points,
    Date,
    Setting,
    ItemClass,
    Scheme,
    Status,
    Scope,
    RoundMode,
    RoundUnit,
    TierBase,
    FixedKind,
    PaysInto,
    OutpatientKind
);

impl Read for String {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Str(s) => Some(s),
            other => invalid_type(&other, at, "a string", cx),
        }
    }
}

impl Read for Arc<str> {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        String::read(v, at, cx).map(Arc::from)
    }
}

/// Counts (days, weeks, ages, ranks): whole numbers in range.
fn count(v: V, at: &Path, max: u32, cx: &mut Cx) -> Option<u32> {
    match v {
        V::I64(n) if (0..=max as i64).contains(&n) => Some(n as u32),
        V::I64(_) | V::U64(_) => {
            let msg = format!("invalid value: expected a whole number from 0 to {max}");
            cx.serde_message(msg, at);
            None
        }
        other => invalid_type(&other, at, "a whole number", cx),
    }
}

impl Read for u32 {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        count(v, at, u32::MAX, cx)
    }
}

impl Read for u8 {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        count(v, at, u8::MAX as u32, cx).map(|n| n as u8)
    }
}

impl Read for bool {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Bool(b) => Some(b),
            other => invalid_type(&other, at, "true or false", cx),
        }
    }
}

impl<T: Read> Read for Option<T> {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        match v {
            V::Null => Some(None),
            v => T::read(v, at, cx).map(Some),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        let mut out = Vec::new();
        let ok = each_element(v, at, cx, &mut |x, p, cx| {
            T::read(x, p, cx).map(|t| out.push(t)).is_some()
        });
        ok.then_some(out)
    }
}

/// Reads every element of an array with `f`, going on after a bad one; `false` when any was
/// bad or the value is not an array (the problem is recorded). One body for every element type.
#[inline(never)]
fn each_element(
    v: V,
    at: &Path,
    cx: &mut Cx,
    f: &mut dyn FnMut(V, &Path, &mut Cx) -> bool,
) -> bool {
    match v {
        V::Seq(xs) => {
            let mut ok = true;
            for (i, x) in xs.into_iter().enumerate() {
                ok &= f(x, &Path::Index(at, i), cx);
            }
            ok
        }
        other => invalid_type(&other, at, "an array", cx).unwrap_or(false),
    }
}

impl<K: Read + Ord, T: Read> Read for Table<K, T> {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        let mut out = Table::new();
        let ok = each_member(v, at, cx, &mut |k, x, p, cx| match (
            K::read(V::Str(k), p, cx),
            T::read(x, p, cx),
        ) {
            (Some(k), Some(x)) => {
                out.insert(k, x);
                true
            }
            _ => false,
        });
        ok.then_some(out)
    }
}

/// [`each_element`] for the members of an object, each read with its key.
#[inline(never)]
fn each_member(
    v: V,
    at: &Path,
    cx: &mut Cx,
    f: &mut dyn FnMut(String, V, &Path, &mut Cx) -> bool,
) -> bool {
    match v {
        V::Map(m) => {
            let mut ok = true;
            for (k, x) in m {
                ok &= f(k.clone(), x, &Path::Key(at, &k), cx);
            }
            ok
        }
        other => invalid_type(&other, at, "an object", cx).unwrap_or(false),
    }
}

impl Read for [Rate; 3] {
    fn read(v: V, at: &Path, cx: &mut Cx) -> Option<Self> {
        let xs: Vec<Rate> = Vec::read(v, at, cx)?;
        match <[Rate; 3]>::try_from(xs) {
            Ok(a) => Some(a),
            Err(xs) => {
                let msg = format!("invalid length {}, expected [low, typical, high]", xs.len());
                cx.serde_message(msg, at);
                None
            }
        }
    }
}

reader! {
    Case {
        date: def, setting: def, level: req, patient: def, disease: def, route: def, units: def,
        accident: def, emergency: def, referral: def, bill: req, ytd: def, known: def,
        prescription_weeks: def,
    }
    Patient { category: def, age: def, pregnant: def, severe_disability: def }
    ReferralFacts { from_level: def, slip: def, slip_date: def, filing: def }
    Bill { total: def, in_scope: def, items: def }
    Item { name: req, class: req, amount: req, limit: def }
    Ytd { admissions: def, hifp_pay: def, accident_fund: def, layers: def, outpatient: def }
    LayerYtd { base: def, paid: def }
    RouteYtd { paid: def, deductible_used: def }
    Known { hifp_pay: def }
    CompareRequest {
        patient: def, disease: def, expected_cost: req, date: def, emergency: def, ytd: def,
    }
    TransferRequest {
        level: req, patient: def, disease: def, date: def, daily_costs: req, remaining_days: def,
        lower_daily_cost: def,
    }

    PolicyDoc { policy: req, sha256: req }
    Policy {
        meta: req, sources: req, rounding: req, levels: req, categories: req, bill: def,
        inpatient: req, fixed: def, layers: def, overall: def, outpatient: def, typical_mix: def,
        referral: def, catalogue: def,
    }
    Cite { source: req, clause: req }
    Meta {
        id: req, name_zh: req, name_en: req, region_zh: req, region_en: req, region_code: def,
        scheme: req, effective_from: req, effective_to: req, status: req, note: def,
    }
    Source { id: req, doc_no: def, title: req, publisher: def, url: def, published: def }
    Rounding { mode: req, unit: req, cite: req }
    Level { id: req, name_zh: req, name_en: req, rank: req, scope: req }
    Category { id: req, name_zh: req, name_en: req }
    BillRules { preselfpay: req, cite: req }
    Inpatient { deductible: req, ratio: req, caps: req }
    Deductible {
        by_level: req, percent_of_bill: def, nth_admission: def, by_category: def,
        upward_difference_only: def, waived_after_downward: def, transfer_cite: def, cite: req,
    }
    PercentDeductible { rate: req, floor: req, ceiling: req, cite: req }
    NthAdmission { from: req, factor: req, cite: req }
    CategoryFactor { categories: req, factor: req, cite: req }
    Tier { up_to: def, rate: req }
    Schedule { base: req, tiers: req }
    RatioRules { rates: def, tiered: def, adjust: def, floor: def, floor_cite: def, cite: req }
    Adjust { name_zh: req, name_en: req, when: req, points: req, cite: req }
    Condition { categories: def, levels: def, age_min: def, age_max: def }
    Caps { annual_fund: def, per_admission: def, accident_annual: def, cite: req }
    FixedRoute {
        id: req, kind: req, name_zh: req, name_en: req, diseases: def, automatic: def, quota: def,
        fund_rate: def, fund_amount: def, hospital_bears_excess: def, cite: req,
    }
    Layer {
        id: req, name_zh: req, name_en: req, pays_into: req, categories: def, min_bill: def,
        outpatient: def, threshold: req, base: req, tiers: req, annual_cap: def, overrides: def,
        cite: req,
    }
    LayerOverride {
        categories: req, threshold: def, tiers: def, rate_points: def, annual_cap: def, no_cap: def,
        cite: req,
    }
    Overall { max_share: def, full_relief: def, floor: def }
    MaxShare { rate: req, cite: req }
    FullRelief { categories: req, pays_into: req, cite: req }
    FloorRatio { categories: req, min_ratio: req, pays_into: req, cite: req }
    OutpatientRoute {
        id: req, kind: req, name_zh: req, name_en: req, diseases: def, rates: req, deductible: def,
        per_visit_cap: def, annual_cap: def, max_prescription_weeks: def, cite: req,
    }
    TypicalMix { by_level: req, cite: req }
    Mix { out_of_scope: req, preselfpay: req }
    Penalty { ratio_points: def, ratio: def, deductible: def, preselfpay: def, not_reimbursed: def }
    ReferralRules {
        primary_first: def, upward: def, out_of_area: def, exemptions: req, transfer_down: def,
    }
    Rule { penalty: req, cite: req }
    UpwardRule { validity_days: def, penalty: req, cite: req }
    OutOfAreaRule { scope: req, filing_accepted: def, penalty: req, cite: req }
    Exemptions {
        emergency: def, age_at_least: def, age_at_most: def, pregnancy: def, severe_disability: def,
        cite: req,
    }
    TransferDown { stable_days: req, tolerance: req, cite: req }
    Catalogue { diseases: req, cite: req }
    Disease {
        code: req, name_zh: req, name_en: req, pinyin: req, levels: req, first_level: def,
        emergency: def,
    }
    Shipped { path: req, doc: req }
}

/// One entry of the npm package's embedded list of shipped policies
/// (`pkg/bundled-policies.json`): the path under `policies/` and the validated policy.
#[derive(Default)]
pub struct Shipped {
    pub path: String,
    pub doc: PolicyDoc,
}

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

/// Read `T` from a value tree: first every number no amount can reach (and every NaN or
/// infinity), then every problem of the reading (unknown keys, wrong values) with its path.
pub fn from_value<T: Read>(v: V) -> Result<T, Problems> {
    let mut out = vec![];
    v.check_numbers(&mut out);
    if !out.is_empty() {
        return Err(Problems(out));
    }
    let mut cx = Cx::default();
    match T::read(v, &Path::Root, &mut cx) {
        Some(t) if cx.problems.is_empty() => Ok(t),
        _ => Err(Problems(cx.problems)),
    }
}

/// Read `T` from JSON text.
pub fn from_json<T: Read>(text: &str) -> Result<T, Problems> {
    from_value(parse_json(text)?)
}

/// A policy from JSON text: what `yibao export` prints (`{ "policy": …, "sha256": … }`, which
/// keeps the fingerprint of the TOML file it came from), or the bare rules, whose fingerprint is
/// then the SHA-256 of `text`. Validated like a policy file.
pub fn policy_doc_from_json(text: &str) -> Result<PolicyDoc, Problems> {
    policy_doc_from_value(parse_json(text)?, || crate::sha256::hex(text.as_bytes()))
}

/// A policy from a value tree, as [`policy_doc_from_json`]; `sha256` gives the fingerprint of a
/// bare policy (asked only when the value is not an exported `{ policy, sha256 }`).
pub fn policy_doc_from_value(v: V, sha256: impl FnOnce() -> String) -> Result<PolicyDoc, Problems> {
    let exported = matches!(&v, V::Map(m) if m.iter().any(|(k, _)| k == "policy"));
    if exported {
        let d: PolicyDoc = from_value(v)?;
        checked(d.policy, d.sha256)
    } else {
        checked(from_value(v)?, sha256())
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

/// A serde-style message as a problem, with the Chinese wording the CLI uses.
fn serde_problem(msg: String, path: String) -> Problems {
    let (code, zh) = if let Some(field) = msg
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        ("missing_field", format!("缺少必填项 {field}"))
    } else if msg.starts_with("unknown variant") {
        (
            "invalid_value",
            format!(
                "取值不在允许范围内:{}",
                msg.trim_start_matches("unknown variant").trim()
            ),
        )
    } else if msg.contains("negative") {
        ("negative_amount", format!("金额不能为负数:{msg}"))
    } else if msg.contains("binary float") {
        (
            "not_exact",
            format!("小数金额请写成字符串,如 \"1234.56\":{msg}"),
        )
    } else if msg.contains("not a decimal") {
        ("invalid_number", format!("不是有效的数字:{msg}"))
    } else if msg.contains("outside 0–100%") {
        ("invalid_rate", format!("比例必须在 0–100% 之间:{msg}"))
    } else if msg.contains("invalid type") {
        ("invalid_type", format!("类型错误:{msg}"))
    } else if msg.contains("date") {
        (
            "invalid_date",
            format!("日期格式错误(应为 YYYY-MM-DD):{msg}"),
        )
    } else {
        ("invalid_value", format!("取值错误:{msg}"))
    };
    Problem::new(code, path, zh, msg).into()
}

// ---------------------------------------------------------------------------------------------
// JSON text → value tree
// ---------------------------------------------------------------------------------------------

/// Parse JSON text (RFC 8259, strictly: no trailing commas, comments or duplicate keys) into a
/// [`V`]. Integers become `I64` (or `U64` above `i64::MAX`), as JS hands them over; other
/// numbers stay text (`Num`), so no float code is involved and nothing inexact is read as an
/// amount. `null` members of objects are left out, as [`V`] says.
pub fn parse_json(text: &str) -> Result<V, Problems> {
    let mut p = Parser { s: text, i: 0 };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.b().len() {
        return Err(p.err(
            "JSON 值之后还有多余内容",
            "unexpected text after the JSON value",
        ));
    }
    Ok(v)
}

/// Deeper than any policy or case; a bound keeps hostile input from exhausting the stack.
const MAX_DEPTH: u32 = 64;

struct Parser<'a> {
    /// The text. The grammar is ASCII and is matched on its bytes; strings are copied as `str` runs.
    s: &'a str,
    i: usize,
}

impl<'a> Parser<'a> {
    fn b(&self) -> &'a [u8] {
        self.s.as_bytes()
    }
    #[inline(never)]
    fn err(&self, zh: &str, en: &str) -> Problems {
        let before = &self.b()[..self.i.min(self.b().len())];
        let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|&&c| c != b'\n').count() + 1;
        Problem::new(
            "invalid_json",
            "",
            format!("JSON 格式错误(第 {line} 行第 {col} 列):{zh}"),
            format!("invalid JSON at line {line}, column {col}: {en}"),
        )
        .into()
    }
    fn peek(&self) -> Option<u8> {
        self.b().get(self.i).copied()
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn word(&mut self, word: &str, v: V) -> Result<V, Problems> {
        if self.b()[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("无法识别的内容", "unexpected word"))
        }
    }
    fn value(&mut self, depth: u32) -> Result<V, Problems> {
        if depth > MAX_DEPTH {
            return Err(self.err("嵌套过深", "nested too deeply"));
        }
        self.ws();
        match self.peek() {
            None => Err(self.err("内容不完整", "unexpected end")),
            Some(b'{') => {
                self.i += 1;
                let mut m: Vec<(String, V)> = vec![];
                // Members that are null are left out of the map, but their keys still count
                // as taken.
                let mut null_keys: Vec<String> = vec![];
                if !self.eat(b'}') {
                    loop {
                        self.ws();
                        let k = self.string()?;
                        if m.iter().any(|(taken, _)| *taken == k) || null_keys.contains(&k) {
                            return Err(self.err("键重复", "duplicate key"));
                        }
                        if !self.eat(b':') {
                            return Err(self.err("缺少 ':'", "expected ':'"));
                        }
                        match self.value(depth + 1)? {
                            V::Null => null_keys.push(k),
                            v => m.push((k, v)),
                        }
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.err("缺少 ',' 或 '}'", "expected ',' or '}'"));
                        }
                    }
                }
                Ok(V::Map(m))
            }
            Some(b'[') => {
                self.i += 1;
                let mut s = vec![];
                if !self.eat(b']') {
                    loop {
                        s.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.err("缺少 ',' 或 ']'", "expected ',' or ']'"));
                        }
                    }
                }
                Ok(V::Seq(s))
            }
            Some(b'"') => self.string().map(V::Str),
            Some(b't') => self.word("true", V::Bool(true)),
            Some(b'f') => self.word("false", V::Bool(false)),
            Some(b'n') => self.word("null", V::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.err("无法识别的字符", "unexpected character")),
        }
    }
    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }
    fn number(&mut self) -> Result<V, Problems> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let ok = match self.peek() {
            Some(b'0') => {
                self.i += 1;
                true
            }
            _ => self.digits() > 0,
        };
        let ok =
            ok && (self.peek() != Some(b'.') || {
                self.i += 1;
                self.digits() > 0
            }) && (!matches!(self.peek(), Some(b'e' | b'E')) || {
                self.i += 1;
                if matches!(self.peek(), Some(b'+' | b'-')) {
                    self.i += 1;
                }
                self.digits() > 0
            });
        if !ok {
            return Err(self.err("数字格式错误", "malformed number"));
        }
        // The grammar above admits ASCII only, so this is on a char boundary.
        let text = self.s.get(start..self.i).unwrap_or_default();
        Ok(match integer(text) {
            Int::Small(v) => v,
            Int::Big | Int::Frac => V::Num(text.to_string()),
        })
    }
    fn hex4(&mut self) -> Result<u32, Problems> {
        let h = self.b().get(self.i..self.i + 4).unwrap_or_default();
        let mut v = 0;
        for &c in h {
            let d = (c as char).to_digit(16);
            v = v * 16 + d.ok_or_else(|| self.err("\\u 转义错误", "bad \\u escape"))?;
        }
        if h.len() < 4 {
            return Err(self.err("\\u 转义错误", "bad \\u escape"));
        }
        self.i += 4;
        Ok(v)
    }
    fn string(&mut self) -> Result<String, Problems> {
        if self.peek() != Some(b'"') {
            return Err(self.err("应为字符串", "expected a string"));
        }
        self.i += 1;
        // Runs of plain characters are copied whole: the text is a `str` already, and a run
        // ends only at an ASCII quote or backslash, always a character boundary.
        let mut out = String::new();
        let mut run = self.i;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err("字符串未结束", "unterminated string"));
            };
            match c {
                b'"' => {
                    out.push_str(self.s.get(run..self.i).unwrap_or_default());
                    self.i += 1;
                    break;
                }
                b'\\' => {
                    out.push_str(self.s.get(run..self.i).unwrap_or_default());
                    self.i += 1;
                    let e = self.peek().unwrap_or(0);
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u)
                                && self.b()[self.i..].starts_with(b"\\u")
                            {
                                let back = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                                } else {
                                    self.i = back;
                                }
                            }
                            // A lone surrogate (which JSON allows and UTF-8 cannot hold).
                            char::from_u32(u).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err(self.err("转义字符错误", "bad escape")),
                    };
                    out.push(ch);
                    run = self.i;
                }
                c if c < 0x20 => {
                    return Err(self.err(
                        "字符串中有未转义的控制字符",
                        "control character in a string",
                    ))
                }
                _ => self.i += 1,
            }
        }
        Ok(out)
    }
}

/// What a JSON number is, exactly.
enum Int {
    /// An integer in `i64` (or `u64`) range, as `V::I64` (or `V::U64`).
    Small(V),
    /// An integer beyond `u64`: no amount is that large.
    Big,
    /// Not a whole number.
    Frac,
}

/// The value of a JSON number (already checked against the grammar) when it is whole:
/// `52000`, `-3`, `2.0` and `1e3` are; `0.1` is not.
fn integer(text: &str) -> Int {
    let (neg, t) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mant, exp) = match t.find(['e', 'E']) {
        Some(i) => {
            let e = &t[i + 1..];
            let huge = if e.starts_with('-') { -99_999 } else { 99_999 };
            (
                &t[..i],
                e.parse::<i64>().unwrap_or(huge).clamp(-99_999, 99_999),
            )
        }
        None => (t, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|d| d - b'0').collect();
    // The decimal point sits before digits[point].
    let point = int.len() as i64 + exp;
    let cut = point.clamp(0, digits.len() as i64) as usize;
    if digits[cut..].iter().any(|&d| d != 0) {
        return Int::Frac;
    }
    let mut n: u64 = 0;
    for i in 0..point.max(0) as usize {
        let d = digits.get(i).copied().unwrap_or(0);
        match n.checked_mul(10).and_then(|n| n.checked_add(d as u64)) {
            Some(m) => n = m,
            None => return Int::Big,
        }
    }
    Int::Small(if !neg {
        i64::try_from(n).map_or(V::U64(n), V::I64)
    } else if n <= 1 << 63 {
        V::I64((n as i64).wrapping_neg())
    } else {
        return Int::Big;
    })
}
