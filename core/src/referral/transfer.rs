//! 下转 suggestion: when an inpatient's daily cost has been stable for the policy's number of
//! days (within its tolerance), suggest finishing the stay at a lower level and show the saving.
//! Seed model: "以住院患者的日均医疗费用为主要指标,当这一指标呈现稳定状态并持续数天之后,模型会提示下转".

use crate::case::{Bill, Case, Patient};
use crate::date::Date;
use crate::error::Problems;
use crate::estimate::estimate;
use crate::money::Money;
use crate::policy::PolicyDoc;
use crate::trace::Citation;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct TransferRequest {
    /// Current facility level.
    pub level: String,
    #[serde(default)]
    pub patient: Patient,
    #[serde(default)]
    pub disease: Option<String>,
    #[serde(default)]
    pub date: Option<Date>,
    /// Cost of each inpatient day so far, oldest first.
    pub daily_costs: Vec<Money>,
    /// Days still expected in hospital (default: the policy's stable-days window).
    #[serde(default)]
    pub remaining_days: Option<u32>,
    /// Daily cost at the lower level, when known (default: the same daily cost).
    #[serde(default)]
    pub lower_daily_cost: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Saving {
    pub target_level: String,
    pub remaining_cost_here: Money,
    pub remaining_cost_lower: Money,
    /// Patient payment if the whole stay stays here.
    pub stay_patient_pays: Money,
    /// Patient payment for this stay so far plus the rest at the lower level (after 下转).
    pub transfer_patient_pays: Money,
    pub saving: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct TransferSuggestion {
    pub suggest: bool,
    /// Mean daily cost of the stable window, when there is one.
    pub daily_mean: Option<Money>,
    pub zh: String,
    pub en: String,
    pub saving: Option<Saving>,
    pub cite: Option<Citation>,
}

pub fn suggest(
    doc: &PolicyDoc,
    req: &TransferRequest,
    today: Date,
) -> Result<TransferSuggestion, Problems> {
    let p = &doc.policy;
    let level = p.level_or_problem(&req.level, "level")?;
    let Some(rule) = p.referral.as_ref().and_then(|r| r.transfer_down.as_ref()) else {
        return Ok(TransferSuggestion {
            suggest: false,
            daily_mean: None,
            zh: "本政策未规定下转提示规则".into(),
            en: "the policy sets no transfer-down rule".into(),
            saving: None,
            cite: None,
        });
    };
    let cite = Some(Citation::resolve(p, &rule.cite));
    let n = rule.stable_days as usize;
    let no = |zh: String, en: String, mean: Option<Money>| {
        Ok(TransferSuggestion {
            suggest: false,
            daily_mean: mean,
            zh,
            en,
            saving: None,
            cite: cite.clone(),
        })
    };
    if req.daily_costs.len() < n {
        return no(
            format!("住院 {} 天,不足判断所需的 {n} 天", req.daily_costs.len()),
            format!(
                "{} days in hospital; {n} are needed to judge stability",
                req.daily_costs.len()
            ),
            None,
        );
    }
    let window = &req.daily_costs[req.daily_costs.len() - n..];
    let mean = Money(window.iter().map(|m| m.0).sum::<Decimal>() / Decimal::from(n as u64));
    let (lo, hi) = (
        window.iter().min().copied().unwrap_or_default(),
        window.iter().max().copied().unwrap_or_default(),
    );
    let spread = if mean.is_zero() {
        Decimal::ZERO
    } else {
        (hi - lo).0 / mean.0
    };
    if spread > rule.tolerance.0 {
        return no(
            format!(
                "近 {n} 天日均费用波动 {}%,超过 {},病情尚未稳定",
                (spread * Decimal::ONE_HUNDRED).round_dp(1),
                rule.tolerance
            ),
            format!(
                "daily cost over the last {n} days varies by {}%, more than {}; not yet stable",
                (spread * Decimal::ONE_HUNDRED).round_dp(1),
                rule.tolerance
            ),
            Some(mean),
        );
    }
    let target = p
        .levels
        .iter()
        .filter(|l| l.rank < level.rank && p.has_inpatient(&l.id))
        .filter(|l| {
            req.disease
                .as_deref()
                .and_then(|c| p.disease(c))
                .is_none_or(|d| d.levels.contains(&l.id))
        })
        .max_by_key(|l| l.rank);
    let Some(target) = target else {
        return no(
            "日均费用已稳定,但没有可下转的下级机构".into(),
            "daily cost is stable but there is no lower level to transfer to".into(),
            Some(mean),
        );
    };
    let days = req.remaining_days.unwrap_or(rule.stable_days);
    let so_far: Money = req.daily_costs.iter().copied().sum();
    let here = Money(mean.0 * Decimal::from(days));
    let lower = Money(req.lower_daily_cost.unwrap_or(mean).0 * Decimal::from(days));
    let case_at = |lvl: &str, total: Money| Case {
        date: req.date,
        level: lvl.to_string(),
        patient: req.patient.clone(),
        disease: req.disease.clone(),
        bill: Bill {
            total: Some(total),
            ..Bill::default()
        },
        ..Case::default()
    };
    let stay = estimate(doc, &case_at(&level.id, so_far + here), today)?;
    let first = estimate(doc, &case_at(&level.id, so_far), today)?;
    let mut second_case = case_at(&target.id, lower);
    second_case.referral.from_level = Some(level.id.clone());
    second_case.ytd = first.ytd_after.clone();
    let second = estimate(doc, &second_case, today)?;
    let transfer = first.settlement.psn_part_amt + second.settlement.psn_part_amt;
    let stay_pays = stay.settlement.psn_part_amt;
    let saving = stay_pays - transfer;
    Ok(TransferSuggestion {
        suggest: true,
        daily_mean: Some(mean),
        zh: format!(
            "近 {n} 天日均费用约 {} 元且稳定(波动不超过 {}),建议下转至{}继续治疗;余下 {days} 天预计可为您节省 {} 元",
            mean.grouped(), rule.tolerance, target.name_zh, saving.grouped()
        ),
        en: format!(
            "daily cost has been stable at about {} for {n} days (within {}); consider finishing the stay at a {}: about {} saved over the remaining {days} days",
            mean.grouped(), rule.tolerance, target.name_en, saving.grouped()
        ),
        saving: Some(Saving {
            target_level: target.id.clone(),
            remaining_cost_here: here,
            remaining_cost_lower: lower,
            stay_patient_pays: stay_pays,
            transfer_patient_pays: transfer,
            saving,
        }),
        cite,
    })
}
