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
use crate::trace::Citation;
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
    /// The case names a disease and the catalogue says this level treats it: the only options
    /// that may be recommended (with no disease, or a disease no catalogue places, none is).
    pub treats: bool,
    pub eligibility: Eligibility,
    /// Patient payment: low / typical / high.
    pub patient_low: Money,
    pub patient_typical: Money,
    pub patient_high: Money,
    pub recommended: bool,
    /// What the policy says this level typically treats (`Level::typical_stay`), with its clause;
    /// `None` when it says nothing.
    pub typical_stay: Option<TypicalBill>,
    /// The bill is beyond the level's typical stay: the card says so, and the level is never
    /// recommended.
    pub beyond_typical: bool,
    /// Which bill this card assumes, and how it stands against the level's typical stay: one
    /// sentence for the card.
    pub bill_zh: String,
    pub bill_en: String,
    /// This option is the case [`compare_case`] was asked about, as it was given: its estimate
    /// is that case's.
    pub own: bool,
    pub estimate: RangeEstimate,
}

/// A level's typical stay as a comparison carries it: the upper end of the bill and its clause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct TypicalBill {
    pub up_to: Money,
    pub cite: Citation,
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
    /// Which bill every option assumes, in one sentence: the same bill at every place, which a
    /// real stay at another level need not be; and whether the policy gives any level's typical
    /// stay (each card then says how the bill stands against its level's).
    pub basis_zh: String,
    pub basis_en: String,
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
    // Asked by disease alone, one the catalogue does not place is refused (search it by name);
    // a whole case's comparison goes on without a recommendation — its estimate was made, and
    // the screen above it must not lose its comparison without a word.
    if let (Some(code), None, None) = (&base.disease, disease, own) {
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
            let treats = disease.is_some_and(|d| d.levels.contains(&l.id));
            let bill = est.typical.settlement.medfee_sumamt;
            let typical = l.typical_stay.as_ref().map(|t| TypicalBill {
                up_to: t.up_to,
                cite: Citation::resolve(p, &t.cite),
            });
            let beyond_typical = typical.as_ref().is_some_and(|t| bill > t.up_to);
            let (bill_zh, bill_en) = bill_words(bill, typical.as_ref(), beyond_typical);
            options.push(PathOption {
                level: l.id.clone(),
                level_zh: l.name_zh.clone(),
                level_en: l.name_en.clone(),
                paperwork,
                paperwork_zh: pz,
                paperwork_en: pe,
                designated,
                treats,
                eligibility: est.typical.referral.eligibility,
                patient_low: est.low.settlement.psn_part_amt,
                patient_typical: est.typical.settlement.psn_part_amt,
                patient_high: est.high.settlement.psn_part_amt,
                recommended: false,
                typical_stay: typical,
                beyond_typical,
                bill_zh,
                bill_en,
                own: is_own,
                estimate: est,
            });
        }
    }
    // Recommend the cheapest reimbursed option at a level whose catalogue says it treats the
    // disease; ties go to the lower level (closer to home, 基层首诊). Without a disease the
    // catalogue says nothing: the same bill is not the same stay at a township clinic and at a
    // provincial hospital, so nothing is recommended, and the options are only compared. A level
    // for which the bill is beyond what the policy says it typically treats is never the advice.
    let best = options
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            o.treats && !o.beyond_typical && o.eligibility != Eligibility::NotReimbursed
        })
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
        None if disease.is_none() => (
            "未选病种,不作推荐:能在哪一级医院诊治取决于病种,下面只按同一笔费用比较各处的个人负担。".into(),
            "No condition chosen, so no recommendation: where it can be treated depends on the condition; below, only what each place would cost for the same bill.".into(),
        ),
        None if options
            .iter()
            .any(|o| o.treats && o.beyond_typical && o.eligibility != Eligibility::NotReimbursed) =>
        {
            (
                "费用超出可诊治该病的机构一般收治的范围(见各卡片),不作推荐,请咨询医生转到上级医院。".into(),
                "The bill is beyond what the facilities that treat this condition typically take (see each card): no recommendation; ask your doctor about a referral up.".into(),
            )
        }
        None => (
            "病种目录中没有可报销的诊治机构,不作推荐".into(),
            "no listed facility would reimburse this condition: no recommendation".into(),
        ),
    };
    // Every option's estimate is of the same bill (its total on each card), which a stay at
    // another level need not be: said once, with whether the policy says what any level
    // typically treats.
    let total = base.bill.total.map(|t| t.grouped_whole());
    let (same_zh, same_en) = match total {
        Some(t) => (
            format!("每个选项都按同一笔总费用 {t} 元估算,实际在不同级别医院花费通常不同"),
            format!("Every option assumes the same bill, {t} yuan; a stay at another level usually costs differently"),
        ),
        None => (
            "每个选项都按同一份费用明细估算,实际在不同级别医院花费通常不同".into(),
            "Every option assumes the same itemised bill; a stay at another level usually costs differently".into(),
        ),
    };
    let given = options.iter().filter(|o| o.typical_stay.is_some()).count();
    let (known_zh, known_en) = if given == options.len() {
        (
            "政策给出了各级医院一般收治的住院费用,超出的已标明,不作推荐。",
            "the policy gives what each level typically treats; a level the bill is beyond is marked and not recommended.",
        )
    } else if given > 0 {
        (
            "政策给出了部分级别一般收治的住院费用,超出的已标明,不作推荐。",
            "the policy gives what some levels typically treat; a level the bill is beyond is marked and not recommended.",
        )
    } else {
        (
            "本政策未给出各级医院一般收治的住院费用,无从判断这笔费用是否超出某一级别。",
            "this policy gives no level's typical stay cost, so whether the bill is beyond a level is not known.",
        )
    };
    let basis_zh = format!("{same_zh};{known_zh}");
    let basis_en = format!("{same_en}; {known_en}");
    Ok(Comparison {
        options,
        recommended: best,
        reason_zh,
        reason_en,
        basis_zh,
        basis_en,
    })
}

/// The card's sentence on the bill it assumes: the bill, and how it stands against the level's
/// typical stay when the policy gives one (an illustrative figure says so).
fn bill_words(bill: Money, typical: Option<&TypicalBill>, beyond: bool) -> (String, String) {
    let b = bill.grouped_whole();
    let Some(t) = typical else {
        return (
            format!("按总费用 {b} 元估算"),
            format!("assumes a bill of {b} yuan"),
        );
    };
    let up = t.up_to.grouped_whole();
    let (sz, se) = if t.cite.illustrative {
        (",示意值", ", illustrative")
    } else {
        ("", "")
    };
    if beyond {
        (
            format!("按总费用 {b} 元估算:超出本级医院一般收治的住院费用(约 {up} 元以内{sz}),不作推荐"),
            format!("assumes a bill of {b} yuan: beyond what this level typically treats (stays up to about {up} yuan{se}), so not recommended"),
        )
    } else {
        (
            format!("按总费用 {b} 元估算(本级医院一般收治约 {up} 元以内的住院{sz})"),
            format!("assumes a bill of {b} yuan (this level typically treats stays up to about {up} yuan{se})"),
        )
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;
    use crate::case::Item;
    use crate::policy::ItemClass;

    fn demo() -> PolicyDoc {
        let text = yibao_shipped::file("demo-county/resident-2024.toml").unwrap();
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

    fn request(disease: Option<&str>, cost: &str) -> CompareRequest {
        CompareRequest {
            patient: Patient {
                age: Some(50),
                ..Patient::default()
            },
            disease: disease.map(String::from),
            expected_cost: Money::parse(cost).unwrap(),
            ..CompareRequest::default()
        }
    }

    /// The issue's case: a 300,000 stay and no disease once recommended the township clinic.
    #[test]
    fn no_disease_no_recommendation_and_every_card_names_its_bill() {
        let doc = demo();
        let c = compare(&doc, &request(None, "300000"), day()).unwrap();
        assert!(c.options.len() >= 3);
        assert_eq!(c.recommended, None);
        assert!(c.options.iter().all(|o| !o.recommended && !o.treats));
        assert!(c.reason_zh.contains("不作推荐"), "{}", c.reason_zh);
        for o in &c.options {
            assert_eq!(
                o.estimate.typical.settlement.medfee_sumamt,
                Money::parse("300000").unwrap(),
                "{}",
                o.level
            );
        }
        assert!(c.basis_zh.contains("300,000") && c.basis_zh.contains("同一笔"));
        assert!(c.basis_en.contains("300,000"));
    }

    /// 胆囊结石 (K80) is treated at the county hospital only: the cheaper township is never the
    /// advice, and the advice is at a level that treats it.
    #[test]
    fn only_a_level_the_catalogue_lists_is_recommended() {
        let doc = demo();
        for (code, listed) in [
            ("K80", &["county"][..]),
            ("J18", &["township", "county"][..]),
            ("I63", &["county", "city"][..]),
        ] {
            let c = compare(&doc, &request(Some(code), "20000"), day()).unwrap();
            let rec = &c.options[c.recommended.expect("a listed level reimburses")];
            assert!(
                listed.contains(&rec.level.as_str()),
                "{code}: {}",
                rec.level
            );
            assert!(rec.treats);
            for o in &c.options {
                assert_eq!(
                    o.treats,
                    listed.contains(&o.level.as_str()),
                    "{code} {}",
                    o.level
                );
            }
        }
    }

    /// The demo county says (illustratively) that its township treats stays up to 20,000 and
    /// its county hospital up to 100,000: a 50,000 pneumonia stay is flagged at the township,
    /// whose card says so, and the advice is the county hospital although the township is cheaper.
    #[test]
    fn a_bill_beyond_a_levels_typical_stay_is_flagged_and_never_recommended() {
        let doc = demo();
        let c = compare(&doc, &request(Some("J18"), "50000"), day()).unwrap();
        let township: Vec<_> = c.options.iter().filter(|o| o.level == "township").collect();
        assert!(!township.is_empty());
        for o in &township {
            assert!(o.treats && o.beyond_typical, "{o:?}");
            assert!(!o.recommended);
            let t = o.typical_stay.as_ref().unwrap();
            assert_eq!(t.up_to, Money::parse("20000").unwrap());
            assert!(t.cite.illustrative && !t.cite.clause.is_empty());
            assert!(
                o.bill_zh.contains("50,000") && o.bill_zh.contains("超出"),
                "{}",
                o.bill_zh
            );
            assert!(o.bill_zh.contains("20,000") && o.bill_zh.contains("示意值"));
            assert!(o.bill_en.contains("beyond") && o.bill_en.contains("illustrative"));
        }
        let rec = &c.options[c.recommended.expect("the county hospital treats it")];
        assert_eq!(rec.level, "county");
        assert!(!rec.beyond_typical);
        assert!(rec.bill_zh.contains("100,000") && !rec.bill_zh.contains("超出"));
        // The township would have been the advice on price alone: the flag is what moved it.
        let cheapest_township = township.iter().map(|o| o.patient_typical).min().unwrap();
        assert!(cheapest_township < rec.patient_typical);
        assert!(
            c.basis_zh.contains("部分级别") && c.basis_zh.contains("超出的已标明"),
            "{}",
            c.basis_zh
        );

        // At the bound itself the township is within what it treats.
        let c = compare(&doc, &request(Some("J18"), "20000"), day()).unwrap();
        assert!(c.options.iter().all(|o| !o.beyond_typical));

        // Beyond every level that treats it: no recommendation, and the reason says why.
        let c = compare(&doc, &request(Some("J18"), "300000"), day()).unwrap();
        assert_eq!(c.recommended, None);
        assert!(c.reason_zh.contains("超出") && c.reason_en.contains("beyond"));
        let flagged: Vec<_> = c
            .options
            .iter()
            .filter(|o| o.beyond_typical)
            .map(|o| o.level.as_str())
            .collect();
        assert!(
            flagged.contains(&"township") && flagged.contains(&"county"),
            "{flagged:?}"
        );
        // Given for every level, the sentence says so (not "some").
        let mut all = demo();
        let county = all.policy.level("county").unwrap().typical_stay.clone();
        for l in &mut all.policy.levels {
            l.typical_stay = l.typical_stay.clone().or_else(|| county.clone());
        }
        let every = compare(&all, &request(Some("J18"), "50000"), day()).unwrap();
        assert!(
            every.basis_zh.contains("各级医院一般收治"),
            "{}",
            every.basis_zh
        );
        assert!(every.options.iter().all(|o| o.typical_stay.is_some()));
        // A level the policy gives no figure for is never flagged.
        assert!(c
            .options
            .iter()
            .filter(|o| o.typical_stay.is_none())
            .all(|o| !o.beyond_typical && o.bill_zh == "按总费用 300,000 元估算"));
    }

    /// A policy without a catalogue says nothing about where a disease is treated.
    #[test]
    fn no_catalogue_no_recommendation() {
        let text = yibao_shipped::file("jiangxi-nanchang/resident-2025.toml").unwrap();
        let doc =
            crate::policy::load::parse_policy(text, "jiangxi-nanchang/resident-2025.toml").unwrap();
        let c = compare(
            &doc,
            &request(Some("J18.9"), "20000"),
            Date::parse("2025-06-01").unwrap(),
        )
        .unwrap();
        assert_eq!(c.recommended, None);
        assert!(!c.options.is_empty());
        // Nor what any level typically treats: every card assumes the same bill, and the
        // sentence above them says no typical cost is known.
        for o in &c.options {
            assert!(o.typical_stay.is_none() && !o.beyond_typical);
            assert_eq!(o.bill_zh, "按总费用 20,000 元估算");
        }
        assert!(
            c.basis_zh.contains("同一笔") && c.basis_zh.contains("未给出"),
            "{}",
            c.basis_zh
        );
        assert!(c.basis_en.contains("no level's typical stay cost"));
    }

    /// A case whose diagnosis the county does not place (a national 医保版 code the resident
    /// picked) keeps its comparison, without a recommendation; asked by the disease alone, the
    /// same code is refused (search it by name).
    #[test]
    fn a_case_with_a_diagnosis_the_county_does_not_place_is_compared_without_advice() {
        let doc = demo();
        let case: Case = crate::input::from_json(
            r#"{"level":"county","patient":{"age":45},"disease":"J98.400x016","bill":{"total":"10000"}}"#,
        )
        .unwrap();
        assert!(estimate_range(&doc, &case, day()).is_ok());
        let c = compare_case(&doc, &case, day()).unwrap();
        assert!(c.options.len() >= 3);
        assert_eq!(c.recommended, None);
        assert!(c.options.iter().all(|o| !o.recommended && !o.treats));
        let own = c.options.iter().find(|o| o.level == "county").unwrap();
        assert_eq!(
            own.estimate.typical.settlement,
            estimate_range(&doc, &case, day())
                .unwrap()
                .typical
                .settlement
        );
        let refused = compare(&doc, &request(Some("J98.400x016"), "10000"), day());
        assert_eq!(refused.unwrap_err().0[0].code, Code::UnknownDisease);
    }
}
