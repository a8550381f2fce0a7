//! What an estimate leaves out, through the real binary: the text prints under the figure every
//! entry that `--json` carries, in both languages, for a large stay under every shipped policy;
//! the 重庆 retiree of issue 27 gets the policy's own 大额 sentence.

mod common;
use common::yibao;
use serde_json::Value;

fn write_case(name: &str, json: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("yibao-caveats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, json).unwrap();
    path
}

fn run(args: &[&str]) -> String {
    let out = yibao(args);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?}: {said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    said
}

#[test]
fn the_chongqing_retiree_is_told_that_large_expense_insurance_is_not_included() {
    let case = write_case(
        "cq.json",
        r#"{"date":"2025-06-01","level":"level3","patient":{"category":"retired","age":70},
            "bill":{"total":"320000","in_scope":"300000"}}"#,
    );
    let c = case.to_str().unwrap();
    let policy: Value =
        serde_json::from_str(&run(&["export", "--policy", "chongqing/employee-2024"])).unwrap();
    let entry = policy["policy"]["not_encoded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["rule"] == "hifob")
        .expect("重庆 lists 大额 as not encoded")
        .clone();
    let json: Value = serde_json::from_str(&run(&[
        "estimate",
        "--policy",
        "chongqing/employee-2024",
        "--case",
        c,
        "--json",
    ]))
    .unwrap();
    assert_eq!(json["settlement"]["hifob_pay"], "0");
    let carried = json["caveats"]["not_encoded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == entry["id"])
        .expect("--json carries the 大额 entry");
    assert_eq!(carried["zh"], entry["zh"]);
    assert_eq!(carried["effect"], "overstates");
    let text = run(&[
        "estimate",
        "--policy",
        "chongqing/employee-2024",
        "--case",
        c,
    ]);
    let figure = text.find("预计个人负担").unwrap();
    let said = text
        .find(entry["zh"].as_str().unwrap())
        .expect("text says it");
    assert!(said > figure, "the sentence follows the figure");
}

/// For every shipped policy, a stay far above any cap at its highest level: whatever `--json`
/// carries, the text prints — the two outputs of the same run compared.
#[test]
fn the_text_prints_every_caveat_the_json_carries() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut files = vec![];
    for region in std::fs::read_dir(format!("{root}/policies")).unwrap() {
        for f in std::fs::read_dir(region.unwrap().path()).unwrap() {
            let f = f.unwrap().path();
            let name = f.to_string_lossy().into_owned();
            if name.ends_with(".toml") && !name.ends_with(".cases.toml") {
                files.push(name);
            }
        }
    }
    files.sort();
    let (mut policies, mut entries) = (0, 0);
    for file in &files {
        let id = file.as_str();
        let exported: Value = serde_json::from_str(&run(&["export", "--policy", id])).unwrap();
        let pol = &exported["policy"];
        let Some(level) = pol["levels"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| {
                let id = &l["id"];
                let r = &pol["inpatient"]["ratio"];
                r["rates"].get(id.as_str().unwrap()).is_some()
                    || r["tiered"].get(id.as_str().unwrap()).is_some()
            })
            .max_by_key(|l| l["rank"].as_u64())
        else {
            continue;
        };
        let case = write_case(
            &format!("{}.json", id.replace('/', "_")),
            &format!(
                r#"{{"date":"{}","level":{},"patient":{{"category":{}}},"bill":{{"total":"5000000","in_scope":"5000000"}}}}"#,
                pol["meta"]["effective_from"].as_str().unwrap(),
                level["id"],
                pol["categories"][0]["id"]
            ),
        );
        let c = case.to_str().unwrap();
        let json: Value =
            serde_json::from_str(&run(&["estimate", "--policy", id, "--case", c, "--json"]))
                .unwrap();
        for (lang, key) in [("zh", "zh"), ("en", "en")] {
            let text = run(&["estimate", "--policy", id, "--case", c, "--lang", lang]);
            for o in json["caveats"]["not_encoded"].as_array().unwrap() {
                assert!(
                    text.contains(o[key].as_str().unwrap()),
                    "{id} ({lang}): the text lacks {}",
                    o["id"]
                );
                entries += 1;
            }
            assert!(
                text.contains(json["caveats"]["evidence"][key].as_str().unwrap())
                    || json["caveats"]["evidence"]["status"] == "official",
                "{id} ({lang}): the evidence grade is not printed"
            );
        }
        policies += 1;
    }
    assert!(policies >= 20, "{policies} policies estimated");
    assert!(entries >= 100, "{entries} entries compared");
}
