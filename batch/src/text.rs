//! CSV: claims in (`csv` crate for the splitting and quoting; cells read by core's row reader)
//! and claims or results out.

use crate::table::{Loaded, Results, RowProblem};
use std::io::{Read, Write};
use yibao_core::claims::{Claim, COLUMNS};
use yibao_core::{Code, Problem};

/// Read a claims CSV. A row that cannot be read is kept in `bad` with its line number in the
/// file and its column; reading goes on. Only a file that is not CSV at all (no header) is an
/// error. Nothing is changed silently: a row with more or fewer cells than the header (an
/// unquoted `1,234.50` splits a total in two), a quoted cell running over lines (a stray quote
/// swallows the rows after it, which are counted), a claim id seen before — each is a problem at
/// its row. Empty columns at the end of the header (Excel writes them) are ignored, and so are
/// empty cells under them.
pub fn read_claims(input: impl Read) -> Result<Loaded, Problem> {
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let mut header: Vec<String> = r
        .headers()
        .map_err(|e| not_csv(&e))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let width = header.len();
    let mut loaded = Loaded::with_header(&header);
    let mut rec = csv::StringRecord::new();
    loop {
        let line = r.position().line();
        match r.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let cells: Vec<&str> = rec.iter().collect();
                // The record's own first line. Its start position counts the blank lines the
                // reader skipped before it, so count back from where it ended: the line after a
                // record ended by a newline, its own last line at the end of the file.
                let inside: u64 = cells.iter().map(|c| c.matches('\n').count() as u64).sum();
                let end = r.position().line();
                let last = if r.is_done() { end } else { end - 1 };
                let row = last.saturating_sub(inside).max(line);
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                match shape(&cells, inside, width) {
                    Some(problem) => loaded.bad.push(RowProblem {
                        row,
                        claim_id: None,
                        problem,
                    }),
                    None => loaded.push(&header, row, &cells[..width.min(cells.len())]),
                }
            }
            Err(e) => loaded.bad.push(RowProblem {
                row: e.position().map_or(line, |p| p.line()),
                claim_id: None,
                problem: not_csv(&e),
            }),
        }
    }
    Ok(loaded)
}

/// What is wrong with a row's cells as a whole, before any is read: a quoted cell over several
/// lines (`inside`: the newlines inside its cells, counted once by the reader), or a count of
/// cells that differs from the header's (empty cells past it excepted).
fn shape(cells: &[&str], inside: u64, width: usize) -> Option<Problem> {
    let mut lines = inside;
    // A quote left open to the end of the file holds the file's last newline too.
    if cells.last().is_some_and(|c| c.ends_with('\n')) {
        lines -= 1;
    }
    if inside > 0 {
        return Some(Problem::new(
            Code::QuoteRunsOn,
            "",
            format!("带引号的单元格跨越了 {} 行(可能少了一个右引号),这些行都没有读入", lines + 1),
            format!(
                "a quoted cell runs over {} lines (a closing quote missing?); none of them was read",
                lines + 1
            ),
        ));
    }
    let extra = cells.iter().skip(width).any(|c| !c.trim().is_empty());
    if cells.len() < width || extra {
        let n = if extra {
            cells.len()
        } else {
            cells.len().min(width)
        };
        return Some(Problem::new(
            Code::CellCount,
            "",
            format!("这一行有 {n} 个单元格,表头有 {width} 列(金额里的千分位逗号需要加引号,如 \"1,234.50\")"),
            format!(
                "this row has {n} cells and the header {width} columns (a thousands comma in an amount needs quotes: \"1,234.50\")"
            ),
        ));
    }
    None
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
