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
