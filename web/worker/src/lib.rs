//! The office workbench's replay (提标测算) in the browser: a claims CSV through two policies —
//! the one the office compares with (the current one) and its draft — in a module web worker
//! (`web/replay-worker.js`), so the page stays responsive; nothing leaves the browser.
//!
//! The same code as `yibao replay --claims F --policy A --policy B`: yibao-batch's CSV reader
//! (`text::read_claims`) and replay (`run::replay`, here without threads: person after person,
//! with progress between persons), core's partition, chained year to date and summaries, and
//! `run::extremes` for who gains and loses most. The report is the CLI's `--json` without its
//! wall-clock times and file name (`yibao_batch::report`, one definition for both).

use yibao_batch::report::Report;
use yibao_batch::{run, text, Replay};
use yibao_core::input::policy_doc_from_json;
use yibao_core::{PolicyDoc, Problems};

#[cfg(target_arch = "wasm32")]
mod bind;

/// Replay the claims file `csv` under `policies` (each an exported policy's JSON, as
/// `yibao export` writes it; the first is compared with, the second is the draft). `progress`
/// gets the policy's index, the claims done and their number. A policy that does not read is
/// the only error: a bad row is reported in the result, and the other claims still run.
pub fn compare(
    csv: &[u8],
    policies: [&str; 2],
    top: usize,
    progress: &(dyn Fn(usize, u64, u64) + Sync),
) -> Result<Report, Problems> {
    let docs = policies
        .iter()
        .enumerate()
        .map(|(i, json)| {
            policy_doc_from_json(json).map_err(|ps| {
                let (zh, en) = if i == 0 {
                    ("对比政策", "the policy compared with")
                } else {
                    ("草稿", "the draft")
                };
                Problems(
                    ps.0.into_iter()
                        .map(|mut p| {
                            p.message_zh = format!("{zh}:{}", p.message_zh);
                            p.message_en = format!("{en}: {}", p.message_en);
                            p
                        })
                        .collect(),
                )
            })
        })
        .collect::<Result<Vec<PolicyDoc>, Problems>>()?;
    let mut loaded = text::read_claims(csv).map_err(Problems::from)?;
    let total = loaded.claims.len() as u64;
    let runs: Vec<Replay> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| run::replay_loaded(d, &loaded, &|n| progress(i, n, total)))
        .collect();
    Ok(Report::new(&docs, &mut loaded, &runs, top))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use yibao_batch::generate::{self, Spec};
    use yibao_batch::report::percent;
    use yibao_core::policy::load::parse_policy;

    /// The demo policy, and the draft that raises the county hospital's 起付线 from 600 to 800,
    /// each as the JSON the page posts (an exported `PolicyDoc`).
    fn policies() -> (PolicyDoc, PolicyDoc) {
        let text = yibao_shipped::file("demo-county/resident-2024.toml").unwrap();
        let now = parse_policy(text, "resident-2024.toml").unwrap();
        let at = "county = \"600\"";
        assert!(text.contains(at), "the demo's county 起付线 is 600");
        let draft = parse_policy(&text.replacen(at, "county = \"800\"", 1), "draft.toml").unwrap();
        (now, draft)
    }

    fn csv_of(doc: &PolicyDoc, n: usize) -> String {
        let claims = generate::claims(
            &doc.policy,
            &Spec {
                seed: 2,
                claims: n,
                inpatient_only: false,
            },
        );
        let mut out = vec![];
        text::write_claims(&mut out, &claims).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_report_is_the_cli_replay_of_both_policies_with_bad_rows_and_progress() {
        let (now, draft) = policies();
        let mut csv = csv_of(&now, 4500);
        // Two bad rows after the good ones: rows 4502 and 4503 of the file (the header is row 1).
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let good: Vec<String> = csv
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .map(String::from)
            .collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let mut bad_date = good.clone();
        bad_date[col("claim_id")] = "BAD-DATE".into();
        bad_date[col("date")] = "2024-13-40".into();
        let mut bad_total = good.clone();
        bad_total[col("claim_id")] = "BAD-TOTAL".into();
        bad_total[col("total")] = "-5".into();
        csv += &format!("{}\n{}\n", bad_date.join(","), bad_total.join(","));

        let told = Mutex::new(vec![]);
        let (a, b) = (
            serde_json::to_string(&now).unwrap(),
            serde_json::to_string(&draft).unwrap(),
        );
        let r = compare(csv.as_bytes(), [&a, &b], 5, &|p, n, t| {
            told.lock().unwrap().push((p, n, t))
        })
        .unwrap();
        let change = r.change.as_ref().unwrap();

        // What the CLI runs: the same reader, the same replay.
        let loaded = text::read_claims(csv.as_bytes()).unwrap();
        let quiet = |_| {};
        let (ra, rb) = (
            run::replay(&now, &loaded.claims, &quiet),
            run::replay(&draft, &loaded.claims, &quiet),
        );
        assert_eq!(r.claims_read, 4500);
        assert_eq!(r.policies[0].summary, ra.summary);
        assert_eq!(r.policies[1].summary, rb.summary);
        assert_eq!(r.policies[1].sha256, draft.sha256);
        assert!(
            rb.summary.all.get(yibao_core::estimate::Key::PsnPartAmt)
                > ra.summary.all.get(yibao_core::estimate::Key::PsnPartAmt),
            "a higher 起付线: people pay more"
        );
        assert_eq!(
            change.psn_part_amt,
            (rb.summary.all.get(yibao_core::estimate::Key::PsnPartAmt).0
                - ra.summary.all.get(yibao_core::estimate::Key::PsnPartAmt).0)
                .to_string()
        );
        assert!(
            change.fund_pay_sumamt.starts_with('-'),
            "{}",
            change.fund_pay_sumamt
        );
        assert_eq!(change.persons, run::extremes(&loaded.claims, &ra, &rb, 5));
        assert!(change.persons.more > 0 && change.persons.fewer == 0);
        let rows: Vec<(u64, &str)> = r
            .bad_rows
            .iter()
            .map(|b| (b.row, b.problem.path.as_str()))
            .collect();
        assert_eq!(rows, [(4502, "date"), (4503, "total")]);
        assert!(r
            .bad_rows
            .iter()
            .all(|b| !b.problem.message_zh.is_empty() && !b.problem.message_en.is_empty()));
        assert_eq!(
            r.policies[0].actual_ratio,
            percent(ra.summary.all.actual_ratio())
        );
        assert!(r.policies[0].actual_ratio.ends_with('%'));

        // Progress for each policy, rising, ending with every claim (how often: yibao-batch's
        // test of `replay_in_order`; in `cargo test --workspace` the threaded replay runs here).
        let told = told.into_inner().unwrap();
        for p in 0..2 {
            let mine: Vec<u64> = told.iter().filter(|t| t.0 == p).map(|t| t.1).collect();
            assert!(!mine.is_empty());
            assert!(mine.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(mine.last(), Some(&4500));
        }
        assert!(told.iter().all(|t| t.2 == 4500));
        assert!(
            told.windows(2).all(|w| w[0].0 <= w[1].0),
            "the first policy, then the second"
        );
    }

    #[test]
    fn a_policy_that_does_not_read_is_a_bilingual_problem_naming_which() {
        let (now, _) = policies();
        let a = serde_json::to_string(&now).unwrap();
        let e = compare(b"claim_id\n", [&a, "{ not json"], 5, &|_, _, _| {}).unwrap_err();
        assert_eq!(e.0[0].code, yibao_core::Code::InvalidJson);
        assert!(
            e.0[0].message_zh.starts_with("草稿:"),
            "{}",
            e.0[0].message_zh
        );
        assert!(e.0[0].message_en.starts_with("the draft: "));
    }

    #[test]
    fn a_file_that_is_not_claims_is_reported_row_by_row_not_a_panic() {
        let (now, draft) = policies();
        let (a, b) = (
            serde_json::to_string(&now).unwrap(),
            serde_json::to_string(&draft).unwrap(),
        );
        let r = compare(
            b"name,amount\nzhang,12\n\xff\xfe,1\n",
            [&a, &b],
            5,
            &|_, _, _| {},
        )
        .unwrap();
        assert_eq!(r.claims_read, 0);
        assert!(
            r.bad_rows.iter().any(|b| b.row == 1),
            "unknown columns at the header: {:?}",
            r.bad_rows
        );
        assert!(r.bad_rows.iter().any(|b| b.row == 2));
        assert_eq!(r.policies[0].summary.persons, 0);
        assert_eq!(r.change.as_ref().unwrap().psn_part_amt, "0");
    }
}
