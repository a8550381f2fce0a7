//! The replay's report (提标测算): what `yibao replay --json` writes and what the office's replay
//! worker posts to the workbench — one definition, built by one function from the claims read
//! and the replays run, and read back (serde both ways) by the workbench's page, so a renamed
//! field is a compile error there, not a silent 0.

use crate::run::{self, Engine, Replay};
use crate::table::{Loaded, RowProblem};
use serde::{Deserialize, Serialize};
use yibao_core::estimate::Key;
use yibao_core::replay::{Extremes, Summary};
use yibao_core::{PolicyDoc, Problems};

/// What the office's replay worker posts to the page: `{"report": …}`, or `{"problems": […]}`
/// when a policy does not read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Posted {
    Report(Report),
    Problems(Problems),
}

/// A replay of one claims file under one policy, or two (the current one, then the proposed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub claims_read: usize,
    /// Rows that could not be read (row number, column, code, both languages).
    pub bad_rows: Vec<RowProblem>,
    /// Claims the engine refused under any of the policies, with their rows.
    pub refused: Vec<RowProblem>,
    /// One per policy, in the order given.
    pub policies: Vec<PolicyReport>,
    /// With two policies: the second minus the first, and who gains and loses most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyReport {
    pub id: String,
    pub name_zh: String,
    pub sha256: String,
    /// 实际报销比例 of all the bills, and the mean of each claim's (`57.12%`).
    pub actual_ratio: String,
    pub mean_ratio: String,
    /// How many claims each path settled.
    pub engine: Engine,
    pub summary: Summary,
}

/// The second policy minus the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub fund_pay_sumamt: String,
    pub psn_part_amt: String,
    pub persons: Extremes,
}

impl Report {
    /// The report of `runs` (one per policy of `docs`, in order) over the claims of `loaded`,
    /// whose bad rows it takes; with two policies, the `top` persons who gain and lose most
    /// (the runs must then have kept their results, `Keep::Results`).
    pub fn new(docs: &[PolicyDoc], loaded: &mut Loaded, runs: &[Replay], top: usize) -> Report {
        let refused = runs
            .iter()
            .flat_map(|r| &r.refused)
            .flat_map(|(i, ps)| {
                let (row, id) = (loaded.rows[*i], &loaded.claims[*i].claim_id);
                ps.0.iter().map(move |p| RowProblem {
                    row,
                    claim_id: Some(id.clone()),
                    problem: p.clone(),
                })
            })
            .collect();
        let change = (runs.len() == 2).then(|| {
            let diff = |k: Key| {
                let get = |s: &Summary| s.all.get(k).0;
                (get(&runs[1].summary) - get(&runs[0].summary)).to_string()
            };
            Change {
                fund_pay_sumamt: diff(Key::FundPaySumamt),
                psn_part_amt: diff(Key::PsnPartAmt),
                persons: run::extremes(&loaded.claims, &runs[0], &runs[1], top),
            }
        });
        let policies = docs
            .iter()
            .zip(runs)
            .map(|(d, r)| policy_report(d, r.summary.clone(), r.engine.clone()))
            .collect();
        Report {
            claims_read: loaded.claims.len(),
            bad_rows: std::mem::take(&mut loaded.bad),
            refused,
            policies,
            change,
        }
    }
}

/// One policy's part of a report: the policy, and what its replay summed.
pub fn policy_report(d: &PolicyDoc, summary: Summary, engine: Engine) -> PolicyReport {
    PolicyReport {
        id: d.policy.meta.id.clone(),
        name_zh: d.policy.meta.name_zh.clone(),
        sha256: d.sha256.clone(),
        actual_ratio: percent(summary.all.actual_ratio()),
        mean_ratio: percent(summary.all.mean_ratio()),
        engine,
        summary,
    }
}

/// A ratio as the reports write it: percent to a hundredth (`57.12%`).
pub fn percent(r: rust_decimal::Decimal) -> String {
    format!("{}%", (r * rust_decimal::Decimal::ONE_HUNDRED).round_dp(2))
}
