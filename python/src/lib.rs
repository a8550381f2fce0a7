//! The Python package's native module (`yibao._yibao`): the batch replay over Arrow record
//! batches, for pandas / Polars users and for a Spark job's `mapInArrow` (python/yibao/spark.py).
//! It is `yibao_batch::replay` — the CLI's code — with pyarrow batches in and out.

use arrow::pyarrow::{FromPyArrow, ToPyArrow};
use arrow::record_batch::RecordBatch;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use yibao_batch::{columnar, table};
use yibao_core::estimate::FIELDS;
use yibao_core::policy::load::parse_policy;
use yibao_core::policy::lookup::{self, Named};
use yibao_core::{input, PolicyDoc, Problems};

fn problems(ps: Problems) -> PyErr {
    PyValueError::new_err(ps.to_string())
}

/// A policy from its text: the JSON `yibao export` writes (core's `lookup::is_json`), else TOML.
fn policy(text: &str, name: &str) -> PyResult<PolicyDoc> {
    if lookup::is_json(name, text) {
        input::policy_doc_from_json(text).map_err(problems)
    } else {
        parse_policy(text, name).map_err(problems)
    }
}

/// A shipped policy's TOML text by its id (`demo-county/resident-2024`), if there is one.
#[pyfunction]
fn shipped_policy(id: &str) -> Option<&'static str> {
    yibao_shipped::file(&format!("{id}.toml"))
}

/// The text a policy spec names, in core's one order (`policy::lookup`, as the CLI's
/// `--policy`): the policy's own text, else a file, else a shipped policy's id.
#[pyfunction]
fn policy_text(spec: &str) -> PyResult<String> {
    match yibao_shipped::name(spec, |s| std::path::Path::new(s).is_file()) {
        Ok(Named::Text(text)) => Ok(text.to_string()),
        Ok(Named::File(path)) => std::fs::read_to_string(path)
            .map_err(|e| PyValueError::new_err(format!("unreadable_file: {path}: {e}"))),
        Ok(Named::Shipped((_, text))) => Ok(text.to_string()),
        Err(e) => Err(problems(e.into())),
    }
}

/// Replay the claims in `batches` (one partition: every claim of each person in it) under the
/// policy. Returns `(results, summary_json, bad_rows_json)`: a record batch with one row per
/// claim (amounts `decimal(18, 2)`, the ratio `pool_prop_selfpay` `decimal(5, 4)`), the summary as JSON, and the rows that could not be read.
#[pyfunction]
#[pyo3(signature = (policy_text, batches, policy_name = "policy.toml"))]
fn replay(
    py: Python<'_>,
    policy_text: &str,
    batches: Vec<Bound<'_, PyAny>>,
    policy_name: &str,
) -> PyResult<(Py<PyAny>, String, String)> {
    let doc = policy(policy_text, policy_name)?;
    let batches: Vec<RecordBatch> = batches
        .iter()
        .map(RecordBatch::from_pyarrow_bound)
        .collect::<PyResult<_>>()?;
    let (out, summary, bad) = py
        .detach(|| -> Result<_, String> {
            let loaded = columnar::claims_from_batches(&batches).map_err(|p| p.to_string())?;
            let r = yibao_batch::run::replay_loaded(&doc, &loaded, &|_| {});
            let t = table::results(&loaded.claims, &[&r.results]);
            let out = columnar::results_batch(&t)?;
            let summary = serde_json::to_string(&r.summary).map_err(|e| e.to_string())?;
            let bad = serde_json::to_string(&loaded.bad).map_err(|e| e.to_string())?;
            Ok((out, summary, bad))
        })
        .map_err(PyValueError::new_err)?;
    Ok((out.to_pyarrow(py)?.unbind(), summary, bad))
}

/// The Arrow schema of `replay`'s results, as a Spark DDL string (for `mapInArrow`).
#[pyfunction]
fn results_ddl() -> String {
    let t = table::results(&[], &[&[]]);
    t.header
        .iter()
        .map(|c| match table::decimal(c) {
            Some((p, s)) => format!("{c} decimal({p},{s})"),
            None => format!("{c} string"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The settlement fields, in slip order, from core's one table: `(key, zh, en, short_zh,
/// short_en, summed)`; `summed` marks the fields a replay's totals sum (`summary.all`).
#[pyfunction]
fn settlement_fields() -> Vec<(
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
)> {
    FIELDS
        .iter()
        .map(|f| (f.key, f.zh, f.en, f.short_zh, f.short_en, f.summed))
        .collect()
}

#[pymodule]
fn _yibao(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(replay, m)?)?;
    m.add_function(wrap_pyfunction!(shipped_policy, m)?)?;
    m.add_function(wrap_pyfunction!(policy_text, m)?)?;
    m.add_function(wrap_pyfunction!(results_ddl, m)?)?;
    m.add_function(wrap_pyfunction!(settlement_fields, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
