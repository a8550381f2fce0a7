//! A claims file's row: one admission or visit, flattened from a [`Case`] so that a year of a
//! county's claims fits a table (CSV, Parquet, Arrow). Every format is read as text cells into
//! this one type by [`Claim::from_cells`]; the replay ([`crate::replay`]) turns each row into a
//! `Case` with the person's year to date.

use crate::case::{Bill, Case, Item, Patient, ReferralFacts, Setting, Ytd};
use crate::date::Date;
use crate::error::{Code, Fault, Problem};
use crate::money::Money;
use crate::policy::{FilingKind, ItemClass};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One admission or visit. Columns are these field names; a column may be left out or empty
/// when its field is optional. The bill is either `total` (with `in_scope` when the slip gives
/// it) or the totals per item class (`jia`, `yi`, `bing`, `special`).
/// `Default` is an empty inpatient claim (for building one in code: `..Claim::default()`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub claim_id: String,
    pub person_id: String,
    pub date: Date,
    pub setting: Setting,
    pub level: String,
    pub category: String,
    #[serde(default)]
    pub age: Option<u32>,
    #[serde(default)]
    pub disease: Option<String>,
    #[serde(default)]
    pub route: Option<String>,
    #[serde(default)]
    pub units: Option<u32>,
    #[serde(default)]
    pub total: Option<Money>,
    #[serde(default)]
    pub in_scope: Option<Money>,
    /// 甲类 items' total.
    #[serde(default)]
    pub jia: Option<Money>,
    /// 乙类 items' total (先行自付 applies).
    #[serde(default)]
    pub yi: Option<Money>,
    /// 丙类 / 目录外 items' total.
    #[serde(default)]
    pub bing: Option<Money>,
    /// Special items' total (高值耗材, 特殊检查).
    #[serde(default)]
    pub special: Option<Money>,
    #[serde(default)]
    pub from_level: Option<String>,
    #[serde(default)]
    pub slip: bool,
    #[serde(default)]
    pub slip_date: Option<Date>,
    #[serde(default)]
    pub filing: bool,
    #[serde(default)]
    pub filing_kind: Option<FilingKind>,
    #[serde(default)]
    pub emergency: bool,
    #[serde(default)]
    pub accident: bool,
}

/// The columns of a claims file: each column's name, in the order files are written
/// ([`COLUMNS`]), and the `Col` the plain reader matches on, from one list.
macro_rules! columns {
    ($($col:ident = $name:literal,)*) => {
        /// A column of a claims file.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum Col {
            $($col,)*
        }
        /// Every column, in [`COLUMNS`]' order.
        const COLS: &[Col] = &[$(Col::$col,)*];
        /// The columns of a claims file, in the order files are written.
        pub const COLUMNS: &[&str] = &[$($name,)*];
    };
}

columns! {
    ClaimId = "claim_id",
    PersonId = "person_id",
    Date = "date",
    Setting = "setting",
    Level = "level",
    Category = "category",
    Age = "age",
    Disease = "disease",
    Route = "route",
    Units = "units",
    Total = "total",
    InScope = "in_scope",
    Jia = "jia",
    Yi = "yi",
    Bing = "bing",
    Special = "special",
    FromLevel = "from_level",
    Slip = "slip",
    SlipDate = "slip_date",
    Filing = "filing",
    FilingKind = "filing_kind",
    Emergency = "emergency",
    Accident = "accident",
}

/// The column a case's problem path belongs to (`patient.category` → `category`).
pub fn column_of(case_path: &str) -> &str {
    let head = case_path.split(['.', '[']).next().unwrap_or(case_path);
    match case_path {
        "patient.category" => "category",
        "patient.age" => "age",
        "referral.from_level" => "from_level",
        "referral.slip_date" => "slip_date",
        _ if head == "bill" => "total",
        _ => head,
    }
}

impl Claim {
    /// Read a row of text cells under `columns` (a header). Empty cells are absent values.
    /// The problem names the column; its code and words are those of every other reader.
    /// An amount finer than a fen (`0.001`) is a problem at its column: a settlement counts in
    /// fen, and rounding it quietly would change the file's data.
    pub fn from_cells<S: AsRef<str>>(columns: &[S], cells: &[&str]) -> Result<Claim, Problem> {
        let mut at = None;
        let c = Claim::deserialize(Row {
            columns,
            cells,
            at: &mut at,
        })
        .map_err(|e| e.problem(at, columns))?;
        let amounts = [
            ("total", c.total),
            ("in_scope", c.in_scope),
            ("jia", c.jia),
            ("yi", c.yi),
            ("bing", c.bing),
            ("special", c.special),
        ];
        for (column, m) in amounts {
            if let Some(m) = m.filter(|m| m.0.round_dp(2) != m.0) {
                return Err(Problem::new(
                    Code::FinerThanFen,
                    column,
                    format!("金额 {m} 小于 1 分的部分无法结算(金额最多两位小数)"),
                    format!("the amount {m} has parts of a fen; amounts have at most two decimals"),
                ));
            }
        }
        Ok(c)
    }

    /// [`Claim::from_cells`] for a file's row under a [`Header`] read once: a row whose every
    /// cell reads plainly (the field's text as it is, an amount in fen or coarser, `true` or
    /// `false`, a whole number, a date) is read straight into the claim, without the serde
    /// reader's name look-up per cell or a string per amount; any other row is read by
    /// `from_cells`, which names its problem. The same claim and the same problems either way
    /// (`a_row_reads_the_same_by_both_readers` below; the claims-reader fixtures and the
    /// `claims_csv` fuzz target read through this).
    pub fn from_row(h: &Header, cells: &[&str]) -> Result<Claim, Problem> {
        match h.plain.then(|| plain(h, cells)).flatten() {
            Some(c) => Ok(c),
            None => Claim::from_cells(&h.names, cells),
        }
    }

    /// The header's problems, reported once before any row: columns that are not a claim's
    /// (with the nearest name when one is close), and a column named twice (which of the two
    /// would hold the value?).
    pub fn unknown_columns<S: AsRef<str>>(header: &[S]) -> Vec<Problem> {
        let mut out = Vec::new();
        for (i, h) in header.iter().map(AsRef::as_ref).enumerate() {
            if header[..i].iter().any(|e| e.as_ref() == h) {
                out.push(Problem::new(
                    Code::DuplicateId,
                    crate::error::prefix(h),
                    format!("列名 {} 出现了不止一次", crate::error::quoted(h)),
                    format!(
                        "the column {} appears more than once",
                        crate::error::quoted(h)
                    ),
                ));
            } else if !COLUMNS.contains(&h) {
                // The edit distance is only worth computing for a name as short as a column's.
                let near = COLUMNS
                    .iter()
                    .filter(|_| h.len() <= 64)
                    .min_by_key(|c| strsim::levenshtein(c, h))
                    .filter(|c| strsim::levenshtein(c, h) <= 2);
                let name = match crate::error::prefix(h) {
                    p if p.len() < h.len() => format!("{p}…"),
                    _ => h.to_string(),
                };
                out.push(crate::input::unknown_key(name, near.copied()));
            }
        }
        out
    }

    /// The case this claim is, with the person's year to date before it.
    pub fn to_case(&self, ytd: Ytd) -> Case {
        let items = [
            (ItemClass::Jia, self.jia, "甲类"),
            (ItemClass::Yi, self.yi, "乙类"),
            (ItemClass::Bing, self.bing, "丙类"),
            (ItemClass::Special, self.special, "特殊"),
        ]
        .into_iter()
        .filter_map(|(class, amount, name)| {
            amount.map(|amount| Item {
                name: name.into(),
                class,
                amount,
                limit: None,
            })
        })
        .collect();
        Case {
            date: Some(self.date),
            setting: self.setting,
            level: self.level.clone(),
            patient: Patient {
                category: self.category.clone(),
                age: self.age,
                ..Patient::default()
            },
            disease: self.disease.clone(),
            route: self.route.clone(),
            units: self.units,
            accident: self.accident,
            emergency: self.emergency,
            referral: ReferralFacts {
                from_level: self.from_level.clone(),
                slip: self.slip,
                slip_date: self.slip_date,
                filing: self.filing,
                filing_kind: self.filing_kind,
            },
            bill: Bill {
                total: self.total,
                in_scope: self.in_scope,
                items,
            },
            ytd,
            ..Case::default()
        }
    }
}

/// A claims file's header, read once for all its rows ([`Claim::from_row`]): each column's
/// place in [`COLUMNS`].
#[derive(Clone, Debug, Default)]
pub struct Header {
    names: Vec<String>,
    fields: Vec<Option<Col>>,
    /// Every row may be tried plainly: no column of a claim is named twice (`from_cells` says
    /// what that does to a row).
    plain: bool,
}

impl Header {
    pub fn new<S: AsRef<str>>(header: &[S]) -> Header {
        let names: Vec<String> = header.iter().map(|h| h.as_ref().to_string()).collect();
        let fields: Vec<Option<Col>> = names
            .iter()
            .map(|n| COLUMNS.iter().position(|c| c == n).map(|i| COLS[i]))
            .collect();
        let known: Vec<Col> = fields.iter().flatten().copied().collect();
        let plain = (0..known.len()).all(|i| !known[..i].contains(&known[i]));
        Header {
            names,
            fields,
            plain,
        }
    }
    pub fn names(&self) -> &[String] {
        &self.names
    }
}

/// A row of plain cells read into a claim (see [`Claim::from_row`]); `None` at the first cell
/// that is not plain, or when a required column is empty.
fn plain(h: &Header, cells: &[&str]) -> Option<Claim> {
    // An amount as `Money`'s reader takes it, when it is one it accepts with at most two
    // decimals; anything else (negative, too large, finer than a fen, not a number) is left to
    // the reader that names the problem.
    fn amount(v: &str) -> Option<Option<Money>> {
        let m = Money::parse(v).ok()?;
        let ok = (!m.0.is_sign_negative() || m.0.is_zero())
            && m <= Money::MAX_INPUT
            && m.0.round_dp(2) == m.0;
        ok.then_some(Some(m))
    }
    fn yes(v: &str) -> Option<bool> {
        match v {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
    let mut c = Claim::default();
    // The columns a claim must have, each seen once at most (`Header::plain`).
    const REQUIRED: [Col; 6] = [
        Col::ClaimId,
        Col::PersonId,
        Col::Date,
        Col::Setting,
        Col::Level,
        Col::Category,
    ];
    let mut required = 0;
    for (i, f) in h.fields.iter().enumerate() {
        let Some(f) = *f else { continue };
        let v = cells.get(i).map_or("", |c| c.trim());
        if v.is_empty() {
            continue;
        }
        if REQUIRED.contains(&f) {
            required += 1;
        }
        match f {
            Col::ClaimId => c.claim_id = v.to_string(),
            Col::PersonId => c.person_id = v.to_string(),
            Col::Date => c.date = Date::parse(v).ok()?,
            Col::Setting => {
                c.setting = match v {
                    "inpatient" => Setting::Inpatient,
                    "outpatient" => Setting::Outpatient,
                    _ => return None,
                }
            }
            Col::Level => c.level = v.to_string(),
            Col::Category => c.category = v.to_string(),
            Col::Age => c.age = Some(v.parse().ok()?),
            Col::Disease => c.disease = Some(v.to_string()),
            Col::Route => c.route = Some(v.to_string()),
            Col::Units => c.units = Some(v.parse().ok()?),
            Col::Total => c.total = amount(v)?,
            Col::InScope => c.in_scope = amount(v)?,
            Col::Jia => c.jia = amount(v)?,
            Col::Yi => c.yi = amount(v)?,
            Col::Bing => c.bing = amount(v)?,
            Col::Special => c.special = amount(v)?,
            Col::FromLevel => c.from_level = Some(v.to_string()),
            Col::Slip => c.slip = yes(v)?,
            Col::SlipDate => c.slip_date = Some(Date::parse(v).ok()?),
            Col::Filing => c.filing = yes(v)?,
            Col::Emergency => c.emergency = yes(v)?,
            Col::Accident => c.accident = yes(v)?,
            // A 备案 kind: the serde reader.
            Col::FilingKind => return None,
        }
    }
    (required == REQUIRED.len()).then_some(c)
}

// --- the text-row reader ---
// CSV and Arrow cells arrive as text. The `csv` crate's own serde reader guesses a type for a
// self-describing read and so turns `8234.57` into a float, which amounts rightly refuse as
// inexact; this reader hands every cell to its field as the text it is, and parses only what a
// field asks for as a number or a yes/no.

struct Row<'a, S> {
    columns: &'a [S],
    cells: &'a [&'a str],
    at: &'a mut Option<usize>,
}

#[derive(Debug)]
struct RowError(String);

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for RowError {}
impl de::Error for RowError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RowError(msg.to_string())
    }
    fn missing_field(field: &'static str) -> Self {
        RowError(format!("\u{0}missing\u{0}{field}"))
    }
}

impl RowError {
    fn problem<S: AsRef<str>>(self, at: Option<usize>, columns: &[S]) -> Problem {
        if let Some(field) = self.0.strip_prefix("\u{0}missing\u{0}") {
            return Problem::new(
                Code::MissingField,
                field,
                format!("缺少必填列 {field}"),
                format!("the required column {field} is empty or missing"),
            );
        }
        let column = at
            .and_then(|i| columns.get(i))
            .map_or(String::new(), |c| c.as_ref().to_string());
        match Fault::unpack(&self.0) {
            Some(f) => Problem::new(f.code, column, f.zh, f.en),
            None => Problem::new(
                Code::InvalidValue,
                column.clone(),
                format!("列 {column} 的值无效:{}", self.0),
                format!("column {column}: {}", self.0),
            ),
        }
    }
}

impl<'de, S: AsRef<str>> de::Deserializer<'de> for Row<'_, S> {
    type Error = RowError;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_map(Cells {
            columns: self.columns,
            cells: self.cells,
            next: 0,
            at: self.at,
        })
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct Cells<'a, S> {
    columns: &'a [S],
    cells: &'a [&'a str],
    next: usize,
    at: &'a mut Option<usize>,
}

impl<'de, S: AsRef<str>> de::MapAccess<'de> for Cells<'_, S> {
    type Error = RowError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RowError> {
        // Empty cells are absent values.
        while self.next < self.columns.len() {
            let i = self.next;
            self.next += 1;
            let col = self.columns[i].as_ref();
            let cell = self.cells.get(i).map_or("", |c| c.trim());
            // A column a claim does not have is ignored here (serde skips the key): it was
            // reported once, from the header (`Claim::unknown_columns`).
            if !cell.is_empty() {
                *self.at = Some(i);
                return seed.deserialize(col.into_deserializer()).map(Some);
            }
        }
        Ok(None)
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, RowError> {
        let i = self.at.unwrap_or(0);
        seed.deserialize(Cell(self.cells[i].trim()))
    }
}

struct Cell<'a>(&'a str);

impl Cell<'_> {
    /// A whole number; one written as an integral decimal (`70.0`, as pandas writes an integer
    /// column that has gaps) is read as that whole number, any other fraction is refused.
    fn number<T: std::str::FromStr>(&self) -> Result<T, RowError> {
        let whole = match self.0.split_once('.') {
            Some((w, f)) if !w.is_empty() && !f.is_empty() && f.bytes().all(|b| b == b'0') => w,
            _ => self.0,
        };
        whole.parse().map_err(|_| {
            Fault::new(
                Code::InvalidNumber,
                format!("{} 不是整数", crate::error::quoted(self.0)),
                format!("{} is not a whole number", crate::error::quoted(self.0)),
            )
            .into_de()
        })
    }
}

impl<'de> de::Deserializer<'de> for Cell<'_> {
    type Error = RowError;
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_str(self.0)
    }
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        match self.0.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "y" | "是" => visitor.visit_bool(true),
            "false" | "0" | "no" | "n" | "否" => visitor.visit_bool(false),
            _ => Err(Fault::new(
                Code::InvalidType,
                format!("\"{}\" 不是“是/否”(写 true 或 false)", self.0),
                format!("\"{}\" is not yes/no (write true or false)", self.0),
            )
            .into_de()),
        }
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_u32(self.number()?)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_u64(self.number()?)
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_some(self)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, RowError> {
        visitor.visit_enum(self.0.into_deserializer())
    }
    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

// --- the packed keys a replay reads ---

/// The facts of one claim a replay reads for every claim, packed without pointers (40 bytes):
/// the person, the level and the category as codes of the file's own ([`Keys`]), amounts in
/// fen. A county-year of `Claim`s is strings scattered over the heap; these are one array,
/// read in order, built while the file is read (as any engine codes its input once).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub person: u32,
    pub date: Date,
    /// When [`Key::SLIP_DATE`] is set.
    pub slip_date: Date,
    /// In fen; `-1` when absent or not a whole number of fen.
    pub total: i64,
    pub in_scope: i64,
    /// Codes in [`Keys::levels`] and [`Keys::categories`]; `from_level` is 0 for none, else
    /// the code plus one.
    pub level: u16,
    pub category: u16,
    pub from_level: u16,
    /// [`Key::NO_AGE`] when absent.
    pub age: u16,
    pub flags: u16,
}

impl Key {
    pub const NO_AGE: u16 = u16::MAX;
    /// The largest amount a key holds, in fen (50 million yuan a claim): the compiled path's
    /// units (10⁻¹⁰ yuan in an `i64`) hold sixteen times that. A larger bill is `-1`, and so
    /// is settled by the general path.
    pub const MAX_FEN: i64 = 5_000_000_000;
    /// A claim with a bill total, no line items, no units, not an accident, and, for a stay,
    /// no fixed route named: the claims a compiled policy may settle (a visit's route, named or
    /// found by its disease, is resolved by the compiled policy).
    pub const PLAIN: u16 = 1;
    pub const SLIP: u16 = 1 << 1;
    pub const SLIP_DATE: u16 = 1 << 2;
    pub const FILING: u16 = 1 << 3;
    pub const EMERGENCY: u16 = 1 << 4;
    pub const DISEASE: u16 = 1 << 5;
    /// A visit (门诊), not a stay.
    pub const OUTPATIENT: u16 = 1 << 6;
    /// The claim names its route (a visit's outpatient route; for a stay, a fixed route).
    pub const ROUTE: u16 = 1 << 7;
    /// The filing kind, 0 for none or 1 + its place in `FilingKind::ALL`, in bits 8–11.
    pub const KIND_SHIFT: u16 = 8;

    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
    pub fn filing_kind(&self) -> Option<FilingKind> {
        let k = (self.flags >> Key::KIND_SHIFT) & 0xf;
        (k as usize).checked_sub(1).map(|i| FilingKind::ALL[i])
    }
}

/// The keys of a file's claims, with the codes' dictionaries.
#[derive(Clone, Debug, Default)]
pub struct Keys {
    pub keys: Vec<Key>,
    pub levels: Vec<String>,
    pub categories: Vec<String>,
    persons: std::collections::HashMap<String, u32, foldhash::fast::FixedState>,
}

impl Keys {
    pub const MAX_CODES: usize = 256;
    pub const OTHER: u16 = u16::MAX - 1;
    /// The keys of `claims` (a file reader pushes each claim as it reads it instead).
    pub fn of(claims: &[Claim]) -> Keys {
        let mut k = Keys::default();
        for c in claims {
            k.push(c);
        }
        k
    }

    /// Empty keys for the next part of the same file, its level and category codes kept (so a
    /// code means the same level in every part, and the [`Keys::MAX_CODES`] bound counts the
    /// whole file's, as when the file is read whole).
    pub fn next_part(&self) -> Keys {
        Keys {
            levels: self.levels.clone(),
            categories: self.categories.clone(),
            ..Keys::default()
        }
    }

    /// Move the keys from `at` on into keys of their own (with [`Keys::next_part`]'s codes):
    /// they must be all of one person's, who has no key before `at` — the last person read of a
    /// file grouped by person, whose claims may go on in the rows still to read. `None` (and
    /// nothing moved) when they are not.
    pub fn split_last_person(&mut self, at: usize) -> Option<Keys> {
        let p = self.keys.get(at)?.person;
        let alone = self.keys[at..].iter().all(|k| k.person == p)
            && self.keys[..at].iter().all(|k| k.person != p)
            && p as usize + 1 == self.persons.len();
        if !alone {
            return None;
        }
        let id = self.persons.iter().find(|(_, c)| **c == p)?.0.clone();
        self.persons.remove(&id);
        let mut tail = self.next_part();
        tail.keys = self.keys.split_off(at);
        for k in &mut tail.keys {
            k.person = 0;
        }
        tail.persons.insert(id, 0);
        Some(tail)
    }

    /// How many persons the claims name.
    pub fn persons(&self) -> usize {
        self.persons.len()
    }

    pub fn push(&mut self, c: &Claim) {
        let next = self.persons.len() as u32;
        let person = match self.persons.get(c.person_id.as_str()) {
            Some(p) => *p,
            None => {
                self.persons.insert(c.person_id.clone(), next);
                next
            }
        };
        let level = code(&mut self.levels, &c.level);
        let category = code(&mut self.categories, &c.category);
        let from_level = c
            .from_level
            .as_deref()
            .map_or(0, |l| code(&mut self.levels, l).saturating_add(1));
        let fen = |m: Option<Money>| m.and_then(fen).unwrap_or(-1);
        let (total, in_scope) = (fen(c.total), fen(c.in_scope));
        let plain = (c.setting == Setting::Outpatient || c.route.is_none())
            && c.units.is_none()
            && [c.jia, c.yi, c.bing, c.special].iter().all(Option::is_none)
            && !c.accident
            && total >= 0
            && (c.in_scope.is_none() || in_scope >= 0)
            // An age the packed key cannot hold (a typing mistake) is classed by the general path.
            && c.age.is_none_or(|a| a < u32::from(Key::NO_AGE));
        let kind = c.filing_kind.map_or(0, |k| {
            1 + FilingKind::ALL.iter().position(|x| *x == k).unwrap_or(0) as u16
        });
        let flags = [
            (plain, Key::PLAIN),
            (c.slip, Key::SLIP),
            (c.slip_date.is_some(), Key::SLIP_DATE),
            (c.filing, Key::FILING),
            (c.emergency, Key::EMERGENCY),
            (c.disease.is_some(), Key::DISEASE),
            (c.setting == Setting::Outpatient, Key::OUTPATIENT),
            (c.route.is_some(), Key::ROUTE),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(kind << Key::KIND_SHIFT, |f, (_, bit)| f | bit);
        self.keys.push(Key {
            person,
            date: c.date,
            slip_date: c.slip_date.unwrap_or(c.date),
            total,
            in_scope,
            level,
            category,
            from_level,
            age: c
                .age
                .map_or(Key::NO_AGE, |a| a.min(u32::from(Key::NO_AGE) - 1) as u16),
            flags,
        });
    }
}

/// The code of `id` in a file's dictionary, added when new. A file names a few levels and
/// categories; past [`Keys::MAX_CODES`] different ones (a column of typing mistakes), the rest
/// share [`Keys::OTHER`], which no policy knows: those claims take the general path.
fn code(dict: &mut Vec<String>, id: &str) -> u16 {
    match dict.iter().position(|d| d == id) {
        Some(i) => i as u16,
        None if dict.len() >= Keys::MAX_CODES => Keys::OTHER,
        None => {
            dict.push(id.to_string());
            (dict.len() - 1) as u16
        }
    }
}

/// An amount in whole fen, when it is one (and small enough for a replay's integer units).
fn fen(m: Money) -> Option<i64> {
    m.whole(100).filter(|f| (0..=Key::MAX_FEN).contains(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row reads to the same claim or the same problem by `from_row` (plain cells read
    /// directly) and by `from_cells` (the serde reader); and the plain rows were read plainly,
    /// so the comparison is about the plain reader.
    #[test]
    fn a_row_reads_the_same_by_both_readers() {
        let header = COLUMNS;
        let h = Header::new(header);
        let good = "c1,p1,2024-03-01,outpatient,village,general,52,I10.9,two_diseases,,225.43,\
                    200,,,,,township,true,2024-02-27,false,,false,false";
        // Each row: the good one with one cell changed (column, text), and whether it is plain.
        let changes: &[(usize, &str, bool)] = &[
            (0, "c1", true),
            (3, "inpatient", true),
            (6, "", true),
            (10, " 1234.5 ", true),
            (10, "1,234.50", true),
            (10, "0", true),
            (9, "3", true),
            (12, "10.00", true),
            // Not plain: the serde reader reads or refuses them.
            (6, "70.0", false),
            (6, "70.5", false),
            (6, "-1", false),
            (10, "0.001", false),
            (10, "-5", false),
            (10, "1,23", false),
            (10, "1e3", false),
            (10, "99999999999999", false),
            (17, "TRUE", false),
            (17, "是", false),
            (17, "maybe", false),
            (3, "住院", false),
            (2, "2024-02-30", false),
            (18, "03/01/2024", false),
            (20, "temporary", false),
            (20, "nowhere", false),
            (0, "", false),
            (4, " ", false),
        ];
        let (mut plain_rows, mut others) = (0, 0);
        for &(col, text, is_plain) in changes {
            let mut cells: Vec<&str> = good.split(',').collect();
            assert_eq!(cells.len(), COLUMNS.len());
            cells[col] = text;
            let fast = Claim::from_row(&h, &cells);
            let slow = Claim::from_cells(header, &cells);
            assert_eq!(fast, slow, "{} = {text:?}", COLUMNS[col]);
            assert_eq!(
                plain(&h, &cells).is_some(),
                is_plain,
                "{} = {text:?}",
                COLUMNS[col]
            );
            if is_plain {
                plain_rows += 1;
            } else {
                others += 1;
            }
        }
        assert!(plain_rows >= 8 && others >= 18);
        // A header with fewer columns, in another order, with one a claim does not have.
        let short = [
            "total",
            "person_id",
            "note",
            "claim_id",
            "date",
            "setting",
            "level",
            "category",
        ];
        let h = Header::new(&short);
        let cells = [
            "80",
            "p",
            "x",
            "c",
            "2024-01-01",
            "inpatient",
            "county",
            "general",
        ];
        assert!(plain(&h, &cells).is_some());
        assert_eq!(
            Claim::from_row(&h, &cells),
            Claim::from_cells(&short, &cells)
        );
        // A claim's column named twice: never read plainly.
        let twice = [
            "claim_id",
            "claim_id",
            "person_id",
            "date",
            "setting",
            "level",
            "category",
        ];
        let h = Header::new(&twice);
        let cells = [
            "a",
            "b",
            "p",
            "2024-01-01",
            "inpatient",
            "county",
            "general",
        ];
        assert_eq!(
            Claim::from_row(&h, &cells),
            Claim::from_cells(&twice, &cells)
        );
    }
}
