//! Writes the seed corpus (`fuzz/corpus/<target>/seed-*`) and the dictionaries (`fuzz/dict/`)
//! from what the project ships: every file under `policies/`, each shipped policy as `yibao
//! export` writes it, every worked case's input as JSON, and each entry of
//! `tests/bad-inputs.json`. Run by `cargo xtask fuzz seed`, which then minimizes the corpus
//! (`cargo xtask fuzz minimize`: the seeds that add no coverage are removed again, except the
//! regression inputs and one seed of each kind); the output is committed.
//!
//! Files libFuzzer found (named by their SHA-1) are left alone; only `seed-*` files are rewritten.

use serde_json::{json, Value as J};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use yibao_core::policy::load::parse_strict;
use yibao_core::worked::CaseFile;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// `a/b-c.toml` → `a__b-c.toml`: one flat folder per target.
fn flat(path: &str) -> String {
    path.replace('/', "__")
}

/// Set `path` (dotted keys) in `v` to `to`; `null` removes the key.
fn set(v: &mut J, path: &str, to: &J) {
    let mut at = v;
    let keys: Vec<&str> = path.split('.').collect();
    for k in &keys[..keys.len() - 1] {
        at = at
            .as_object_mut()
            .expect("a table on the way")
            .entry(k.to_string())
            .or_insert(json!({}));
    }
    let obj = at.as_object_mut().expect("a table at the end");
    let last = keys[keys.len() - 1].to_string();
    if to.is_null() {
        obj.remove(&last);
    } else {
        obj.insert(last, to.clone());
    }
}

fn main() {
    let root = root();
    let mut seeds: Vec<(&str, String, Vec<u8>)> = Vec::new();
    let mut keys: BTreeSet<String> = BTreeSet::new();

    // Every TOML file shipped: policies, worked cases, examples.
    let mut files = Vec::new();
    walk(&root.join("policies"), &mut files);
    files.sort();
    for f in &files {
        let rel = f
            .strip_prefix(root.join("policies"))
            .expect("under policies/")
            .to_string_lossy()
            .into_owned();
        let text = fs::read_to_string(f).expect("a shipped file reads");
        collect_toml_keys(&text.parse::<toml::Table>().expect("TOML"), &mut keys);
        seeds.push(("toml", flat(&rel), text.into_bytes()));
    }

    // Each shipped policy as `yibao export` writes it (and, for the demo, the bare rules).
    let shipped = yibao_fuzz::shipped();
    for s in shipped {
        let name = flat(&s.path).replace(".toml", ".export.json");
        let text = serde_json::to_string_pretty(&s.doc).expect("JSON");
        seeds.push(("policy_json", name, text.into_bytes()));
    }
    let demo = &shipped[0];
    let bare = serde_json::to_string_pretty(&demo.doc.policy).expect("JSON");
    seeds.push((
        "policy_json",
        flat(&demo.path).replace(".toml", ".bare.json"),
        bare.into_bytes(),
    ));

    // Every worked case's input as JSON (the shape the npm package and `--case x.json` take).
    let mut cases: Vec<(String, String)> = Vec::new();
    // The inputs as their authors wrote them (not every default filled in), TOML → JSON.
    for (path, text) in yibao_shipped::cases() {
        parse_strict::<CaseFile>(text, path).expect("the shipped cases read");
        let table = text.parse::<toml::Table>().expect("TOML");
        for c in table["cases"].as_array().expect("[[cases]]") {
            let id = c["id"].as_str().expect("id");
            let name = format!("{}__{id}.json", flat(path).replace(".cases.toml", ""));
            let input = to_json(&c["input"]);
            cases.push((name, serde_json::to_string(&input).expect("JSON")));
        }
    }

    // The bad inputs every front end must report alike.
    let bad: J = serde_json::from_str(
        &fs::read_to_string(root.join("tests/bad-inputs.json")).expect("bad-inputs.json"),
    )
    .expect("bad-inputs.json is JSON");
    let export = serde_json::to_value(&demo.doc).expect("JSON");
    for (i, entry) in bad["inputs"].as_array().expect("inputs").iter().enumerate() {
        let kind = entry["kind"].as_str().expect("kind");
        if kind == "pathway" {
            // A pathway request has no fuzz target of its own.
            continue;
        }
        let mut v = if kind == "case" {
            bad["case"].clone()
        } else {
            export.clone()
        };
        for (k, to) in entry["set"].as_object().expect("set") {
            set(&mut v, k, to);
        }
        let name = format!("bad-{i:02}-{}.json", entry["code"].as_str().expect("code"));
        let text = serde_json::to_string_pretty(&v).expect("JSON");
        if kind == "case" {
            cases.push((name, text));
        } else {
            seeds.push(("policy_json", name, text.into_bytes()));
        }
    }
    for (i, (name, text)) in cases.iter().enumerate() {
        seeds.push(("case_json", name.clone(), text.clone().into_bytes()));
        seeds.push(("estimate", name.clone(), text.clone().into_bytes()));
        // And with one edge value (see `yibao_fuzz::twist`) in place of one node, a different
        // node and edge each time: the fuzzer starts with inputs that carry twists.
        let mut twisted = text.clone().into_bytes();
        twisted.extend([0, (i * 7 % 127) as u8, 16 + (i % 16) as u8]);
        twisted.extend([0x80 + (i % 26) as u8, (i / 26 % 32) as u8]);
        seeds.push(("estimate", name.replace(".json", ".twisted"), twisted));
    }

    // Each count, amount and date of a case at each edge value (a twist byte ≥ 0x80, see
    // `yibao_fuzz::js_tree`), on worked cases in turn: 26 × 32 small inputs the fuzzer starts
    // from, each one mutation away from its neighbours.
    let good: Vec<&(String, String)> = cases
        .iter()
        .filter(|(n, _)| !n.starts_with("bad-"))
        .collect();
    for f in 0..26u8 {
        for e in 0..32u8 {
            let (_, text) = good[(usize::from(f) * 32 + usize::from(e)) * 7 % good.len()];
            let mut bytes = text.clone().into_bytes();
            bytes.extend([0, 0x80 + f, e]);
            seeds.push(("estimate", format!("edge-f{f:02}-e{e:02}"), bytes));
        }
    }

    // The JS-object path: the bad inputs and one case of each file, plain and twisted (after a
    // NUL: node, operation pairs — NaN, undefined, BigInt … in place of a few nodes).
    let mut first_of_file = BTreeSet::new();
    for (name, text) in &cases {
        let file = name.split("__").take(2).collect::<Vec<_>>().join("__");
        if !(name.starts_with("bad-") || first_of_file.insert(file)) {
            continue;
        }
        seeds.push(("js_value", name.clone(), text.clone().into_bytes()));
        let mut twisted = text.clone().into_bytes();
        twisted.extend([0, 3, 2, 5, 0, 7, 13]);
        seeds.push(("js_value", name.replace(".json", ".twisted"), twisted));
    }
    let demo_export = serde_json::to_string(&demo.doc).expect("JSON").into_bytes();
    seeds.push(("js_value", "demo.export.json".into(), demo_export));

    // Claims files: a small generated county-year for each replayed policy, and the reader's
    // regression files (as spreadsheets write them).
    for s in shipped.iter().filter(|s| {
        s.path.starts_with("demo-county/resident") || s.path.starts_with("chongqing/employee")
    }) {
        let spec = yibao_batch::generate::Spec {
            claims: 40,
            seed: 7,
            inpatient_only: false,
        };
        let claims = yibao_batch::generate::claims(&s.doc.policy, &spec);
        let mut csv = Vec::new();
        yibao_batch::text::write_claims(&mut csv, &claims).expect("claims written");
        seeds.push((
            "claims_csv",
            flat(&s.path).replace(".toml", ".claims.csv"),
            csv,
        ));
    }
    let mut reader_files: Vec<PathBuf> = fs::read_dir(root.join("tests/fixtures/claims-reader"))
        .expect("the reader's regression files")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    reader_files.sort();
    for f in reader_files {
        let name = format!("reader-{}", f.file_name().unwrap().to_string_lossy());
        seeds.push((
            "claims_csv",
            name,
            fs::read(&f).expect("a regression file reads"),
        ));
    }

    for t in yibao_fuzz::TARGETS {
        let dir = root.join("fuzz/corpus").join(t);
        fs::create_dir_all(&dir).expect("corpus folder");
        for e in fs::read_dir(&dir).expect("corpus folder").flatten() {
            if e.file_name().to_string_lossy().starts_with("seed-") {
                fs::remove_file(e.path()).expect("old seed removed");
            }
        }
    }
    for (t, name, bytes) in &seeds {
        let path = root
            .join("fuzz/corpus")
            .join(t)
            .join(format!("seed-{name}"));
        fs::write(&path, bytes).expect("seed written");
    }

    // Dictionaries: every key the shipped files use, and each format's own tokens.
    let mut toml_dict: Vec<String> = keys.iter().map(|k| format!("{k} = ")).collect();
    toml_dict.extend(
        [
            "[[",
            "]]",
            "[",
            "]",
            " = ",
            "\"\"\"",
            "'''",
            "\"",
            "'",
            "{ ",
            " }",
            ", ",
            "\n",
            "true",
            "false",
            "inf",
            "nan",
            "-0",
            "1e400",
            "2024-02-29",
            "2023-02-30",
            "1979-05-27T07:32:00Z",
            "0x10",
            "1_000",
            "\"%\"",
            "\"元\"",
        ]
        .map(String::from),
    );
    toml_dict.extend(keys.iter().cloned());
    let mut json_dict: Vec<String> = keys.iter().map(|k| format!("\"{k}\":")).collect();
    json_dict.extend(
        [
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "null",
            "true",
            "false",
            "\"\"",
            "-0",
            "1e400",
            "0.001",
            "4294967295",
            "18446744073709551616",
            "\"99999999999.99\"",
            "\\u0000",
            "\\ud800",
            "\"2024-02-29\"",
            "\"-5\"",
            "\"12abc\"",
            "\"120%\"",
            "\u{0}",
        ]
        .map(String::from),
    );
    fs::create_dir_all(root.join("fuzz/dict")).expect("dict folder");
    write_dict(&root.join("fuzz/dict/toml.dict"), &toml_dict);
    write_dict(&root.join("fuzz/dict/json.dict"), &json_dict);
    // CSV: the claim columns, the values their cells take, and the characters that split cells.
    let mut csv_dict: Vec<String> = yibao_core::claims::COLUMNS
        .iter()
        .map(|c| c.to_string())
        .collect();
    csv_dict.extend(
        [
            ",",
            "\"",
            "\"\"",
            "\r\n",
            "\n",
            "\u{feff}",
            "inpatient",
            "outpatient",
            "true",
            "false",
            "2024-02-29",
            "1,234.50",
            "\"1,234.50\"",
            "0.001",
            "70.0",
            "-1",
            "99999999999.99",
        ]
        .map(String::from),
    );
    write_dict(&root.join("fuzz/dict/csv.dict"), &csv_dict);
    println!(
        "{} seeds, {} keys in the dictionaries",
        seeds.len(),
        keys.len()
    );
}

/// A TOML value as JSON; a date is its text.
fn to_json(v: &toml::Value) -> J {
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("folder reads").flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

fn collect_toml_keys(t: &toml::Table, keys: &mut BTreeSet<String>) {
    for (k, v) in t {
        keys.insert(k.clone());
        collect_value_keys(v, keys);
    }
}

fn collect_value_keys(v: &toml::Value, keys: &mut BTreeSet<String>) {
    match v {
        toml::Value::Table(t) => collect_toml_keys(t, keys),
        toml::Value::Array(a) => a.iter().for_each(|x| collect_value_keys(x, keys)),
        _ => {}
    }
}

/// libFuzzer's dictionary format: one `"token"` a line, `\"`, `\\` and `\xNN` escaped.
fn write_dict(path: &Path, tokens: &[String]) {
    let mut out = String::from("# Written by `cargo xtask fuzz seed` (fuzz/examples/seeds.rs).\n");
    for t in tokens {
        out.push('"');
        for b in t.bytes() {
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                0x20..=0x7e => out.push(b as char),
                _ => out.push_str(&format!("\\x{b:02X}")),
            }
        }
        out.push_str("\"\n");
    }
    fs::write(path, out).expect("dictionary written");
}
