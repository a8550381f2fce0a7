//! `yibao_core::json`, the compact writer the npm package uses for every result, writes byte
//! for byte what serde_json writes: every shipped policy, every worked case's estimate (or its
//! problems), range, referral verdict, pathway comparison and transfer-down suggestion.
#![cfg(all(not(target_arch = "wasm32"), feature = "toml"))]

use serde::Serialize;
use yibao_core::policy::load::parse_policy;
use yibao_core::referral::{self, compare::CompareRequest, transfer::TransferRequest};
use yibao_core::worked::CaseFile;
use yibao_core::{bundled, json, read, Date};

fn same<T: Serialize>(v: &T) -> usize {
    let ours = json::to_string(v).expect("writable");
    assert_eq!(ours, serde_json::to_string(v).unwrap());
    ours.len()
}

#[test]
fn every_result_is_written_as_serde_json_writes_it() {
    let today = Date::parse("2025-06-01").unwrap();
    let (mut results, mut bytes) = (0, 0);
    for (path, text) in bundled::policies() {
        let doc = parse_policy(text, path).unwrap();
        bytes += same(&doc);
        let Some(cases) = bundled::file(&path.replace(".toml", ".cases.toml")) else {
            continue;
        };
        let file: CaseFile = toml::from_str(cases).unwrap();
        for wc in file.cases {
            let case = &wc.input;
            bytes += match yibao_core::estimate(&doc, case, today) {
                Ok(e) => same(&e),
                Err(problems) => same(&problems),
            };
            if let Ok(r) = yibao_core::estimate_range(&doc, case, today) {
                bytes += same(&r);
            }
            bytes += same(&referral::assess(&doc.policy, case, today));
            let disease = case
                .disease
                .as_deref()
                .map_or("null".to_string(), |d| format!("{d:?}"));
            let req: CompareRequest = read::from_json(&format!(
                r#"{{"disease":{disease},"expected_cost":"12345.67"}}"#
            ))
            .unwrap();
            if let Ok(c) = referral::compare::compare(&doc, &req, today) {
                bytes += same(&c);
            }
            let req: TransferRequest = read::from_json(&format!(
                r#"{{"level":{:?},"disease":{disease},"daily_costs":["900","850","820.5","800"]}}"#,
                case.level
            ))
            .unwrap();
            if let Ok(t) = referral::transfer::suggest(&doc, &req, today) {
                bytes += same(&t);
            }
            results += 1;
        }
    }
    assert!(results >= 10, "only {results} worked cases");
    assert!(bytes > 100_000, "only {bytes} bytes written");
}
