//! The claims reader never changes a figure without a word: each file in
//! `tests/fixtures/claims-reader/` (as Excel, WPS and pandas write them) is read, and what it
//! says — the claims it kept, their totals, and each refused row's line, column and code — is
//! compared with what the file holds.

use yibao_batch::{table::Loaded, text};
use yibao_core::Money;

fn read(name: &str) -> Loaded {
    let path = format!(
        "{}/fixtures/claims-reader/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text::read_claims(&bytes[..]).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The kept claims as (id, total).
fn kept(l: &Loaded) -> Vec<(String, Option<Money>)> {
    l.claims
        .iter()
        .map(|c| (c.claim_id.clone(), c.total))
        .collect()
}

/// Each problem as "line:column:code".
fn problems(l: &Loaded) -> Vec<String> {
    l.bad
        .iter()
        .map(|b| format!("{}:{}:{}", b.row, b.problem.path, b.problem.code.as_str()))
        .collect()
}

fn m(s: &str) -> Option<Money> {
    Some(Money::parse(s).unwrap())
}

#[test]
fn an_unquoted_thousands_comma_is_a_row_problem_not_a_total_of_one() {
    let l = read("unquoted-thousands.csv");
    assert_eq!(
        kept(&l),
        [("A1".into(), m("1000")), ("A3".into(), m("1234.50"))]
    );
    assert_eq!(problems(&l), ["3::cell_count"]);
}

#[test]
fn a_comma_is_read_only_between_groups_of_three_digits() {
    let l = read("comma-not-grouping.csv");
    assert_eq!(kept(&l), [("B4".into(), m("12345678.90"))]);
    assert_eq!(
        problems(&l),
        [
            "2:total:invalid_number",
            "3:total:invalid_number",
            "4:total:invalid_number"
        ]
    );
}

#[test]
fn a_stray_quote_is_reported_with_the_lines_it_swallowed() {
    let l = read("stray-quote.csv");
    assert_eq!(kept(&l), [("C1".into(), m("1000"))]);
    assert_eq!(problems(&l), ["3::quote_runs_on"]);
    let p = &l.bad[0].problem;
    assert!(
        p.message_en.contains("runs over 3 lines"),
        "{}",
        p.message_en
    );
}

#[test]
fn rows_are_numbered_by_their_line_in_the_file() {
    let l = read("blank-lines.csv");
    assert_eq!(kept(&l), [("D2".into(), m("1000"))]);
    assert_eq!(l.rows, [6]);
    assert_eq!(
        problems(&l),
        ["3:total:invalid_number", "7:total:invalid_number"]
    );
}

#[test]
fn a_repeated_claim_counts_once_and_a_part_of_a_fen_is_refused() {
    let l = read("duplicates-and-fen.csv");
    assert_eq!(kept(&l), [("E1".into(), m("1000"))]);
    assert_eq!(
        problems(&l),
        ["3:claim_id:duplicate_id", "4:total:finer_than_fen"]
    );
    assert_eq!(l.bad[0].claim_id.as_deref(), Some("E1"));
}

#[test]
fn a_column_named_twice_is_named_and_no_row_takes_either_value_silently() {
    let l = read("duplicate-header.csv");
    assert!(l.claims.is_empty(), "{:?}", kept(&l));
    let found = problems(&l);
    assert_eq!(found[0], "1:total:duplicate_id");
    assert!(found[1].starts_with("2:"), "{found:?}");
}

#[test]
fn excels_empty_trailing_columns_are_ignored_but_a_short_row_is_not() {
    let l = read("excel-trailing-columns.csv");
    assert_eq!(
        kept(&l),
        [("G1".into(), m("1000")), ("G2".into(), m("1000"))]
    );
    assert_eq!(problems(&l), ["4::cell_count"]);
}

#[test]
fn a_file_without_rows_reads_no_claim() {
    let l = read("header-only.csv");
    assert!(l.claims.is_empty() && l.bad.is_empty());
}

#[test]
fn an_integral_decimal_is_a_whole_number_and_a_fraction_is_not() {
    let l = read("integral-float.csv");
    assert_eq!(l.claims.len(), 1);
    assert_eq!(l.claims[0].age, Some(70));
    assert_eq!(problems(&l), ["3:age:invalid_number"]);
}

#[test]
fn a_huge_cell_is_quoted_by_its_beginning_only() {
    let huge = "9".repeat(100_000) + "x";
    let csv = format!("claim_id,person_id,date,setting,level,category,total\nZ1,P1,2024-03-01,inpatient,county,general,{huge}\n");
    let l = text::read_claims(csv.as_bytes()).unwrap();
    let p = &l.bad[0].problem;
    assert_eq!(p.code.as_str(), "invalid_number");
    assert!(p.message_en.len() < 200, "{} bytes", p.message_en.len());
    let header = format!("claim_id,{},person_id\n", "q".repeat(100_000));
    let l = text::read_claims(header.as_bytes()).unwrap();
    assert_eq!(l.bad[0].problem.code.as_str(), "unknown_key");
    assert!(l.bad[0].problem.message_en.len() < 300);
}

/// A row of megabytes of empty cells (a damaged export) is refused as a whole file at its line,
/// before the CSV reader holds it: it never becomes a record of millions of cells.
#[test]
fn a_line_longer_than_any_claim_stops_the_reading_with_a_coded_problem() {
    let head = "claim_id,person_id,date,setting,level,category,total\nZ1,P1,2024-03-01,inpatient,county,general,100\n";
    let row = ",".repeat(text::MAX_LINE + 10);
    let p = text::read_claims(
        format!("{head}{row}\nZ2,P1,2024-03-02,inpatient,county,general,100\n").as_bytes(),
    )
    .expect_err("a line past the bound fails the file");
    assert_eq!(p.code.as_str(), "line_too_long");
    assert!(p.message_en.contains("line 3"), "{}", p.message_en);
    assert!(p.message_zh.contains("第 3 行"), "{}", p.message_zh);
    // A line just within the bound is an ordinary row problem (too many cells), not the file's end
    // (a line of empty cells alone is a blank line, skipped).
    let row = "x,".repeat((text::MAX_LINE - 1) / 2);
    let l = text::read_claims(format!("{head}{row}\n").as_bytes()).unwrap();
    assert_eq!(l.claims.len(), 1);
    assert_eq!(problems(&l), ["3::cell_count"]);
    // A long header is as bounded as a long row.
    let p = text::read_claims(format!("{}\n", "a".repeat(text::MAX_LINE + 1)).as_bytes()).err();
    assert_eq!(p.map(|p| p.code.as_str()), Some("line_too_long"));
}

/// A Parquet file as pandas writes it: a column pandas made float because one age is missing
/// (70.0), an analyst's note and the frame's index as columns of their own. The two extra columns
/// are named once (row 1) and skipped; 70.0 is the whole number 70, 45.5 is refused at its row.
#[test]
fn pandas_extra_columns_are_named_and_its_float_ages_read_as_whole_numbers() {
    let path = format!(
        "{}/fixtures/claims-reader/pandas-extra-columns.parquet",
        env!("CARGO_MANIFEST_DIR")
    );
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let l = yibao_batch::columnar::read_parquet(file).unwrap();
    let ages: Vec<_> = l
        .claims
        .iter()
        .map(|c| (c.claim_id.as_str(), c.age))
        .collect();
    assert_eq!(ages, [("P1", Some(70)), ("P2", None)]);
    assert_eq!(kept(&l)[1], ("P2".into(), m("2000")));
    assert_eq!(
        problems(&l),
        [
            "1:备注:unknown_key",
            "1:__index_level_0__:unknown_key",
            "4:age:invalid_number"
        ]
    );
}
