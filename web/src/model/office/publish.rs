//! Publishing a draft: the TOML for the repository and the CLI (keys in the policy's own order,
//! small tables inline as the shipped files write them, every citation kept), the JSON the
//! widget and the npm package take (exactly what `yibao export` prints for that TOML), and their
//! fingerprints.

use super::cases::Run;
use super::schema::{self, Kind, Need};
use serde_json::{Map, Value};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table};
use yibao_core::worked::{CaseFile, WorkedCase};
use yibao_core::{PolicyDoc, Problems};

/// What the publish screen offers.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    /// The policy file.
    pub toml: String,
    /// `yibao export` of that file, byte for byte (its trailing newline included).
    pub json: String,
    /// SHA-256 of the TOML file's bytes: the `sha256` inside the JSON, quoted on every receipt.
    pub policy_sha256: String,
    /// SHA-256 of the JSON file's bytes (what a host that pins the file it serves checks).
    pub json_sha256: String,
    /// `resident-2025` for `my-county/resident-2025`: the files' names without extension.
    pub stem: String,
}

/// The files of a valid draft. The TOML is read back with the CLI's reader: the JSON is of
/// what was read, so it is what `yibao export` of the TOML gives.
pub fn export(doc: &PolicyDoc) -> Result<Export, Problems> {
    let toml = policy_toml(doc);
    let back = yibao_core::policy::load::parse_policy(&toml, "draft.toml")?;
    let json = serde_json::to_string_pretty(&back).unwrap_or_default() + "\n";
    let stem = doc
        .policy
        .meta
        .id
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("policy");
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok(Export {
        json_sha256: yibao_core::trace::sha256_hex(json.as_bytes()),
        policy_sha256: back.sha256,
        toml,
        json,
        stem,
    })
}

/// A worked case that does not reproduce on the draft, as Publish lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failing {
    pub id: String,
    pub title: String,
    /// Each figure that differs: `hifp_pay 期望 expected 3360 · 草稿 draft 3510`.
    pub figures: Vec<String>,
}

/// Whether Publish hands out the files: at once when every worked case reproduces on the
/// draft; when some do not, only once the author has confirmed exporting a policy that fails
/// them (a file whose own cases fail is a contradiction a county should not publish unawares).
pub fn gate(runs: &[Run], confirmed: bool) -> Result<(), Vec<Failing>> {
    let failing: Vec<Failing> = runs
        .iter()
        .filter(|r| !r.ok)
        .map(|r| Failing {
            id: r.id.clone(),
            title: r.title.clone(),
            figures: r
                .figures
                .iter()
                .filter(|f| !f.ok)
                .map(|f| {
                    format!(
                        "{} 期望 expected {} · 草稿 draft {}",
                        f.field, f.expected, f.actual
                    )
                })
                .collect(),
        })
        .collect();
    if failing.is_empty() || confirmed {
        Ok(())
    } else {
        Err(failing)
    }
}

/// The worked cases as a `*.cases.toml` checking the policy file beside it.
pub fn cases_toml(cases: &[WorkedCase]) -> String {
    let file = CaseFile {
        policy: None,
        cases: cases.to_vec(),
    };
    let body = toml::to_string_pretty(&file).unwrap_or_default();
    format!(
        "# 工作案例 Worked cases — yibao 县医保局工作台导出 (written by the office page)\n\n{body}"
    )
}

/// The policy as TOML: a `toml_edit` document built from the policy's value, laid out as the
/// shipped files are (scalars and small tables inline, groups under `[headers]`, lists of cited
/// items as `[[headers]]`, short rows one per line).
pub fn policy_toml(doc: &PolicyDoc) -> String {
    let mut tree = serde_json::to_value(&doc.policy).unwrap_or_default();
    prune(&mut tree, Kind::Struct("Policy"));
    let m = &doc.policy.meta;
    let mut root = Table::new();
    if let Value::Object(obj) = &tree {
        fill(&mut root, obj, Kind::Struct("Policy"), true);
    }
    let mut file = DocumentMut::new();
    *file.as_table_mut() = root;
    // The names on one comment line, whatever they hold.
    let line = |s: &str| s.replace(|c: char| c.is_control(), " ");
    format!(
        "# {} — {}\n# yibao 县医保局工作台导出 · written by yibao's office page\n{file}",
        line(&m.name_zh),
        line(&m.name_en)
    )
}

/// The kind of `key` inside a value of kind `parent`.
fn child(parent: Kind, key: &str) -> Option<(Kind, Need)> {
    match parent {
        Kind::Struct(s) => schema::field(s, key).map(|f| (f.kind, f.need)),
        Kind::Cite => schema::cite_field(key).map(|f| (f.kind, f.need)),
        Kind::MapOf(k) => Some((*k, Need::Required)),
        Kind::MapStruct(s) => Some((Kind::Struct(s), Need::Required)),
        _ => None,
    }
}

/// Leave out what reads the same absent: nulls, and the empty lists, tables and `false`s of
/// fields with a serde default (never an `Option`'s `Some([])`).
fn prune(v: &mut Value, kind: Kind) {
    match (v, kind) {
        (Value::Object(m), _) => {
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                let Some((ck, need)) = child(kind, &k) else {
                    continue;
                };
                let c = m.get_mut(&k).expect("a key of the table");
                prune(c, ck);
                let empty = match c {
                    Value::Null => true,
                    Value::Array(a) => a.is_empty() && need == Need::Default,
                    Value::Object(o) => o.is_empty() && need == Need::Default,
                    Value::Bool(b) => !*b && need == Need::Default,
                    _ => false,
                };
                if empty && need != Need::Required {
                    m.remove(&k);
                }
            }
        }
        (Value::Array(items), Kind::Array(s)) => {
            for i in items {
                prune(i, Kind::Struct(s));
            }
        }
        _ => {}
    }
}

/// A `YYYY-MM-DD` string as a TOML date (what the shipped files write).
fn date(s: &str) -> Option<toml_edit::Datetime> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    shaped.then(|| s.parse().ok()).flatten()
}

/// A value on one line, or `None` for one that holds a null (pruned away before).
fn inline(v: &Value, kind: Kind) -> Option<toml_edit::Value> {
    Some(match v {
        Value::Null => return None,
        Value::Bool(b) => (*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => i.into(),
            None => n.as_f64()?.into(),
        },
        Value::String(s) => match date(s).filter(|_| kind == Kind::Date) {
            Some(d) => d.into(),
            None => s.as_str().into(),
        },
        Value::Array(items) => {
            let item_kind = match kind {
                Kind::Array(s) => Kind::Struct(s),
                _ => Kind::Text,
            };
            let items: Option<Vec<toml_edit::Value>> =
                items.iter().map(|i| inline(i, item_kind)).collect();
            Array::from_iter(items?).into()
        }
        Value::Object(m) => {
            let mut t = InlineTable::new();
            for (k, c) in ordered(m, kind) {
                let ck = child(kind, k).map(|c| c.0).unwrap_or(Kind::Text);
                t.insert(k, inline(c, ck)?);
            }
            t.into()
        }
    })
}

/// A table's keys in the schema's order (a map's in its own), unknown ones last.
fn ordered(m: &Map<String, Value>, kind: Kind) -> Vec<(&String, &Value)> {
    let order: Vec<&str> = match kind {
        Kind::Struct(s) => schema::fields(s).iter().map(|f| f.key).collect(),
        Kind::Cite => schema::cite_fields().iter().map(|f| f.key).collect(),
        _ => vec![],
    };
    let mut v: Vec<_> = m.iter().collect();
    v.sort_by_key(|(k, _)| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
    v
}

const INLINE_WIDTH: usize = 100;
const ROW_WIDTH: usize = 120;

/// How wide a value is on screen once written: a Chinese character takes two columns.
fn width(v: &toml_edit::Value) -> usize {
    v.to_string()
        .chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

/// Holds only one-line values (no table inside but a citation).
fn flat(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        o.iter().all(|(k, c)| match c {
            Value::Object(_) => k == "cite" || k.ends_with("_cite"),
            Value::Array(a) => !a.iter().any(|i| i.is_object() || i.is_array()),
            _ => true,
        })
    })
}

/// Written under its own `[header]` rather than inline.
fn own_table(v: &Value, kind: Kind, root: bool) -> bool {
    match (v, kind) {
        (_, Kind::Cite) => false,
        (Value::Object(_), _) if root => true,
        (Value::Object(_), _) => {
            !flat(v) || inline(v, kind).is_none_or(|s| width(&s) > INLINE_WIDTH)
        }
        _ => false,
    }
}

/// A list written as `[[header]]` tables rather than as one row per item: items with tables
/// inside them (citations included), or too wide for a row.
fn table_list(v: &Value, kind: Kind) -> bool {
    let Value::Array(items) = v else { return false };
    let Kind::Array(s) = kind else { return false };
    !items.is_empty()
        && items.iter().any(|i| {
            i.as_object()
                .is_some_and(|o| o.values().any(Value::is_object))
                || inline(i, Kind::Struct(s)).is_none_or(|s| width(&s) > ROW_WIDTH)
        })
}

/// A list of small tables, one row per item (`tiers = [\n  { up_to = … },\n]`).
fn rows(items: &[Value], s: &'static str) -> Array {
    let mut a: Array = items
        .iter()
        .filter_map(|i| inline(i, Kind::Struct(s)))
        .map(|mut r| {
            r.decor_mut().set_prefix("\n  ");
            r.decor_mut().set_suffix("");
            r
        })
        .collect();
    if !a.is_empty() {
        a.set_trailing_comma(true);
        a.set_trailing("\n");
    }
    a
}

/// Fills the table `t` from `m`: its one-line values, then its sub-tables, then its lists of
/// tables (the order the document writes them in).
fn fill(t: &mut Table, m: &Map<String, Value>, kind: Kind, root: bool) {
    let mut subs = vec![];
    let mut lists = vec![];
    for (k, c) in ordered(m, kind) {
        let ck = child(kind, k).map(|c| c.0).unwrap_or(Kind::Text);
        if own_table(c, ck, root) {
            if let Value::Object(o) = c {
                subs.push((k, o, ck));
            }
        } else if table_list(c, ck) || (root && matches!(ck, Kind::Array(_))) {
            if let (Value::Array(a), Kind::Array(s)) = (c, ck) {
                lists.push((k, a, Kind::Struct(s)));
            }
        } else if let (Value::Array(items), Kind::Array(s)) = (c, ck) {
            t.insert(k, Item::Value(rows(items, s).into()));
        } else if let Some(v) = inline(c, ck) {
            t.insert(k, Item::Value(v));
        }
    }
    for (k, o, ck) in subs {
        let mut sub = Table::new();
        // A table with nothing but tables inside gets no header of its own.
        sub.set_implicit(true);
        sub.decor_mut().set_prefix("\n");
        fill(&mut sub, o, ck, false);
        t.insert(k, Item::Table(sub));
    }
    for (k, items, ck) in lists {
        let mut list = ArrayOfTables::new();
        for i in items {
            if let Value::Object(o) = i {
                let mut item = Table::new();
                item.decor_mut().set_prefix("\n");
                fill(&mut item, o, ck, false);
                list.push(item);
            }
        }
        t.insert(k, Item::ArrayOfTables(list));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yibao_core::policy::load::parse_policy;

    #[test]
    fn every_shipped_policy_round_trips_through_the_toml_it_exports() {
        for (path, text) in yibao_shipped::policies() {
            let doc = parse_policy(text, path).unwrap();
            let toml = policy_toml(&doc);
            let back =
                parse_policy(&toml, "out.toml").unwrap_or_else(|e| panic!("{path}: {e}\n{toml}"));
            assert_eq!(
                serde_json::to_string(&back.policy).unwrap(),
                serde_json::to_string(&doc.policy).unwrap(),
                "{path}"
            );
            // Written again, the same bytes: the export is stable.
            assert_eq!(policy_toml(&back), toml, "{path}");
            assert_eq!(back.sha256, yibao_core::trace::sha256_hex(toml.as_bytes()));
        }
    }

    #[test]
    fn the_toml_reads_like_the_shipped_files() {
        let text = yibao_shipped::file(yibao_shipped::DEMO).unwrap();
        let toml = policy_toml(&parse_policy(text, "d.toml").unwrap());
        for want in [
            "\n[meta]\nid = \"demo-county/resident-2024\"\n",
            "effective_from = 2024-01-01\n",
            "\n[[sources]]\nid = \"seed002\"\n",
            "by_level = { city = \"1000\", county = \"600\", ",
            "cite = { source = \"seed002\", clause = \"一级、二级、三级住院起付线分别为300元、600元、1000元;转市外3000元\" }\n",
            "illustrative = true }",
            "tiers = [\n  { up_to = \"100000\", rate = \"50%\" },\n",
        ] {
            assert!(toml.contains(want), "{want:?} not in\n{toml}");
        }
        assert!(!toml.contains("tables = []"), "{toml}");
        assert!(!toml.contains("null"), "{toml}");
    }

    /// Text a county types — quotes, backslashes, line breaks — is written so that it reads
    /// back the same, and a name with a line break leaves the heading comment a comment.
    #[test]
    fn awkward_text_reads_back_the_same() {
        let text = yibao_shipped::file(yibao_shipped::DEMO).unwrap();
        let mut doc = parse_policy(text, "d.toml").unwrap();
        doc.policy.meta.note = Some("他说\"起付线\" 'x' \\ C:\\dir\n第二行\t末".into());
        doc.policy.meta.name_en = "Demo's \"county\"\n[meta]".into();
        let toml = policy_toml(&doc);
        let back = parse_policy(&toml, "o.toml").unwrap_or_else(|e| panic!("{e}\n{toml}"));
        assert_eq!(back.policy.meta.note, doc.policy.meta.note, "{toml}");
        assert_eq!(back.policy.meta.name_en, doc.policy.meta.name_en);
        assert!(toml.starts_with("# 示例县"), "{toml}");
        assert!(toml.lines().take(2).all(|l| l.starts_with("# ")), "{toml}");
        assert_eq!(policy_toml(&back), toml);
        // A key that is not a bare word is quoted (`"*"`: every level).
        assert!(toml.contains("fund_amount = { \"*\" = "), "{toml}");
    }

    #[test]
    fn each_hash_says_what_it_covers() {
        // That the JSON is what `yibao export` prints for the TOML is cli/tests/office_export.rs
        // (the real binary against this function).
        let text = yibao_shipped::file("sichuan-dazhou/employee-2024.toml").unwrap();
        let doc = parse_policy(text, "e.toml").unwrap();
        let e = export(&doc).unwrap();
        assert!(e
            .json
            .contains(&format!("\"sha256\": \"{}\"", e.policy_sha256)));
        assert_eq!(
            e.policy_sha256,
            yibao_core::trace::sha256_hex(e.toml.as_bytes())
        );
        assert_eq!(
            e.json_sha256,
            yibao_core::trace::sha256_hex(e.json.as_bytes())
        );
        assert_eq!(e.stem, "employee-2024");
    }

    #[test]
    fn worked_cases_round_trip_through_their_toml() {
        let text = yibao_shipped::file("demo-county/resident-2024.cases.toml").unwrap();
        let file: CaseFile = yibao_core::policy::load::parse_strict(text, "c.toml").unwrap();
        let out = cases_toml(&file.cases);
        let back: CaseFile = yibao_core::policy::load::parse_strict(&out, "o.toml")
            .unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(back.cases.len(), file.cases.len());
        assert_eq!(
            serde_json::to_string(&back.cases).unwrap(),
            serde_json::to_string(&file.cases).unwrap()
        );
    }

    #[test]
    fn publish_waits_for_a_confirmation_when_worked_cases_fail() {
        use crate::model::office::cases::run_all;
        use crate::model::office::draft::{self, Draft};
        let today = yibao_core::Date::parse("2024-06-01").unwrap();
        let mut d = Draft::shipped("demo-county/resident-2024").unwrap();
        let runs = run_all(&d.check().unwrap(), &d.cases, today);
        assert!(!runs.is_empty() && runs.iter().all(|r| r.ok));
        assert_eq!(gate(&runs, false), Ok(()));
        draft::set(
            &mut d.tree,
            "inpatient.deductible.by_level.county",
            Value::from("400"),
        );
        let runs = run_all(&d.check().unwrap(), &d.cases, today);
        let failing = gate(&runs, false).unwrap_err();
        assert_eq!(failing.len(), runs.iter().filter(|r| !r.ok).count());
        assert!(!failing.is_empty());
        let first = &failing[0];
        assert!(runs.iter().any(|r| r.id == first.id && !r.ok));
        assert!(!first.figures.is_empty(), "{first:?}");
        assert!(first.figures[0].contains("期望 expected"), "{first:?}");
        assert_eq!(gate(&runs, true), Ok(()));
    }
}
