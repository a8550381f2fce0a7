//! Pathway comparison: every sensible place to be treated for a disease and an expected cost,
//! side by side — the eligibility verdict, the paperwork, and what the patient would pay.
//! Each option runs the one estimate pipeline; nothing here does its own arithmetic.

use super::Eligibility;
use crate::case::{Bill, Case, Patient, ReferralFacts, Ytd};
use crate::date::Date;
use crate::error::{Code, Problem, Problems};
use crate::estimate::{estimate_range, RangeEstimate};
use crate::money::Money;
use crate::policy::{Level, PolicyDoc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct CompareRequest {
    #[serde(default)]
    pub patient: Patient,
    #[serde(default)]
    pub disease: Option<String>,
    /// What the stay is expected to cost in total.
    pub expected_cost: Money,
    #[serde(default)]
    pub date: Option<Date>,
    #[serde(default)]
    pub emergency: bool,
    #[serde(default)]
    pub ytd: Ytd,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
pub enum Paperwork {
    None,
    /// 转诊单 from the level below.
    Slip,
    /// 异地就医备案.
    Filing,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct PathOption {
    pub level: String,
    pub level_zh: String,
    pub level_en: String,
    pub paperwork: Paperwork,
    pub paperwork_zh: String,
    pub paperwork_en: String,
    /// The catalogue lists this level for the disease (or no disease was given).
    pub designated: bool,
    pub eligibility: Eligibility,
    /// Patient payment: low / typical / high.
    pub patient_low: Money,
    pub patient_typical: Money,
    pub patient_high: Money,
    pub recommended: bool,
    /// This option is the case [`compare_case`] was asked about, as it was given: its estimate
    /// is that case's.
    pub own: bool,
    pub estimate: RangeEstimate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Comparison {
    pub options: Vec<PathOption>,
    /// Index into `options` of the recommended one.
    pub recommended: Option<usize>,
    pub reason_zh: String,
    pub reason_en: String,
}

pub fn compare(doc: &PolicyDoc, req: &CompareRequest, today: Date) -> Result<Comparison, Problems> {
    if req.expected_cost.is_zero() {
        return Err(Problem::new(
            Code::ZeroCost,
            "expected_cost",
            "请填写预计费用(大于 0)",
            "give an expected cost above 0",
        )
        .into());
    }
    let case = Case {
        date: req.date,
        patient: req.patient.clone(),
        disease: req.disease.clone(),
        emergency: req.emergency,
        bill: Bill {
            total: Some(req.expected_cost),
            ..Bill::default()
        },
        ytd: req.ytd.clone(),
        ..Case::default()
    };
    options(doc, &case, None, today)
}

/// Every place for *this* case: the same patient, disease, bill (line items, or a total with its
/// 政策范围内 part), year to date and account, at each level with each kind of paperwork. The
/// option at the case's own level with the case's own paperwork is the case itself, so its
/// figures are the case's estimate — the answer a screen shows above its comparison — to the
/// fen; the others differ from it only by where and with what paperwork. Amounts already
/// settled (`known`) belong to the case's own stay and are not carried to the other places.
pub fn compare_case(doc: &PolicyDoc, case: &Case, today: Date) -> Result<Comparison, Problems> {
    let mut base = case.clone();
    base.known = Default::default();
    base.referral = ReferralFacts::default();
    options(doc, &base, Some(case), today)
}

/// The paperwork a case's referral facts amount to.
fn paperwork_of(facts: &ReferralFacts) -> Paperwork {
    if facts.slip || facts.from_level.is_some() {
        Paperwork::Slip
    } else if facts.filing || facts.filing_kind.is_some() {
        Paperwork::Filing
    } else {
        Paperwork::None
    }
}

/// The options: `base` (without referral facts) at every level and with every kind of
/// paperwork; at `own`'s level, `own` itself first.
fn options(
    doc: &PolicyDoc,
    base: &Case,
    own: Option<&Case>,
    today: Date,
) -> Result<Comparison, Problems> {
    let p = &doc.policy;
    let disease = base.disease.as_deref().and_then(|c| p.disease(c));
    if let (Some(code), None) = (&base.disease, disease) {
        if p.catalogue.is_some() {
            return Err(Problem::new(
                Code::UnknownDisease,
                "disease",
                format!("病种目录中没有 \"{code}\",请按名称或拼音首字母搜索"),
                format!(
                    "\"{code}\" is not in the disease catalogue; search by name or pinyin initials"
                ),
            )
            .into());
        }
    }
    let levels: Vec<&Level> = p
        .levels_by_rank()
        .into_iter()
        .filter(|l| p.has_inpatient(&l.id))
        .collect();
    let lowest = levels.first().map(|l| l.id.clone());

    let mut options = vec![];
    for l in levels {
        let below = p
            .levels
            .iter()
            .filter(|b| b.rank < l.rank && p.has_inpatient(&b.id))
            .max_by_key(|b| b.rank);
        let mut variants: Vec<(Paperwork, Case)> = vec![];
        let at_level = |facts: ReferralFacts| Case {
            level: l.id.clone(),
            referral: facts,
            ..base.clone()
        };
        // The case's own stay, as it was estimated: first at its level.
        let own_here = own.filter(|c| c.level == l.id);
        if let Some(c) = own_here {
            variants.push((paperwork_of(&c.referral), c.clone()));
        }
        variants.push((Paperwork::None, at_level(ReferralFacts::default())));
        if below.is_some() {
            // A slip from an outpatient visit below: no deductible was paid there, so the
            // 上转 difference rule (for transfers within one admission) does not apply.
            let slip = ReferralFacts {
                from_level: None,
                slip: true,
                slip_date: base.date,
                filing: false,
                filing_kind: None,
            };
            variants.push((Paperwork::Slip, at_level(slip)));
        }
        let filing_ok = p.referral.as_ref().is_some_and(|r| {
            r.out_of_area
                .iter()
                .any(|o| o.scope == l.scope && o.filing_accepted)
        });
        if filing_ok {
            variants.push((
                Paperwork::Filing,
                at_level(ReferralFacts {
                    filing: true,
                    ..ReferralFacts::default()
                }),
            ));
        }
        let mut seen: Vec<(Eligibility, Money)> = vec![];
        let mut kinds: Vec<Paperwork> = vec![];
        for (i, (paperwork, case)) in variants.into_iter().enumerate() {
            let is_own = own_here.is_some() && i == 0;
            // The case's own paperwork is already its own stay.
            if !is_own && own_here.is_some() && kinds.contains(&paperwork) {
                continue;
            }
            let est = estimate_range(doc, &case, today)?;
            let key = (
                est.typical.referral.eligibility,
                est.typical.settlement.psn_part_amt,
            );
            // Paperwork that changes nothing is not a separate option.
            if !is_own && paperwork != Paperwork::None && seen.contains(&key) {
                continue;
            }
            seen.push(key);
            kinds.push(paperwork);
            // A transfer within the stay names the level it came from.
            let from = case
                .referral
                .from_level
                .as_deref()
                .and_then(|id| p.level(id))
                .or(below)
                .map(|b| (b.name_zh.as_str(), b.name_en.as_str()))
                .unwrap_or(("", ""));
            let (pz, pe) = match paperwork {
                Paperwork::None if Some(&l.id) == lowest.as_ref() => (
                    "直接就诊,无需转诊手续".to_string(),
                    "go directly; no paperwork".to_string(),
                ),
                Paperwork::None => (
                    "不办转诊/备案".to_string(),
                    "without referral or filing".to_string(),
                ),
                Paperwork::Slip => (
                    format!("需要{}开具转诊单", from.0),
                    format!("needs a referral slip from the {}", from.1),
                ),
                Paperwork::Filing => (
                    "需要办理异地就医备案".to_string(),
                    "needs an out-of-area filing".to_string(),
                ),
            };
            let designated = disease.is_none_or(|d| d.levels.contains(&l.id));
            options.push(PathOption {
                level: l.id.clone(),
                level_zh: l.name_zh.clone(),
                level_en: l.name_en.clone(),
                paperwork,
                paperwork_zh: pz,
                paperwork_en: pe,
                designated,
                eligibility: est.typical.referral.eligibility,
                patient_low: est.low.settlement.psn_part_amt,
                patient_typical: est.typical.settlement.psn_part_amt,
                patient_high: est.high.settlement.psn_part_amt,
                recommended: false,
                own: is_own,
                estimate: est,
            });
        }
    }
    // Recommend the cheapest reimbursed option at a level that treats the disease; ties go to
    // the lower level (closer to home, 基层首诊).
    let best = options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.designated && o.eligibility != Eligibility::NotReimbursed)
        .min_by(|(_, a), (_, b)| a.patient_typical.cmp(&b.patient_typical))
        .map(|(i, _)| i);
    if let Some(i) = best {
        options[i].recommended = true;
    }
    let (reason_zh, reason_en) = match best.map(|i| &options[i]) {
        Some(o) => {
            (
                format!("推荐到{}({}):在可诊治该病的机构中个人负担最低,约 {} 元", o.level_zh, o.paperwork_zh, o.patient_typical.grouped_whole()),
                format!("recommended: {} ({}) — the lowest patient payment among facilities that treat this condition, about {}", o.level_en, o.paperwork_en, o.patient_typical.grouped_whole()),
            )
        }
        None => ("没有可报销的就医选项".into(), "no reimbursed option".into()),
    };
    Ok(Comparison {
        options,
        recommended: best,
        reason_zh,
        reason_en,
    })
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;
    use crate::case::Item;
    use crate::policy::ItemClass;

    fn demo() -> PolicyDoc {
        let text = crate::bundled::file("demo-county/resident-2024.toml").unwrap();
        crate::policy::load::parse_policy(text, "demo-county/resident-2024.toml").unwrap()
    }

    fn day() -> Date {
        Date::parse("2024-06-01").unwrap()
    }

    fn own(c: &Comparison) -> &PathOption {
        let mine: Vec<_> = c.options.iter().filter(|o| o.own).collect();
        assert_eq!(mine.len(), 1, "{:?}", c.options);
        mine[0]
    }

    #[test]
    fn the_own_level_is_the_case_estimate_with_its_in_scope_amount() {
        let doc = demo();
        let case = Case {
            level: "county".into(),
            bill: Bill {
                total: Some(Money::parse("20000").unwrap()),
                in_scope: Some(Money::parse("12000").unwrap()),
                ..Bill::default()
            },
            ..Case::default()
        };
        let est = estimate_range(&doc, &case, day()).unwrap();
        assert!(est.exact);
        let c = compare_case(&doc, &case, day()).unwrap();
        let mine = own(&c);
        assert_eq!(mine.level, "county");
        assert_eq!(mine.estimate, est);
        assert_eq!(mine.patient_low, est.typical.settlement.psn_part_amt);
        assert_eq!(mine.patient_high, est.typical.settlement.psn_part_amt);
        // Every other place takes the same detailed bill: one figure, not the typical-mix range.
        for o in &c.options {
            assert!(o.estimate.exact, "{} is a range", o.level);
            assert_eq!(
                o.estimate.typical.settlement.inscp_scp_amt,
                est.typical.settlement.inscp_scp_amt
            );
        }
        // The total-only comparison of the same cost is the typical-mix range, which is what
        // the screen used to show beside the in-scope answer.
        let old = compare(
            &doc,
            &CompareRequest {
                expected_cost: Money::parse("20000").unwrap(),
                ..CompareRequest::default()
            },
            day(),
        )
        .unwrap();
        let county = old.options.iter().find(|o| o.level == "county").unwrap();
        assert!(!county.own);
        assert_ne!(county.patient_typical, est.typical.settlement.psn_part_amt);
    }

    #[test]
    fn line_items_and_own_paperwork_carry_over() {
        let doc = demo();
        let item = |class, amount: &str| Item {
            name: "x".into(),
            class,
            amount: Money::parse(amount).unwrap(),
            limit: None,
        };
        let case = Case {
            level: "county".into(),
            referral: ReferralFacts {
                slip: true,
                ..ReferralFacts::default()
            },
            bill: Bill {
                items: vec![item(ItemClass::Jia, "9000"), item(ItemClass::Bing, "3000")],
                ..Bill::default()
            },
            ..Case::default()
        };
        let est = estimate_range(&doc, &case, day()).unwrap();
        let c = compare_case(&doc, &case, day()).unwrap();
        let mine = own(&c);
        assert_eq!(mine.paperwork, Paperwork::Slip);
        assert_eq!(mine.estimate, est);
        // Its own paperwork is not listed twice at its level.
        let here: Vec<_> = c
            .options
            .iter()
            .filter(|o| o.level == "county")
            .map(|o| o.paperwork)
            .collect();
        assert_eq!(
            here.iter().filter(|p| **p == Paperwork::Slip).count(),
            1,
            "{here:?}"
        );
        for o in &c.options {
            assert_eq!(
                o.estimate.typical.settlement.fulamt_ownpay_amt,
                Money::parse("3000").unwrap()
            );
        }
    }
}
