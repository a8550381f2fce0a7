//! The benchmark case, shared by the criterion bench and the instruction-count budget
//! (`examples/estimate_loop.rs`): 20 line items, a 低保 patient at a city hospital referred up
//! from the county, with 大病保险, 医疗救助 and 二次补助 all paying.

use yibao_core::case::{Bill, Case, Item, Patient};
use yibao_core::policy::ItemClass;
use yibao_core::{Date, Money};

pub fn case() -> Case {
    let classes = [
        ItemClass::Jia,
        ItemClass::Yi,
        ItemClass::Special,
        ItemClass::Bing,
    ];
    let items = (0..20)
        .map(|i| Item {
            name: format!("item {i}"),
            class: classes[i % 4],
            amount: Money::parse(&format!("{}.37", 6000 + i * 611)).unwrap(),
            limit: (i % 5 == 0).then(|| Money::parse("2600").unwrap()),
        })
        .collect();
    Case {
        date: Some(Date::parse("2025-06-01").unwrap()),
        level: "city".into(),
        patient: Patient {
            category: "dibao".into(),
            age: Some(58),
            ..Patient::default()
        },
        disease: Some("I63.9".into()),
        referral: yibao_core::case::ReferralFacts {
            from_level: Some("county".into()),
            slip: true,
            ..Default::default()
        },
        bill: Bill {
            items,
            ..Bill::default()
        },
        ..Case::default()
    }
}
