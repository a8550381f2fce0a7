//! The worked cases beside the draft: each run on every edit by `yibao_core::worked::check`,
//! what `yibao test` runs, with its pass or fail per published figure; and a new case made from
//! the estimate on screen, with the published figures the office types in and their source.

use std::collections::BTreeMap;
use yibao_core::case::{Bill, Case, Patient};
use yibao_core::estimate::Key;
use yibao_core::worked::{check, Outcome, WorkedCase};
use yibao_core::{estimate, Date, Estimate, Money, PolicyDoc, Problems};

/// One published figure of a case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    pub field: String,
    pub expected: String,
    /// What the engine gives (the mismatch's `actual`, or the expected value when it matches).
    pub actual: String,
    pub ok: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub id: String,
    pub title: String,
    /// `yibao test`'s verdict: a pass, or a documented discrepancy that still differs.
    pub ok: bool,
    /// `pass`, `fail`, `known_discrepancy`, `discrepancy_resolved`.
    pub outcome: &'static str,
    pub figures: Vec<Figure>,
}

/// Every case against the draft, as `yibao test` judges them.
pub fn run_all(doc: &PolicyDoc, cases: &[WorkedCase], today: Date) -> Vec<Run> {
    cases
        .iter()
        .map(|wc| {
            let outcome = check(doc, wc, today);
            let (name, missed) = match &outcome {
                Outcome::Pass => ("pass", vec![]),
                Outcome::DiscrepancyResolved => ("discrepancy_resolved", vec![]),
                Outcome::Fail { mismatches } => ("fail", mismatches.clone()),
                Outcome::KnownDiscrepancy { mismatches } => {
                    ("known_discrepancy", mismatches.clone())
                }
            };
            let figures = wc
                .expect
                .iter()
                .map(|(field, expected)| {
                    let m = missed.iter().find(|m| &m.field == field);
                    Figure {
                        field: field.clone(),
                        expected: expected.clone(),
                        actual: m.map_or_else(|| expected.clone(), |m| m.actual.clone()),
                        ok: m.is_none(),
                    }
                })
                .collect();
            Run {
                id: wc.id.clone(),
                title: wc.title.clone(),
                ok: outcome.ok(),
                outcome: name,
                figures,
            }
        })
        .collect()
}

/// The visit the case screen estimates.
#[derive(Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Visit {
    pub level: String,
    pub category: String,
    pub total: String,
    /// 政策范围内, when the published example gives it.
    pub in_scope: String,
    pub date: String,
}

impl Visit {
    pub fn case(&self) -> Result<Case, String> {
        let money = |s: &str, zh: &str| {
            Money::parse(s.trim()).map_err(|_| format!("{zh}:请输入金额 / enter an amount"))
        };
        let total = money(&self.total, "费用总额")?;
        let in_scope = match self.in_scope.trim() {
            "" => None,
            s => Some(money(s, "政策范围内")?),
        };
        let date = match self.date.trim() {
            "" => None,
            s => Some(
                Date::parse(s)
                    .map_err(|_| "日期格式为 YYYY-MM-DD / date as YYYY-MM-DD".to_string())?,
            ),
        };
        Ok(Case {
            date,
            level: self.level.clone(),
            patient: Patient {
                category: self.category.clone(),
                ..Patient::default()
            },
            bill: Bill {
                total: Some(total),
                in_scope,
                ..Bill::default()
            },
            ..Case::default()
        })
    }

    pub fn estimate(&self, doc: &PolicyDoc, today: Date) -> Result<Estimate, String> {
        let case = self.case()?;
        estimate(doc, &case, today).map_err(|ps: Problems| {
            ps.0.iter()
                .map(|p| format!("{} {}", p.message_zh, p.message_en))
                .collect::<Vec<_>>()
                .join(";")
        })
    }
}

/// The settlement figures a published example usually gives, in slip order (their labels are
/// the fields' own, [`Key::field`]).
pub const FIGURES: &[Key] = &[
    Key::MedfeeSumamt,
    Key::InscpScpAmt,
    Key::ActPayDedc,
    Key::HifpPay,
    Key::HifmiPay,
    Key::MafPay,
    Key::OthPay,
    Key::FundPaySumamt,
    Key::PsnPartAmt,
];

/// A worked case from the visit, with the figures typed in (the empty ones left out) and where
/// they were published. An id already taken, or no figure at all, is refused.
pub fn new_case(
    visit: &Visit,
    id: &str,
    title: &str,
    published: &str,
    figures: &BTreeMap<String, String>,
    existing: &[WorkedCase],
) -> Result<WorkedCase, String> {
    let id = id.trim();
    if id.is_empty() {
        return Err("请填写案例编号 / give the case an id".into());
    }
    if existing.iter().any(|c| c.id == id) {
        return Err(format!("编号 \"{id}\" 已有 / the id \"{id}\" is taken"));
    }
    let mut expect = BTreeMap::new();
    for (k, v) in figures {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        Money::parse(v).map_err(|_| format!("{k}:请输入金额 / enter an amount"))?;
        expect.insert(k.clone(), v.to_string());
    }
    if expect.is_empty() {
        return Err("请至少填写一个公布的数字 / type in at least one published figure".into());
    }
    Ok(WorkedCase {
        id: id.to_string(),
        title: if title.trim().is_empty() {
            id.to_string()
        } else {
            title.trim().to_string()
        },
        published: yibao_core::worked::Published::from_note(published),
        discrepancy: None,
        input: visit.case()?,
        expect,
    })
}

#[cfg(test)]
mod tests {
    use super::super::draft::{set, Draft};
    use super::*;
    use serde_json::json;

    fn today() -> Date {
        Date::parse("2025-06-01").unwrap()
    }

    #[test]
    fn every_demo_case_passes_and_a_raised_deductible_fails_those_it_touches() {
        let mut d = Draft::shipped("demo-county/resident-2024").unwrap();
        let runs = run_all(&d.check().unwrap(), &d.cases, today());
        assert!(runs.iter().all(|r| r.ok), "{runs:?}");
        set(
            &mut d.tree,
            "inpatient.deductible.by_level.county",
            json!("800"),
        );
        let runs = run_all(&d.check().unwrap(), &d.cases, today());
        let failed: Vec<_> = runs.iter().filter(|r| !r.ok).collect();
        assert!(!failed.is_empty());
        // The township case is untouched; a failing figure says what the engine gives now.
        assert!(
            runs.iter()
                .find(|r| r.id == "demo-township-basic")
                .unwrap()
                .ok
        );
        let f = failed[0].figures.iter().find(|f| !f.ok).unwrap();
        assert_ne!(f.actual, f.expected);
    }

    #[test]
    fn a_new_case_holds_the_typed_figures_and_passes_when_they_are_the_engines() {
        let d = Draft::shipped("demo-county/resident-2024").unwrap();
        let doc = d.check().unwrap();
        let visit = Visit {
            level: "county".into(),
            category: "general".into(),
            total: "10000".into(),
            in_scope: "9000".into(),
            date: "2025-05-01".into(),
        };
        let e = visit.estimate(&doc, today()).unwrap();
        let mut figs = BTreeMap::new();
        figs.insert("hifp_pay".to_string(), e.settlement.hifp_pay.to_string());
        figs.insert("psn_part_amt".to_string(), String::new());
        let wc = new_case(
            &visit,
            "new-1",
            "县医院 1 万元",
            "《2025年提标通知》第3条",
            &figs,
            &d.cases,
        )
        .unwrap();
        assert_eq!(wc.expect.len(), 1);
        let source = wc.published.as_ref().map(|p| p.source.to_string());
        assert_eq!(source.as_deref(), Some("《2025年提标通知》第3条"));
        assert!(run_all(&doc, std::slice::from_ref(&wc), today())[0].ok);
        assert!(new_case(&visit, "new-1", "", "", &figs, &[wc]).is_err());
        assert!(new_case(&visit, "x", "", "", &BTreeMap::new(), &[]).is_err());
        let bad = Visit {
            total: "abc".into(),
            ..visit
        };
        assert!(bad.case().unwrap_err().contains("费用总额"));
    }
}
