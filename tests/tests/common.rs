//! Shared loading for the cross-crate tests.
#![allow(dead_code)]

use yibao_core::policy::load::parse_policy;
use yibao_core::{bundled, Date, PolicyDoc};

pub fn demo() -> PolicyDoc {
    shipped(bundled::DEMO)
}

pub fn shipped(path: &str) -> PolicyDoc {
    let text = bundled::file(path).unwrap_or_else(|| panic!("{path} is not shipped"));
    parse_policy(text, path).unwrap_or_else(|e| panic!("{path}: {e}"))
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
