//! yibao-batch: a year of claims through one or two policies (提标测算).
//!
//! The arithmetic is core's (`yibao_core::replay`: the partition by person, the chained year to
//! date, the settlement-only path, the summaries); this crate adds what core must not have:
//! files (CSV, Parquet, Arrow), threads (rayon, by person) and the seeded synthetic generator.
//! The CLI (`yibao claims generate`, `yibao replay`) and the Python package (`python/`, used by
//! the PySpark job) both call [`run::replay`] — one code path for a laptop and a cluster — and so
//! does the office workbench's replay worker in the browser (`web/worker/`), built without the
//! features `columnar` (Arrow, Parquet) and `parallel` (rayon): CSV in, one thread, same results.

#[cfg(feature = "columnar")]
pub mod columnar;
pub mod generate;
pub mod report;
pub mod run;
pub mod stream;
pub mod table;
pub mod text;

pub use run::{replay, Keep, Path, Replay};
pub use table::{Loaded, RowProblem};
