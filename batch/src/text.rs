//! CSV: claims in (`csv` crate for the splitting and quoting; cells read by core's row reader)
//! and claims or results out.

use crate::table::{Loaded, Results, RowProblem};
use std::io::{Read, Write};
use yibao_core::claims::{Claim, COLUMNS};
use yibao_core::{Code, Problem};

/// Read a claims CSV. A row that cannot be read is kept in `bad` with its row number and
/// column; reading goes on. Only a file that is not CSV at all (no header) is an error.
pub fn read_claims(input: impl Read) -> Result<Loaded, Problem> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| not_csv(&e))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut loaded = Loaded::with_header(&header);
    let mut rec = csv::StringRecord::new();
    let mut row = 1u64;
    loop {
        row += 1;
        match r.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let cells: Vec<&str> = rec.iter().collect();
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                loaded.push(&header, row, &cells);
            }
            Err(e) => loaded.bad.push(RowProblem {
                row,
                claim_id: None,
                problem: not_csv(&e),
            }),
        }
    }
    Ok(loaded)
}

fn not_csv(e: &csv::Error) -> Problem {
    // Excel in China saves "CSV" as GBK unless told otherwise: say so, not just "unreadable".
    if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
        return Problem::new(
            Code::NotUtf8,
            "",
            "这一行不是 UTF-8 编码(Excel 请“另存为 CSV UTF-8(逗号分隔)”,WPS 选择 UTF-8 编码)",
            "this row is not UTF-8 (in Excel, save as \"CSV UTF-8 (comma delimited)\")",
        );
    }
    Problem::new(
        Code::InvalidValue,
        "",
        format!("不是可读的 CSV:{e}"),
        format!("not readable CSV: {e}"),
    )
}

/// Write claims as CSV, every column in [`COLUMNS`] order.
pub fn write_claims(out: impl Write, claims: &[Claim]) -> Result<(), String> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    for c in claims {
        w.serialize(c).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}

/// Write a results table as CSV.
pub fn write_results(out: impl Write, t: &Results) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&t.header).map_err(|e| e.to_string())?;
    for r in &t.rows {
        w.write_record(r).map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}
