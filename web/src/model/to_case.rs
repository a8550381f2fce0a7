//! The form → an engine [`Case`]: every field read and checked, each problem tied to its field
//! and reported at once.

use super::{item_class, parse_money, FieldMsg, Form};
use yibao_core::case::{
    AccountFacts, Bill, Case, Item, LayerYtd, Patient, ReferralFacts, Setting, Ytd,
};
use yibao_core::estimate::MAX_YEARS;
use yibao_core::policy::{FilingKind, PolicyDoc};
use yibao_core::{Date, Money};

/// An amount that may be left empty; a bad one is added to `msgs`.
fn optional_money(
    field: &str,
    zh: &str,
    en: &str,
    text: &str,
    msgs: &mut Vec<FieldMsg>,
) -> Option<Money> {
    if text.trim().is_empty() {
        return None;
    }
    parse_money(field, zh, en, text)
        .map_err(|msg| msgs.push(msg))
        .ok()
}

/// A whole number up to `max` that may be left empty; a bad one is added to `msgs`.
fn optional_count(
    field: &str,
    zh: &str,
    en: &str,
    text: &str,
    max: u32,
    msgs: &mut Vec<FieldMsg>,
) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(v) if v < 0 => {
            msgs.push(FieldMsg::new(
                field,
                format!("{zh}不能为负数"),
                format!("{en} cannot be negative"),
            ));
            None
        }
        Ok(v) if v > max as i64 => {
            msgs.push(FieldMsg::new(
                field,
                format!("{zh}应在 0–{max} 之间"),
                format!("{en} must be between 0 and {max}"),
            ));
            None
        }
        Ok(v) => Some(v as u32),
        Err(_) => {
            msgs.push(FieldMsg::new(
                field,
                format!("{zh}:请输入整数"),
                format!("{en}: enter a whole number"),
            ));
            None
        }
    }
}

/// The disease code the form means, or a message when the text matches nothing.
pub fn resolve_disease(doc: &PolicyDoc, form: &Form) -> Result<Option<String>, FieldMsg> {
    if !form.disease.is_empty() {
        return Ok(Some(form.disease.clone()));
    }
    let query = form.query.trim();
    if query.is_empty() {
        return Ok(None);
    }
    let policy = &doc.policy;
    // A code typed in: taken as it is when there is no catalogue to check it against.
    if yibao_core::estimate::looks_like_icd10(query)
        && (policy.catalogue.is_none() || policy.disease(query).is_some())
    {
        return Ok(Some(query.to_ascii_uppercase()));
    }
    // The one search (catalogue first, then the national list once loaded): text typed without
    // picking counts when it names a diagnosis exactly (a code, a 国临版 code, a name, an
    // everyday word).
    let national = super::national::national();
    if let Some(hit) = yibao_core::diagnosis::resolve(policy, national.as_deref(), query) {
        use yibao_core::diagnosis::Found::*;
        if matches!(hit.matched, ExactCode | MappedCode | ExactName | Alias)
            || hit.name_zh == query
            || hit.name_en.eq_ignore_ascii_case(query)
        {
            return Ok(Some(hit.code));
        }
    }
    // Without a catalogue the disease decides nothing here: the search box says it was not
    // recognised, and the estimate goes on without it.
    if policy.catalogue.is_none() {
        return Ok(None);
    }
    Err(FieldMsg::new(
        "disease",
        format!("病种目录中没有“{query}”:请从下拉列表中选择,或清空此项按一般住院估算"),
        format!("\"{query}\" is not in the disease catalogue: pick one from the list, or clear it to estimate a general stay"),
    ))
}

/// The evaluation date: the form's, or today kept inside the policy's effective period.
/// The flag says today was moved (the page then says which date it used).
pub fn eval_date(doc: &PolicyDoc, form: &Form, today: Date) -> Result<(Date, bool), FieldMsg> {
    if !form.date.trim().is_empty() {
        return Date::parse(&form.date).map(|d| (d, false)).map_err(|_| {
            FieldMsg::new("date", "日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD")
        });
    }
    let meta = &doc.policy.meta;
    if today < meta.effective_from {
        Ok((meta.effective_from, true))
    } else if today > meta.effective_to {
        Ok((meta.effective_to, true))
    } else {
        Ok((today, false))
    }
}

/// Turn the form into an engine case. `total_override` replaces the cost (the resident's
/// "not sure" table). Every problem is returned at once, each tied to its field.
pub fn build_case(
    doc: &PolicyDoc,
    form: &Form,
    date: Date,
    total_override: Option<Money>,
) -> Result<Case, Vec<FieldMsg>> {
    let mut msgs = vec![];
    let age = optional_count("age", "年龄", "Age", &form.age, 130, &mut msgs);
    let disease = resolve_disease(doc, form)
        .map_err(|msg| msgs.push(msg))
        .ok()
        .flatten();
    let mut bill = Bill::default();
    if let Some(total) = total_override {
        bill.total = Some(total);
    } else if !form.items.is_empty() {
        for (i, item) in form.items.iter().enumerate() {
            let field = |part: &str| format!("items.{i}.{part}");
            let n = i + 1;
            let class = item_class(&item.class);
            if class.is_none() {
                msgs.push(FieldMsg::new(
                    &field("class"),
                    format!("第 {n} 行:类别应为 甲/乙/丙/特殊"),
                    format!("line {n}: class must be jia/yi/bing/special"),
                ));
            }
            let amount = parse_money(
                &field("amount"),
                &format!("第 {n} 行金额"),
                &format!("line {n} amount"),
                &item.amount,
            )
            .map_err(|msg| msgs.push(msg))
            .ok();
            let limit = optional_money(
                &field("limit"),
                &format!("第 {n} 行限价"),
                &format!("line {n} price cap"),
                &item.limit,
                &mut msgs,
            );
            if let (Some(class), Some(amount)) = (class, amount) {
                bill.items.push(Item {
                    name: if item.name.trim().is_empty() {
                        format!("#{n}")
                    } else {
                        item.name.trim().to_string()
                    },
                    class,
                    amount,
                    limit,
                });
            }
        }
    } else {
        let total = optional_money("total", "医疗费总额", "Total cost", &form.total, &mut msgs);
        let in_scope = optional_money(
            "in_scope",
            "政策范围内费用",
            "In-scope cost",
            &form.in_scope,
            &mut msgs,
        );
        match total {
            None if !msgs.iter().any(|m| m.field == "total") => msgs.push(FieldMsg::new(
                "total",
                "请填写预计医疗费总额",
                "enter the expected total cost",
            )),
            Some(total) if total.is_zero() => msgs.push(FieldMsg::new(
                "total",
                "医疗费总额应大于 0",
                "the total cost must be above 0",
            )),
            _ => {}
        }
        if let (Some(total), Some(in_scope)) = (total, in_scope) {
            if in_scope > total {
                msgs.push(FieldMsg::new(
                    "in_scope",
                    "政策范围内费用不能超过医疗费总额",
                    "the in-scope cost cannot exceed the total",
                ));
            }
        }
        bill.total = total;
        bill.in_scope = in_scope;
    }
    let mut ytd = Ytd {
        admissions: optional_count(
            "ytd_admissions",
            "本年已住院次数",
            "Admissions this year",
            &form.ytd_admissions,
            366,
            &mut msgs,
        )
        .unwrap_or(0),
        hifp_pay: optional_money(
            "ytd_hifp",
            "本年基本医保已支付",
            "Basic fund paid this year",
            &form.ytd_hifp,
            &mut msgs,
        )
        .unwrap_or_default(),
        ..Ytd::default()
    };
    for (id, (base, paid)) in &form.ytd_layers {
        let base = optional_money(
            &format!("ytd_layers.{id}.base"),
            "本年已累计个人负担",
            "Burden counted this year",
            base,
            &mut msgs,
        );
        let paid = optional_money(
            &format!("ytd_layers.{id}.paid"),
            "本年已支付",
            "Paid this year",
            paid,
            &mut msgs,
        );
        if base.is_some() || paid.is_some() {
            ytd.layers.insert(
                id.clone(),
                LayerYtd {
                    base: base.unwrap_or_default(),
                    paid: paid.unwrap_or_default(),
                },
            );
        }
    }
    let balance = optional_money(
        "account",
        "个人账户余额",
        "Personal account balance",
        &form.account,
        &mut msgs,
    );
    let family_balance = optional_money(
        "family_account",
        "家庭共济账户余额",
        "Family account balance",
        &form.family_account,
        &mut msgs,
    );
    let account = (balance.is_some() || family_balance.is_some()).then(|| AccountFacts {
        balance: balance.unwrap_or_default(),
        family_balance: family_balance.unwrap_or_default(),
    });
    let years = |field: &str, zh: &str, en: &str, text: &str, msgs: &mut Vec<FieldMsg>| {
        optional_count(field, zh, en, text, MAX_YEARS, msgs)
    };
    let continuous_years = years(
        "continuous_years",
        "连续参保年限",
        "Years of continuous enrolment",
        &form.continuous_years,
        &mut msgs,
    );
    let claim_free_years = years(
        "claim_free_years",
        "零报销年数",
        "Claim-free years",
        &form.claim_free_years,
        &mut msgs,
    );
    let slip_date = if form.slip_date.trim().is_empty() {
        None
    } else {
        Date::parse(&form.slip_date)
            .map_err(|_| {
                msgs.push(FieldMsg::new(
                    "slip_date",
                    "转诊单日期格式应为 YYYY-MM-DD",
                    "slip date must be YYYY-MM-DD",
                ))
            })
            .ok()
    };
    if !msgs.is_empty() {
        return Err(msgs);
    }
    Ok(Case {
        date: Some(date),
        setting: if form.outpatient {
            Setting::Outpatient
        } else {
            Setting::Inpatient
        },
        level: form.level.clone(),
        patient: Patient {
            category: form.category.clone(),
            age,
            pregnant: form.pregnant,
            severe_disability: form.disability,
            continuous_years,
            claim_free_years,
        },
        disease,
        emergency: form.emergency,
        referral: ReferralFacts {
            from_level: (!form.from_level.is_empty()).then(|| form.from_level.clone()),
            slip: form.slip,
            slip_date,
            filing: form.filing,
            filing_kind: FilingKind::ALL
                .into_iter()
                .find(|k| k.code() == form.filing_kind),
        },
        bill,
        ytd,
        account,
        ..Case::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{load_policy, yuan, DEFAULT_POLICY};

    fn yubei() -> (PolicyDoc, Form) {
        let doc = load_policy("chongqing-yubei/resident-2023").unwrap();
        let mut f = Form::new(&doc);
        f.level = "level2".into();
        f.category = "dibao_edge".into();
        f.total = "52,000".into();
        f.in_scope = "50000".into();
        (doc, f)
    }

    #[test]
    fn yubei_published_example_from_the_form() {
        let (doc, f) = yubei();
        let today = Date::parse("2026-11-23").unwrap();
        let (date, moved) = eval_date(&doc, &f, today).unwrap();
        assert!(moved);
        assert_eq!(date, Date::parse("2023-12-31").unwrap());
        let case = build_case(&doc, &f, date, None).unwrap();
        let e = yibao_core::estimate(&doc, &case, date).unwrap();
        assert_eq!(
            e.settlement.fund_pay_sumamt,
            Money::parse("46374.8").unwrap()
        );
        assert_eq!(e.settlement.psn_part_amt, Money::parse("5625.2").unwrap());
        assert_eq!(yuan(e.settlement.psn_part_amt, false), "5,625.20");
        assert_eq!(yuan(e.settlement.psn_part_amt, true), "5,625");
    }

    #[test]
    fn account_and_enrolment_years_reach_the_case() {
        let (doc, mut f) = yubei();
        f.account = "1,200.50".into();
        f.continuous_years = "7".into();
        f.claim_free_years = "1".into();
        let date = Date::parse("2023-06-01").unwrap();
        let case = build_case(&doc, &f, date, None).unwrap();
        let acct = case.account.expect("an account balance was typed");
        assert_eq!(acct.balance, Money::parse("1200.5").unwrap());
        assert_eq!(acct.family_balance, Money::ZERO);
        assert_eq!(case.patient.continuous_years, Some(7));
        assert_eq!(case.patient.claim_free_years, Some(1));
        f.account = "-3".into();
        f.continuous_years = "999".into();
        let errs = build_case(&doc, &f, date, None).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"account") && fields.contains(&"continuous_years"),
            "{fields:?}"
        );
    }

    #[test]
    fn bad_amounts_are_messages_tied_to_their_field() {
        let (doc, mut f) = yubei();
        f.total = "-5".into();
        f.age = "abc".into();
        let date = Date::parse("2023-06-01").unwrap();
        let errs = build_case(&doc, &f, date, None).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["age", "total"]);
        assert!(errs[1].zh.contains("负数") && errs[1].en.contains("negative"));
        f.age.clear();
        f.total = "1e999".into();
        assert!(build_case(&doc, &f, date, None).is_err());
        f.total = "5.2万".into();
        f.in_scope.clear();
        let c = build_case(&doc, &f, date, None).unwrap();
        assert_eq!(c.bill.total, Some(Money::parse("52000").unwrap()));
    }

    #[test]
    fn unknown_disease_is_a_message() {
        let doc = load_policy(DEFAULT_POLICY).unwrap();
        let mut f = Form::new(&doc);
        f.total = "8000".into();
        f.query = "不存在的病".into();
        let d = Date::parse("2025-01-01").unwrap();
        let errs = build_case(&doc, &f, d, None).unwrap_err();
        assert_eq!(errs[0].field, "disease");
        f.query = "肺炎".into();
        assert_eq!(
            build_case(&doc, &f, d, None).unwrap().disease.as_deref(),
            Some("J18")
        );
        f.query = "j18.9".into();
        assert_eq!(
            build_case(&doc, &f, d, None).unwrap().disease.as_deref(),
            Some("J18.9")
        );
    }
}
