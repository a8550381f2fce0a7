//! Arrow record batches and Parquet files. In: every column is cast to text (Arrow's own cast:
//! decimals, integers, booleans and dates keep their exact value) and read by the same row
//! reader as CSV, so a claim is read one way whatever the format. Out: amounts are
//! `Decimal128(18, 2)` — exact, and summed exactly by pandas, Polars and Spark.

use crate::table::{decimal, Loaded, Results};
use arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema};
use std::sync::Arc;
use yibao_core::claims::{Claim, Header, COLUMNS};
use yibao_core::{Code, Problem};

/// Amounts in Arrow: 16 digits of yuan and the fen, far above any bill or year's total.
pub const AMOUNT: DataType = DataType::Decimal128(18, 2);

fn problem(what: &str, e: impl std::fmt::Display) -> Problem {
    Problem::new(
        Code::InvalidValue,
        "",
        format!("{what}:{e}"),
        format!("{what}: {e}"),
    )
}

/// Add a batch's rows to `loaded` (`first_row`: the file row of its first row; a header counts
/// as row 1 in every format, so row numbers mean the same as in a CSV).
pub fn read_batch(loaded: &mut Loaded, batch: &RecordBatch, first_row: u64) -> Result<(), Problem> {
    let schema = batch.schema();
    // Only a claim's columns are read: another column (pandas' index, an analyst's note) was
    // named once as unknown by `Loaded::with_header` and is skipped here, whatever its type.
    let (header, columns): (Vec<String>, Vec<&ArrayRef>) = schema
        .fields()
        .iter()
        .zip(batch.columns())
        .filter(|(f, _)| COLUMNS.contains(&f.name().as_str()))
        .map(|(f, c)| (f.name().clone(), c))
        .unzip();
    let mut text = Vec::with_capacity(header.len());
    for (name, col) in header.iter().zip(columns) {
        let s = cast(col, &DataType::Utf8)
            .map_err(|e| problem(&format!("无法读取的列 unreadable column {name}"), e))?;
        text.push(s);
    }
    let text: Vec<&StringArray> = text
        .iter()
        .filter_map(|a| a.as_any().downcast_ref::<StringArray>())
        .collect();
    let plan = Header::new(&header);
    let mut cells: Vec<&str> = Vec::with_capacity(header.len());
    for r in 0..batch.num_rows() {
        cells.clear();
        cells.extend(
            text.iter()
                .map(|a| if a.is_null(r) { "" } else { a.value(r) }),
        );
        loaded.push_under(&plan, first_row + r as u64, &cells);
    }
    Ok(())
}

/// The claims a file's first batch starts: its columns as the header (an extra one named once).
fn starting(first: &RecordBatch) -> Loaded {
    let schema = first.schema();
    let header: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    Loaded::with_header(&header)
}

/// Claims from record batches (a Python caller's, a Spark partition's).
pub fn claims_from_batches<'a>(
    batches: impl IntoIterator<Item = &'a RecordBatch>,
) -> Result<Loaded, Problem> {
    let mut loaded: Option<Loaded> = None;
    let mut row = 2;
    for b in batches {
        let l = loaded.get_or_insert_with(|| starting(b));
        read_batch(l, b, row)?;
        row += b.num_rows() as u64;
    }
    Ok(loaded.unwrap_or_default())
}

/// A table of text columns as a record batch, each column cast to the type `type_of` gives.
fn batch_of(
    header: &[String],
    rows: &[Vec<String>],
    type_of: impl Fn(&str) -> DataType,
) -> Result<RecordBatch, String> {
    let mut fields = Vec::with_capacity(header.len());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        let text: StringArray = rows
            .iter()
            .map(|r| r.get(i).filter(|c| !c.is_empty()).map(String::as_str))
            .collect();
        let ty = type_of(name);
        let col: ArrayRef = if ty == DataType::Utf8 {
            Arc::new(text)
        } else {
            cast(&text, &ty).map_err(|e| format!("{name}: {e}"))?
        };
        fields.push(Field::new(name, ty, true));
        columns.push(col);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(|e| e.to_string())
}

/// Results as a record batch: amounts `Decimal128(18, 2)`, the ratio `Decimal128(5, 4)`, the
/// rest text.
pub fn results_batch(t: &Results) -> Result<RecordBatch, String> {
    batch_of(&t.header, &t.rows, |c| match decimal(c) {
        Some((p, s)) => DataType::Decimal128(p, s),
        None => DataType::Utf8,
    })
}

/// The Arrow type of each claims column.
fn claim_type(c: &str) -> DataType {
    match c {
        "age" | "units" => DataType::UInt32,
        "slip" | "filing" | "emergency" | "accident" => DataType::Boolean,
        "total" | "in_scope" | "jia" | "yi" | "bing" | "special" => AMOUNT,
        "date" | "slip_date" => DataType::Date32,
        _ => DataType::Utf8,
    }
}

/// Claims as a record batch, typed per column.
pub fn claims_batch(claims: &[Claim]) -> Result<RecordBatch, String> {
    let header: Vec<String> = COLUMNS.iter().map(|s| s.to_string()).collect();
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(vec![]);
    for c in claims {
        w.serialize(c).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    // The claims' own serde form, cell by cell: the same text a CSV file holds.
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[..]);
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|rec| rec.map(|rec| rec.iter().map(str::to_string).collect()))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    batch_of(&header, &rows, claim_type)
}

/// Read a Parquet claims file.
pub fn read_parquet(file: std::fs::File) -> Result<Loaded, Problem> {
    let mut rows = ParquetRows::new(file)?;
    let mut loaded = Loaded::default();
    while crate::stream::Rows::step(&mut rows, &mut loaded)? {}
    Ok(loaded)
}

/// A Parquet claims file read a record batch at a time (as [`read_parquet`] reads it whole; a
/// streaming replay reads it part by part: `stream::Parts`).
pub struct ParquetRows {
    reader: parquet::arrow::arrow_reader::ParquetRecordBatchReader,
    /// The file row of the next batch's first row.
    row: u64,
}

impl ParquetRows {
    pub fn new(file: std::fs::File) -> Result<ParquetRows, Problem> {
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .and_then(|b| b.build())
            .map_err(|e| problem("不是可读的 Parquet 文件 not a readable Parquet file", e))?;
        Ok(ParquetRows { reader, row: 2 })
    }
}

impl crate::stream::Rows for ParquetRows {
    /// The next batch's rows into `loaded` (which the first batch starts, with its header, as
    /// [`claims_from_batches`] does); false at the end of the file.
    fn step(&mut self, loaded: &mut Loaded) -> Result<bool, Problem> {
        let Some(b) = self.reader.next() else {
            return Ok(false);
        };
        let b = b.map_err(|e| problem("Parquet", e))?;
        if self.row == 2 {
            *loaded = starting(&b);
        }
        read_batch(loaded, &b, self.row)?;
        self.row += b.num_rows() as u64;
        Ok(true)
    }
}

/// The Parquet writer's settings: snappy, as pandas and Spark write.
fn props() -> parquet::file::properties::WriterProperties {
    parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .build()
}

/// Write one record batch as a Parquet file (snappy).
pub fn write_parquet(file: std::fs::File, batch: &RecordBatch) -> Result<(), String> {
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props()))
        .map_err(|e| e.to_string())?;
    w.write(batch).map_err(|e| e.to_string())?;
    w.close().map(|_| ()).map_err(|e| e.to_string())
}

/// A Parquet file written batch after batch (a province's results or claims are never held
/// whole); opened with the first batch's schema.
pub struct ParquetWriter {
    file: Option<std::fs::File>,
    w: Option<parquet::arrow::ArrowWriter<std::fs::File>>,
}

impl ParquetWriter {
    pub fn new(file: std::fs::File) -> ParquetWriter {
        ParquetWriter {
            file: Some(file),
            w: None,
        }
    }
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), String> {
        if let Some(file) = self.file.take() {
            let w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props()))
                .map_err(|e| e.to_string())?;
            self.w = Some(w);
        }
        match self.w.as_mut() {
            Some(w) => w.write(batch).map_err(|e| e.to_string()),
            None => Err("the Parquet writer was not opened".into()),
        }
    }
    /// Results as the next batch ([`results_batch`]).
    pub fn write_results(&mut self, t: &Results) -> Result<(), String> {
        self.write(&results_batch(t)?)
    }
    /// Claims as the next batch ([`claims_batch`]).
    pub fn write_claims(&mut self, claims: &[Claim]) -> Result<(), String> {
        self.write(&claims_batch(claims)?)
    }
    pub fn finish(self) -> Result<(), String> {
        match self.w {
            Some(w) => w.close().map(|_| ()).map_err(|e| e.to_string()),
            None => Err("nothing was written to the Parquet file".into()),
        }
    }
}
