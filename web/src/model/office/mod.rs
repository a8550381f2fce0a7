//! The county office's workbench (`mode="office"`), its pure part: the draft as the policy's
//! value tree (`draft`), the schema hints its forms follow (`schema`, read from the
//! generated `schema/policy.schema.json`), the worked cases
//! (`cases`), the comparison with another policy (`compare`) and the export (`publish`).
//! Compiled for the office build only (feature `office`, which also gives core its TOML reader)
//! and for the host's unit tests.

pub mod cases;
pub mod catalogue;
pub mod clauses;
pub mod compare;
pub mod draft;
pub mod publish;
pub mod replay;
pub mod schema;
