//! Bilingual problems. Every rejection names where it happened (file, line, key path), says what
//! is wrong in Chinese and in English, and carries a [`Code`] from one documented list that the
//! CLI, the npm package and the widget all report.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Declares [`Code`] once: each variant with its documentation and its stable snake_case name.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $name:ident = $text:literal, )*) => {
        /// What went wrong, as a stable machine code (serialized as its snake_case name, e.g.
        /// `negative_amount`). The same bad input gets the same code in every front end.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
        pub enum Code {
            $( $(#[doc = $doc])+ $name, )*
        }

        impl Code {
            /// Every code, in the order documented here.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The code's stable name, e.g. `"negative_amount"`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $text,)*
                }
            }
        }
    };
}

codes! {
    // --- reading an input (TOML, JSON, a JS value) ---
    /// The text is not valid TOML (the message gives the line).
    InvalidToml = "invalid_toml",
    /// The text is not valid JSON (the message gives the line and column).
    InvalidJson = "invalid_json",
    /// A key the schema does not have: a typo or an unsupported setting. Every one is reported.
    UnknownKey = "unknown_key",
    /// A required key is absent.
    MissingField = "missing_field",
    /// A key is given twice.
    DuplicateKey = "duplicate_key",
    /// A whole argument of an API call is absent (`undefined` or `null`).
    MissingArgument = "missing_argument",
    /// A value of the wrong kind: a number where text belongs, an object where a list belongs …
    InvalidType = "invalid_type",
    /// A value of the right kind but not one of those allowed (an unknown option name, a count
    /// out of range, a list of the wrong length).
    InvalidValue = "invalid_value",
    /// An amount below zero.
    NegativeAmount = "negative_amount",
    /// An amount above one trillion yuan (far above any bill; far below where exact decimals overflow).
    AmountTooLarge = "amount_too_large",
    /// A fractional number given as a binary float (a JS or JSON number such as `0.1`): it is not
    /// exact, so amounts with decimals must be strings such as `"1234.56"`.
    NotExact = "not_exact",
    /// `NaN` or an infinity where a number belongs.
    NotFinite = "not_finite",
    /// Text that is not a decimal number where one belongs (a comma anywhere but between groups
    /// of three integer digits included).
    InvalidNumber = "invalid_number",
    /// An amount with parts of a fen (`0.001`) where a settlement's amount belongs.
    FinerThanFen = "finer_than_fen",
    /// A row whose number of cells differs from the header's.
    CellCount = "cell_count",
    /// A quoted cell that runs over several lines (a stray quote swallows the rows after it).
    QuoteRunsOn = "quote_runs_on",
    /// A file with no row that could be read.
    NoReadableRow = "no_readable_row",
    /// A line of a claims file far longer than any claim (a megabyte): reading stops there.
    LineTooLong = "line_too_long",
    /// A rate outside 0–100%, or not written as `"80%"` / `"0.8"`.
    InvalidRate = "invalid_rate",
    /// Not a calendar date `YYYY-MM-DD`.
    InvalidDate = "invalid_date",
    /// A policy given as TOML to a browser build, which reads JSON only (`yibao export` converts).
    TomlNotSupported = "toml_not_supported",
    /// An object that is neither a policy nor an exported `{ policy, sha256 }`.
    NotAPolicy = "not_a_policy",
    /// No shipped or loaded policy has this id or handle; or the policy a cases file checks
    /// (named by its `policy` key, or the file beside it) is not found.
    UnknownPolicy = "unknown_policy",

    // --- the browser: loading the engine and a host's policy (the widget's `yibao.js`) ---
    /// A policy file a URL names could not be fetched: an HTTP status other than 2xx (the
    /// message gives the status and the URL), or no answer at all (offline, a wrong host).
    PolicyUnavailable = "policy_unavailable",
    /// The widget's own files (its engine) could not be loaded: an HTTP status other than 2xx, or
    /// no answer (the message gives the status and the URL).
    EngineUnavailable = "engine_unavailable",
    /// The host page's Content-Security-Policy stops the widget: `script-src` without
    /// `'wasm-unsafe-eval'` (WebAssembly may not be compiled), or `connect-src` without the
    /// origin of the widget's files or of a policy URL. The message names the directive needed.
    BlockedByCsp = "blocked_by_csp",
    /// A file on another origin (the engine, or a policy URL) was refused by the browser because
    /// that server's answer lacks `Access-Control-Allow-Origin` for the host page's origin (CORS).
    BlockedByCors = "blocked_by_cors",
    /// The browser has no WebAssembly, or lacks a WebAssembly feature the engine is built with
    /// (the message names it): an old WebView.
    WasmUnsupported = "wasm_unsupported",

    // --- files (the CLI) ---
    /// The file does not exist.
    FileNotFound = "file_not_found",
    /// The file is not UTF-8 text.
    NotUtf8 = "not_utf8",
    /// The file exists but cannot be read (permissions, a directory …).
    UnreadableFile = "unreadable_file",
    /// A directory holds no file of the kind asked for.
    NoFiles = "no_files",
    /// A directory was expected.
    NotADirectory = "not_a_directory",

    // --- a policy's meaning (`validate`) ---
    /// A clause cites a source id not listed in `[[sources]]`.
    UnknownSource = "unknown_source",
    /// A citation names no clause.
    EmptyClause = "empty_clause",
    /// A parameter group has no citation.
    Uncited = "uncited",
    /// Two entries share an id.
    DuplicateId = "duplicate_id",
    /// A level id that the policy's `[[levels]]` does not list.
    UnknownLevel = "unknown_level",
    /// A category id that the policy's `[[categories]]` does not list.
    UnknownCategory = "unknown_category",
    /// A warning, not an error: a rule most policies of the scheme have (职工大额, 大病保险,
    /// 医疗救助, 先行自付) is neither encoded nor listed in `[[not_encoded]]`.
    UnstatedOmission = "unstated_omission",
    /// A level has no 起付线.
    LevelWithoutDeductible = "level_without_deductible",
    /// A level has no 统筹 ratio.
    LevelWithoutRatio = "level_without_ratio",
    /// A level has both a flat and a tiered ratio.
    RatioTwice = "ratio_twice",
    /// A rule sets none, or more than one, of alternatives that exclude each other (an
    /// nth-admission rule's `factor` / `amount` / `step_down`; a route's annual and per-visit
    /// deductible).
    OneOf = "one_of",
    /// A list that must name something is empty (an override for nobody, filing terms for no kind).
    EmptyList = "empty_list",
    /// A schedule has no tiers.
    NoTiers = "no_tiers",
    /// Tier bounds do not rise.
    TiersNotOrdered = "tiers_not_ordered",
    /// An open tier (no `up_to`) that is not the last one.
    OpenTierNotLast = "open_tier_not_last",
    /// The last tier has an `up_to`: nothing would be paid above it, silently. An open last tier
    /// (with `rate = "0%"` if really nothing is paid above) says so.
    ClosedLastTier = "closed_last_tier",
    /// A cap is zero.
    ZeroCap = "zero_cap",
    /// A level's typical stay (`levels[].typical_stay.up_to`) is zero.
    ZeroTypicalStay = "zero_typical_stay",
    /// A cap lies below its layer's threshold.
    CapBelowThreshold = "cap_below_threshold",
    /// A floor lies above its ceiling.
    FloorAboveCeiling = "floor_above_ceiling",
    /// An admission number below 2 for a 2nd/3rd-admission rule (below 1 for a rule by disease).
    BadAdmissionNumber = "bad_admission_number",
    /// A typical cost mix whose out-of-scope and paid-first shares add up to more than 100%.
    MixOver100 = "mix_over_100",
    /// A typical cost mix whose low / typical / high are not in order.
    MixNotOrdered = "mix_not_ordered",
    /// A fixed route that the fund pays nothing of.
    FixedWithoutFund = "fixed_without_fund",
    /// A route that needs a disease list has none.
    RouteWithoutDiseases = "route_without_diseases",
    /// An outpatient route shares the inpatient annual cap of a policy that has none.
    SharedCapMissing = "shared_cap_missing",
    /// An automatic route with no diseases to recognise.
    AutomaticWithoutDiseases = "automatic_without_diseases",
    /// A transfer-down rule that watches fewer days than it needs.
    TooFewDays = "too_few_days",
    /// Pinyin initials that are not lower-case letters.
    BadPinyin = "bad_pinyin",
    /// A disease code that is not ICD-10.
    BadIcd10 = "bad_icd10",
    /// The national diagnosis index (`diagnoses.idx`) does not read: a wrong file or a damaged copy.
    BadDiagnosisIndex = "bad_diagnosis_index",
    /// `effective_to` lies before `effective_from`.
    PeriodReversed = "period_reversed",
    /// Two policies of the same region and scheme overlap in time.
    OverlappingPeriods = "overlapping_periods",

    // --- a case (what the user says about a visit) ---
    /// A case with neither a total nor line items.
    MissingBill = "missing_bill",
    /// A case with both a total and line items.
    BillTwice = "bill_twice",
    /// A bill of zero.
    ZeroCost = "zero_cost",
    /// The in-scope amount exceeds the bill.
    InScopeAboveTotal = "in_scope_above_total",
    /// A known payment (`known.*`) exceeds what it could pay: the in-scope amount (all of them
    /// together), or what is still owed when it is applied after the payments before it.
    KnownAboveScope = "known_above_scope",
    /// A known payment the estimate cannot take as entered: a basic-fund payment on a
    /// fixed-amount or outpatient route (which compute their own), or any fund payment for a
    /// visit the policy does not reimburse under the referral facts given.
    KnownNotApplicable = "known_not_applicable",
    /// The visit's date lies outside the policy's effective period.
    DateOutsidePolicy = "date_outside_policy",
    /// A disease the catalogue does not know.
    UnknownDisease = "unknown_disease",
    /// A fixed or outpatient route the policy does not have.
    UnknownRoute = "unknown_route",
    /// The route is not offered at this level.
    RouteNotAtLevel = "route_not_at_level",
    /// The disease is not on the route's list.
    DiseaseNotOnRoute = "disease_not_on_route",
    /// The policy has no outpatient route for this visit.
    NoOutpatientRoute = "no_outpatient_route",
    /// The policy gives no 统筹 ratio for this level.
    NoRatioForLevel = "no_ratio_for_level",
    /// A prescription longer than the policy allows (慢病长处方).
    PrescriptionTooLong = "prescription_too_long",

    /// A bug in yibao, not in the input: please report it.
    Internal = "internal",
}

impl Code {
    /// The code with this name.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Code::from_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown problem code {name:?}")))
    }
}

/// One step of a problem's key path: a key or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A key path as problems write it (`inpatient.ratio.rates.county`, `layers[0].tiers[1].up_to`),
/// in steps: the one reading of that syntax, for the TOML reader's line numbers and the office's
/// form. A bracket that holds no index is passed over.
pub fn segments(path: &str) -> Vec<Seg> {
    let mut out = vec![];
    for part in path.split('.').filter(|s| !s.is_empty()) {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push(Seg::Key(name.to_string()));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                out.push(Seg::Index(i));
            }
            rest = &rest[end + 1..];
        }
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Problem {
    /// Stable machine code, e.g. `unknown_key`, `negative_amount`.
    pub code: Code,
    /// Key path inside the input, e.g. `inpatient.ratio.rates.county`.
    #[serde(default)]
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message_zh: String,
    pub message_en: String,
}

/// Separates the parts of a [`Fault`] inside serde's text-only error.
const FAULT_MARK: char = '\u{1e}';

/// A problem found inside a value's own `Deserialize` (an amount, a rate, a date). Serde errors
/// carry only text, so the fault travels packed — code, neutral value, Chinese, English — and
/// `input` unpacks it: the code crosses verbatim and is never inferred from the wording.
pub struct Fault {
    pub code: Code,
    pub zh: String,
    pub en: String,
    /// A text the same type accepts and that stands for "nothing" (`"0"`, `"0%"`, a date), put
    /// in the faulted value's place so that reading can go on and find the next problem.
    pub neutral: Option<String>,
}

impl Fault {
    pub fn new(code: Code, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Fault {
            code,
            zh: zh.into(),
            en: en.into(),
            neutral: None,
        }
    }

    /// The fault, with the text that may stand in for the faulted value.
    pub fn neutral(mut self, text: &str) -> Self {
        self.neutral = Some(text.to_string());
        self
    }

    /// The fault as the error of whatever deserializer is reading.
    pub fn into_de<E: serde::de::Error>(self) -> E {
        E::custom(format_args!(
            "{FAULT_MARK}{}{FAULT_MARK}{}{FAULT_MARK}{}{FAULT_MARK}{}",
            self.code.as_str(),
            self.neutral.as_deref().unwrap_or(""),
            self.zh,
            self.en
        ))
    }

    /// The fault packed into `msg` by [`Fault::into_de`], if it is one.
    pub fn unpack(msg: &str) -> Option<Fault> {
        let mut parts = msg.strip_prefix(FAULT_MARK)?.splitn(4, FAULT_MARK);
        let code = Code::from_name(parts.next()?)?;
        let neutral = parts.next()?;
        let mut f = Fault::new(code, parts.next()?, parts.next()?);
        if !neutral.is_empty() {
            f.neutral = Some(neutral.to_string());
        }
        Some(f)
    }
}

impl Problem {
    pub fn new(
        code: Code,
        path: impl Into<String>,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Problem {
            code,
            path: path.into(),
            file: None,
            line: None,
            message_zh: zh.into(),
            message_en: en.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut at = String::new();
        if let Some(file) = &self.file {
            at.push_str(file);
            if let Some(l) = self.line {
                at.push_str(&format!(":{l}"));
            }
            at.push_str(": ");
        }
        if !self.path.is_empty() {
            at.push_str(&format!("[{}] ", self.path));
        }
        write!(f, "{at}{} / {}", self.message_zh, self.message_en)
    }
}

/// One or more problems, reported together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
pub struct Problems(pub Vec<Problem>);

impl From<Problem> for Problems {
    fn from(p: Problem) -> Self {
        Problems(vec![p])
    }
}

impl Problems {
    pub fn in_file(mut self, file: &str) -> Self {
        for p in &mut self.0 {
            p.file.get_or_insert_with(|| file.to_string());
        }
        self
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// A value the user wrote, quoted for a message: `"12,5x"` (as `Debug` quotes a string).
pub fn quoted(s: &str) -> String {
    match prefix(s) {
        p if p.len() < s.len() => format!("{p:?}…"),
        _ => format!("{s:?}"),
    }
}

/// At most the first 40 characters of the user's text: a message must not carry a whole 50 MB
/// cell (`quoted` adds "…" when it cut).
pub fn prefix(s: &str) -> &str {
    const MAX: usize = 40;
    s.char_indices().nth(MAX).map_or(s, |(end, _)| &s[..end])
}

/// What a value was, in Chinese and in English, for "invalid type" messages: `文本 "70"` /
/// `string "70"`. The user's own text is quoted, so each half stays in its language.
pub fn unexpected_words(u: &serde::de::Unexpected) -> (String, String) {
    use serde::de::Unexpected as U;
    match *u {
        U::Bool(b) => (format!("布尔值 \"{b}\""), format!("boolean `{b}`")),
        U::Unsigned(n) => (format!("整数 {n}"), format!("integer `{n}`")),
        U::Signed(n) => (format!("整数 {n}"), format!("integer `{n}`")),
        U::Float(_) => ("带小数的数字".into(), "a fractional number".into()),
        U::Char(c) => {
            let q = quoted(&c.to_string());
            (format!("字符 {q}"), format!("character {q}"))
        }
        U::Str(s) => {
            let q = quoted(s);
            (format!("文本 {q}"), format!("string {q}"))
        }
        U::Bytes(_) => ("字节串".into(), "bytes".into()),
        U::Unit | U::Option => ("空值".into(), "null".into()),
        U::Seq => ("列表".into(), "a list".into()),
        U::Map => ("表(对象)".into(), "a table (object)".into()),
        U::Other(what) => ("其他类型的值".into(), what.into()),
        _ => ("其他类型的值".into(), u.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_has_its_own_name_and_reads_back() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len(), "two codes share a name");
        for &c in Code::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{c}\""));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), c);
            assert!(c
                .as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
        }
        assert!(Code::from_name("no_such_code").is_none());
    }

    #[test]
    fn a_fault_crosses_serde_with_its_code_and_words() {
        let e: serde_json::Error =
            Fault::new(Code::NegativeAmount, "金额不能为负数", "negative").into_de();
        let back = Fault::unpack(&e.to_string()).expect("a packed fault");
        assert_eq!(back.code, Code::NegativeAmount);
        assert_eq!(
            (back.zh.as_str(), back.en.as_str()),
            ("金额不能为负数", "negative")
        );
        assert_eq!(back.neutral, None);
        let e: serde_json::Error = Fault::new(Code::InvalidRate, "比例", "rate")
            .neutral("0%")
            .into_de();
        let back = Fault::unpack(&e.to_string()).expect("a packed fault");
        assert_eq!(back.neutral.as_deref(), Some("0%"));
        assert_eq!((back.zh.as_str(), back.en.as_str()), ("比例", "rate"));
        assert!(Fault::unpack("missing field `level`").is_none());
    }

    #[test]
    fn a_key_path_reads_as_keys_and_indices() {
        use Seg::{Index, Key};
        let k = |s: &str| Key(s.to_string());
        assert_eq!(
            segments("layers[0].tiers[12].up_to"),
            [k("layers"), Index(0), k("tiers"), Index(12), k("up_to")]
        );
        assert_eq!(segments("grid[1][2]"), [k("grid"), Index(1), Index(2)]);
        assert_eq!(segments("a..b[x]"), [k("a"), k("b")]);
        assert!(segments("").is_empty());
    }
}
