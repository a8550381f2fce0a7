//! The detail of the `yibao-estimate` event the widget sends its host page after each new
//! estimate.
//!
//! Written by hand: serde_json would add its formatting code to the phone's module for this one
//! object. `yibao_core::json::quote` is used here only (it is to be replaced by a serde-based
//! writer: the swap is this module).

use super::Mode;
use yibao_core::json::quote;
use yibao_core::referral::Eligibility;
use yibao_core::{Money, RangeEstimate};

/// The event detail as JSON. `fragment` is the form's share-link fragment.
pub fn estimate_event(mode: Mode, range: &RangeEstimate, fragment: &str) -> String {
    let settlement = &range.typical.settlement;
    let amount = |m: Money| quote(&m.to_string());
    let fields: Vec<String> = yibao_core::estimate::FIELDS
        .iter()
        .map(|(key, _)| {
            let value = settlement.get(key).unwrap_or_default();
            format!("{}:{}", quote(key), amount(value))
        })
        .collect();
    let receipt = &range.typical.receipt;
    let eligibility = match range.typical.referral.eligibility {
        Eligibility::Allowed => "allowed",
        Eligibility::Penalised => "penalised",
        Eligibility::NotReimbursed => "not_reimbursed",
    };
    format!(
        "{{\"mode\":{},\"policy\":{},\"exact\":{},\"patientPays\":{{\"low\":{},\"typical\":{},\"high\":{}}},\"settlement\":{{{}}},\"actualRatio\":{},\"referral\":{},\"receipt\":{{\"engine\":{},\"policy_id\":{},\"policy_sha256\":{},\"evaluated_at\":{}}},\"fragment\":{}}}",
        quote(mode.code()),
        quote(&receipt.policy_id),
        range.exact,
        amount(range.low.settlement.psn_part_amt),
        amount(settlement.psn_part_amt),
        amount(range.high.settlement.psn_part_amt),
        fields.join(","),
        quote(&range.typical.actual_ratio.to_string()),
        quote(eligibility),
        quote(&receipt.engine),
        quote(&receipt.policy_id),
        quote(&receipt.policy_sha256),
        quote(&receipt.evaluated_at.to_string()),
        quote(fragment),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{build_case, eval_date, load_policy, Form};
    use yibao_core::Date;

    #[test]
    fn event_detail_is_json_with_the_estimate() {
        let doc = load_policy("chongqing-yubei/resident-2023").unwrap();
        let mut form = Form::new(&doc);
        form.level = "level2".into();
        form.category = "dibao_edge".into();
        form.total = "52000".into();
        form.in_scope = "50000".into();
        let (date, _) = eval_date(&doc, &form, Date::parse("2023-06-01").unwrap()).unwrap();
        let case = build_case(&doc, &form, date, None).unwrap();
        let range = yibao_core::estimate_range(&doc, &case, date).unwrap();
        let json = estimate_event(Mode::Clerk, &range, "v=1&t=\"52000\"");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["mode"], "clerk");
        assert_eq!(v["policy"], "chongqing-yubei/resident-2023");
        assert_eq!(v["exact"], range.exact);
        assert_eq!(v["patientPays"]["typical"], "5625.2");
        assert_eq!(v["settlement"]["psn_part_amt"], "5625.2");
        assert_eq!(v["settlement"]["medfee_sumamt"], "52000");
        assert_eq!(v["referral"], "allowed");
        assert_eq!(v["receipt"]["policy_sha256"], doc.sha256.as_str());
        assert_eq!(v["fragment"], "v=1&t=\"52000\"");
    }
}
