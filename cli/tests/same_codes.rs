//! The shared bad inputs of `tests/bad-inputs.json` through the real binary: each is rejected
//! with the code and path the file names — the same ones the npm package and the widget report
//! for the same input (tests/browser/pkg/node.mjs, tests/browser/web/run.mjs). A pathway entry
//! goes to `yibao refer` as flags; its path is then the flag (`--` and the path's last key).

use serde_json::Value;
use std::process::Output;

mod common;
use common::yibao;

/// `set` applied to `base`: each key path (`a.b.c`) gets the value; `null` removes the key.
fn with(base: &Value, set: &Value) -> Value {
    let mut v = base.clone();
    for (path, value) in set.as_object().unwrap() {
        let keys: Vec<&str> = path.split('.').collect();
        let (last, head) = keys.split_last().unwrap();
        let mut at = &mut v;
        for k in head {
            at = at.get_mut(*k).unwrap_or_else(|| panic!("{path}: no {k}"));
        }
        let obj = at.as_object_mut().unwrap();
        if value.is_null() {
            obj.remove(*last);
        } else {
            obj.insert(last.to_string(), value.clone());
        }
    }
    v
}

/// `yibao refer` with the pathway request's fields as flags.
fn refer(policy: &str, req: &Value) -> Output {
    let mut args = vec!["refer".to_string(), "--policy".into(), policy.into()];
    for (flag, v) in [
        ("--level", &req["level"]),
        ("--disease", &req["disease"]),
        ("--category", &req["patient"]["category"]),
        ("--age", &req["patient"]["age"]),
    ] {
        match v {
            Value::Null => {}
            Value::String(s) => args.extend([flag.to_string(), s.clone()]),
            other => args.extend([flag.to_string(), other.to_string()]),
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    yibao(&args)
}

/// `(code, path)` of every problem the CLI printed (`错误 / error (code): file: [path] …`).
fn reported(out: &Output) -> Vec<(String, String)> {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr:\n{err}");
    err.lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("错误 / error (")?;
            let (code, rest) = rest.split_once("): ")?;
            let path = rest
                .split_once(" [")
                .or_else(|| rest.split_once('['))
                .and_then(|(_, p)| p.split_once(']'))
                .map(|(p, _)| p.to_string())
                .unwrap_or_default();
            Some((code.to_string(), path))
        })
        .collect()
}

#[test]
fn the_shared_bad_inputs_get_their_codes_and_paths() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let file: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/tests/bad-inputs.json")).unwrap(),
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("yibao-same-codes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let export = yibao(&["export", "--policy", file["policy"].as_str().unwrap()]);
    assert!(export.status.success());
    let policy: Value = serde_json::from_slice(&export.stdout).unwrap();
    let inputs = file["inputs"].as_array().unwrap();
    assert!(inputs.len() >= 10);
    for (i, entry) in inputs.iter().enumerate() {
        let kind = entry["kind"].as_str().unwrap();
        let path = entry["path"].as_str().unwrap();
        let want = (
            entry["code"].as_str().unwrap().to_string(),
            match kind {
                "pathway" => format!("--{}", path.rsplit('.').next().unwrap()),
                _ => path.to_string(),
            },
        );
        let out = match kind {
            "pathway" => refer(
                file["pathway_policy"].as_str().unwrap(),
                &with(&file["pathway"], &entry["set"]),
            ),
            "case" => {
                let p = dir.join(format!("case{i}.json"));
                std::fs::write(&p, with(&file["case"], &entry["set"]).to_string()).unwrap();
                let policy = file["case_policy"].as_str().unwrap();
                yibao(&[
                    "estimate",
                    "--policy",
                    policy,
                    "--case",
                    p.to_str().unwrap(),
                ])
            }
            _ => {
                let p = dir.join(format!("policy{i}.json"));
                std::fs::write(&p, with(&policy, &entry["set"]).to_string()).unwrap();
                yibao(&["validate", p.to_str().unwrap()])
            }
        };
        let got = reported(&out);
        assert!(
            got.contains(&want),
            "input {i} {}: want {want:?}, got {got:?}\n{}",
            entry["set"],
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The untouched inputs are accepted: each rejection above is the entry's doing.
    let p = dir.join("case.json");
    std::fs::write(&p, file["case"].to_string()).unwrap();
    let ok = yibao(&[
        "estimate",
        "--policy",
        file["case_policy"].as_str().unwrap(),
        "--case",
        p.to_str().unwrap(),
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let p = dir.join("policy.json");
    std::fs::write(&p, policy.to_string()).unwrap();
    assert!(yibao(&["validate", p.to_str().unwrap()]).status.success());
    // The pathway request, its disease by name, is accepted (as `checkPathway` accepts it).
    let ok = refer(file["pathway_policy"].as_str().unwrap(), &file["pathway"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(file["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "pathway"));
}
