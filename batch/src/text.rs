//! CSV: claims in (`csv` crate for the splitting and quoting; cells read by core's row reader)
//! and claims or results out.

use crate::stream::Rows;
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
    let (mut rows, mut loaded) = CsvRows::new(input)?;
    while rows.step(&mut loaded)? {}
    Ok(loaded)
}

/// A claims CSV read a row at a time (as [`read_claims`] reads it whole; a streaming replay
/// reads it part by part: `stream::Parts`).
pub struct CsvRows<R: Read> {
    r: csv::Reader<Bounded<R>>,
    rec: csv::StringRecord,
    /// The header's columns (its empty trailing ones left out).
    width: usize,
}

impl<R: Read> CsvRows<R> {
    /// Read the header: the rows to come, and the claims with the header's problems.
    pub fn new(input: R) -> Result<(CsvRows<R>, Loaded), Problem> {
        let input = Bounded {
            inner: input,
            line: 0,
        };
        let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let mut header: Vec<String> = r
            .headers()
            .map_err(|e| too_long(&e, 1).unwrap_or_else(|| not_csv(&e)))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        while header.last().is_some_and(String::is_empty) {
            header.pop();
        }
        let width = header.len();
        let loaded = Loaded::with_header(&header);
        let rows = CsvRows {
            r,
            rec: csv::StringRecord::new(),
            width,
        };
        Ok((rows, loaded))
    }
}

impl<R: Read> Rows for CsvRows<R> {
    /// Read the next record into `loaded` (a claim or a bad row; a blank one is skipped); false
    /// at the end of the file.
    fn step(&mut self, loaded: &mut Loaded) -> Result<bool, Problem> {
        let (r, rec, width) = (&mut self.r, &mut self.rec, self.width);
        let line = r.position().line();
        match r.read_record(rec) {
            Ok(false) => return Ok(false),
            Ok(true) => {
                let cells: Vec<&str> = rec.iter().collect();
                // The record's own first line. Its start position counts the blank lines the
                // reader skipped before it, so count back from where it ended: the line after a
                // record ended by a newline, its own last line at the end of the file. (The
                // newlines inside its cells are counted over the record's text at once.)
                let inside = rec.as_slice().bytes().filter(|&b| b == b'\n').count() as u64;
                let end = r.position().line();
                let last = if r.is_done() { end } else { end - 1 };
                let row = last.saturating_sub(inside).max(line);
                if cells.iter().all(|c| c.trim().is_empty()) {
                    return Ok(true);
                }
                match shape(&cells, inside, width) {
                    Some(problem) => loaded.bad.push(RowProblem {
                        row,
                        claim_id: None,
                        problem,
                    }),
                    None => loaded.push(row, &cells[..width.min(cells.len())]),
                }
            }
            Err(e) => {
                let row = e.position().map_or(line, |p| p.line());
                // A line beyond any claim's length ends the reading: the file as a whole fails.
                if let Some(p) = too_long(&e, row) {
                    return Err(p);
                }
                loaded.bad.push(RowProblem {
                    row,
                    claim_id: None,
                    problem: not_csv(&e),
                })
            }
        }
        Ok(true)
    }
}

/// The longest line a claims file may have: a claim is a few hundred bytes. The CSV reader holds a
/// whole record (and the place of each of its cells) before it is seen, so a line of 50 MB of
/// empty cells would cost gigabytes; past this, reading stops with `line_too_long`.
pub const MAX_LINE: usize = 1 << 20;

/// The input, failing once a line runs past [`MAX_LINE`] bytes. (No crate bounds a CSV record's
/// size: the `csv` crate has no such limit, so the bytes are counted on their way in.)
struct Bounded<R> {
    inner: R,
    /// Bytes since the last newline.
    line: usize,
}

/// The error [`Bounded`] fails with.
#[derive(Debug)]
struct LineTooLong;

impl std::fmt::Display for LineTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a line longer than {MAX_LINE} bytes")
    }
}

impl std::error::Error for LineTooLong {}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let got = &buf[..n];
        // The line the chunk starts in ends at its first newline; the one it ends in starts
        // after its last. A line wholly inside one chunk is shorter than the chunk.
        let (first, last) = (
            got.iter().position(|&b| b == b'\n'),
            got.iter().rposition(|&b| b == b'\n'),
        );
        let longest = self.line + first.unwrap_or(n);
        self.line = match last {
            Some(at) => n - at - 1,
            None => longest,
        };
        if longest > MAX_LINE {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                LineTooLong,
            ));
        }
        Ok(n)
    }
}

/// `line_too_long` at `row` when `e` is [`Bounded`]'s failure.
fn too_long(e: &csv::Error, row: u64) -> Option<Problem> {
    let csv::ErrorKind::Io(io) = e.kind() else {
        return None;
    };
    io.get_ref()?.downcast_ref::<LineTooLong>()?;
    let mb = MAX_LINE >> 20;
    Some(Problem::new(
        Code::LineTooLong,
        "",
        format!("第 {row} 行超过 {mb} MB,不是一条就诊记录(文件可能损坏或不是理赔明细);已停止读取,整个文件未读入"),
        format!("line {row} is longer than {mb} MB, which no claim is (a damaged file, or not a claims file?); reading stopped and the file was not read"),
    ))
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
    let mut w = ClaimsWriter::new(out)?;
    for c in claims {
        w.write(c)?;
    }
    w.finish()
}

/// Claims written as CSV one at a time (a province's file is never held whole: `yibao claims
/// generate`).
pub struct ClaimsWriter<W: Write>(csv::Writer<W>);

impl<W: Write> ClaimsWriter<W> {
    /// Start the file: its header, every column in [`COLUMNS`] order.
    pub fn new(out: W) -> Result<Self, String> {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        w.write_record(COLUMNS).map_err(|e| e.to_string())?;
        Ok(ClaimsWriter(w))
    }
    pub fn write(&mut self, c: &Claim) -> Result<(), String> {
        self.0.serialize(c).map_err(|e| e.to_string())
    }
    pub fn finish(mut self) -> Result<(), String> {
        self.0.flush().map_err(|e| e.to_string())
    }
}

/// Write a results table as CSV.
pub fn write_results(out: impl Write, t: &Results) -> Result<(), String> {
    let mut w = ResultsWriter::new(out);
    w.write(t)?;
    w.finish()
}

/// A results table written as CSV part after part (the header with the first).
pub struct ResultsWriter<W: Write> {
    w: csv::Writer<W>,
    header: bool,
}

impl<W: Write> ResultsWriter<W> {
    pub fn new(out: W) -> Self {
        ResultsWriter {
            w: csv::Writer::from_writer(out),
            header: false,
        }
    }
    /// The rows of `t`; its header too, the first time.
    pub fn write(&mut self, t: &Results) -> Result<(), String> {
        if !self.header {
            self.w.write_record(&t.header).map_err(|e| e.to_string())?;
            self.header = true;
        }
        for r in &t.rows {
            self.w.write_record(r).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
    pub fn finish(mut self) -> Result<(), String> {
        self.w.flush().map_err(|e| e.to_string())
    }
    /// The output, flushed.
    pub fn into_inner(self) -> Result<W, String> {
        self.w.into_inner().map_err(|e| e.to_string())
    }
}
