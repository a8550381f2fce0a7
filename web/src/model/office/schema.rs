//! What the office editor knows of the policy's shape: for each struct of `yibao_core::policy`,
//! its fields in declaration order, what each holds, whether serde requires it, and its Chinese
//! label — read from the policy's JSON Schema, `schema/policy.schema.json`, which schemars
//! derives from core's types (`yibao_core::policy::schema`; `tests/tests/policy_schema.rs` keeps
//! the file equal to them). Not a second policy type — the draft is the policy's own value tree,
//! read and checked by core — only the hints a form needs to lay out, label and add fields (a
//! unit test keeps them covering every key the shipped policies serialize).

use serde_json::{Map, Value};
use std::sync::OnceLock;

/// The policy's JSON Schema, as committed (generated from core's types).
pub const POLICY_SCHEMA: &str = include_str!("../../../../schema/policy.schema.json");

/// What a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// An amount in yuan (`"600"`).
    Money,
    /// A rate (`"75%"`).
    Rate,
    /// Percentage points (`"5"`, `"-10"`).
    Points,
    Int,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    Enum(&'static [&'static str]),
    /// A list of short strings (ids, codes), edited as one comma-separated field.
    List,
    /// A list of enum values.
    EnumList(&'static [&'static str]),
    /// A struct, by its name in [`structs`].
    Struct(&'static str),
    /// A list of structs.
    Array(&'static str),
    /// A table from an id (a level, a class) to an amount or a rate.
    MapOf(&'static Kind),
    /// A table from an id to a struct.
    MapStruct(&'static str),
    /// `{ source, clause, illustrative }`.
    Cite,
}

impl Kind {
    /// Edited in one input.
    pub fn scalar(self) -> bool {
        !matches!(
            self,
            Kind::Struct(_) | Kind::Array(_) | Kind::MapOf(_) | Kind::MapStruct(_) | Kind::Cite
        )
    }
}

/// Whether serde needs the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Required,
    /// `#[serde(default)]` on a non-`Option`: empty, `false` and absent read the same.
    Default,
    /// An `Option`: absent is `None`; an empty list is `Some([])`.
    Optional,
}

#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: &'static str,
    pub kind: Kind,
    pub need: Need,
    /// The Chinese label (the schema's `title`).
    pub zh: &'static str,
}

use Kind::*;
use Need::*;

/// The schema read once: every struct's fields, and the citation's.
struct Shape {
    structs: Vec<(&'static str, &'static [Field])>,
    cite: &'static [Field],
}

/// The schema's types that are not structs of their own in a form: the scalars core writes as
/// strings, and the citation.
fn named(name: &str) -> Option<Kind> {
    Some(match name {
        "Money" => Money,
        "Rate" => Rate,
        "Points" => Points,
        "Date" => Date,
        "Cite" => Cite,
        _ => return None,
    })
}

// The table lives as long as the page: its names and lists are leaked once, so that `Kind` and
// `Field` stay `Copy` with `&'static` data, as the forms use them.
fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

/// The values of an enum's schema: `enum`, or `oneOf` of `const`s (variants with doc comments).
fn enum_values(def: &Value) -> Option<&'static [&'static str]> {
    let values: Vec<&'static str> = if let Some(e) = def.get("enum").and_then(Value::as_array) {
        e.iter().filter_map(Value::as_str).map(leak).collect()
    } else {
        def.get("oneOf")?
            .as_array()?
            .iter()
            .map(|v| v.get("const").and_then(Value::as_str).map(leak))
            .collect::<Option<_>>()?
    };
    (!values.is_empty()).then(|| &*Vec::leak(values))
}

/// Whether a field's schema admits `null`: an `Option`.
fn nullable(v: &Value) -> bool {
    let null = |t: &Value| t.as_str() == Some("null");
    match v.get("type") {
        Some(Value::Array(ts)) if ts.iter().any(null) => return true,
        _ => {}
    }
    v.get("anyOf")
        .and_then(Value::as_array)
        .is_some_and(|vs| vs.iter().any(|s| s.get("type").is_some_and(null)))
}

/// What a (sub)schema holds.
fn kind(v: &Value, defs: &Map<String, Value>) -> Kind {
    if let Some(r) = v.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        if let Some(k) = named(name) {
            return k;
        }
        let Some(def) = defs.get(name) else {
            return Text;
        };
        if def.get("properties").is_some() {
            return Struct(leak(name));
        }
        return enum_values(def).map_or(Text, Enum);
    }
    if let Some(any) = v.get("anyOf").and_then(Value::as_array) {
        let one = any
            .iter()
            .find(|s| s.get("type").and_then(Value::as_str) != Some("null"));
        return one.map_or(Text, |s| kind(s, defs));
    }
    if let Some(values) = enum_values(v) {
        return Enum(values);
    }
    let ty = match v.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or(""),
        _ => "",
    };
    match ty {
        "integer" => Int,
        "boolean" => Bool,
        "array" => match v.get("items").map(|i| kind(i, defs)) {
            Some(Struct(s)) => Array(s),
            Some(Enum(values)) => EnumList(values),
            _ => List,
        },
        "object" => match v.get("additionalProperties").map(|a| kind(a, defs)) {
            Some(Struct(s)) => MapStruct(s),
            Some(k) => MapOf(Box::leak(Box::new(k))),
            None => Text,
        },
        _ => Text,
    }
}

/// A struct's fields, in the order of its `x-order` (its declaration order).
fn struct_fields(def: &Value, defs: &Map<String, Value>) -> &'static [Field] {
    let empty = Map::new();
    let props = def
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let required: Vec<&str> = def
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut order: Vec<&str> = def
        .get("x-order")
        .and_then(Value::as_array)
        .map(|o| o.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // A key the order does not name (none, as generated) still gets a field, last.
    order.extend(
        props
            .keys()
            .map(String::as_str)
            .filter(|k| !order.contains(k))
            .collect::<Vec<_>>(),
    );
    let fields: Vec<Field> = order
        .into_iter()
        .filter_map(|key| {
            let p = props.get(key)?;
            let need = if required.contains(&key) {
                Required
            } else if nullable(p) {
                Optional
            } else {
                Default
            };
            Some(Field {
                key: leak(key),
                kind: kind(p, defs),
                need,
                zh: leak(p.get("title").and_then(Value::as_str).unwrap_or(key)),
            })
        })
        .collect();
    Vec::leak(fields)
}

fn shape() -> &'static Shape {
    static SHAPE: OnceLock<Shape> = OnceLock::new();
    SHAPE.get_or_init(|| {
        // The committed file is generated and checked by the tests: it always reads.
        let root: Value = serde_json::from_str(POLICY_SCHEMA).unwrap_or_default();
        let empty = Map::new();
        let defs = root
            .get("$defs")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut structs = vec![("Policy", struct_fields(&root, defs))];
        for (name, def) in defs {
            if def.get("properties").is_some() && named(name).is_none() {
                structs.push((leak(name), struct_fields(def, defs)));
            }
        }
        let cite = defs.get("Cite").map_or(&[][..], |c| struct_fields(c, defs));
        Shape { structs, cite }
    })
}

/// Every struct of the policy, by name; `Policy` is the root.
pub fn structs() -> &'static [(&'static str, &'static [Field])] {
    &shape().structs
}

/// The fields of a struct by name (empty for an unknown name).
pub fn fields(name: &str) -> &'static [Field] {
    structs()
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .unwrap_or(&[])
}

pub fn field(strukt: &str, key: &str) -> Option<&'static Field> {
    fields(strukt).iter().find(|f| f.key == key)
}

/// The citation's own three fields (`source`, `clause`, `illustrative`).
pub fn cite_fields() -> &'static [Field] {
    shape().cite
}

/// A citation's field by key.
pub fn cite_field(key: &str) -> Option<&'static Field> {
    cite_fields().iter().find(|f| f.key == key)
}

/// A key path in steps: core's one reading of the syntax problems use.
pub use yibao_core::error::{segments as parse_path, Seg};

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

pub fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

/// What the value at `path` is, walking the schema from the policy's root; `None` for a key the
/// schema does not know (an unknown key in an opened file).
pub fn kind_at(path: &str) -> Option<Kind> {
    let mut kind = Struct("Policy");
    for seg in parse_path(path) {
        kind = match (kind, seg) {
            (Struct(s), Seg::Key(k)) => field(s, &k)?.kind,
            (Cite, Seg::Key(k)) => cite_field(&k)?.kind,
            (Array(s), Seg::Index(_)) => Struct(s),
            (MapOf(k), Seg::Key(_)) => *k,
            (MapStruct(s), Seg::Key(_)) => Struct(s),
            (List | EnumList(_), Seg::Index(_)) => Text,
            _ => return None,
        };
    }
    Some(kind)
}

/// The Chinese label of the value at `path` (its field's label, or the key itself).
pub fn label_at(path: &str) -> String {
    let segs = parse_path(path);
    let Some(Seg::Key(last)) = segs.last() else {
        return String::new();
    };
    let parent: Vec<String> = segs[..segs.len() - 1]
        .iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => format!("[{i}]"),
        })
        .collect();
    let parent = parent.join(".").replace(".[", "[");
    match kind_at(&parent) {
        Some(Struct(s)) => field(s, last).map_or(last.clone(), |f| f.zh.to_string()),
        Some(Cite) => cite_field(last).map_or(last.clone(), |f| f.zh.to_string()),
        // A table by id: the table's label and the id (`起付线(按级别) · county`).
        Some(MapOf(_) | MapStruct(_)) => format!("{} · {last}", label_at(&parent)),
        _ => last.clone(),
    }
}

/// A new value of this kind, with its required fields filled in: what "add" puts in the tree.
/// `source` is the first source id (a citation needs one).
pub fn skeleton(kind: Kind, source: &str) -> serde_json::Value {
    use serde_json::json;
    match kind {
        Text | Date => json!(""),
        Money => json!("0"),
        Rate => json!("0%"),
        Points => json!("0"),
        Int => json!(0),
        Bool => json!(false),
        Enum(values) => json!(values[0]),
        List | EnumList(_) | Array(_) => json!([]),
        MapOf(_) | MapStruct(_) => json!({}),
        Cite => json!({ "source": source, "clause": "" }),
        Struct(s) => {
            let mut m = Map::new();
            for fl in fields(s) {
                if fl.need == Required {
                    m.insert(fl.key.to_string(), skeleton(fl.kind, source));
                }
            }
            Value::Object(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key path a shipped policy serializes to, each with its kind.
    fn walk(v: &serde_json::Value, path: &str, seen: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, c) in m {
                    let p = join(path, k);
                    seen.push(p.clone());
                    walk(c, &p, seen);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, c) in items.iter().enumerate() {
                    walk(c, &index(path, i), seen);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_schema_knows_every_key_of_every_shipped_policy() {
        let mut n = 0;
        for (path, text) in yibao_shipped::policies() {
            let doc = yibao_core::policy::load::parse_policy(text, path).unwrap();
            let v = serde_json::to_value(&doc.policy).unwrap();
            let mut seen = vec![];
            walk(&v, "", &mut seen);
            for p in seen {
                assert!(kind_at(&p).is_some(), "{path}: the schema lacks {p}");
                n += 1;
            }
        }
        assert!(n > 1000, "{n}");
        assert_eq!(kind_at("inpatient.deductible.by_level.county"), Some(Money));
        assert_eq!(kind_at("layers[0].tiers[1].rate"), Some(Rate));
        assert_eq!(kind_at("inpatient.caps.anual_fund"), None);
        assert_eq!(label_at("inpatient.deductible.cite.clause"), "条款");
        assert_eq!(label_at("layers[0].threshold"), "起付线");
        assert_eq!(
            label_at("inpatient.deductible.by_level.county"),
            "起付线(按级别) · county"
        );
    }

    /// Every key a form shows has its Chinese label: a new policy field without
    /// `#[schemars(title = "…")]` in core fails here, naming itself.
    #[test]
    fn every_field_has_a_chinese_label_and_a_kind_the_forms_know() {
        let mut n = 0;
        for (name, own) in structs().iter().chain([("Cite", cite_fields())].iter()) {
            assert!(!own.is_empty(), "{name} has no fields");
            for f in own.iter() {
                assert!(
                    !f.zh.is_ascii(),
                    "{name}.{}: no Chinese label (`#[cfg_attr(feature = \"schema\", schemars(title = \"…\"))]` on the field in yibao-core)",
                    f.key
                );
                if let Struct(s) | Array(s) | MapStruct(s) = f.kind {
                    assert!(!fields(s).is_empty(), "{name}.{}: {s} unknown", f.key);
                }
                n += 1;
            }
        }
        assert!(n > 200, "{n}");
        assert_eq!(
            field("Meta", "scheme").map(|f| f.kind),
            Some(Enum(&["resident", "ncms", "employee"]))
        );
        assert_eq!(field("Policy", "bill").map(|f| f.need), Some(Optional));
        assert_eq!(field("Policy", "fixed").map(|f| f.need), Some(Default));
        assert_eq!(field("Mix", "preselfpay").map(|f| f.kind), Some(List));
        assert_eq!(
            field("FilingTerms", "kinds").map(|f| f.kind),
            Some(EnumList(&[
                "long_term",
                "temporary",
                "referral",
                "emergency",
                "unfiled"
            ]))
        );
        let keys: Vec<&str> = fields("Meta").iter().map(|f| f.key).collect();
        assert_eq!(
            &keys[..3],
            ["id", "name_zh", "name_en"],
            "declaration order"
        );
    }

    #[test]
    fn a_skeleton_of_a_struct_holds_what_serde_requires() {
        let layer = skeleton(Struct("Layer"), "doc1");
        let keys: Vec<_> = layer.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "base",
                "cite",
                "id",
                "name_en",
                "name_zh",
                "pays_into",
                "threshold",
                "tiers"
            ]
        );
        assert_eq!(layer["cite"]["source"], "doc1");
        let v: yibao_core::policy::Layer = serde_json::from_value(layer).unwrap();
        assert_eq!(v.pays_into, yibao_core::policy::PaysInto::HifmiPay);
    }
}
