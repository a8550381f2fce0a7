//! yibao-core: what a hospital stay or clinic visit costs a patient under a Chinese county
//! health-insurance policy, and where they should be treated under 分级诊疗.
//!
//! Pure: no I/O, no clock, no JS bindings (those live in the `yibao` package crate, `pkg/`; with
//! the `ts` feature the types also derive their TypeScript declarations).
//! All money is [`money::Money`] (a `rust_decimal::Decimal`); policies are data ([`policy`]).

pub mod case;
pub mod catalogue;
pub mod caveats;
pub mod claims;
pub mod date;
pub mod diagnosis;
pub mod error;
pub mod estimate;
pub mod input;
pub mod message;
pub mod money;
pub mod policy;
pub mod reconcile;
pub mod referral;
pub mod replay;
pub mod trace;
pub mod worked;

pub use case::Case;
pub use date::Date;
pub use error::{Code, Problem, Problems};
pub use estimate::{
    estimate, estimate_range, settle, Estimate, RangeEstimate, Settled, Settlement,
};
pub use money::{Money, Rate};
pub use policy::{Policy, PolicyDoc};
