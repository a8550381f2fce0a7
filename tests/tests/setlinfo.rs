//! The settlement's keys are the national platform's `setlinfo` keys (tests/fixtures/setlinfo.tsv,
//! with its provenance), in the interface's order and with its meanings and types, plus only the
//! project's own `yb_` keys.

mod common;

use yibao_core::estimate::{Field, FIELDS, OWN_PREFIX};
use yibao_core::money::Ratio;
use yibao_core::policy::PaysInto;
use yibao_core::{Money, Settlement};

/// (key, meaning, decimals) of each row of the fixture.
fn setlinfo() -> Vec<(String, String, u32)> {
    let text = include_str!("../fixtures/setlinfo.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 3, "row {l:?}");
            let (_, places) = cols[2].split_once(',').expect("type as digits,decimals");
            (
                cols[0].to_string(),
                cols[1].to_string(),
                places.parse().expect("decimals"),
            )
        })
        .collect()
}

/// The keys a settlement serializes, in order.
fn serialized_keys(s: &Settlement) -> Vec<String> {
    match serde_json::to_value(s).unwrap() {
        serde_json::Value::Object(m) => m.keys().cloned().collect(),
        v => panic!("not an object: {v}"),
    }
}

#[test]
fn the_settlement_keys_are_setlinfo_s_then_only_our_own() {
    let national = setlinfo();
    assert!(national.len() >= 20, "the fixture lost rows");
    // Every figure present (the balance too), as the JSON writer writes it (serde_json's map
    // keeps the order with `preserve_order`, or sorts: compare as sets, then the order of FIELDS).
    let s = Settlement {
        balc: Some(Money::ZERO),
        ..Settlement::default()
    };
    let mut written = serialized_keys(&s);
    let mut declared: Vec<String> = FIELDS.iter().map(|f| f.key.to_string()).collect();
    written.sort();
    declared.sort();
    assert_eq!(
        written, declared,
        "FIELDS and the struct's serde keys differ"
    );

    let ours: Vec<&str> = FIELDS
        .iter()
        .filter(|f| !f.national())
        .map(|f| f.key)
        .collect();
    let theirs: Vec<&Field> = FIELDS.iter().filter(|f| f.national()).collect();
    assert_eq!(
        theirs.iter().map(|f| f.key).collect::<Vec<_>>(),
        national
            .iter()
            .map(|(k, _, _)| k.as_str())
            .collect::<Vec<_>>(),
        "the national keys, in the interface's order"
    );
    for f in &theirs {
        let (_, meaning, places) = national.iter().find(|(k, _, _)| k == f.key).unwrap();
        assert_eq!(f.zh, meaning, "{}: the interface's meaning", f.key);
        assert_eq!(f.places, *places, "{}: the interface's decimals", f.key);
    }
    assert!(!ours.is_empty());
    for k in &ours {
        assert!(k.starts_with(OWN_PREFIX), "{k}");
        assert!(
            !national.iter().any(|(n, _, _)| n == k),
            "{k} is the interface's"
        );
    }
    // The national keys come first, as on the slip.
    let first_own = FIELDS.iter().position(|f| !f.national()).unwrap();
    assert!(FIELDS[first_own..].iter().all(|f| !f.national()));
}

#[test]
fn every_payer_a_layer_can_name_is_a_settlement_field() {
    for p in PaysInto::ALL {
        let f = Field::of(p.field()).unwrap_or_else(|| panic!("{} is no field", p.field()));
        // Its serde name in a policy file is the field's key.
        assert_eq!(
            serde_json::to_value(p).unwrap(),
            serde_json::json!(f.key),
            "{p:?}"
        );
    }
    // The earlier name is still read.
    let old: PaysInto = serde_json::from_str("\"commercial_pay\"").unwrap();
    assert_eq!(old, PaysInto::CommercialPay);
}

#[test]
fn an_estimate_writes_setlinfo_s_keys_and_the_ratio_as_the_slip_does() {
    let demo = common::demo();
    let case: yibao_core::Case = yibao_core::input::from_json(
        r#"{"date":"2024-06-01","level":"county","patient":{"category":"general"},
            "bill":{"total":"20000","in_scope":"16000"}}"#,
    )
    .unwrap();
    let e =
        yibao_core::estimate(demo, &case, yibao_core::Date::parse("2024-06-01").unwrap()).unwrap();
    let keys = serialized_keys(&e.settlement);
    let national = setlinfo();
    for (k, _, _) in &national {
        // The balance only when the case states one.
        assert_eq!(keys.contains(k), k != "balc", "{k}");
    }
    for k in &keys {
        assert!(
            k.starts_with(OWN_PREFIX) || national.iter().any(|(n, _, _)| n == k),
            "{k} is neither setlinfo's nor ours"
        );
    }
    // 数值型 5,4: four decimals, a ratio in 0..=1.
    let v = serde_json::to_value(&e.settlement).unwrap();
    let ratio = v["pool_prop_selfpay"].as_str().unwrap();
    let (_, decimals) = ratio.split_once('.').unwrap();
    assert_eq!(decimals.len(), 4, "{ratio}");
    assert!(e.settlement.pool_prop_selfpay <= Ratio(rust_decimal::Decimal::ONE));
    // Amounts stay amounts: the project's own figure is the in-scope part the patient owes.
    let s = &e.settlement;
    assert_eq!(
        s.yb_pool_selfpay_amt,
        s.inscp_scp_amt - s.act_pay_dedc - s.hifp_pay - s.hosp_part_amt
    );
}

#[test]
fn a_layer_can_pay_into_each_national_payer_and_it_counts_in_the_funds_total() {
    let text = yibao_shipped::file(yibao_shipped::DEMO).expect("shipped demo");
    let case: yibao_core::Case = yibao_core::input::from_json(
        r#"{"date":"2024-06-01","level":"county","patient":{"category":"general"},
            "bill":{"total":"120000","in_scope":"100000"}}"#,
    )
    .unwrap();
    let day = yibao_core::Date::parse("2024-06-01").unwrap();
    let base = yibao_core::estimate(common::demo(), &case, day)
        .unwrap()
        .settlement;
    assert!(
        !base.hifmi_pay.is_zero(),
        "the demo's 大病保险 pays on this bill"
    );
    for (payer, key) in [
        (PaysInto::CvlservPay, "cvlserv_pay"),
        (PaysInto::HifesPay, "hifes_pay"),
        (PaysInto::HifdmPay, "hifdm_pay"),
    ] {
        // The demo's 大病保险 layer, reported under another payer instead.
        let moved = text.replace(
            "pays_into = \"hifmi_pay\"",
            &format!("pays_into = \"{key}\""),
        );
        assert_ne!(moved, text);
        let doc = yibao_core::policy::load::parse_policy(&moved, "moved.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(doc.policy.fills(key) && !doc.policy.fills("hifmi_pay"));
        let s = yibao_core::estimate(&doc, &case, day).unwrap().settlement;
        assert_eq!(s.paid_into(payer), base.hifmi_pay, "{key}");
        assert_eq!(s.get(key).unwrap().value(), base.hifmi_pay.0, "{key}");
        assert!(s.hifmi_pay.is_zero());
        assert_eq!(s.fund_pay_sumamt, base.fund_pay_sumamt, "{key}");
        assert_eq!(s.psn_part_amt, base.psn_part_amt, "{key}");
        // The replays' compiled path leaves such a policy to the general path.
        assert!(yibao_core::replay::compiled::Compiled::new(&doc).is_err());
    }
    // The shipped demo pays into none of them: each reads 0.
    for key in ["cvlserv_pay", "hifes_pay", "hifdm_pay"] {
        assert!(base.get(key).unwrap().value().is_zero(), "{key}");
    }
}
