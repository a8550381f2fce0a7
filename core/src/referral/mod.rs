//! 分级诊疗: may this patient be treated at that level for this disease, with what paperwork,
//! and what breaking a rule costs. The penalties found here feed the one estimate pipeline.

pub mod check;
pub mod compare;
pub mod transfer;

use crate::case::{Case, ReferralFacts};
use crate::date::Date;
use crate::money::{Money, Points, Rate};
use crate::policy::{FilingKind, Penalty, Policy, ReferralRules};
use crate::trace::Citation;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    Allowed,
    Penalised,
    NotReimbursed,
}

impl Eligibility {
    pub fn zh(self) -> &'static str {
        match self {
            Eligibility::Allowed => "可正常报销",
            Eligibility::Penalised => "可报销但降低待遇",
            Eligibility::NotReimbursed => "不予报销",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Eligibility::Allowed => "reimbursed normally",
            Eligibility::Penalised => "reimbursed with a penalty",
            Eligibility::NotReimbursed => "not reimbursed",
        }
    }
}

/// One rule that was checked and what it found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Finding {
    /// `exempt`, `primary_first`, `upward`, `out_of_area`.
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub penalty: Option<Penalty>,
    pub zh: String,
    pub en: String,
    pub cite: Citation,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Verdict {
    pub eligibility: Eligibility,
    pub findings: Vec<Finding>,
    /// What to do instead, when a rule was broken.
    pub advice_zh: Vec<String>,
    pub advice_en: Vec<String>,
    /// All penalties combined, as the estimate applies them.
    pub penalty: Penalty,
}

impl Verdict {
    /// The clause of the first finding whose penalty sets what `sets` asks about: the step that
    /// applies a combined penalty cites the rule it came from.
    pub fn cite_for(&self, sets: impl Fn(&Penalty) -> bool) -> Option<Citation> {
        self.findings
            .iter()
            .find(|f| f.penalty.as_ref().is_some_and(&sets))
            .map(|f| f.cite.clone())
    }

    fn allowed() -> Self {
        Verdict {
            eligibility: Eligibility::Allowed,
            findings: vec![],
            advice_zh: vec![],
            advice_en: vec![],
            penalty: Penalty::default(),
        }
    }
}

/// Check the case's facility, disease and paperwork against the policy's referral rules.
/// Assumes the case's level exists (the estimate checks it first).
/// Which paperwork questions can change this case's verdict: a screen asks only these (a
/// referral slip at the lowest level, or for an exempt patient, changes nothing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Questions {
    /// Holding a 转诊单 changes the verdict.
    pub slip: bool,
    /// Holding an 异地就医备案 changes the verdict.
    pub filing: bool,
}

/// The paperwork questions that matter for `case` (its own referral facts are ignored): each is
/// [`assess`] with and without the paperwork.
pub fn questions(p: &Policy, case: &Case, date: Date) -> Questions {
    let verdict = |facts: ReferralFacts| {
        let c = Case {
            referral: facts,
            ..case.clone()
        };
        let v = assess(p, &c, date);
        (v.eligibility, v.penalty)
    };
    let none = verdict(ReferralFacts::default());
    Questions {
        slip: verdict(ReferralFacts {
            slip: true,
            slip_date: Some(date),
            ..ReferralFacts::default()
        }) != none,
        filing: verdict(ReferralFacts {
            filing: true,
            ..ReferralFacts::default()
        }) != none,
    }
}

pub fn assess(p: &Policy, case: &Case, date: Date) -> Verdict {
    let mut v = Verdict::allowed();
    let Some(rules) = p.referral.as_ref() else {
        return v;
    };
    let Some(level) = p.level(&case.level) else {
        return v;
    };
    let disease = case.disease.as_deref().and_then(|c| p.disease(c));

    if let Some((zh, en)) = exemption(rules, case, disease.is_some_and(|d| d.emergency)) {
        v.findings.push(Finding {
            rule: "exempt".into(),
            penalty: None,
            zh: format!("{zh},不受首诊和转诊规定限制"),
            en: format!("{en}: referral rules do not apply"),
            cite: Citation::resolve(p, &rules.exemptions.cite),
        });
        return v;
    }

    let slip_valid = slip_valid(rules, &case.referral, date);
    let slip_expired = case.referral.slip && !slip_valid;

    if let (Some(rule), Some(d)) = (&rules.primary_first, disease) {
        if let Some(first) = d.first_level.as_deref().and_then(|f| p.level(f)) {
            if level.rank > first.rank && !slip_valid {
                v.findings.push(Finding {
                    rule: "primary_first".into(),
                    penalty: Some(rule.penalty.clone()),
                    zh: format!(
                        "{}属基层首诊病种,应先到{}就诊;未持转诊单直接到{}就诊,{}",
                        d.name_zh, first.name_zh, level.name_zh, penalty_zh(&rule.penalty)
                    ),
                    en: format!(
                        "{} must first be seen at a {}; going straight to a {} without a referral slip: {}",
                        d.name_en, first.name_en, level.name_en, penalty_en(&rule.penalty)
                    ),
                    cite: Citation::resolve(p, &rule.cite),
                });
                v.advice_zh
                    .push(format!("先到{}首诊,需要时由其开具转诊单", first.name_zh));
                v.advice_en.push(format!(
                    "see a {} first and ask it for a referral slip if needed",
                    first.name_en
                ));
            }
        }
    }

    if let (Some(rule), Some(d)) = (&rules.upward, disease) {
        let top = d
            .levels
            .iter()
            .filter_map(|l| p.level(l))
            .map(|l| l.rank)
            .max();
        let already = v.findings.iter().any(|f| f.rule == "primary_first");
        if top.is_some_and(|t| level.rank > t) && !slip_valid && !already {
            let expired = if slip_expired {
                "(转诊单已过有效期)"
            } else {
                ""
            };
            let expired_en = if slip_expired {
                " (the slip has expired)"
            } else {
                ""
            };
            v.findings.push(Finding {
                rule: "upward".into(),
                penalty: Some(rule.penalty.clone()),
                zh: format!(
                    "{}按目录应在下级医疗机构诊治,到{}需持有效转诊单{expired};否则{}",
                    d.name_zh, level.name_zh, penalty_zh(&rule.penalty)
                ),
                en: format!(
                    "{} belongs to a lower level; a {} needs a valid referral slip{expired_en}; otherwise {}",
                    d.name_en, level.name_en, penalty_en(&rule.penalty)
                ),
                cite: Citation::resolve(p, &rule.cite),
            });
            v.advice_zh.push("请下级医院开具转诊单后再上转".into());
            v.advice_en
                .push("get a referral slip from the lower-level hospital before going up".into());
        }
    }

    for rule in rules.out_of_area.iter().filter(|r| r.scope == level.scope) {
        let kind = filing_kind(case, slip_valid);
        if let Some(terms) = rule.by_filing.iter().find(|t| t.kinds.contains(&kind)) {
            let none = terms.penalty == Penalty::default();
            let (zh, en) = if none {
                (
                    "按参保地待遇报销".to_string(),
                    "reimbursed as at home".to_string(),
                )
            } else {
                (penalty_zh(&terms.penalty), penalty_en(&terms.penalty))
            };
            v.findings.push(Finding {
                rule: "out_of_area".into(),
                penalty: (!none).then(|| terms.penalty.clone()),
                zh: format!("到{}就医({}):{zh}", level.name_zh, kind.name_zh()),
                en: format!("care at a {} ({}): {en}", level.name_en, kind.name_en()),
                cite: Citation::resolve(p, &terms.cite),
            });
            continue;
        }
        let ok = slip_valid || (rule.filing_accepted && case.referral.filing);
        if !ok {
            let paper_zh = if rule.filing_accepted {
                "转诊单或异地就医备案"
            } else {
                "转诊单"
            };
            let paper_en = if rule.filing_accepted {
                "a referral slip or an out-of-area filing"
            } else {
                "a referral slip"
            };
            v.findings.push(Finding {
                rule: "out_of_area".into(),
                penalty: Some(rule.penalty.clone()),
                zh: format!(
                    "到{}就医需{paper_zh};未办理,{}",
                    level.name_zh,
                    penalty_zh(&rule.penalty)
                ),
                en: format!(
                    "care at a {} needs {paper_en}; without it: {}",
                    level.name_en,
                    penalty_en(&rule.penalty)
                ),
                cite: Citation::resolve(p, &rule.cite),
            });
            v.advice_zh.push(format!("就医前办理{paper_zh}"));
            v.advice_en.push(format!("obtain {paper_en} before going"));
        }
    }

    v.penalty = combine(v.findings.iter().filter_map(|f| f.penalty.as_ref()));
    v.eligibility = if v.penalty.not_reimbursed {
        Eligibility::NotReimbursed
    } else if v.findings.iter().any(|f| f.penalty.is_some()) {
        Eligibility::Penalised
    } else {
        Eligibility::Allowed
    };
    v
}

/// The case's kind of 备案: as stated, else what its paperwork shows.
fn filing_kind(case: &Case, slip_valid: bool) -> FilingKind {
    match case.referral.filing_kind {
        Some(k) => k,
        None if case.emergency => FilingKind::Emergency,
        None if slip_valid => FilingKind::Referral,
        None if case.referral.filing => FilingKind::Temporary,
        None => FilingKind::Unfiled,
    }
}

/// Whether the patient holds a referral slip still valid on `date` (issued on or before it,
/// within the rules' validity days).
pub fn slip_valid(rules: &ReferralRules, facts: &ReferralFacts, date: Date) -> bool {
    facts.slip
        && match (
            rules.upward.as_ref().and_then(|u| u.validity_days),
            facts.slip_date,
        ) {
            (Some(days), Some(issued)) => {
                date.days() - issued.days() <= days as i64 && date >= issued
            }
            _ => true,
        }
}

/// The exemption that applies to this patient, if any, as (zh, en) reason.
fn exemption(r: &ReferralRules, case: &Case, emergency_disease: bool) -> Option<(String, String)> {
    let e = &r.exemptions;
    let age = case.patient.age;
    if e.emergency && (case.emergency || emergency_disease) {
        return Some(("急危重症".into(), "emergency".into()));
    }
    if let (Some(min), Some(a)) = (e.age_at_least, age) {
        if a >= min {
            return Some((
                format!("{min} 周岁及以上老人"),
                format!("aged {min} or over"),
            ));
        }
    }
    if let (Some(max), Some(a)) = (e.age_at_most, age) {
        if a <= max {
            return Some((
                format!("{max} 周岁及以下儿童"),
                format!("child aged {max} or under"),
            ));
        }
    }
    if e.pregnancy && case.patient.pregnant {
        return Some(("孕产妇".into(), "pregnant".into()));
    }
    if e.severe_disability && case.patient.severe_disability {
        return Some(("重度残疾人".into(), "severe disability".into()));
    }
    None
}

/// Several broken rules at once: the harshest of each kind, points added up.
fn combine<'a>(ps: impl Iterator<Item = &'a Penalty>) -> Penalty {
    let mut out = Penalty::default();
    for p in ps {
        if let Some(pts) = p.ratio_points {
            out.ratio_points = Some(Points(out.ratio_points.map_or(pts.0, |o| o.0 + pts.0)));
        }
        out.ratio = match (out.ratio, p.ratio) {
            (Some(a), Some(b)) => Some(Rate(a.0.min(b.0))),
            (a, b) => a.or(b),
        };
        out.ratio_factor = match (out.ratio_factor, p.ratio_factor) {
            (Some(a), Some(b)) => Some(Rate(a.0 * b.0)),
            (a, b) => a.or(b),
        };
        out.deductible = match (out.deductible, p.deductible) {
            (Some(a), Some(b)) => Some(Money(a.0.max(b.0))),
            (a, b) => a.or(b),
        };
        out.preselfpay = match (out.preselfpay, p.preselfpay) {
            (Some(a), Some(b)) => Some(Rate(a.0.max(b.0))),
            (a, b) => a.or(b),
        };
        out.not_reimbursed |= p.not_reimbursed;
    }
    out
}

pub fn penalty_zh(p: &Penalty) -> String {
    if p.not_reimbursed {
        return "医保基金不予支付".into();
    }
    let mut parts = vec![];
    if let Some(r) = p.ratio {
        parts.push(format!("报销比例按 {r} 计"));
    }
    if let Some(pts) = p.ratio_points {
        parts.push(format!("报销比例调整 {} 个百分点", pts.0.normalize()));
    }
    if let Some(f) = p.ratio_factor {
        parts.push(format!("报销比例按原比例的 {f} 计"));
    }
    if let Some(d) = p.deductible {
        parts.push(format!("起付线按 {d} 元计"));
    }
    if let Some(s) = p.preselfpay {
        parts.push(format!("政策范围内费用先行自付 {s}"));
    }
    parts.join(",")
}

pub fn penalty_en(p: &Penalty) -> String {
    if p.not_reimbursed {
        return "the fund pays nothing".into();
    }
    let mut parts = vec![];
    if let Some(r) = p.ratio {
        parts.push(format!("ratio set to {r}"));
    }
    if let Some(pts) = p.ratio_points {
        parts.push(format!("ratio changed by {} points", pts.0.normalize()));
    }
    if let Some(f) = p.ratio_factor {
        parts.push(format!("ratio multiplied by {f}"));
    }
    if let Some(d) = p.deductible {
        parts.push(format!("deductible set to {d}"));
    }
    if let Some(s) = p.preselfpay {
        parts.push(format!(
            "{s} of the in-scope cost paid first by the patient"
        ));
    }
    parts.join(", ")
}
