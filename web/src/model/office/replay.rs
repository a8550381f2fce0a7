//! The replay's report (提标测算), as the workbench shows it: the report is what the replay
//! worker (`web/worker/`, the CLI's `yibao replay --json` of two policies) posts, read back as
//! the one type both write (`yibao_batch::report::Report`, so a renamed field is a compile error
//! here); here it becomes the rows of the page's tables — totals side by side with their
//! difference, by level, caps reached, who pays less or more, and the bad rows. Amounts stay
//! exact decimals (`Money`); only their display groups the thousands.

use yibao_batch::report::{PolicyReport, Report as Replayed};
use yibao_batch::table::RowProblem;
use yibao_core::estimate::Key;
use yibao_core::replay::{PersonChange, Totals};
use yibao_core::Money;

/// How a figure is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Money,
    Percent,
    Count,
}

/// A figure under the policy compared with and under the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The summary's key (`fund_pay_sumamt`), or the row's id (a level, a cap).
    pub key: String,
    pub zh: String,
    pub en: String,
    pub kind: Kind,
    /// The exact values as the report gives them (`1234.56`, `57.12%`, `3000`).
    pub current: String,
    pub draft: String,
}

impl Line {
    /// Draft minus current, signed, as shown (`+1,234.56`, `−0.35 pp`, `0`).
    pub fn diff(&self) -> String {
        signed(&self.current, &self.draft, self.kind)
    }
    pub fn show_current(&self) -> String {
        show(&self.current, self.kind)
    }
    pub fn show_draft(&self) -> String {
        show(&self.draft, self.kind)
    }
    pub fn changed(&self) -> bool {
        number(&self.current) != number(&self.draft)
    }
}

/// A row of the totals: a settlement field's sum (its labels are the field's own), or one of
/// the report's other figures.
#[derive(Clone, Copy)]
enum Row {
    Field(Key),
    ActualRatio,
    Claims,
    Persons,
}

/// The totals' rows, in the order the office reads them.
const TOTALS: &[Row] = &[
    Row::Field(Key::MedfeeSumamt),
    Row::Field(Key::HifpPay),
    Row::Field(Key::HifmiPay),
    Row::Field(Key::HifobPay),
    Row::Field(Key::MafPay),
    Row::Field(Key::OthPay),
    Row::Field(Key::FundPaySumamt),
    Row::Field(Key::PsnPartAmt),
    Row::ActualRatio,
    Row::Claims,
    Row::Persons,
];

impl Row {
    /// Its key (the summary's), labels and kind.
    fn describe(self) -> (&'static str, &'static str, &'static str, Kind) {
        match self {
            Row::Field(k) => {
                let f = k.field();
                (f.key, f.short_zh, f.short_en, Kind::Money)
            }
            Row::ActualRatio => (
                "actual_ratio",
                "实际报销比例",
                "actual reimbursement ratio",
                Kind::Percent,
            ),
            Row::Claims => ("claims", "就诊记录", "claims", Kind::Count),
            Row::Persons => ("persons", "参保人", "persons", Kind::Count),
        }
    }
}

/// A replay of one claims file under two policies.
pub struct Report<'a> {
    r: &'a Replayed,
}

/// A figure of a group's totals, as the report writes it (`0` for a group a policy has none of).
fn total(t: Option<&Totals>, row: Row) -> String {
    let Some(t) = t else {
        return "0".into();
    };
    match row {
        Row::Field(k) => t.get(k).to_string(),
        Row::Claims => t.claims.to_string(),
        // Not a group's figure: the report's (see `Report::totals`).
        Row::ActualRatio | Row::Persons => "0".into(),
    }
}

impl<'a> Report<'a> {
    /// The worker's report, when it has the two policies.
    pub fn new(r: &'a Replayed) -> Option<Report<'a>> {
        (r.policies.len() == 2).then_some(Report { r })
    }

    fn policy(&self, i: usize) -> &'a PolicyReport {
        &self.r.policies[i]
    }

    /// The policy's id and Chinese name (0: compared with, 1: the draft).
    pub fn name(&self, i: usize) -> (String, String) {
        let p = self.policy(i);
        (p.id.clone(), p.name_zh.clone())
    }

    pub fn sha256(&self, i: usize) -> String {
        self.policy(i).sha256.clone()
    }

    pub fn claims_read(&self) -> u64 {
        self.r.claims_read as u64
    }

    /// The totals, side by side.
    pub fn totals(&self) -> Vec<Line> {
        TOTALS
            .iter()
            .map(|&row| {
                let (key, zh, en, kind) = row.describe();
                let value = |i: usize| {
                    let p = self.policy(i);
                    match row {
                        Row::ActualRatio => p.actual_ratio.clone(),
                        Row::Persons => p.summary.persons.to_string(),
                        _ => total(Some(&p.summary.all), row),
                    }
                };
                Line {
                    key: key.into(),
                    zh: zh.into(),
                    en: en.into(),
                    kind,
                    current: value(0),
                    draft: value(1),
                }
            })
            // A payer neither policy has (大额 of a resident scheme) is left out.
            .filter(|l| {
                !matches!(l.key.as_str(), "hifob_pay" | "oth_pay")
                    || number(&l.current).is_some_and(|m| !m.is_zero())
                    || number(&l.draft).is_some_and(|m| !m.is_zero())
            })
            .collect()
    }

    /// Each level's funds and patients' payments: (level id, claims, fund, patients).
    pub fn by_level(&self) -> Vec<(String, Line, Line, Line)> {
        let level = |i: usize| &self.policy(i).summary.by_level;
        let mut ids: Vec<&String> = level(0).keys().chain(level(1).keys()).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .map(|id| {
                let line = |row: Row| {
                    let (key, zh, en, kind) = row.describe();
                    let v = |i: usize| total(level(i).get(id), row);
                    Line {
                        key: key.into(),
                        zh: zh.into(),
                        en: en.into(),
                        kind,
                        current: v(0),
                        draft: v(1),
                    }
                };
                (
                    id.clone(),
                    line(Row::Claims),
                    line(Row::Field(Key::FundPaySumamt)),
                    line(Row::Field(Key::PsnPartAmt)),
                )
            })
            .collect()
    }

    /// How many persons reached each cap or ceiling under each policy.
    pub fn caps(&self) -> Vec<Line> {
        let caps = |i: usize| &self.policy(i).summary.cap_hits;
        let mut keys: Vec<&String> = caps(0).keys().chain(caps(1).keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let (zh, en) = cap_label(k);
                let v = |i: usize| caps(i).get(k).copied().unwrap_or(0).to_string();
                Line {
                    zh,
                    en,
                    kind: Kind::Count,
                    current: v(0),
                    draft: v(1),
                    key: k.clone(),
                }
            })
            .collect()
    }

    /// How many persons pay less, the same, more under the draft.
    pub fn persons(&self) -> (u64, u64, u64) {
        self.r.change.as_ref().map_or((0, 0, 0), |c| {
            let p = &c.persons;
            (p.fewer, p.same, p.more)
        })
    }

    /// Those who gain (burden fell most) or lose (rose most) most.
    pub fn extremes(&self, which: Side) -> Vec<Person> {
        let Some(c) = &self.r.change else {
            return vec![];
        };
        let list: &[PersonChange] = match which {
            Side::Gains => &c.persons.gains,
            Side::Losses => &c.persons.losses,
        };
        list.iter()
            .map(|p| Person {
                id: p.person_id.clone(),
                claims: p.claims,
                before: p.before.to_string(),
                after: p.after.to_string(),
            })
            .collect()
    }

    /// Rows that could not be read, then claims a policy refused, each once per problem.
    pub fn bad_rows(&self) -> Vec<BadRow> {
        let rows = |list: &'a [RowProblem], refused: bool| {
            list.iter().map(move |r| BadRow {
                row: r.row,
                claim_id: r.claim_id.clone().unwrap_or_default(),
                column: r.problem.path.clone(),
                code: r.problem.code.as_str().to_string(),
                zh: r.problem.message_zh.clone(),
                en: r.problem.message_en.clone(),
                refused,
            })
        };
        rows(&self.r.bad_rows, false)
            .chain(rows(&self.r.refused, true))
            .collect()
    }
}

/// Which end of the change: those who pay less, or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Gains,
    Losses,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub claims: u64,
    pub before: String,
    pub after: String,
}

impl Person {
    pub fn change(&self) -> String {
        signed(&self.before, &self.after, Kind::Money)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRow {
    pub row: u64,
    pub claim_id: String,
    /// The claims file's column (empty: the whole row).
    pub column: String,
    pub code: String,
    pub zh: String,
    pub en: String,
    /// Read, but refused by a policy's engine (an unknown level, a date outside the policy).
    pub refused: bool,
}

/// The words for a cap's key (`hifp_pay:annual`, `layer:<id>`, `overall:max_share` …).
pub fn cap_label(key: &str) -> (String, String) {
    let (head, rest) = key.split_once(':').unwrap_or((key, ""));
    match (head, rest) {
        ("hifp_pay", "annual") => (
            "基本统筹年度最高支付限额".into(),
            "basic fund: annual cap".into(),
        ),
        ("hifp_pay", "per_admission") => (
            "基本统筹单次限额".into(),
            "basic fund: per-admission cap".into(),
        ),
        ("hifp_pay", "accident") => ("意外伤害限额".into(), "accident cap".into()),
        ("hifp_pay", r) if r.starts_with("combined:") => {
            let id = &r["combined:".len()..];
            (
                format!("门诊合计限额 {id}"),
                format!("outpatient shared limit {id}"),
            )
        }
        ("layer", id) => (format!("{id} 层封顶"), format!("layer {id}: its cap")),
        ("overall", _) => ("总封顶".into(), format!("overall ceiling ({rest})")),
        _ => (key.into(), key.into()),
    }
}

/// A figure as a decimal: `1234.56`, `57.12%` (57.12), `3000`.
fn number(s: &str) -> Option<Money> {
    Money::parse(s.trim().trim_end_matches('%')).ok()
}

fn show(s: &str, kind: Kind) -> String {
    let Some(m) = number(s) else {
        return s.to_string();
    };
    match kind {
        Kind::Money => m.grouped(),
        Kind::Percent => format!("{}%", m.0),
        Kind::Count => m.grouped_whole(),
    }
}

/// `after − before`, with its sign (a minus sign, not a hyphen): money to the fen, percent in
/// points, counts whole.
fn signed(before: &str, after: &str, kind: Kind) -> String {
    let (Some(b), Some(a)) = (number(before), number(after)) else {
        return "—".into();
    };
    let d = a.0 - b.0;
    let size = Money(d.abs());
    let body = match kind {
        Kind::Money => size.grouped(),
        Kind::Percent => format!("{} pp", size.0),
        Kind::Count => size.grouped_whole(),
    };
    if d.is_zero() {
        match kind {
            Kind::Money => "0.00".into(),
            Kind::Percent => "0 pp".into(),
            Kind::Count => "0".into(),
        }
    } else if d.is_sign_negative() {
        format!("−{body}")
    } else {
        format!("+{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use yibao_batch::report::Change;
    use yibao_core::replay::{Extremes, Summary};
    use yibao_core::{Code, Problem};

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn summary(fund: &str, psn: &str, claims: u64, cap: &str) -> Summary {
        let mut all = Totals {
            claims,
            ..Totals::default()
        };
        for (k, v) in [
            (Key::MedfeeSumamt, "30000.00"),
            (Key::HifpPay, fund),
            (Key::MafPay, "10.5"),
            (Key::FundPaySumamt, fund),
            (Key::PsnPartAmt, psn),
        ] {
            all.amounts[k] = m(v);
        }
        let county = Totals {
            claims,
            amounts: all.amounts,
            ..Totals::default()
        };
        Summary {
            persons: 2,
            all,
            by_level: BTreeMap::from([("county".to_string(), county)]),
            cap_hits: BTreeMap::from([(cap.to_string(), 1)]),
            ..Summary::default()
        }
    }

    fn policy(name: &str, ratio: &str, s: Summary) -> PolicyReport {
        PolicyReport {
            id: "demo/2024".into(),
            name_zh: name.into(),
            sha256: "aa".into(),
            actual_ratio: ratio.into(),
            mean_ratio: ratio.into(),
            engine: Default::default(),
            summary: s,
        }
    }

    fn bad(row: u64, id: Option<&str>, code: Code, path: &str) -> RowProblem {
        RowProblem {
            row,
            claim_id: id.map(str::to_string),
            problem: Problem::new(code, path, "不对", "wrong"),
        }
    }

    fn report() -> Replayed {
        let mut persons = Extremes::new(5);
        persons.add(PersonChange::new("P1", 2, m("1000.00"), m("1200.00")));
        persons.add(PersonChange::new("P2", 1, m("50"), m("50")));
        Replayed {
            claims_read: 3,
            bad_rows: vec![bad(5, None, Code::InvalidDate, "date")],
            refused: vec![bad(3, Some("C3"), Code::UnknownLevel, "level")],
            policies: vec![
                policy(
                    "现行",
                    "60.5%",
                    summary("18150.00", "11850.00", 3, "hifp_pay:annual"),
                ),
                policy(
                    "草稿",
                    "59.83%",
                    summary("17950.00", "12050.00", 3, "layer:serious"),
                ),
            ],
            change: Some(Change {
                fund_pay_sumamt: "-200.00".into(),
                psn_part_amt: "200.00".into(),
                persons,
            }),
        }
    }

    /// What the page reads is what the CLI's `--json` writes: the report crosses JSON unchanged.
    #[test]
    fn the_report_crosses_json_as_one_type() {
        let r = report();
        let text = serde_json::to_string(&r).unwrap();
        let back: Replayed = serde_json::from_str(&text).unwrap();
        // (`Extremes::n`, how many to keep, is not written: compare what is.)
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
        assert_eq!(back.policies, r.policies);
    }

    #[test]
    fn totals_are_side_by_side_with_their_signed_difference() {
        let v = report();
        let r = Report::new(&v).unwrap();
        let t = r.totals();
        let line = |k: &str| t.iter().find(|l| l.key == k).unwrap().clone();
        let fund = line("fund_pay_sumamt");
        assert_eq!(
            (fund.current.as_str(), fund.draft.as_str()),
            ("18150", "17950")
        );
        assert_eq!(fund.diff(), "−200.00");
        assert_eq!(fund.show_current(), "18,150.00");
        assert_eq!(line("psn_part_amt").diff(), "+200.00");
        assert_eq!(line("actual_ratio").diff(), "−0.67 pp");
        assert_eq!(line("claims").diff(), "0");
        assert!(!line("claims").changed() && fund.changed());
        assert_eq!(line("persons").current, "2");
        assert_eq!(line("maf_pay").diff(), "0.00");
        // No 大额 or 其他 under either policy: not a row.
        assert!(t.iter().all(|l| l.key != "hifob_pay" && l.key != "oth_pay"));
        assert_eq!(t[0].key, "medfee_sumamt");
    }

    #[test]
    fn levels_caps_persons_and_bad_rows() {
        let v = report();
        let r = Report::new(&v).unwrap();
        let levels = r.by_level();
        assert_eq!(levels.len(), 1);
        assert_eq!(levels[0].0, "county");
        assert_eq!(levels[0].3.diff(), "+200.00");
        let caps = r.caps();
        let keys: Vec<(&str, &str, &str)> = caps
            .iter()
            .map(|c| (c.key.as_str(), c.current.as_str(), c.draft.as_str()))
            .collect();
        assert_eq!(
            keys,
            [("hifp_pay:annual", "1", "0"), ("layer:serious", "0", "1")]
        );
        assert_eq!(caps[0].diff(), "−1");
        assert_eq!(r.persons(), (0, 1, 1));
        let losses = r.extremes(Side::Losses);
        assert_eq!(losses[0].id, "P1");
        assert_eq!(losses[0].change(), "+200.00");
        assert!(r.extremes(Side::Gains).is_empty());
        let bad = r.bad_rows();
        assert_eq!(
            bad.iter().map(|b| (b.row, b.refused)).collect::<Vec<_>>(),
            [(5, false), (3, true)]
        );
        assert_eq!(bad[0].column, "date");
        assert_eq!(bad[1].claim_id, "C3");
        assert_eq!(r.name(1), ("demo/2024".to_string(), "草稿".to_string()));
    }

    #[test]
    fn a_report_without_two_policies_is_not_shown() {
        let mut r = report();
        r.policies.pop();
        assert!(Report::new(&r).is_none());
    }

    #[test]
    fn cap_keys_read_in_both_languages() {
        assert_eq!(cap_label("layer:critical").0, "critical 层封顶");
        assert_eq!(cap_label("hifp_pay:annual").1, "basic fund: annual cap");
        assert_eq!(cap_label("overall:max_share").0, "总封顶");
        assert_eq!(cap_label("odd").0, "odd");
    }
}
