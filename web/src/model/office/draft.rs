//! The draft the office edits: the policy's own value tree (the JSON form of
//! `yibao_core::policy::Policy`), kept as a tree rather than as a `Policy` so that a draft with
//! mistakes — a rate typed `800%`, a key misspelt in an opened file, a tier out of order — stays
//! on screen and editable, every mistake at its field. Each edit reads the tree with core's reader
//! and validator (`input::policy_doc_from_value`, what the CLI and the widget use): its problems,
//! or the valid `PolicyDoc` that the cases, the comparison and the export run on.

use super::schema::{self, Seg};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use yibao_core::worked::{CaseFile, WorkedCase};
use yibao_core::{input, PolicyDoc, Problems};

/// Everything the page keeps across a reload (localStorage).
#[derive(Clone, Debug, Serialize, Deserialize, Default)]
pub struct Draft {
    /// The policy's value tree.
    pub tree: Value,
    /// The worked cases beside the policy.
    #[serde(default)]
    pub cases: Vec<WorkedCase>,
    /// Where it came from (a shipped id, a file name, a template), for the page's title bar.
    #[serde(default)]
    pub origin: String,
    /// The shipped policy to compare with (last year's …).
    #[serde(default)]
    pub compare_with: Option<String>,
    /// The tree as it was opened: a value changed since is checked against the clause it cites
    /// (`clauses::stale`). `null` for a draft saved before it was kept.
    #[serde(default)]
    pub opened: Value,
}

/// The two templates a new county policy starts from, each a shipped policy of its scheme.
pub const TEMPLATES: &[(&str, &str, &str)] = &[
    ("resident", "城乡居民医保模板", "demo-county/resident-2024"),
    ("employee", "职工医保模板", "sichuan-dazhou/employee-2024"),
];

impl Draft {
    /// A shipped policy with its worked cases.
    pub fn shipped(id: &str) -> Option<Draft> {
        // A policy's file is usually named after its id; the id inside decides.
        let (path, doc) = yibao_shipped::policies()
            .filter(|(p, t)| p.strip_suffix(".toml") == Some(id) || t.contains(id))
            .filter_map(|(p, t)| Some((p, yibao_core::policy::load::parse_policy(t, p).ok()?)))
            .find(|(_, d)| d.policy.meta.id == id)?;
        let cases = yibao_shipped::file(&path.replace(".toml", ".cases.toml"))
            .and_then(|t| yibao_core::policy::load::parse_strict::<CaseFile>(t, path).ok())
            .map(|f| f.cases)
            .unwrap_or_default();
        let tree = tree_of(&doc);
        Some(Draft {
            opened: tree.clone(),
            tree,
            cases,
            origin: id.to_string(),
            compare_with: Some(id.to_string()),
        })
    }

    /// A new policy from a template: the shipped policy's rules under a new id, status `example`
    /// until the office says otherwise, without the shipped policy's cases (they check its figures).
    pub fn template(which: &str) -> Option<Draft> {
        let &(kind, zh, id) = TEMPLATES.iter().find(|t| t.0 == which)?;
        let mut d = Draft::shipped(id)?;
        d.cases.clear();
        let meta = &mut d.tree["meta"];
        meta["id"] = Value::from(format!("my-county/{kind}"));
        meta["name_zh"] = Value::from(format!("本县{zh}(草稿)"));
        meta["name_en"] = Value::from(format!("My county {kind} scheme (draft)"));
        meta["region_zh"] = Value::from("本县");
        meta["region_en"] = Value::from("My county");
        meta["status"] = Value::from("example");
        // The template county's own code and note are not the new county's.
        if let Some(m) = meta.as_object_mut() {
            m.remove("region_code");
            m.remove("note");
        }
        d.origin = format!("{zh} · {id}");
        d.opened = d.tree.clone();
        Some(d)
    }

    /// Read the tree with core: the valid policy, or every problem at once.
    pub fn check(&self) -> Result<PolicyDoc, Problems> {
        check_tree(&self.tree)
    }
}

/// The tree of a loaded policy: its JSON, absent options left out.
pub fn tree_of(doc: &PolicyDoc) -> Value {
    let mut v = serde_json::to_value(&doc.policy).unwrap_or_default();
    drop_nulls(&mut v);
    v
}

pub fn check_tree(tree: &Value) -> Result<PolicyDoc, Problems> {
    let v = input::Value::deserialize(tree.clone()).map_err(|e| {
        Problems::from(yibao_core::Problem::new(
            yibao_core::Code::InvalidJson,
            "",
            format!("草稿无法读取:{e}"),
            format!("the draft cannot be read: {e}"),
        ))
    })?;
    input::policy_doc_from_value(v, || {
        yibao_core::trace::sha256_hex(tree.to_string().as_bytes())
    })
}

fn drop_nulls(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|_, c| !c.is_null());
            m.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// TOML dates come through serde as `{ "$__toml_private_datetime": "2024-01-01" }`: the tree
/// holds them as the strings the JSON form has.
fn plain_dates(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.len() == 1 {
                if let Some(Value::String(s)) = m.get("$__toml_private_datetime") {
                    *v = Value::String(s.clone());
                    return;
                }
            }
            m.values_mut().for_each(plain_dates);
        }
        Value::Array(items) => items.iter_mut().for_each(plain_dates),
        _ => {}
    }
}

/// What opening a file gave.
pub enum Opened {
    /// A policy: its tree, and the problems the CLI would report for the file (with lines).
    Policy { tree: Value, problems: Problems },
    /// A worked-cases file.
    Cases(Vec<WorkedCase>),
}

/// A file the user opened (dropped or picked): a policy in TOML or JSON (`yibao export`'s
/// `{ policy, sha256 }` or the bare rules), or a `*.cases.toml`. A file that is not even TOML or
/// JSON gives its problems (with the line) and nothing to edit.
pub fn open(name: &str, text: &str) -> Result<Opened, Problems> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".cases.toml") {
        return yibao_core::policy::load::parse_strict::<CaseFile>(text, name)
            .map(|f| Opened::Cases(f.cases));
    }
    if lower.ends_with(".json") {
        let mut tree: Value = serde_json::from_str(text)
            .map_err(|_| input::json_value(text).err().unwrap_or(Problems(vec![])))?;
        if let Some(p) = tree.get_mut("policy").map(Value::take) {
            tree = p;
        }
        drop_nulls(&mut tree);
        let problems = input::policy_doc_from_json(text)
            .err()
            .unwrap_or(Problems(vec![]));
        return Ok(Opened::Policy { tree, problems });
    }
    let problems = yibao_core::policy::load::parse_policy(text, name)
        .err()
        .unwrap_or(Problems(vec![]));
    let mut tree: Value = match toml::from_str(text) {
        Ok(t) => t,
        // The CLI's own message, with the line.
        Err(_) => return Err(problems),
    };
    plain_dates(&mut tree);
    Ok(Opened::Policy { tree, problems })
}

/// The value at `path`.
pub fn get<'a>(tree: &'a Value, path: &str) -> Option<&'a Value> {
    let mut v = tree;
    for seg in schema::parse_path(path) {
        v = match seg {
            Seg::Key(k) => v.get(&k)?,
            Seg::Index(i) => v.get(i)?,
        };
    }
    Some(v)
}

/// Put `value` at `path`, making the tables on the way.
pub fn set(tree: &mut Value, path: &str, value: Value) {
    let segs = schema::parse_path(path);
    let mut v = tree;
    for seg in segs {
        v = match seg {
            Seg::Key(k) => {
                if !v.is_object() {
                    *v = Value::Object(Map::new());
                }
                v.as_object_mut()
                    .map(|m| m.entry(k).or_insert(Value::Null))
                    .expect("an object")
            }
            Seg::Index(i) => match v.as_array_mut() {
                Some(items) if i < items.len() => &mut items[i],
                _ => return,
            },
        };
    }
    *v = value;
}

/// Take the value at `path` out of the tree (a key of a table, an item of a list).
pub fn remove(tree: &mut Value, path: &str) {
    let mut segs = schema::parse_path(path);
    let Some(last) = segs.pop() else { return };
    let mut v = tree;
    for seg in segs {
        v = match (seg, v) {
            (Seg::Key(k), Value::Object(m)) => match m.get_mut(&k) {
                Some(c) => c,
                None => return,
            },
            (Seg::Index(i), Value::Array(items)) if i < items.len() => &mut items[i],
            _ => return,
        };
    }
    match (last, v) {
        (Seg::Key(k), Value::Object(m)) => {
            m.remove(&k);
        }
        (Seg::Index(i), Value::Array(items)) if i < items.len() => {
            items.remove(i);
        }
        _ => {}
    }
}

/// Append `value` to the list at `path` (made when absent); returns the new item's index.
pub fn push(tree: &mut Value, path: &str, value: Value) -> usize {
    if !get(tree, path).is_some_and(Value::is_array) {
        set(tree, path, Value::Array(vec![]));
    }
    let mut n = 0;
    if let Some(Value::Array(items)) = get_mut(tree, path) {
        items.push(value);
        n = items.len() - 1;
    }
    n
}

fn get_mut<'a>(tree: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut v = tree;
    for seg in schema::parse_path(path) {
        v = match seg {
            Seg::Key(k) => v.get_mut(&k)?,
            Seg::Index(i) => v.get_mut(i)?,
        };
    }
    Some(v)
}

/// Where a problem is shown: its own path when the form has a field for it (in the tree, or a
/// field the schema knows under a value that is), else the nearest value above it.
pub fn anchor(tree: &Value, path: &str) -> String {
    let mut p = path.to_string();
    loop {
        if p.is_empty() || get(tree, &p).is_some() {
            return p;
        }
        let parent = parent(&p);
        if schema::kind_at(&p).is_some() && get(tree, &parent).is_some() {
            return p;
        }
        p = parent;
    }
}

/// `a.b[2].c` → `a.b[2]`; `a.b[2]` → `a.b`.
pub fn parent(path: &str) -> String {
    match path.rfind(['.', '[']) {
        Some(i) => path[..i].to_string(),
        None => String::new(),
    }
}

/// The source ids of the tree (for the citation menus).
pub fn source_ids(tree: &Value) -> Vec<String> {
    tree.get("sources")
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .filter_map(|x| x.get("id").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The ids of the list at `key` (`levels`, `categories`).
pub fn ids(tree: &Value, key: &str) -> Vec<String> {
    tree.get(key)
        .and_then(Value::as_array)
        .map(|s| {
            s.iter()
                .filter_map(|x| x.get("id").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_shipped_policy_opens_valid_with_its_cases() {
        let d = Draft::shipped("demo-county/resident-2024").unwrap();
        let doc = d.check().unwrap();
        assert_eq!(doc.policy.meta.id, "demo-county/resident-2024");
        assert!(d.cases.len() > 5, "{}", d.cases.len());
        assert_eq!(
            get(&d.tree, "inpatient.deductible.by_level.county"),
            Some(&json!("600"))
        );
        assert!(Draft::shipped("no/such").is_none());
    }

    #[test]
    fn both_templates_are_valid_under_a_new_id() {
        for (kind, _, _) in TEMPLATES {
            let d = Draft::template(kind).unwrap();
            let doc = d.check().unwrap_or_else(|e| panic!("{kind}: {e}"));
            assert_eq!(doc.policy.meta.id, format!("my-county/{kind}"));
            assert!(d.cases.is_empty());
            assert!(doc.policy.meta.region_code.is_none() && doc.policy.meta.note.is_none());
        }
        let emp = Draft::template("employee").unwrap().check().unwrap();
        assert_eq!(emp.policy.meta.scheme, yibao_core::policy::Scheme::Employee);
    }

    #[test]
    fn an_edit_with_mistakes_stays_editable_and_each_mistake_has_its_field() {
        let mut d = Draft::shipped("demo-county/resident-2024").unwrap();
        set(&mut d.tree, "inpatient.ratio.rates.county", json!("800%"));
        set(&mut d.tree, "inpatient.caps.anual_fund", json!("1"));
        let ps = d.check().unwrap_err().0;
        let at: Vec<_> = ps
            .iter()
            .map(|p| (p.code.as_str(), anchor(&d.tree, &p.path)))
            .collect();
        assert!(
            at.contains(&("invalid_rate", "inpatient.ratio.rates.county".into())),
            "{at:?}"
        );
        assert!(
            at.contains(&("unknown_key", "inpatient.caps.anual_fund".into())),
            "{at:?}"
        );
        remove(&mut d.tree, "inpatient.caps.anual_fund");
        set(&mut d.tree, "inpatient.ratio.rates.county", json!("80%"));
        assert!(d.check().is_ok());
        // A required field missing is shown at its own (empty) field.
        remove(&mut d.tree, "layers[0].threshold");
        let ps = d.check().unwrap_err().0;
        assert_eq!(
            anchor(&d.tree, &ps[0].path),
            "layers[0].threshold",
            "{ps:?}"
        );
        assert_eq!(anchor(&d.tree, "nowhere.deep[3].x"), "");
    }

    #[test]
    fn files_open_as_toml_json_or_cases_and_a_broken_file_says_where() {
        let text = yibao_shipped::file(yibao_shipped::DEMO).unwrap();
        let Ok(Opened::Policy { tree, problems }) = open("p.toml", text) else {
            panic!()
        };
        assert!(problems.0.is_empty());
        assert_eq!(tree["meta"]["effective_from"], json!("2024-01-01"));
        let doc = check_tree(&tree).unwrap();
        let exported = serde_json::to_string_pretty(&doc).unwrap();
        let Ok(Opened::Policy { tree: t2, .. }) = open("p.json", &exported) else {
            panic!()
        };
        assert_eq!(tree_of(&check_tree(&t2).unwrap()), tree_of(&doc));
        let bad = open("p.toml", "[meta\nid = 1").err().unwrap();
        assert_eq!(bad.0[0].code, yibao_core::Code::InvalidToml);
        assert_eq!(bad.0[0].line, Some(1));
        let cases = yibao_shipped::file("demo-county/resident-2024.cases.toml").unwrap();
        assert!(matches!(open("x.cases.toml", cases), Ok(Opened::Cases(c)) if c.len() > 5));
    }

    #[test]
    fn lists_grow_and_shrink_by_path() {
        let mut t = json!({});
        push(&mut t, "layers[0].tiers", json!({"rate": "50%"}));
        assert!(get(&t, "layers[0]").is_none(), "no layer 0 to grow");
        assert_eq!(push(&mut t, "levels", json!({"id": "a"})), 0);
        assert_eq!(push(&mut t, "levels", json!({"id": "b"})), 1);
        remove(&mut t, "levels[0]");
        assert_eq!(ids(&t, "levels"), ["b"]);
        assert_eq!(parent("a.b[2].c"), "a.b[2]");
        assert_eq!(parent("a.b[2]"), "a.b");
    }
}
