//! One diagnosis search for every front end: the county's catalogue first (it says where a
//! disease is treated), then the national 医保版 2.0 list (33,304 codes) with the project's
//! everyday words (`data/aliases.tsv`) and the map from 国家临床版 2.0 and older codes.
//!
//! The national part is a text file, `diagnoses.idx`, made from `data/` by `cargo xtask
//! diagnoses` (checked up to date by `cargo test -p xtask`); each front end gets its bytes its own
//! way (the CLI embeds it, the widget fetches it on the first keystroke, the package ships it
//! beside the wasm) and hands the text to [`National::parse`]. Core reads no file.
//!
//! The file, UTF-8, one record a line, in sections:
//! `yibao-diagnoses 1` (format and version), then `#pinyin` (`汉 han`: each character of the names
//! and words with its reading, from the `pinyin` crate at generation time, sorted by character),
//! `#list`
//! (`code name`, sorted by code), `#map` (`from to`: codes a bill or HIS may carry → 医保版),
//! `#alias` (`word code`, the code a list code or the head of some, e.g. `C34`), `#group`
//! (`prefix group name`: a 基层病组 of CHS-DRG 3.0, `data/primary-prefixes.tsv`).

use crate::catalogue::{self, MatchKind};
use crate::policy::{icd_matches, Disease, Policy};
use crate::{Code, Problem};
use serde::Serialize;

/// The file name the index is served and shipped under.
pub const INDEX_FILE: &str = "diagnoses.idx";
const HEADER: &str = "yibao-diagnoses 1";

struct Entry {
    code: Box<str>,
    name: Box<str>,
    /// Full pinyin, syllables run together (`jixingxinjigengsi`); ASCII letters and digits of the
    /// name kept, lower case.
    py: Box<str>,
    /// Pinyin initials (`jxxjgs`).
    ini: Box<str>,
}

struct Alias {
    word: Box<str>,
    /// As written in the table: a list code or a code head (`C34`).
    code: Box<str>,
    py: Box<str>,
    ini: Box<str>,
    /// The list entry it resolves to.
    entry: u32,
}

struct Group {
    prefix: Box<str>,
    code: Box<str>,
    name: Box<str>,
}

/// The national diagnosis list, parsed and ready to search.
pub struct National {
    entries: Vec<Entry>,
    /// (from, entry), sorted by `from`.
    map: Vec<(Box<str>, u32)>,
    aliases: Vec<Alias>,
    groups: Vec<Group>,
}

/// How a hit matched, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Found {
    ExactCode,
    /// A 国家临床版 (or older) code, mapped to its 医保版 code.
    MappedCode,
    /// The list's own name, exactly.
    ExactName,
    /// An everyday word of the alias table, exactly.
    Alias,
    CodePrefix,
    NameStart,
    /// An everyday word beginning with the text (or its pinyin).
    AliasStart,
    PinyinStart,
    Name,
    Pinyin,
    English,
    /// One typo away (one character added, missing, changed or two swapped).
    Typo,
}

/// Whether the county catalogue places the disease (says at which levels it is treated).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Listed {
    /// A catalogue entry covers it.
    Catalogue,
    /// The policy has a catalogue that does not list it.
    NotListed,
    /// The policy has no catalogue.
    NoCatalogue,
}

impl Listed {
    /// The plain words a front end shows beside a national hit the county does not place.
    pub fn note(self) -> Option<(&'static str, &'static str)> {
        match self {
            Listed::Catalogue => None,
            Listed::NotListed => Some((
                "本县目录未列出该病种的诊治机构",
                "the county's catalogue does not say where this is treated",
            )),
            Listed::NoCatalogue => Some((
                "本方案没有病种目录,未规定在哪一级诊治",
                "this policy has no disease catalogue: no level is named for it",
            )),
        }
    }
}

/// A 基层病组 of the national DRG 3.0 scheme the diagnosis falls in (a documented signal from
/// `data/primary-prefixes.tsv`, not a clinical rule).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct PrimaryGroup {
    pub code: String,
    pub name: String,
}

impl PrimaryGroup {
    pub fn note_zh(&self) -> String {
        format!(
            "国家DRG 3.0 基层病组({} {}):各级医院同病同价",
            self.code, self.name
        )
    }
    pub fn note_en(&self) -> String {
        format!(
            "a primary-care group of the national DRG 3.0 scheme ({}): paid the same at every level",
            self.code
        )
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct DiagnosisHit {
    /// The code to put in a case: the catalogue's own, or the 医保版 2.0 code.
    pub code: String,
    pub name_zh: String,
    /// The catalogue's English name; empty for a national entry.
    pub name_en: String,
    pub matched: Found,
    /// The everyday word or the 国临版 code that led here.
    pub via: Option<String>,
    pub listed: Listed,
    /// The county catalogue's entry that covers the code (levels, 首诊, 急危重症).
    pub disease: Option<Disease>,
    /// From the national list (false: a county catalogue row).
    pub national: bool,
    pub primary_group: Option<PrimaryGroup>,
}

fn bad(line: usize, what: &str) -> Problem {
    Problem::new(
        Code::BadDiagnosisIndex,
        format!("{INDEX_FILE}:{line}"),
        format!("全国病种索引文件第 {line} 行无法读取:{what}"),
        format!("line {line} of the national diagnosis index does not read: {what}"),
    )
}

impl National {
    /// Reads the index text (see the module's documentation). A wrong or damaged file is a
    /// `bad_diagnosis_index` problem naming the line.
    pub fn parse(text: &str) -> Result<National, Problem> {
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        if lines.next().map(|(_, l)| l) != Some(HEADER) {
            return Err(bad(1, "not a yibao diagnosis index"));
        }
        // Every table arrives sorted (the generator sorts; this checks): no sort is compiled into
        // the browser's module, where each one costs kilobytes.
        let mut sounds: Vec<(char, &str)> = Vec::new();
        let mut nat = National {
            entries: Vec::new(),
            map: Vec::new(),
            aliases: Vec::new(),
            groups: Vec::new(),
        };
        let mut section = "";
        let mut raw_aliases = Vec::new();
        for (n, line) in lines {
            if let Some(s) = line.strip_prefix('#') {
                section = s;
                if s == "list" && !sounds.is_sorted_by(|a, b| a.0 < b.0) {
                    return Err(bad(n, "the readings are not sorted"));
                }
                continue;
            }
            let mut f = line.split(' ');
            let (Some(a), Some(b)) = (f.next(), f.next()) else {
                return Err(bad(n, "expected two fields"));
            };
            match section {
                "pinyin" => {
                    let mut c = a.chars();
                    let (Some(ch), None) = (c.next(), c.next()) else {
                        return Err(bad(n, "expected one character"));
                    };
                    sounds.push((ch, b));
                }
                "list" => {
                    let (py, ini) = spell(b, &sounds);
                    nat.entries.push(Entry {
                        code: a.into(),
                        name: b.into(),
                        py,
                        ini,
                    })
                }
                "map" => raw_aliases.push((n, true, a, b)),
                "alias" => raw_aliases.push((n, false, a, b)),
                "group" => nat.groups.push(Group {
                    prefix: a.into(),
                    code: b.into(),
                    name: f.next().unwrap_or_default().into(),
                }),
                _ => return Err(bad(n, "outside a section")),
            }
        }
        if nat.entries.is_empty() || !nat.entries.is_sorted_by(|a, b| a.code < b.code) {
            return Err(bad(1, "the list is empty or not sorted by code"));
        }
        for (n, is_map, a, b) in raw_aliases {
            let entry = nat
                .head(b)
                .ok_or_else(|| bad(n, &format!("{b} is not a code of the list")))?;
            if is_map {
                nat.map.push((a.into(), entry));
            } else {
                let (py, ini) = spell(a, &sounds);
                nat.aliases.push(Alias {
                    word: a.into(),
                    code: b.into(),
                    py,
                    ini,
                    entry,
                });
            }
        }
        if !nat.map.is_sorted_by(|a, b| a.0 <= b.0) {
            return Err(bad(1, "the map is not sorted"));
        }
        Ok(nat)
    }

    /// Number of diagnoses in the list.
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// Number of everyday words.
    pub fn aliases(&self) -> usize {
        self.aliases.len()
    }

    /// Entries whose code starts with `prefix` (a range of the sorted list).
    fn prefixed(&self, prefix: &str) -> std::ops::Range<usize> {
        let lo = self.entries.partition_point(|e| &*e.code < prefix);
        let hi = lo + self.entries[lo..].partition_point(|e| e.code.starts_with(prefix));
        lo..hi
    }

    /// The entry a code or code head stands for: the code itself; else, of the codes under the
    /// head, its unspecified code (`C34` → `C34.900`, `I64` → `I64.x00`), or the shortest.
    fn head(&self, code: &str) -> Option<u32> {
        let code = &*norm_code(code);
        let r = self.prefixed(code);
        // Under the head: what `icd_matches` says, or the code itself with a dagger-asterisk
        // pair (`E14.500x011` → `E14.500x011+I79.2*`).
        let rest = |i: usize| &self.entries[i].code[code.len()..];
        let under = || {
            r.clone().filter(move |&i| {
                icd_matches(code, &self.entries[i].code) || rest(i).starts_with('+')
            })
        };
        let own = under().find(|&i| {
            let rest = rest(i);
            rest.is_empty() || rest.starts_with('+') || [".900", ".x00", "00", "0"].contains(&rest)
        });
        own.or_else(|| under().min_by_key(|&i| self.entries[i].code.len()))
            .map(|i| i as u32)
    }

    fn exact(&self, code: &str) -> Option<usize> {
        self.entries.binary_search_by(|e| (*e.code).cmp(code)).ok()
    }

    /// The 医保版 code and name a code stands for (its own, or through the 国临版 map).
    pub fn resolve_code(&self, code: &str) -> Option<(&str, &str)> {
        let c = norm_code(code);
        let i = self
            .exact(&c)
            .or_else(|| self.mapped(&c).map(|i| i as usize))?;
        Some((&self.entries[i].code, &self.entries[i].name))
    }

    fn mapped(&self, code: &str) -> Option<u32> {
        let m = &self.map;
        m.binary_search_by(|(f, _)| (**f).cmp(code))
            .ok()
            .map(|i| m[i].1)
    }

    fn group(&self, code: &str) -> Option<PrimaryGroup> {
        self.groups
            .iter()
            .find(|g| icd_matches(&g.prefix, code))
            .map(|g| PrimaryGroup {
                code: g.code.to_string(),
                name: g.name.to_string(),
            })
    }
}

/// A code as the list writes it: upper case, but the extension's `x` lower case
/// (`i21.900X001` → `I21.900x001`; an `X` that starts a code, `X45`, stays).
pub fn norm_code(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for c in code.trim().chars() {
        let start = out.is_empty() || out.ends_with('+');
        out.push(if start {
            c.to_ascii_uppercase()
        } else if c == 'x' || c == 'X' {
            'x'
        } else {
            c.to_ascii_uppercase()
        });
    }
    out
}

/// Full pinyin and initials of a name or word: each character under its reading; ASCII letters
/// and digits kept (lower case); other characters (punctuation, brackets) left out.
fn spell(text: &str, sounds: &[(char, &str)]) -> (Box<str>, Box<str>) {
    let (mut py, mut ini) = (String::new(), String::new());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            py.push(c.to_ascii_lowercase());
            ini.push(c.to_ascii_lowercase());
        } else if let Ok(i) = sounds.binary_search_by(|s| s.0.cmp(&c)) {
            let s = sounds[i].1;
            py.push_str(s);
            ini.push_str(&s[..1]);
        }
    }
    (py.into(), ini.into())
}

/// Whether `a` is at most one edit from `b` (a character added, removed or changed, or two
/// neighbours swapped). Our own: strsim computes the whole distance with a table, and this runs
/// on tens of thousands of names in one keystroke; with at most one edit allowed, stripping the
/// common head and tail leaves at most one character on each side (or a swapped pair).
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let head = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let head = if b.is_char_boundary(head) { head } else { 0 };
    let (a, b) = (&a[head..], &b[head..]);
    let tail = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum::<usize>();
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    let (na, nb) = (a.chars().count(), b.chars().count());
    if na <= 1 && nb <= 1 {
        return true;
    }
    let mut x = a.chars();
    let mut y = b.chars().rev();
    na == 2 && nb == 2 && x.next() == y.next() && x.next() == y.next()
}

/// Whether `q` is one edit from the start of `target` (a prefix of `q`'s length, one shorter or
/// one longer), for a typo while typing.
fn typo_start(q: &str, n: usize, target: &str) -> bool {
    // Short texts are compared with whole words only: two characters with one changed would
    // match the start of half the list.
    let prefixes = if q.is_ascii() { n >= 5 } else { n >= 3 };
    // Pinyin is ASCII: a character is a byte, no counting or decoding (this runs on every name
    // of the national list when a keystroke matches nothing exactly).
    if q.is_ascii() && target.is_ascii() {
        let t = target.as_bytes();
        return (n.saturating_sub(1).max(1)..=n + 1).any(|k| {
            (k == t.len() || (prefixes && k < t.len()))
                && could_be_one_edit(q.as_bytes(), &t[..k])
                && within_one_edit(q, &target[..k])
        });
    }
    let len = target.chars().count();
    (n.saturating_sub(1).max(1)..=n + 1).any(|k| {
        (k == len || (prefixes && k < len))
            && within_one_edit(
                q,
                target
                    .char_indices()
                    .nth(k)
                    .map_or(target, |(i, _)| &target[..i]),
            )
    })
}

/// A quick necessary condition for [`within_one_edit`] on bytes: one edit (a change, an insertion
/// or a removal at the start, a swap of the first two, or anything later) leaves one of the first
/// two bytes of each facing one of the other's.
fn could_be_one_edit(a: &[u8], b: &[u8]) -> bool {
    match (a, b) {
        ([a0, a1, ..], [b0, b1, ..]) => a0 == b0 || a1 == b1 || a0 == b1 || a1 == b0,
        _ => true,
    }
}

fn found(kind: MatchKind) -> Found {
    match kind {
        MatchKind::ExactCode => Found::ExactCode,
        MatchKind::CodePrefix => Found::CodePrefix,
        MatchKind::NameStart => Found::NameStart,
        MatchKind::PinyinStart => Found::PinyinStart,
        MatchKind::Name => Found::Name,
        MatchKind::Pinyin => Found::Pinyin,
        MatchKind::English => Found::English,
    }
}

struct Query<'a> {
    q: &'a str,
    n: usize,
    upper: String,
    lower: String,
    code_like: bool,
}

impl Query<'_> {
    /// How an everyday word matches the text, if it does.
    fn alias(&self, a: &Alias) -> Option<Found> {
        let l = self.lower.as_str();
        if *a.word == *self.q || (l.len() >= 2 && (*a.py == *l || *a.ini == *l)) {
            Some(Found::Alias)
        } else if a.word.starts_with(self.q)
            || (l.len() >= 2 && l.is_ascii() && (a.py.starts_with(l) || a.ini.starts_with(l)))
        {
            Some(Found::AliasStart)
        } else {
            None
        }
    }
    fn alias_typo(&self, a: &Alias) -> bool {
        (self.n >= 2 && !self.q.is_ascii() && typo_start(self.q, self.n, &a.word))
            || (self.n >= 4 && self.lower.is_ascii() && typo_start(&self.lower, self.n, &a.py))
    }
    fn entry(&self, e: &Entry) -> Option<Found> {
        let l = self.lower.as_str();
        let ascii = l.is_ascii() && l.len() >= 2;
        Some(if self.code_like && *e.code == *self.upper {
            Found::ExactCode
        } else if self.code_like && e.code.starts_with(&self.upper) {
            Found::CodePrefix
        } else if *e.name == *self.q {
            Found::ExactName
        } else if e.name.starts_with(self.q) {
            Found::NameStart
        } else if ascii && (e.ini.starts_with(l) || e.py.starts_with(l)) {
            Found::PinyinStart
        } else if e.name.contains(self.q) {
            Found::Name
        } else if ascii && (e.ini.contains(l) || (l.len() >= 3 && e.py.contains(l))) {
            Found::Pinyin
        } else {
            return None;
        })
    }
    fn entry_typo(&self, e: &Entry) -> bool {
        if self.q.is_ascii() {
            self.n >= 4 && typo_start(&self.lower, self.n, &e.py)
        } else {
            self.n >= 2 && typo_start(self.q, self.n, &e.name)
        }
    }
}

/// Best first: the county catalogue's rows (by how they matched), then the national list's (by
/// how they matched, then the shorter name, then the code). A national entry a catalogue row
/// already shows under the same name is left out. One typo is tolerated when nothing matches
/// exactly. `national` is `None` until the index is loaded (the catalogue alone is searched).
pub fn search(
    p: &Policy,
    national: Option<&National>,
    query: &str,
    limit: usize,
) -> Vec<DiagnosisHit> {
    let q = query.trim();
    if q.is_empty() || limit == 0 {
        return vec![];
    }
    let upper = norm_code(q);
    let b = upper.as_bytes();
    let lower = q.to_ascii_lowercase();
    let query = Query {
        q,
        n: q.chars().count(),
        code_like: b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1].is_ascii_digit(),
        lower,
        upper,
    };
    let mut hits = gather(p, national, &query, false);
    if hits.is_empty() {
        hits = gather(p, national, &query, true);
    }
    hits.truncate(limit);
    hits
}

fn gather(p: &Policy, nat: Option<&National>, q: &Query, typo: bool) -> Vec<DiagnosisHit> {
    let listed = |code: &str| match &p.catalogue {
        None => (Listed::NoCatalogue, None),
        Some(_) => match p.disease(code) {
            Some(d) => (Listed::Catalogue, Some(d.clone())),
            None => (Listed::NotListed, None),
        },
    };
    let group = |code: &str| nat.and_then(|n| n.group(code));
    // The codes the text stands for: everyday words and a 国临版 code.
    let mut via: Vec<(Found, &str, &str, u32)> = Vec::new();
    if let Some(n) = nat {
        for a in &n.aliases {
            let kind = if typo {
                q.alias_typo(a).then_some(Found::Typo)
            } else {
                q.alias(a)
            };
            if let Some(k) = kind {
                via.push((k, &a.word, &a.code, a.entry));
            }
        }
        if q.code_like && !typo && n.exact(&q.upper).is_none() {
            if let Some(i) = n.mapped(&q.upper) {
                let code = &*n.entries[i as usize].code;
                via.push((Found::MappedCode, q.q, code, i));
            }
        }
    }
    let mut rows: Vec<(Found, DiagnosisHit)> = Vec::new();
    if let Some(cat) = &p.catalogue {
        let direct = if typo {
            cat.diseases
                .iter()
                .filter(|d| {
                    q.n >= 2
                        && if q.q.is_ascii() {
                            q.n >= 3 && within_one_edit(&q.lower, &d.pinyin)
                        } else {
                            typo_start(q.q, q.n, &d.name_zh)
                        }
                })
                .map(|d| (Found::Typo, d.clone()))
                .collect()
        } else {
            catalogue::search(p, q.q, usize::MAX)
                .into_iter()
                .map(|h| (found(h.matched), h.disease))
                .collect::<Vec<_>>()
        };
        let mut cat_rows: Vec<(Found, Option<&str>, &Disease)> = Vec::new();
        for d in &cat.diseases {
            let by_word = via
                .iter()
                .filter(|v| icd_matches(&d.code, v.2) || icd_matches(v.2, &d.code))
                .min_by_key(|v| v.0);
            let own = direct.iter().find(|x| x.1.code == d.code).map(|x| x.0);
            match (own, by_word) {
                (Some(k), w) if w.is_none_or(|w| k <= w.0) => cat_rows.push((k, None, d)),
                (_, Some(w)) => cat_rows.push((w.0, Some(w.1), d)),
                _ => {}
            }
        }
        // By how they matched, then the shorter pinyin, then the catalogue's order: one key a row,
        // sorted as integers (each sort of another type costs the browser's module kilobytes).
        let mut keys: Vec<u64> = cat_rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (r.0 as u64) << 56 | (r.2.pinyin.len().min(0xff_ffff) as u64) << 32 | i as u64
            })
            .collect();
        keys.sort_unstable();
        rows.extend(keys.iter().map(|&key| {
            let (k, w, d) = cat_rows[key as u32 as usize];
            (
                k,
                DiagnosisHit {
                    code: d.code.clone(),
                    name_zh: d.name_zh.clone(),
                    name_en: d.name_en.clone(),
                    matched: k,
                    via: w.map(str::to_string),
                    listed: Listed::Catalogue,
                    disease: Some(d.clone()),
                    national: false,
                    primary_group: group(&d.code),
                },
            )
        }));
    }
    let Some(n) = nat else {
        return rows.into_iter().map(|r| r.1).collect();
    };
    let county = rows.len();
    let mut best: Vec<(Found, Option<&str>, u32)> = Vec::new();
    for v in &via {
        best.push((v.0, Some(v.1), v.3));
    }
    let scan = if q.code_like && !typo {
        // A code: only the entries under it (the list is sorted).
        n.prefixed(&q.upper)
    } else {
        0..n.entries.len()
    };
    for i in scan {
        let e = &n.entries[i];
        let kind = if typo {
            q.entry_typo(e).then_some(Found::Typo)
        } else {
            q.entry(e)
        };
        if let Some(k) = kind {
            best.push((k, None, i as u32));
        }
    }
    // Each entry once, by its best match (an everyday word before the same kind found otherwise).
    best.sort_unstable_by(|a, b| {
        a.2.cmp(&b.2)
            .then(a.0.cmp(&b.0))
            .then(a.1.is_none().cmp(&b.1.is_none()))
    });
    best.dedup_by_key(|b| b.2);
    let name_len = |i: u32| n.entries[i as usize].name.len();
    best.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then(name_len(a.2).cmp(&name_len(b.2)))
            .then(a.2.cmp(&b.2))
    });
    for (k, w, i) in best {
        let e = &n.entries[i as usize];
        let (listed, disease) = listed(&e.code);
        if rows[..county]
            .iter()
            .any(|r| r.1.name_zh == *e.name && disease.as_ref() == r.1.disease.as_ref())
        {
            continue;
        }
        rows.push((
            k,
            DiagnosisHit {
                code: e.code.to_string(),
                name_zh: e.name.to_string(),
                name_en: String::new(),
                matched: k,
                via: w.map(str::to_string),
                listed,
                disease,
                national: true,
                primary_group: group(&e.code),
            },
        ));
        // Enough for any screen: the caller truncates.
        if rows.len() >= county + 200 {
            break;
        }
    }
    rows.into_iter().map(|r| r.1).collect()
}

/// The code a front end puts in a case for the text: the best hit's (the catalogue's own code
/// when a catalogue row matches). `None` when nothing matches.
pub fn resolve(p: &Policy, national: Option<&National>, query: &str) -> Option<DiagnosisHit> {
    search(p, national, query, 1).into_iter().next()
}

#[cfg(test)]
mod tests {
    /// The quick filter never turns away what the full check accepts: every single edit of a
    /// few pinyin words (a change, an insertion, a removal, a swap of neighbours) passes both.
    #[test]
    fn the_quick_filter_keeps_every_one_edit_variant() {
        let mut n = 0;
        for w in ["xinjigengsi", "jxxjgs", "feiyan", "ab", "dannangjieshi"] {
            let b = w.as_bytes();
            let mut variants: Vec<Vec<u8>> = vec![b.to_vec()];
            for i in 0..=b.len() {
                let mut ins = b.to_vec();
                ins.insert(i, b'x');
                variants.push(ins);
                if i < b.len() {
                    let (mut sub, mut del) = (b.to_vec(), b.to_vec());
                    sub[i] = b'q';
                    del.remove(i);
                    variants.push(sub);
                    variants.push(del);
                }
                if i + 1 < b.len() {
                    let mut swap = b.to_vec();
                    swap.swap(i, i + 1);
                    variants.push(swap);
                }
            }
            for v in &variants {
                let v = std::str::from_utf8(v).unwrap();
                assert!(super::within_one_edit(w, v), "{w} ~ {v}");
                assert!(
                    super::could_be_one_edit(w.as_bytes(), v.as_bytes()),
                    "{w} ~ {v}"
                );
                n += 1;
            }
        }
        assert!(n > 100, "{n} variants");
        // And it does turn away what is far.
        assert!(!super::could_be_one_edit(b"xinji", b"feiya"));
    }

    use super::within_one_edit;

    #[test]
    fn one_edit() {
        for (a, b, ok) in [
            ("xingeng", "xingeng", true),
            ("xinegng", "xingeng", true),
            ("xingng", "xingeng", true),
            ("xinggeng", "xingeng", true),
            ("xingang", "xingeng", true),
            ("xgneng", "xingeng", false),
            ("心埂", "心梗", true),
            ("心", "心梗", true),
            ("梗心", "心梗", true),
            ("胆结实", "胆结石", true),
            ("胆石结", "胆结石", true),
            ("肝硬化", "胆结石", false),
            ("", "a", true),
            ("", "ab", false),
        ] {
            assert_eq!(within_one_edit(a, b), ok, "{a} / {b}");
            assert_eq!(within_one_edit(b, a), ok, "{b} / {a}");
        }
    }
}
