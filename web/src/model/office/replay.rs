//! The replay's report (提标测算), as the workbench shows it: the report is what the replay
//! worker (`web/worker/`, the CLI's `yibao replay --json` of two policies) posts, as JSON; here
//! it becomes the rows of the page's tables — totals side by side with their difference, by
//! level, caps reached, who pays less or more, and the bad rows. Amounts stay exact decimals
//! (read from their strings as `Money`); only their display groups the thousands.

use serde_json::Value;
use yibao_core::estimate::Key;
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
    v: &'a Value,
}

/// The amounts of a summary's `Totals`.
fn totals_value<'a>(t: &'a Value, key: &str) -> Option<&'a Value> {
    t.get(key)
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => "0".into(),
    }
}

impl<'a> Report<'a> {
    /// The worker's report, when it has the two policies.
    pub fn new(v: &'a Value) -> Option<Report<'a>> {
        let n = v.get("policies")?.as_array()?.len();
        (n == 2).then_some(Report { v })
    }

    fn policy(&self, i: usize) -> &'a Value {
        &self.v["policies"][i]
    }

    /// The policy's id and Chinese name (0: compared with, 1: the draft).
    pub fn name(&self, i: usize) -> (String, String) {
        let p = self.policy(i);
        (text(p.get("id")), text(p.get("name_zh")))
    }

    pub fn sha256(&self, i: usize) -> String {
        text(self.policy(i).get("sha256"))
    }

    pub fn claims_read(&self) -> u64 {
        self.v["claims_read"].as_u64().unwrap_or(0)
    }

    /// The totals, side by side.
    pub fn totals(&self) -> Vec<Line> {
        let all = |i: usize| &self.policy(i)["summary"]["all"];
        TOTALS
            .iter()
            .map(|row| {
                let (key, zh, en, kind) = row.describe();
                let value = |i: usize| match key {
                    "actual_ratio" => text(self.policy(i).get("actual_ratio")),
                    "persons" => text(self.policy(i)["summary"].get("persons")),
                    k => text(totals_value(all(i), k)),
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
        let level = |i: usize| self.policy(i)["summary"]["by_level"].as_object();
        let mut ids: Vec<String> = [0, 1]
            .iter()
            .filter_map(|&i| level(i))
            .flat_map(|m| m.keys().cloned())
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .map(|id| {
                let line = |key: &str, zh: &str, en: &str, kind| {
                    let v =
                        |i: usize| text(level(i).and_then(|m| m.get(&id)).and_then(|t| t.get(key)));
                    Line {
                        key: key.into(),
                        zh: zh.into(),
                        en: en.into(),
                        kind,
                        current: v(0),
                        draft: v(1),
                    }
                };
                let field = |k: Key| {
                    let f = k.field();
                    line(f.key, f.short_zh, f.short_en, Kind::Money)
                };
                (
                    id.clone(),
                    line("claims", "就诊记录", "claims", Kind::Count),
                    field(Key::FundPaySumamt),
                    field(Key::PsnPartAmt),
                )
            })
            .collect()
    }

    /// How many persons reached each cap or ceiling under each policy.
    pub fn caps(&self) -> Vec<Line> {
        let caps = |i: usize| self.policy(i)["summary"]["cap_hits"].as_object();
        let mut keys: Vec<String> = [0, 1]
            .iter()
            .filter_map(|&i| caps(i))
            .flat_map(|m| m.keys().cloned())
            .collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .map(|k| {
                let (zh, en) = cap_label(&k);
                let v = |i: usize| text(caps(i).and_then(|m| m.get(&k)));
                Line {
                    zh,
                    en,
                    kind: Kind::Count,
                    current: v(0),
                    draft: v(1),
                    key: k,
                }
            })
            .collect()
    }

    /// How many persons pay less, the same, more under the draft.
    pub fn persons(&self) -> (u64, u64, u64) {
        let p = &self.v["change"]["persons"];
        let n = |k: &str| p[k].as_u64().unwrap_or(0);
        (n("fewer"), n("same"), n("more"))
    }

    /// Those who gain (`gains`) or lose (`losses`) most: person, claims, before, after, change.
    pub fn extremes(&self, which: &str) -> Vec<Person> {
        self.v["change"]["persons"][which]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| Person {
                        id: text(p.get("person_id")),
                        claims: p["claims"].as_u64().unwrap_or(0),
                        before: text(p.get("before")),
                        after: text(p.get("after")),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Rows that could not be read, then claims a policy refused, each once per problem.
    pub fn bad_rows(&self) -> Vec<BadRow> {
        let rows = |key: &str, refused: bool| {
            self.v[key]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |r| BadRow {
                    row: r["row"].as_u64().unwrap_or(0),
                    claim_id: r["claim_id"].as_str().unwrap_or("").to_string(),
                    column: text(r.get("path")),
                    code: text(r.get("code")),
                    zh: text(r.get("message_zh")),
                    en: text(r.get("message_en")),
                    refused,
                })
        };
        rows("bad_rows", false)
            .chain(rows("refused", true))
            .collect()
    }
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
    use serde_json::json;

    fn summary(fund: &str, psn: &str, claims: u64, caps: Value) -> Value {
        json!({
            "persons": 2,
            "all": { "claims": claims, "medfee_sumamt": "30000.00", "hifp_pay": fund, "hifmi_pay": "0",
                     "hifob_pay": "0", "maf_pay": "10.5", "oth_pay": "0", "fund_pay_sumamt": fund, "psn_part_amt": psn },
            "by_level": { "county": { "claims": claims, "fund_pay_sumamt": fund, "psn_part_amt": psn } },
            "cap_hits": caps,
        })
    }

    fn report() -> Value {
        json!({
            "claims_read": 3,
            "bad_rows": [{ "row": 5, "claim_id": null, "code": "invalid_date", "path": "date",
                           "message_zh": "日期不对", "message_en": "not a date" }],
            "refused": [{ "row": 3, "claim_id": "C3", "code": "unknown_level", "path": "level",
                          "message_zh": "没有这个级别", "message_en": "no such level" }],
            "policies": [
                { "id": "demo/2024", "name_zh": "现行", "sha256": "aa", "actual_ratio": "60.5%", "summary": summary("18150.00", "11850.00", 3, json!({ "hifp_pay:annual": 1 })) },
                { "id": "demo/2024", "name_zh": "草稿", "sha256": "bb", "actual_ratio": "59.83%", "summary": summary("17950.00", "12050.00", 3, json!({ "layer:serious": 1 })) },
            ],
            "change": { "fund_pay_sumamt": "-200.00", "psn_part_amt": "200.00",
                        "persons": { "fewer": 0, "same": 1, "more": 1, "gains": [],
                                     "losses": [{ "person_id": "P1", "claims": 2, "before": "1000.00", "after": "1200.00", "change": "200.00" }] } },
        })
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
            ("18150.00", "17950.00")
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
        let losses = r.extremes("losses");
        assert_eq!(losses[0].id, "P1");
        assert_eq!(losses[0].change(), "+200.00");
        assert!(r.extremes("gains").is_empty());
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
        assert!(Report::new(&json!({ "problems": [] })).is_none());
        assert!(Report::new(&json!({ "policies": [{}] })).is_none());
    }

    #[test]
    fn cap_keys_read_in_both_languages() {
        assert_eq!(cap_label("layer:critical").0, "critical 层封顶");
        assert_eq!(cap_label("hifp_pay:annual").1, "basic fund: annual cap");
        assert_eq!(cap_label("overall:max_share").0, "总封顶");
        assert_eq!(cap_label("odd").0, "odd");
    }
}
