//! What changes for people: the draft against another policy (last year's …) on a grid of
//! typical patients — every level with inpatient rules × every category × a range of costs —
//! what each pays (个人负担 `psn_part_amt`) under both, and the parameters that differ, each with
//! the citation on either side. What a 提标 notice needs.

use serde_json::Value;
use yibao_core::case::{Bill, Case, Patient, ReferralFacts};
use yibao_core::{estimate, Money, PolicyDoc};

/// The bills of the grid, in yuan.
pub const COSTS: &[u32] = &[1_000, 3_000, 5_000, 10_000, 20_000, 50_000, 100_000];

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub level: String,
    pub level_zh: String,
    pub category: String,
    pub category_zh: String,
    /// Per cost of [`COSTS`]: what the patient pays before (the other policy) and after (the
    /// draft); `None` where that policy has no such level or category, or cannot estimate.
    pub cells: Vec<(Option<Money>, Option<Money>)>,
}

/// What a patient, referred as the rules ask, pays for an inpatient bill of `cost` at `level`, as
/// `category` (a total only: the level's typical mix), evaluated on
/// the first day of the policy's own period (so last year's policy runs under last year's rules).
pub fn pays(doc: &PolicyDoc, level: &str, category: &str, cost: u32) -> Option<Money> {
    let p = &doc.policy;
    if p.level(level).is_none() || p.category(category).is_none() || !p.has_inpatient(level) {
        return None;
    }
    let case = Case {
        level: level.to_string(),
        patient: Patient {
            category: category.to_string(),
            ..Patient::default()
        },
        bill: Bill {
            total: Some(yuan(cost)),
            ..Bill::default()
        },
        date: Some(p.meta.effective_from),
        // Referred as the rules ask (转诊单, 备案): the grid compares benefits, not penalties.
        referral: ReferralFacts {
            slip: true,
            slip_date: Some(p.meta.effective_from),
            filing: true,
            ..ReferralFacts::default()
        },
        ..Case::default()
    };
    let e = estimate(doc, &case, p.meta.effective_from).ok()?;
    Some(e.settlement.psn_part_amt)
}

/// Whole yuan as money.
pub fn yuan(n: u32) -> Money {
    Money::parse(&n.to_string()).unwrap_or(Money::ZERO)
}

/// The grid over the draft's levels (those with inpatient rules, by rank) and categories.
pub fn grid(before: &PolicyDoc, after: &PolicyDoc) -> Vec<Row> {
    let p = &after.policy;
    let mut rows = vec![];
    for level in p.levels_by_rank() {
        if !p.has_inpatient(&level.id) {
            continue;
        }
        for cat in &p.categories {
            rows.push(Row {
                level: level.id.clone(),
                level_zh: level.name_zh.clone(),
                category: cat.id.clone(),
                category_zh: cat.name_zh.clone(),
                cells: COSTS
                    .iter()
                    .map(|&c| {
                        (
                            pays(before, &level.id, &cat.id, c),
                            pays(after, &level.id, &cat.id, c),
                        )
                    })
                    .collect(),
            });
        }
    }
    rows
}

/// The heat map's class of a change: `same`, `down1..3` (pays less), `up1..3` (pays more), `na`.
pub fn shade(before: Option<Money>, after: Option<Money>) -> &'static str {
    let (Some(b), Some(a)) = (before, after) else {
        return "na";
    };
    let (big, mid) = (yuan(2000), yuan(500));
    if a == b {
        "same"
    } else if a < b {
        let d = b - a;
        if d >= big {
            "down3"
        } else if d >= mid {
            "down2"
        } else {
            "down1"
        }
    } else {
        let d = a - b;
        if d >= big {
            "up3"
        } else if d >= mid {
            "up2"
        } else {
            "up1"
        }
    }
}

/// One parameter that differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    pub path: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// `title · clause` of the citation that covers the value, on each side.
    pub cite_before: String,
    pub cite_after: String,
}

/// Every scalar that differs between the two trees, in the draft's order, then what only the
/// other has.
pub fn diff(before: &Value, after: &Value) -> Vec<Changed> {
    let (mut a, mut b) = (vec![], vec![]);
    flatten(after, "", &mut a);
    flatten(before, "", &mut b);
    let find = |list: &[(String, String)], p: &str| {
        list.iter().find(|(k, _)| k == p).map(|(_, v)| v.clone())
    };
    let mut out = vec![];
    for (p, v) in &a {
        let old = find(&b, p);
        if old.as_deref() != Some(v.as_str()) && !p.contains(".cite.") && !p.ends_with("_cite") {
            out.push(Changed {
                path: p.clone(),
                before: old,
                after: Some(v.clone()),
                cite_before: cite_of(before, p),
                cite_after: cite_of(after, p),
            });
        }
    }
    for (p, v) in &b {
        if find(&a, p).is_none() && !p.contains(".cite.") {
            out.push(Changed {
                path: p.clone(),
                before: Some(v.clone()),
                after: None,
                cite_before: cite_of(before, p),
                cite_after: cite_of(after, p),
            });
        }
    }
    out
}

fn flatten(v: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                flatten(c, &super::schema::join(path, k), out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            let s: Vec<String> = items.iter().map(scalar).collect();
            out.push((path.to_string(), s.join(", ")));
        }
        Value::Array(items) => {
            for (i, c) in items.iter().enumerate() {
                flatten(c, &super::schema::index(path, i), out);
            }
        }
        Value::Null => {}
        _ => out.push((path.to_string(), scalar(v))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The citation nearest above `path` in `tree`: its source's title and its clause.
pub fn cite_of(tree: &Value, path: &str) -> String {
    let mut p = super::draft::parent(path);
    loop {
        if let Some(c) = super::draft::get(tree, &super::schema::join(&p, "cite")) {
            let source = c.get("source").and_then(Value::as_str).unwrap_or("");
            let clause = c.get("clause").and_then(Value::as_str).unwrap_or("");
            let title = tree
                .get("sources")
                .and_then(Value::as_array)
                .and_then(|s| {
                    s.iter()
                        .find(|x| x.get("id").and_then(Value::as_str) == Some(source))
                })
                .and_then(|s| s.get("title").and_then(Value::as_str))
                .unwrap_or(source);
            let ill = if c.get("illustrative").and_then(Value::as_bool) == Some(true) {
                "(示意)"
            } else {
                ""
            };
            return format!("{title} · {clause}{ill}");
        }
        if p.is_empty() {
            return String::new();
        }
        p = super::draft::parent(&p);
    }
}

#[cfg(test)]
mod tests {
    use super::super::draft::{set, Draft};
    use super::*;
    use serde_json::json;

    #[test]
    fn raising_the_county_deductible_shows_in_the_grid_and_the_diff() {
        let before = Draft::shipped("demo-county/resident-2024").unwrap();
        let mut after = before.clone();
        set(
            &mut after.tree,
            "inpatient.deductible.by_level.county",
            json!("800"),
        );
        let (b, a) = (before.check().unwrap(), after.check().unwrap());
        let rows = grid(&b, &a);
        let county = rows
            .iter()
            .find(|r| r.level == "county" && r.category == "general")
            .unwrap();
        // 10,000 at the county hospital: 200 more of 起付线, on which the fund paid 75 %: +150.
        let i = COSTS.iter().position(|&c| c == 10_000).unwrap();
        let (old, new) = county.cells[i];
        assert_eq!(new.unwrap() - old.unwrap(), yuan(150));
        assert_eq!(shade(old, new), "up1");
        // The township and the 低保 (no 起付线) do not change.
        for r in rows
            .iter()
            .filter(|r| r.level != "county" || r.category != "general")
        {
            if r.level != "county"
                || matches!(r.category.as_str(), "dibao" | "tekun" | "jdlk" | "wubao")
            {
                assert!(r.cells.iter().all(|(o, n)| o == n), "{r:?}");
            }
        }
        assert!(
            !rows.iter().any(|r| r.level == "village"),
            "no inpatient at the village"
        );
        let d = diff(&before.tree, &after.tree);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].path, "inpatient.deductible.by_level.county");
        assert_eq!(
            (d[0].before.as_deref(), d[0].after.as_deref()),
            (Some("600"), Some("800"))
        );
        assert!(
            d[0].cite_after.contains("住院起付线分别为300元、600元"),
            "{d:?}"
        );
        assert!(
            d[0].cite_after.starts_with("医疗机构服务能力提升方案"),
            "{d:?}"
        );
    }

    #[test]
    fn a_level_the_other_policy_lacks_is_not_a_number() {
        let demo = Draft::shipped("demo-county/resident-2024")
            .unwrap()
            .check()
            .unwrap();
        let emp = Draft::shipped("sichuan-dazhou/employee-2024")
            .unwrap()
            .check()
            .unwrap();
        assert_eq!(pays(&emp, "township", "dibao", 5000), None);
        assert_eq!(shade(None, Some(yuan(1))), "na");
        assert!(pays(&demo, "township", "general", 5000).is_some());
    }
}
