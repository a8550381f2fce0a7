//! Values changed away from what their citation quotes. Every parameter group cites the clause
//! it encodes, and a clause often quotes the very figures ("起付线分别为300元、600元、1000元").
//! When the office changes a value of the group (600 → 400) and the clause still quotes the old
//! figure but not the new one, the draft says one thing and its source another: the preview
//! would show 起付线 400 under a clause that says 600. The warning stands beside the value until
//! the value or the clause agrees again.
//!
//! Only values changed since the draft was opened are judged: a clause often quotes figures that
//! are not its group's values (an increase of 3%, a 90% ceiling), so the figures of an untouched
//! policy are not second-guessed. A figure counts as quoted when the clause writes it as an
//! amount (元, 万元), a rate (%) or a bare number in a list ("300、600、1000元").

use super::schema::{self, Kind};
use serde_json::Value;
use yibao_core::{Money, Rate};

/// A value its group's clause does not quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    /// The value's path in the draft (`inpatient.deductible.by_level.county`).
    pub path: String,
    /// The citation's path (`inpatient.deductible.cite`).
    pub cite: String,
    pub zh: String,
    pub en: String,
}

/// What a clause quotes.
#[derive(Default, Debug)]
struct Quoted {
    /// Figures marked 元 / 万元, as written (`600元`) and as amounts.
    amounts: Vec<(String, Money)>,
    /// Figures marked %, as written and as rates.
    rates: Vec<(String, Rate)>,
    /// Unmarked figures: quoted of either kind.
    bare: Vec<Money>,
}

/// `20` with `万` → `200000`: the decimal point moved four places, in text (exact).
fn times_10k(n: &str) -> String {
    let (int, frac) = n.split_once('.').unwrap_or((n, ""));
    let mut frac = frac.to_string();
    while frac.len() < 4 {
        frac.push('0');
    }
    let (moved, rest) = frac.split_at(4);
    let whole = format!("{int}{moved}");
    if rest.is_empty() {
        whole
    } else {
        format!("{whole}.{rest}")
    }
}

fn quoted(clause: &str) -> Quoted {
    let mut q = Quoted::default();
    let chars: Vec<char> = clause.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == ',') {
            i += 1;
        }
        let digits: String = chars[start..i]
            .iter()
            .filter(|c| **c != ',')
            .collect::<String>()
            .trim_end_matches('.')
            .to_string();
        let next = chars.get(i).copied();
        let after = chars.get(i + 1).copied();
        let written: String = chars[start..(i + usize::from(next.is_some())).min(chars.len())]
            .iter()
            .collect();
        match next {
            Some('%' | '\u{ff05}') => {
                if let Ok(r) = Rate::parse(&format!("{digits}%")) {
                    q.rates.push((written, r));
                }
            }
            Some('元') => {
                if let Ok(m) = Money::parse(&digits) {
                    q.amounts.push((written, m));
                }
            }
            Some('万') => {
                if let Ok(m) = Money::parse(&times_10k(&digits)) {
                    let written = if after == Some('元') {
                        format!("{written}元")
                    } else {
                        written
                    };
                    q.amounts.push((written, m));
                }
            }
            _ => {
                if let Ok(m) = Money::parse(&digits) {
                    q.bare.push(m);
                }
            }
        }
    }
    q
}

/// The clauses a group cites: `cite`, `transfer_cite` … (any `*cite` key with a clause).
fn clauses(group: &serde_json::Map<String, Value>) -> Vec<(String, String)> {
    group
        .iter()
        .filter(|(k, _)| k.ends_with("cite"))
        .filter_map(|(k, v)| Some((k.clone(), v.get("clause")?.as_str()?.to_string())))
        .collect()
}

/// A group's own values: its amounts and rates, in nested tables and lists too, but not in a
/// part that cites a clause of its own.
fn values(path: &str, v: &Value, top: bool, out: &mut Vec<(String, Kind, String)>) {
    match v {
        Value::Object(m) => {
            if !top && !clauses(m).is_empty() {
                return;
            }
            for (k, v) in m {
                if !k.ends_with("cite") {
                    values(&schema::join(path, k), v, false, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                values(&schema::index(path, i), v, false, out);
            }
        }
        Value::String(s) => {
            if let Some(k @ (Kind::Money | Kind::Rate)) = schema::kind_at(path) {
                out.push((path.to_string(), k, s.clone()));
            }
        }
        Value::Number(n) => {
            if let Some(Kind::Money) = schema::kind_at(path) {
                out.push((path.to_string(), Kind::Money, n.to_string()));
            }
        }
        _ => {}
    }
}

/// The value at `path` as a figure of its kind, for comparing (`"600"` and `600` alike).
fn figure(kind: Kind, v: &Value) -> Option<Figure> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    match kind {
        Kind::Money => Money::parse(&text).ok().map(Figure::Amount),
        Kind::Rate => Rate::parse(&text).ok().map(Figure::Rate),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Figure {
    Amount(Money),
    Rate(Rate),
}

impl Quoted {
    /// How the clause writes this figure, if it quotes it.
    fn writes(&self, f: Figure) -> Option<String> {
        match f {
            Figure::Amount(m) => self
                .amounts
                .iter()
                .find(|(_, a)| *a == m)
                .map(|(w, _)| w.clone())
                .or_else(|| self.bare.contains(&m).then(|| m.to_string())),
            Figure::Rate(r) => self
                .rates
                .iter()
                .find(|(_, a)| *a == r)
                .map(|(w, _)| w.clone())
                .or_else(|| {
                    let n = r.to_string();
                    let bare = Money::parse(n.trim_end_matches('%')).ok()?;
                    self.bare.contains(&bare).then_some(n)
                }),
        }
    }
}

fn check_group(
    opened: &Value,
    path: &str,
    group: &serde_json::Map<String, Value>,
    out: &mut Vec<Stale>,
) {
    let cited = clauses(group);
    let Some((cite_key, _)) = cited.first() else {
        return;
    };
    let cite = schema::join(path, cite_key);
    let text: Vec<&str> = cited.iter().map(|(_, c)| c.as_str()).collect();
    let q = quoted(&text.join(";"));
    let mut vals = vec![];
    values(path, &Value::Object(group.clone()), true, &mut vals);
    for (p, kind, s) in &vals {
        let Some(now) = figure(*kind, &Value::from(s.as_str())) else {
            continue;
        };
        let Some(was) = super::draft::get(opened, p).and_then(|v| figure(*kind, v)) else {
            continue;
        };
        if was == now || q.writes(now).is_some() {
            continue;
        }
        let Some(said) = q.writes(was) else { continue };
        let (zh_what, en_what) = match kind {
            Kind::Money => ("金额", "amount"),
            _ => ("比例", "rate"),
        };
        out.push(Stale {
            path: p.clone(),
            cite: cite.clone(),
            zh: format!("出处条款仍写着“{said}”,这里的{zh_what}已改为 {s}:请核对数值,或把条款改成新文件的原文"),
            en: format!("the cited clause still says \"{said}\", but this {en_what} is now {s}: check the value, or update the clause to the new document's text"),
        });
    }
}

fn walk(opened: &Value, path: &str, v: &Value, out: &mut Vec<Stale>) {
    match v {
        Value::Object(m) => {
            check_group(opened, path, m, out);
            for (k, v) in m {
                if !k.ends_with("cite") {
                    walk(opened, &schema::join(path, k), v, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(opened, &schema::index(path, i), v, out);
            }
        }
        _ => {}
    }
}

/// Every amount or rate of `tree` changed from its value in `opened` while its group's clause
/// still quotes the old figure and not the new one, in the draft's order.
pub fn stale(opened: &Value, tree: &Value) -> Vec<Stale> {
    let mut out = vec![];
    walk(opened, "", tree, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::office::draft::{self, Draft};

    #[test]
    fn clause_figures_are_read_with_their_units() {
        let q = quoted("一级、二级、三级住院起付线分别为300元、600元、1000元;转市外3000元");
        let a: Vec<&str> = q.amounts.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(a, ["300元", "600元", "1000元", "3000元"]);
        let q = quoted("报销比例一级80%、二级75%;年度封顶线不低于20万元,1.5万元,第3次");
        let r: Vec<String> = q.rates.iter().map(|(_, r)| r.to_string()).collect();
        assert_eq!(r, ["80%", "75%"]);
        assert_eq!(
            q.amounts[0],
            ("20万元".to_string(), Money::parse("200000").unwrap())
        );
        assert_eq!(q.amounts[1].1, Money::parse("15000").unwrap());
        assert_eq!(q.bare, [Money::parse("3").unwrap()]);
    }

    #[test]
    fn a_changed_deductible_is_flagged_beside_its_value_and_cleared_with_its_clause() {
        let mut d = Draft::shipped("demo-county/resident-2024").unwrap();
        assert!(stale(&d.opened, &d.tree).is_empty());
        let at = "inpatient.deductible.by_level.county";
        draft::set(&mut d.tree, at, Value::from("400"));
        let after = stale(&d.opened, &d.tree);
        assert_eq!(after.len(), 1, "{after:?}");
        let s = &after[0];
        assert_eq!(s.path, at);
        assert_eq!(s.cite, "inpatient.deductible.cite");
        assert!(
            s.zh.contains("“600元”") && s.zh.contains("已改为 400"),
            "{}",
            s.zh
        );
        assert!(
            s.en.contains("still says \"600元\"") && s.en.contains("amount is now 400"),
            "{}",
            s.en
        );
        // Back to 600, or to another figure the clause quotes (the city's 1000): no warning.
        for ok in ["600", "600.00", "1000"] {
            draft::set(&mut d.tree, at, Value::from(ok));
            assert!(stale(&d.opened, &d.tree).is_empty(), "{ok}");
        }
        // The clause brought up to date: no warning.
        draft::set(&mut d.tree, at, Value::from("400"));
        let clause = "inpatient.deductible.cite.clause";
        let text = draft::get(&d.tree, clause)
            .unwrap()
            .as_str()
            .unwrap()
            .replace("600元", "400元");
        draft::set(&mut d.tree, clause, Value::from(text));
        assert!(stale(&d.opened, &d.tree).is_empty());
    }

    #[test]
    fn a_changed_rate_is_flagged_too_and_an_unquoted_one_is_not() {
        let mut d = Draft::shipped("demo-county/resident-2024").unwrap();
        let at = "inpatient.ratio.rates.county";
        draft::set(&mut d.tree, at, Value::from("70%"));
        let s = stale(&d.opened, &d.tree);
        assert_eq!(s.len(), 1, "{s:?}");
        assert!(
            s[0].zh.contains("“75%”") && s[0].zh.contains("70%"),
            "{}",
            s[0].zh
        );
        // 省外 45% is not in the clause (it quotes 转市外 50%): changing it contradicts nothing
        // the clause says.
        let mut d = Draft::shipped("demo-county/resident-2024").unwrap();
        draft::set(
            &mut d.tree,
            "inpatient.ratio.rates.out_of_province",
            Value::from("40%"),
        );
        assert!(stale(&d.opened, &d.tree).is_empty());
    }

    #[test]
    fn a_draft_without_its_opened_tree_is_not_judged() {
        let mut d = Draft::shipped("demo-county/resident-2024").unwrap();
        draft::set(
            &mut d.tree,
            "inpatient.deductible.by_level.county",
            Value::from("400"),
        );
        assert!(stale(&Value::Null, &d.tree).is_empty());
    }
}
