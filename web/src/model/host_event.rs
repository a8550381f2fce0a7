//! The detail of the `yibao-estimate` event the widget sends its host page after each new
//! estimate.

use super::Mode;
use serde::Serialize;
use yibao_core::referral::Eligibility;
use yibao_core::trace::Receipt;
use yibao_core::{Money, RangeEstimate, Rate, Settlement};

/// What the host page receives (`event.detail`, parsed from this JSON).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HostEvent<'a> {
    mode: &'static str,
    policy: &'a str,
    exact: bool,
    patient_pays: PatientPays,
    settlement: &'a Settlement,
    actual_ratio: Rate,
    referral: Eligibility,
    receipt: &'a Receipt,
    fragment: &'a str,
}

#[derive(Serialize)]
struct PatientPays {
    low: Money,
    typical: Money,
    high: Money,
}

/// The event detail as JSON. `fragment` is the form's share-link fragment.
pub fn estimate_event(mode: Mode, range: &RangeEstimate, fragment: &str) -> String {
    let typical = &range.typical;
    let event = HostEvent {
        mode: mode.code(),
        policy: &typical.receipt.policy_id,
        exact: range.exact,
        patient_pays: PatientPays {
            low: range.low.settlement.psn_part_amt,
            typical: typical.settlement.psn_part_amt,
            high: range.high.settlement.psn_part_amt,
        },
        settlement: &typical.settlement,
        actual_ratio: typical.actual_ratio,
        referral: typical.referral.eligibility,
        receipt: &typical.receipt,
        fragment,
    };
    // Our own types: strings, booleans and string-keyed structs only; writing cannot fail.
    serde_json::to_string(&event).unwrap_or_default()
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
