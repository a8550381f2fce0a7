//! Shared loading for the cross-crate tests.
#![allow(dead_code)]

use proptest::prelude::*;
use std::sync::LazyLock;
use yibao_core::policy::load::parse_policy;
use yibao_core::{estimate, Case, Date, Money, PolicyDoc, Problems, Settlement};

/// Every shipped policy, parsed once per test binary: property tests draw thousands of cases,
/// and parsing the same TOML in each of them was most of the suite's time.
static SHIPPED: LazyLock<Vec<(&'static str, PolicyDoc)>> = LazyLock::new(|| {
    yibao_shipped::policies()
        .map(|(path, text)| {
            let doc = parse_policy(text, path).unwrap_or_else(|e| panic!("{path}: {e}"));
            (path, doc)
        })
        .collect()
});

pub fn demo() -> &'static PolicyDoc {
    shipped(yibao_shipped::DEMO)
}

/// A shipped policy by its path under `policies/` (with or without `.toml`), parsed once.
pub fn shipped(path: &str) -> &'static PolicyDoc {
    let want = path.trim_start_matches("policies/");
    SHIPPED
        .iter()
        .find(|(p, _)| *p == want || p.strip_suffix(".toml") == Some(want))
        .map(|(_, doc)| doc)
        .unwrap_or_else(|| panic!("{path} is not shipped"))
}

/// Every shipped policy, in `yibao_shipped::policies()` order, parsed once.
pub fn all_shipped() -> impl Iterator<Item = &'static PolicyDoc> {
    SHIPPED.iter().map(|(_, doc)| doc)
}

pub fn day() -> Date {
    Date::parse("2025-06-01").unwrap()
}

/// Bills at which a policy's own rule switches on a benefit (a layer with `min_bill`, e.g. the
/// demo's 二次补助 from 20,000): the patient may pay less just above than just below, so
/// "more cost never means less to pay" does not compare pairs straddling one.
pub fn cliffs(doc: &PolicyDoc) -> Vec<yibao_core::Money> {
    doc.policy
        .layers
        .iter()
        .filter_map(|l| l.min_bill)
        .collect()
}

/// An amount in fen, as the generators draw them.
pub fn money(fen: u64) -> Money {
    Money(rust_decimal::Decimal::new(fen as i64, 2))
}

/// What the patient pays for a case: the figure the monotonicity properties compare.
pub fn patient_pays(doc: &PolicyDoc, c: &Case, today: Date) -> Result<Money, Problems> {
    estimate(doc, c, today).map(|e| e.settlement.psn_part_amt)
}

/// The settlement identities every estimate keeps on every policy: no amount is negative, the
/// payers (funds, patient, hospital) add up to the bill, and so do its parts (全自费, 超限价,
/// 先行自付, 政策范围内). `who` names the policy in a failure.
pub fn check_settlement(s: &Settlement, who: &str) -> Result<(), TestCaseError> {
    for f in yibao_core::estimate::FIELDS {
        let Some(v) = s.get(f.key) else { continue };
        prop_assert!(
            !v.value().is_sign_negative() || v.value().is_zero(),
            "{who}: {} = {v} < 0",
            f.key
        );
    }
    // The basic fund's ratio is a ratio, and what it says: the fund's part of the in-scope
    // amount above the deductible that the fund and the patient share.
    prop_assert!(
        s.pool_prop_selfpay.0 <= rust_decimal::Decimal::ONE,
        "{who}: ratio above 1"
    );
    let shared = s.hifp_pay + s.yb_pool_selfpay_amt;
    if !shared.is_zero() {
        let exact = s.hifp_pay.0 / shared.0;
        prop_assert!(
            (exact - s.pool_prop_selfpay.0).abs() <= rust_decimal::Decimal::new(5, 5),
            "{}: pool_prop_selfpay {} is not {} / {}",
            who,
            s.pool_prop_selfpay,
            s.hifp_pay,
            shared
        );
    }
    // The patient's share is paid by the accounts and in cash; a supplement never pays more.
    prop_assert_eq!(
        s.acct_pay + s.acct_mulaid_pay + s.psn_cash_pay,
        s.psn_part_amt,
        "{}",
        who
    );
    prop_assert!(
        s.yb_commercial_pay <= s.psn_part_amt,
        "{who}: commercial above the share"
    );
    prop_assert_eq!(
        s.fund_pay_sumamt + s.psn_part_amt + s.hosp_part_amt,
        s.medfee_sumamt,
        "{}",
        who
    );
    prop_assert_eq!(
        s.fulamt_ownpay_amt + s.overlmt_selfpay + s.preselfpay_amt + s.inscp_scp_amt,
        s.medfee_sumamt,
        "{}",
        who
    );
    Ok(())
}

/// The compiled path against chained `settle` for one person's claims (in date order): the
/// (tests/compiled.rs and the property over every shipped policy in tests/every_policy.rs)
/// slips, the caps, the eligibility, the year to date, and the integer tally against the
/// general summary. `Ok(false)` when the compiled path declines the person.
pub fn compiled_equals_general(
    doc: &PolicyDoc,
    c: &yibao_core::replay::compiled::Compiled,
    claims: &[yibao_core::claims::Claim],
) -> Result<bool, String> {
    use yibao_core::case::Ytd;
    use yibao_core::claims::{Claim, Keys};
    use yibao_core::replay::{self, Summary, Tally};
    use yibao_core::settle;
    let mine: Vec<&Claim> = claims.iter().collect();
    let Some(slips) = c.person(&mine) else {
        return Ok(false);
    };
    let mut ytd = Ytd::default();
    for (i, (cl, slip)) in claims.iter().zip(&slips).enumerate() {
        if i > 0 && claims[i - 1].date.year != cl.date.year {
            ytd = Ytd::default();
        }
        let case = cl.to_case(std::mem::take(&mut ytd));
        let (s, after) = settle(doc, &case, cl.date)
            .map_err(|e| format!("claim {i} compiled but refused: {e:?}"))?;
        let mine = c.settled(slip);
        if mine != s {
            return Err(format!(
                "claim {i} {cl:?}\ncompiled {mine:#?}\ngeneral {s:#?}"
            ));
        }
        ytd = after;
    }
    let after = c.ytd_after(&mine);
    if after.as_ref() != Some(&ytd) {
        return Err(format!("ytd: compiled {after:#?}\ngeneral {ytd:#?}"));
    }
    // The integer tally against the general summary of the same person.
    let keys = Keys::of(claims);
    let b = c.bind(&keys);
    let idx: Vec<u32> = (0..claims.len() as u32).collect();
    let mut out = vec![];
    if !c.settle_person(&b, &keys.keys, claims, &idx, &mut out) {
        return Err("settle_person declined what person accepted".into());
    }
    let mut t = Tally::new(c);
    t.add_person(c, &b, &keys.keys, &idx, &out);
    let results = replay::person(doc, &mine);
    let mut s = Summary::default();
    s.add_person(&mine, &results);
    let tally = t.summary(c);
    if tally != s {
        return Err(format!("summary: tally {tally:#?}\ngeneral {s:#?}"));
    }
    Ok(true)
}
