//! The desk's 对账: the slip a clerk pasted, set beside the estimate shown. Core reads the slip
//! and compares (`yibao_core::reconcile`); this only puts its problems in the form's messages.

use super::FieldMsg;
use yibao_core::reconcile::{reconcile, Reconciliation};
use yibao_core::{Estimate, Policy};

/// The name the pasted slip's messages go under (the textarea's).
pub const SLIP_FIELD: &str = "slip";

/// The reconciliation of `text` (the slip's JSON) with the estimate `e` made under `policy`;
/// `None` while nothing but white space is pasted. A slip core cannot read gives each of its
/// problems, with its code and where in the slip (`output.setlinfo.hifp_pay`; a JSON syntax
/// error's line and column are in its words).
pub fn reconcile_slip(
    policy: &Policy,
    e: &Estimate,
    text: &str,
) -> Option<Result<Reconciliation, Vec<FieldMsg>>> {
    if text.trim().is_empty() {
        return None;
    }
    Some(reconcile(policy, e, text).map_err(|problems| {
        problems
            .0
            .iter()
            .map(|p| {
                FieldMsg::of_problem(SLIP_FIELD, p, p.message_zh.clone(), p.message_en.clone())
            })
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{build_case, eval_date, load_policy, Form};
    use yibao_core::reconcile::Status;
    use yibao_core::{Code, Date};

    /// The 渝北 published example as the desk's form gives it, and its estimate.
    fn yubei() -> (yibao_core::PolicyDoc, Estimate) {
        let doc = load_policy("chongqing-yubei/resident-2023").unwrap();
        let mut f = Form::new(&doc);
        f.level = "level2".into();
        f.category = "dibao_edge".into();
        f.total = "52000".into();
        f.in_scope = "50000".into();
        let (date, _) = eval_date(&doc, &f, Date::parse("2023-06-01").unwrap()).unwrap();
        let case = build_case(&doc, &f, date, None).unwrap();
        let e = yibao_core::estimate(&doc, &case, date).unwrap();
        (doc, e)
    }

    #[test]
    fn the_engine_s_own_slip_matches_and_a_changed_figure_differs_with_its_steps() {
        let (doc, e) = yubei();
        assert!(reconcile_slip(&doc.policy, &e, " \n").is_none());
        let mut slip = serde_json::to_value(&e.settlement).unwrap();
        let r = reconcile_slip(&doc.policy, &e, &slip.to_string())
            .unwrap()
            .unwrap();
        // A resident policy has no personal account: the balance is on neither side.
        let unmatched: Vec<_> = r
            .lines
            .iter()
            .filter(|l| l.status != Status::Matched)
            .map(|l| (l.key, l.status))
            .collect();
        assert_eq!(unmatched, vec![("balc", Status::MissingOnBoth)]);
        assert!(r.lines.len() > 10 && r.all_match());
        slip["hifp_pay"] = serde_json::json!("30000.00");
        let wrapped = serde_json::json!({ "output": { "setlinfo": slip } }).to_string();
        let r = reconcile_slip(&doc.policy, &e, &wrapped).unwrap().unwrap();
        let differ: Vec<_> = r
            .lines
            .iter()
            .filter(|l| !matches!(l.status, Status::Matched | Status::MissingOnBoth))
            .collect();
        assert_eq!(differ.len(), 1, "{differ:?}");
        assert_eq!(differ[0].key, "hifp_pay");
        assert_eq!(differ[0].status, Status::Different);
        assert!(!differ[0].steps.is_empty());
    }

    #[test]
    fn a_slip_core_cannot_read_gives_its_coded_problems_under_the_slip() {
        let (doc, e) = yubei();
        let bad = reconcile_slip(&doc.policy, &e, "{\"hifp_pay\": 12,\n")
            .unwrap()
            .unwrap_err();
        assert_eq!(bad.len(), 1);
        assert_eq!(
            (bad[0].field.as_str(), bad[0].code),
            (SLIP_FIELD, Some(Code::InvalidJson))
        );
        assert!(bad[0].zh.contains("第 2 行"), "{}", bad[0].zh);
        let two = reconcile_slip(
            &doc.policy,
            &e,
            r#"{"setlinfo":{"hifp_pay":"三万","maf_pay":true}}"#,
        )
        .unwrap()
        .unwrap_err();
        let got: Vec<_> = two
            .iter()
            .map(|m| (m.code, m.path.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(Code::InvalidNumber), "setlinfo.hifp_pay"),
                (Some(Code::InvalidType), "setlinfo.maf_pay")
            ]
        );
        assert!(two.iter().all(|m| !m.zh.is_empty() && !m.en.is_empty()));
    }
}
