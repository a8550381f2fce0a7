//! A question the case leaves blank that a rule of the policy depends on.
//!
//! A blank age is not "no age": a 72-year-old who skips the question is still 72, and the
//! policy's 65+ referral exemption or its 70+ nth-admission waiver is still hers. Settling the
//! blank as if no age rule could ever apply would quietly charge her the penalty. So when the
//! case gives no age and the policy has a rule that reads one, every age class the policy's rules
//! tell apart is estimated; if they differ, the estimate takes the class most favourable to the
//! patient (the lowest patient share) and says so, with what each other class would pay
//! ([`Assumption`]). A front end shows it next to the figure, like the caveats.

use crate::case::Case;
use crate::money::Money;
use crate::policy::{AgeRange, Cite, Policy};
use crate::trace::Citation;
use serde::Serialize;

/// A fact the case left out, the value the estimate took for it, and what the others would give.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Assumption {
    /// The case's field left blank (`patient.age`).
    pub field: String,
    /// The value taken (the youngest age of the chosen class; of the oldest, when several pay least).
    pub assumed: String,
    /// The class taken, as people say it ("65 周岁及以上").
    pub taken_zh: String,
    pub taken_en: String,
    /// The patient's share (`psn_part_amt`) under the class taken.
    pub psn_part_amt: Money,
    /// Every other class and its patient share, dearest last.
    pub others: Vec<Outcome>,
    /// One sentence each: what was assumed and why, and what the others would pay.
    pub zh: String,
    pub en: String,
    /// The clauses the assumption relies on: every rule of the policy reading the age that holds
    /// for the class taken and not for a class paying otherwise, or the reverse (a 65+
    /// exemption, a 70+ nth-admission waiver), in the policy's order.
    pub cites: Vec<Citation>,
}

/// What the patient would pay if the blank fact were otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Outcome {
    pub when_zh: String,
    pub when_en: String,
    pub psn_part_amt: Money,
}

/// The ages at which some rule of the policy starts or stops holding, 0 first: each is the
/// youngest age of one class the rules treat alike. Every rule that reads `patient.age` is here:
/// the referral exemptions, the nth-admission rules' `ages` and the ratio adjustments' conditions.
pub fn age_classes(p: &Policy) -> Vec<u32> {
    let mut bounds: Vec<Option<u32>> = vec![];
    if let Some(e) = p.referral.as_ref().map(|r| &r.exemptions) {
        bounds.push(e.age_at_least);
        bounds.push(e.age_at_most.map(|m| m + 1));
    }
    for r in &p.inpatient.deductible.nth_admission {
        for a in &r.ages {
            bounds.push(a.from);
            bounds.push(a.to.map(|t| t + 1));
        }
    }
    for a in &p.inpatient.ratio.adjust {
        bounds.push(a.when.age_min);
        bounds.push(a.when.age_max.map(|m| m + 1));
    }
    // Kept sorted and distinct by insertion: a sort's generic code would be a larger part of
    // the phone's download than this list ever is long.
    let mut starts = vec![0u32];
    for b in bounds.into_iter().flatten() {
        if let Err(i) = starts.binary_search(&b) {
            starts.insert(i, b);
        }
    }
    starts
}

/// Every rule of the policy that reads `patient.age`: the ages it holds for (any of the ranges)
/// and its clause — the same rules [`age_classes`] takes its bounds from.
fn age_rules(p: &Policy) -> Vec<(Vec<AgeRange>, &Cite)> {
    let mut rules = vec![];
    if let Some(e) = p.referral.as_ref().map(|r| &r.exemptions) {
        let mut ranges = vec![];
        if let Some(from) = e.age_at_least {
            ranges.push(AgeRange {
                from: Some(from),
                to: None,
            });
        }
        if let Some(to) = e.age_at_most {
            ranges.push(AgeRange {
                from: None,
                to: Some(to),
            });
        }
        if !ranges.is_empty() {
            rules.push((ranges, &e.cite));
        }
    }
    for r in &p.inpatient.deductible.nth_admission {
        if !r.ages.is_empty() {
            rules.push((r.ages.clone(), &r.cite));
        }
    }
    for a in &p.inpatient.ratio.adjust {
        if a.when.age_min.is_some() || a.when.age_max.is_some() {
            let range = AgeRange {
                from: a.when.age_min,
                to: a.when.age_max,
            };
            rules.push((vec![range], &a.cite));
        }
    }
    rules
}

/// The clauses of the age rules that tell `taken` apart from one of `others`.
fn cites_between(p: &Policy, taken: u32, others: &[u32]) -> Vec<Citation> {
    let mut out: Vec<Citation> = vec![];
    for (ranges, cite) in age_rules(p) {
        let holds = |age: u32| ranges.iter().any(|r| r.contains(age));
        if others.iter().any(|&o| holds(o) != holds(taken)) {
            let c = Citation::resolve(p, cite);
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// The class starting at `starts[i]`, in words.
fn class_words(starts: &[u32], i: usize) -> (String, String) {
    let from = starts[i];
    match (i == 0, starts.get(i + 1)) {
        (_, None) => (format!("{from} 周岁及以上"), format!("aged {from} or over")),
        (true, Some(&next)) => (
            format!("{} 周岁及以下", next - 1),
            format!("aged {} or under", next - 1),
        ),
        (false, Some(&next)) if next - 1 == from => {
            (format!("{from} 周岁"), format!("aged {from}"))
        }
        (false, Some(&next)) => (
            format!("{from}–{} 周岁", next - 1),
            format!("aged {from}–{}", next - 1),
        ),
    }
}

/// Classes paying the same, joined ("6 周岁及以下或 65 周岁及以上").
fn joined(words: &[(String, String)]) -> (String, String) {
    let zh: Vec<&str> = words.iter().map(|w| w.0.as_str()).collect();
    let en: Vec<&str> = words.iter().map(|w| w.1.as_str()).collect();
    (zh.join("或 "), en.join(" or "))
}

/// The case to settle and what it assumed: the case itself when it gives an age, when the policy
/// reads none, or when every age class pays the same; otherwise the case with the youngest age of
/// the class paying least, and the [`Assumption`] saying so. `share` settles a case and returns
/// the patient's share (the caller's own estimate, so that nothing here repeats the arithmetic).
pub fn age<E>(
    p: &Policy,
    case: &Case,
    mut share: impl FnMut(&Case) -> Result<Money, E>,
) -> Result<Option<(Case, Assumption)>, E> {
    if case.patient.age.is_some() {
        return Ok(None);
    }
    let starts = age_classes(p);
    if starts.len() < 2 {
        return Ok(None);
    }
    // (patient share, classes paying it): one group per distinct share, cheapest first (kept in
    // order as they are made, for the same reason as `age_classes`).
    let mut groups: Vec<(Money, Vec<usize>)> = vec![];
    for (i, &a) in starts.iter().enumerate() {
        let mut c = case.clone();
        c.patient.age = Some(a);
        let s = share(&c)?;
        match groups.iter().position(|g| g.0 >= s) {
            Some(at) if groups[at].0 == s => groups[at].1.push(i),
            Some(at) => groups.insert(at, (s, vec![i])),
            None => groups.push((s, vec![i])),
        }
    }
    if groups.len() < 2 {
        return Ok(None);
    }
    let words = |g: &(Money, Vec<usize>)| {
        let ws: Vec<_> = g.1.iter().map(|&i| class_words(&starts, i)).collect();
        joined(&ws)
    };
    let (taken_zh, taken_en) = words(&groups[0]);
    let others: Vec<Outcome> = groups[1..]
        .iter()
        .map(|g| {
            let (when_zh, when_en) = words(g);
            Outcome {
                when_zh,
                when_en,
                psn_part_amt: g.0,
            }
        })
        .collect();
    // Classes paying the same: the oldest is taken (a blank age on a hospital stay is more
    // often an elder's), and the sentence names them all.
    let assumed = starts[*groups[0].1.last().expect("a group has a class")];
    let rest_zh: Vec<String> = others
        .iter()
        .map(|o| format!("若 {},个人约 {} 元", o.when_zh, o.psn_part_amt.grouped()))
        .collect();
    let rest_en: Vec<String> = others
        .iter()
        .map(|o| {
            format!(
                "if {}, you would pay about {} yuan",
                o.when_en,
                o.psn_part_amt.grouped()
            )
        })
        .collect();
    let zh = format!(
        "未填年龄:本政策有按年龄不同的规定,按对您最有利的「{taken_zh}」估算;{}。请填写年龄以得到准确结果。",
        rest_zh.join(";")
    );
    let en = format!(
        "Age left blank: this policy has rules that depend on age, so this estimate takes the most favourable case for you ({taken_en}); {}. Enter the age for an exact figure.",
        rest_en.join("; ")
    );
    let other_ages: Vec<u32> = groups[1..]
        .iter()
        .flat_map(|g| g.1.iter().map(|&i| starts[i]))
        .collect();
    let cites = cites_between(p, assumed, &other_ages);
    let mut c = case.clone();
    c.patient.age = Some(assumed);
    Ok(Some((
        c,
        Assumption {
            field: "patient.age".into(),
            assumed: assumed.to_string(),
            taken_zh,
            taken_en,
            psn_part_amt: groups[0].0,
            others,
            zh,
            en,
            cites,
        },
    )))
}
