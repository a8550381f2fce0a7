//! The policy file's JSON Schema, derived by schemars from the types of [`super`] (the `schema`
//! feature): every table and key, what each holds, whether serde requires it, and each key's
//! Chinese label (`title`) and its doc comment (`description`). One definition: the types are the
//! schema; `schema/policy.schema.json` is this function's output, committed for policy editors
//! and read by the office's forms (`tests/tests/policy_schema.rs` keeps the file equal to it).

use super::{Policy, FORMAT};
use crate::date::Date;
use crate::money::{Money, Points, Rate};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Deserialize;
use std::borrow::Cow;

/// The schema's `$id`: the format version is part of it.
pub fn id() -> String {
    format!("urn:yibao:policy-format:{FORMAT}")
}

/// The policy file's schema (JSON Schema 2020-12), as `schema/policy.schema.json` holds it.
pub fn policy_schema() -> serde_json::Value {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Policy>();
    let head = [
        ("$id", serde_json::Value::from(id())),
        (
            "title",
            format!("yibao 医保政策文件 · policy file, format {FORMAT}").into(),
        ),
        (
            "description",
            "一个统筹区一个险种一个时期的医保待遇规则,每项参数注明出处。A county's health-insurance \
             rules for one scheme and period, every parameter citing its document. Generated from \
             yibao-core's policy types (`cargo test -p yibao-tests --test policy_schema`)."
                .into(),
        ),
        ("x-format", FORMAT.into()),
    ];
    for (k, v) in head {
        schema.insert(k.into(), v);
    }
    schema.to_value()
}

/// A policy table's schema as the reader reads it: no key but its own (`additionalProperties:
/// false`: the reader refuses an unknown key, `unknown_key`, so an editor flags a misspelt one as
/// it is typed), and its keys in their declaration order as `x-order` (a JSON object's keys have
/// no order, and the schema's are sorted): the order forms lay the fields out and the office
/// writes them. The order is serde's own list of the struct's fields, so a renamed field keeps
/// its name.
pub fn table<'de, T: Deserialize<'de>>(schema: &mut Schema) {
    schema.insert("additionalProperties".into(), false.into());
    let mut probe = FieldsProbe(None);
    let _ = T::deserialize(&mut probe);
    if let Some(fields) = probe.0 {
        schema.insert("x-order".into(), fields.into());
    }
}

/// A deserializer that only asks a struct for its field names (serde passes them to
/// `deserialize_struct`), then stops. Written here because serde offers no other way to read
/// a derived struct's field list, and no crate does this one thing.
struct FieldsProbe(Option<&'static [&'static str]>);

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("only the field names were asked for")
    }
}

impl std::error::Error for Stop {}

impl serde::de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> serde::Deserializer<'de> for &mut FieldsProbe {
    type Error = Stop;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }
    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0 = Some(fields);
        Err(Stop)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// An amount: `Money` reads a string or an integer (never a float), in yuan.
impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "title": "金额(元)",
            "description": "An amount in yuan, written as a string (\"600\", \"1200.50\") or an integer; never negative.",
            "type": ["string", "integer"],
            "examples": ["600", "1200.50"],
        })
    }
}

/// A rate from 0 to 100 %.
impl JsonSchema for Rate {
    fn schema_name() -> Cow<'static, str> {
        "Rate".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "title": "比例",
            "description": "A rate from 0 to 100 %, written \"75%\" or \"0.75\".",
            "type": ["string", "integer"],
            "examples": ["75%", "0.75"],
        })
    }
}

/// Percentage points, negative for a cut.
impl JsonSchema for Points {
    fn schema_name() -> Cow<'static, str> {
        "Points".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "title": "百分点",
            "description": "Percentage points added to a ratio (negative: taken from it), written \"5\" or \"-10\".",
            "type": ["string", "integer"],
            "examples": ["5", "-10"],
        })
    }
}

/// A calendar date: a TOML date (`2024-01-01`) or a string.
impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "title": "日期",
            "description": "A date YYYY-MM-DD (in TOML a bare date, 2024-01-01).",
            "type": "string",
            "format": "date",
        })
    }
}
