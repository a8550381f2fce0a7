//! Claims as every format delivers them: a header and rows of text cells, read into
//! [`Claim`]s with each bad row kept (its number, column and bilingual problem) — never dropped
//! silently; and results as a header and rows of text, which CSV writes as they are and Arrow
//! types by column.

use yibao_core::claims::{Claim, Header, Keys, COLUMNS};
use yibao_core::error::quoted;
use yibao_core::estimate::{Field, Settled, FIELDS};
use yibao_core::{Code, Problem, Problems};

/// A bad row: its 1-based row number in the file (the header is row 1) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowProblem {
    pub row: u64,
    pub claim_id: Option<String>,
    #[serde(flatten)]
    pub problem: Problem,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = &self.problem;
        write!(
            f,
            "第 {} 行 row {}, 列 column {}: {} / {} [{}]",
            self.row,
            self.row,
            if p.path.is_empty() { "-" } else { &p.path },
            p.message_zh,
            p.message_en,
            p.code.as_str()
        )
    }
}

/// The claims read from a file: the good ones with their row numbers, and every bad row.
#[derive(Debug, Default)]
pub struct Loaded {
    pub claims: Vec<Claim>,
    /// The file row of each claim (for problems found later, by the engine).
    pub rows: Vec<u64>,
    /// Rows that could not be read, and columns the header has that a claim does not.
    pub bad: Vec<RowProblem>,
    /// The claims' packed keys, built as each row is read (what a replay reads per claim).
    pub keys: Keys,
    /// The claim ids read so far (a second row with one of them is a problem, not a second claim).
    seen: IdSet,
    /// The file's header, read once for all its rows.
    header: Header,
}

impl Loaded {
    /// Start from a header: unknown columns are reported once, at row 1.
    pub fn with_header<S: AsRef<str>>(header: &[S]) -> Loaded {
        let bad = Claim::unknown_columns(header)
            .into_iter()
            .map(|problem| RowProblem {
                row: 1,
                claim_id: None,
                problem,
            })
            .collect();
        Loaded {
            bad,
            header: Header::new(header),
            ..Loaded::default()
        }
    }

    /// Read one row of cells under the header given to [`Loaded::with_header`] (`row`: its
    /// number in the file).
    pub fn push(&mut self, row: u64, cells: &[&str]) {
        let read = Claim::from_row(&self.header, cells);
        let id = self.header.names().iter().position(|h| h == "claim_id");
        self.take(read, id, row, cells);
    }

    /// Read one row of cells under `header` (a batch's own columns: see `columnar::read_batch`).
    pub fn push_under(&mut self, header: &Header, row: u64, cells: &[&str]) {
        let read = Claim::from_row(header, cells);
        let id = header.names().iter().position(|h| h == "claim_id");
        self.take(read, id, row, cells);
    }

    /// Keep a row as read: a claim, a claim id seen before, or its problem (`id`: the column of
    /// the claim id, named beside the problem).
    fn take(&mut self, read: Result<Claim, Problem>, id: Option<usize>, row: u64, cells: &[&str]) {
        match read {
            Ok(c) if !self.seen.insert(&c.claim_id) => self.bad.push(RowProblem {
                row,
                problem: Problem::new(
                    Code::DuplicateId,
                    "claim_id",
                    format!(
                        "结算编号 {} 在前面已出现过,这一行没有重复计入",
                        quoted(&c.claim_id)
                    ),
                    format!(
                        "the claim id {} was read before; this row is not counted twice",
                        quoted(&c.claim_id)
                    ),
                ),
                claim_id: Some(c.claim_id),
            }),
            Ok(c) => {
                self.keys.push(&c);
                self.claims.push(c);
                self.rows.push(row);
            }
            Err(problem) => {
                let id = id
                    .and_then(|i| cells.get(i))
                    .filter(|c| !c.is_empty())
                    .map(|c| c.to_string());
                self.bad.push(RowProblem {
                    row,
                    claim_id: id,
                    problem,
                })
            }
        }
    }
}

impl Loaded {
    /// The claims read so far but the last person's, as a part of the file on its own (its
    /// claims, rows and keys; no bad rows: those stay here, in the file's order), when the last
    /// person's claims are a run at the end that no earlier claim of theirs precedes — rows still
    /// to read may add to that person, so their run stays to begin the next part. `None`, and
    /// nothing moved, when there is no such run or nothing before it.
    pub fn split_whole_persons(&mut self) -> Option<Loaded> {
        let last = &self.claims.last()?.person_id;
        let at = self.claims.iter().rposition(|c| &c.person_id != last)? + 1;
        let tail_keys = self.keys.split_last_person(at)?;
        // The part takes the buffers (dropped once it is replayed); the run carried stays in
        // new ones, so memory holds one part's buffers, not two.
        let (claims, rows) = (self.claims.split_off(at), self.rows.split_off(at));
        let part = Loaded {
            claims: std::mem::replace(&mut self.claims, claims),
            rows: std::mem::replace(&mut self.rows, rows),
            keys: std::mem::replace(&mut self.keys, tail_keys),
            ..Loaded::default()
        };
        Some(part)
    }

    /// Every claim read so far, as the last part of the file (see [`Loaded::split_whole_persons`]).
    pub fn take_all(&mut self) -> Loaded {
        let keys = self.keys.next_part();
        Loaded {
            claims: std::mem::take(&mut self.claims),
            rows: std::mem::take(&mut self.rows),
            keys: std::mem::replace(&mut self.keys, keys),
            ..Loaded::default()
        }
    }
}

/// A set of ids (claim ids; person ids), exact, in about a dozen bytes an id besides the ids'
/// own: a province's 50 million claim ids as `String`s in a `HashSet` would take several
/// gigabytes. The ids are kept one after the other in one byte arena, each after its length;
/// the table holds where each starts. (No crate keeps a set of strings this way without a
/// dependency on an interner with its own handles; hashbrown's `HashTable` is the standard
/// building block for it.)
#[derive(Default)]
pub struct IdSet {
    bytes: Vec<u8>,
    table: hashbrown::HashTable<u64>,
    hasher: foldhash::fast::FixedState,
}

impl std::fmt::Debug for IdSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdSet({} ids)", self.table.len())
    }
}

impl IdSet {
    /// The id stored at `at` (its length as a LEB128 number, then its bytes).
    fn at(bytes: &[u8], at: u64) -> &[u8] {
        let (mut len, mut shift, mut i) = (0usize, 0, at as usize);
        loop {
            let b = bytes[i];
            len |= usize::from(b & 0x7f) << shift;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        &bytes[i..i + len]
    }

    pub fn contains(&self, id: &str) -> bool {
        let hash = std::hash::BuildHasher::hash_one(&self.hasher, id.as_bytes());
        self.table
            .find(hash, |&at| Self::at(&self.bytes, at) == id.as_bytes())
            .is_some()
    }

    /// Add `id`; false when it was there already.
    pub fn insert(&mut self, id: &str) -> bool {
        let IdSet {
            bytes,
            table,
            hasher,
        } = self;
        let hash = std::hash::BuildHasher::hash_one(&*hasher, id.as_bytes());
        if table
            .find(hash, |&at| Self::at(bytes, at) == id.as_bytes())
            .is_some()
        {
            return false;
        }
        let start = bytes.len() as u64;
        let mut len = id.len();
        loop {
            let low = (len & 0x7f) as u8;
            len >>= 7;
            if len == 0 {
                bytes.push(low);
                break;
            }
            bytes.push(low | 0x80);
        }
        bytes.extend_from_slice(id.as_bytes());
        table.insert_unique(hash, start, |&at| {
            std::hash::BuildHasher::hash_one(&*hasher, Self::at(bytes, at))
        });
        true
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

/// The claim columns a results row repeats (a claim's identity, the first six of a claims
/// file's), before its route and the amounts.
const IDENTITY: usize = 6;

/// The decimal type (precision, scale) of a results column that holds a settlement figure, as
/// the national interface types it: amounts 18,2, the ratio `pool_prop_selfpay` 5,4.
pub fn decimal(column: &str) -> Option<(u8, i8)> {
    let field = column
        .strip_prefix("a_")
        .or_else(|| column.strip_prefix("b_"))
        .unwrap_or(column);
    Field::of(field).map(|f| if f.places == 4 { (5, 4) } else { (18, 2) })
}

/// A results table: per claim, its identity and each policy's settlement (prefixed `a_`, `b_`
/// when there are two), the caps that bound, and the problem when the engine refused it.
pub struct Results {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub fn results(claims: &[Claim], runs: &[&[Result<Settled, Problems>]]) -> Results {
    let prefix = |i: usize| match (runs.len(), i) {
        (1, _) => "",
        (_, 0) => "a_",
        _ => "b_",
    };
    let mut header: Vec<String> = COLUMNS[..IDENTITY]
        .iter()
        .chain(&["route"])
        .map(|s| s.to_string())
        .collect();
    for i in 0..runs.len() {
        let p = prefix(i);
        header.extend(FIELDS.iter().map(|f| format!("{p}{}", f.key)));
        header.push(format!("{p}limits"));
        header.push(format!("{p}problem"));
    }
    let rows = claims
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let route = runs
                .first()
                .and_then(|r| r[n].as_ref().ok())
                .map_or("", |s| s.route.as_str());
            let mut row = vec![
                c.claim_id.clone(),
                c.person_id.clone(),
                c.date.to_string(),
                c.setting.as_str().to_string(),
                c.level.clone(),
                c.category.clone(),
                route.to_string(),
            ];
            for run in runs {
                match &run[n] {
                    Ok(s) => {
                        // An absent figure (`balc`) is an empty cell.
                        row.extend(FIELDS.iter().map(|f| {
                            s.settlement
                                .get(f.key)
                                .map_or_else(String::new, |v| v.to_string())
                        }));
                        row.push(s.limits.join(";"));
                        row.push(String::new());
                    }
                    Err(ps) => {
                        row.extend(FIELDS.iter().map(|_| String::new()));
                        row.push(String::new());
                        row.push(problem_text(ps));
                    }
                }
            }
            row
        })
        .collect();
    Results { header, rows }
}

/// A refused claim's problems in one cell: `code [column] 中文 / English; …`.
pub fn problem_text(ps: &Problems) -> String {
    ps.0.iter()
        .map(|p| {
            format!(
                "{} [{}] {} / {}",
                p.code.as_str(),
                p.path,
                p.message_zh,
                p.message_en
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
