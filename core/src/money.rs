//! Money and rates as exact decimals. No binary floating point touches an amount.

use crate::error::{Code, Fault};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An amount in yuan. Parsed from strings (or integers) so no float ever rounds it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct Money(pub Decimal);

/// A proportion in 0..=1. Written in policies as `"80%"` or `"0.8"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct Rate(pub Decimal);

/// A ratio as the settlement slip writes it (`setlinfo`'s 数值型 5,4): in 0..=1, always four
/// decimals, written `"0.8500"` (not a policy's `"85%"`: that is a [`Rate`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct Ratio(pub Decimal);

impl Ratio {
    pub const ZERO: Ratio = Ratio(Decimal::ZERO);
    /// `part ÷ whole`, at most 1, rounded half away from zero (四舍五入) to four decimals; 0 when
    /// `whole` is 0.
    pub fn of(part: Money, whole: Money) -> Ratio {
        if whole.0 <= Decimal::ZERO {
            return Ratio::ZERO;
        }
        Ratio::new((part.0 / whole.0).clamp(Decimal::ZERO, Decimal::ONE))
    }
    /// `d` to four decimals (四舍五入), keeping the slip's scale of four.
    pub fn new(d: Decimal) -> Ratio {
        let mut r = d.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
        r.rescale(4);
        Ratio(r)
    }
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);
    /// The largest amount accepted as input (one trillion yuan): far above any bill, far below
    /// where sums of many items could overflow the decimal.
    pub const MAX_INPUT: Money = Money(Decimal::from_parts(3_567_587_328, 232, 0, false, 0));
    pub fn new(d: Decimal) -> Self {
        Money(d)
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        parse_decimal(s).map(Money)
    }
    pub fn min(self, o: Money) -> Money {
        Money(self.0.min(o.0))
    }
    pub fn max(self, o: Money) -> Money {
        Money(self.0.max(o.0))
    }
    /// `self - o`, never below zero.
    pub fn sat_sub(self, o: Money) -> Money {
        (self - o).max(Money::ZERO)
    }
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }
    /// The amount as a whole number of `1/per_yuan` yuan (`100`: fen), when it is one and fits
    /// an `i64` (the integer forms of a replay: `claims::Keys`, `replay::compiled`).
    pub fn whole(self, per_yuan: i64) -> Option<i64> {
        use rust_decimal::prelude::ToPrimitive;
        let v = self.0.checked_mul(Decimal::from(per_yuan))?;
        v.fract().is_zero().then(|| v.to_i64()).flatten()
    }
    /// Two decimals, as on a settlement slip ("34790.00").
    pub fn yuan(self) -> String {
        format!("{:.2}", self.0)
    }
    /// Two decimals with thousands separators, for sentences people read ("2,880.00").
    pub fn grouped(self) -> String {
        group_thousands(&self.yuan())
    }
    /// Rounded to whole yuan, with thousands separators ("52,000"), for large headline figures.
    pub fn grouped_whole(self) -> String {
        // 四舍五入, as people round (`round_dp` alone would round half to even).
        let whole = self
            .0
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        group_thousands(&format!("{whole:.0}"))
    }
    pub fn times(self, r: Rate) -> Money {
        Money(self.0 * r.0)
    }
}

impl Rate {
    pub const ZERO: Rate = Rate(Decimal::ZERO);
    pub const ONE: Rate = Rate(Decimal::ONE);
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        match t.strip_suffix('%') {
            Some(p) => parse_decimal(p).map(|d| Rate(d / Decimal::ONE_HUNDRED)),
            None => parse_decimal(t).map(Rate),
        }
    }
    /// Add percentage points, clamped to 0..=1.
    pub fn add_points(self, points: Decimal) -> Rate {
        Rate((self.0 + points / Decimal::ONE_HUNDRED).clamp(Decimal::ZERO, Decimal::ONE))
    }
    /// The ratio when the patient's co-pay share (1 − ratio) is multiplied by `factor`:
    /// 90% with a 60% co-pay factor is 1 − 10% × 60% = 94%.
    pub fn copay_times(self, factor: Rate) -> Rate {
        Rate((Decimal::ONE - (Decimal::ONE - self.0) * factor.0).clamp(Decimal::ZERO, Decimal::ONE))
    }
    /// The rate in percent (0.825 → 82.500; written as "82.5%" by every writer of a rate).
    pub fn percent(self) -> Decimal {
        self.0 * Decimal::ONE_HUNDRED
    }
}

fn parse_decimal(s: &str) -> Result<Decimal, String> {
    let bad = || format!("not a decimal number: {}", crate::error::quoted(s));
    let t = without_group_commas(s.trim()).ok_or_else(bad)?;
    // A copy only when there is an underscore to take out (a claims file has two amounts a row).
    let t = match t.contains('_') {
        true => t.replace('_', "").into(),
        false => t,
    };
    // Exact: no exponent forms and no silent rounding of digits beyond 28 places.
    Decimal::from_str_exact(&t).map_err(|_| bad())
}

/// The number without its thousands separators. A comma is read only between groups of three
/// integer digits ("1,234,567.50"); any other comma ("1,23", "1.234,5", "1,234,5", a decimal
/// comma) makes the text unreadable (`None`): a number that silently became another (1,23 → 123)
/// would be worse than a refusal.
fn without_group_commas(t: &str) -> Option<std::borrow::Cow<'_, str>> {
    if !t.contains(',') {
        return Some(t.into());
    }
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'-' | b'+') => t.split_at(1),
        _ => ("", t),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    if frac.is_some_and(|f| f.contains(',')) {
        return None;
    }
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let mut groups = int.split(',');
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !digits(first) {
        return None;
    }
    let mut out = String::with_capacity(t.len());
    out.push_str(sign);
    out.push_str(first);
    for g in groups {
        if g.len() != 3 || !digits(g) {
            return None;
        }
        out.push_str(g);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out.into())
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, o: Money) -> Money {
        Money(self.0 + o.0)
    }
}
impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, o: Money) -> Money {
        Money(self.0 - o.0)
    }
}
impl std::ops::AddAssign for Money {
    fn add_assign(&mut self, o: Money) {
        self.0 += o.0
    }
}
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(it: I) -> Money {
        it.fold(Money::ZERO, |a, b| a + b)
    }
}

/// `d` written plainly with trailing fractional zeros removed ("34790", "937.8"), then `suffix`.
pub(crate) fn push_plain(out: &mut impl fmt::Write, d: Decimal, suffix: &str) -> fmt::Result {
    write!(out, "{}{suffix}", d.normalize())
}

impl fmt::Display for Money {
    /// Plain decimal, trailing zeros after the point removed ("34790", "937.8").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        push_plain(f, self.0, "")
    }
}
impl fmt::Display for Ratio {
    /// Four decimals, as on the slip ("0.8500").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.4}", self.0)
    }
}
impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        push_plain(f, self.percent(), "%")
    }
}

/// How reported amounts are rounded: a policy setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RoundMode {
    /// 四舍五入
    #[default]
    HalfUp,
    /// 舍去 (truncate toward zero)
    Truncate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(
    feature = "ts",
    derive(tsify::Tsify),
    tsify(hashmap_as_object, missing_as_null)
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RoundUnit {
    #[default]
    Fen,
    Jiao,
    Yuan,
}

impl RoundUnit {
    fn dp(self) -> u32 {
        match self {
            RoundUnit::Fen => 2,
            RoundUnit::Jiao => 1,
            RoundUnit::Yuan => 0,
        }
    }
}

pub fn round(m: Money, mode: RoundMode, unit: RoundUnit) -> Money {
    let strategy = match mode {
        RoundMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundMode::Truncate => RoundingStrategy::ToZero,
    };
    Money(m.0.round_dp_with_strategy(unit.dp(), strategy))
}

/// Which decimal a value is, for its messages and the neutral text that may stand in for it
/// (so that reading can go on past a faulted value and find the next problem).
#[derive(Clone, Copy)]
enum Dec {
    Amount,
    Rate,
    Points,
}

impl Dec {
    fn zh(self) -> &'static str {
        match self {
            Dec::Amount => "金额",
            Dec::Rate => "比例",
            Dec::Points => "百分点数",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Dec::Amount => "an amount",
            Dec::Rate => "a rate such as \"80%\" or \"0.8\"",
            Dec::Points => "percentage points such as \"-10\"",
        }
    }
    /// How the value is written, as an example.
    fn example(self) -> &'static str {
        match self {
            Dec::Amount => "\"1234.56\"",
            Dec::Rate => "\"80%\"",
            Dec::Points => "\"-2.5\"",
        }
    }
    fn neutral(self) -> &'static str {
        match self {
            Dec::Rate => "0%",
            Dec::Amount | Dec::Points => "0",
        }
    }
    fn fault(self, code: Code, zh: String, en: String) -> Fault {
        Fault::new(code, zh, en).neutral(self.neutral())
    }
    /// A value of another kind (a boolean, a list, a table …) where this decimal belongs.
    fn wrong_kind(self, got: de::Unexpected) -> Fault {
        let (got_zh, got_en) = crate::error::unexpected_words(&got);
        self.fault(
            Code::InvalidType,
            format!(
                "类型错误:{}应写成字符串(如 {})或整数,实际是{got_zh}",
                self.zh(),
                self.example()
            ),
            format!(
                "invalid type: {got_en}, expected {} as a string such as {} (or an integer)",
                self.en(),
                self.example()
            ),
        )
    }
}

/// Reads an amount, rate or points value as text: strings as written, integers, and floats only
/// when they are whole (a fractional float is not exact).
struct DecVisitor(Dec);
impl<'de> de::Visitor<'de> for DecVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{} as a string such as {} (or an integer)",
            self.0.en(),
            self.0.example()
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    // One of core's two floats (the other is date.rs's visitor): serde hands a JSON or JS number
    // with a fraction over as a float, and the amount is refused unless it is whole
    // (ARCHITECTURE.md, "All money is `rust_decimal::Decimal`").
    #[allow(clippy::disallowed_types)]
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        if !v.is_finite() {
            let name = if v.is_nan() { "NaN" } else { "Infinity" };
            return Err(self
                .0
                .fault(
                    Code::NotFinite,
                    format!("\"{name}\" 不是有效数字"),
                    format!(
                        "{name} is not a number; amounts are decimal strings such as \"1234.56\""
                    ),
                )
                .into_de());
        }
        if v.abs() > 1e12 {
            return Err(too_large(self.0, None).into_de());
        }
        // Only floats that are whole numbers are exact; anything else must be written as a string.
        // (Not formatted with `{v}`: float formatting would cost the browser modules for a number
        // the message need not repeat.)
        if v.fract() == 0.0 {
            Ok((v as i64).to_string())
        } else {
            let ex = self.0.example();
            Err(self
                .0
                .fault(
                    Code::NotExact,
                    format!("带小数的数请写成字符串,如 {ex}(数字形式的小数是二进制浮点数,不精确)"),
                    format!(
                        "a fractional number is a binary float, not exact; write it as a string such as {ex}"
                    ),
                )
                .into_de())
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Err(self.0.wrong_kind(de::Unexpected::Bool(v)).into_de())
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Err(self.0.wrong_kind(de::Unexpected::Unit).into_de())
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<String, E> {
        Err(self.0.wrong_kind(de::Unexpected::Bytes(&[])).into_de())
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.0.wrong_kind(de::Unexpected::Seq).into_de())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Err(self.0.wrong_kind(de::Unexpected::Map).into_de())
    }
}

/// Above [`Money::MAX_INPUT`]; `text` is the value as written, when it was text.
fn too_large(kind: Dec, text: Option<&str>) -> Fault {
    let (zh, en) = match text {
        Some(s) => {
            let q = crate::error::quoted(s);
            (
                format!("{}过大:{q}", kind.zh()),
                format!("{q} is too large"),
            )
        }
        None => (
            format!("{}过大", kind.zh()),
            "the number is too large".into(),
        ),
    };
    kind.fault(
        Code::AmountTooLarge,
        format!("{zh}(上限 1 万亿元)"),
        format!("{en} (the limit is 1,000,000,000,000)"),
    )
}

fn not_a_number(kind: Dec, s: &str) -> Fault {
    let q = crate::error::quoted(s);
    kind.fault(
        Code::InvalidNumber,
        format!("不是有效的数字:{q}"),
        format!("not a decimal number: {q}"),
    )
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_any(DecVisitor(Dec::Amount))?;
        let m = Money::parse(&s).map_err(|_| not_a_number(Dec::Amount, &s).into_de())?;
        if m.0.is_sign_negative() && !m.0.is_zero() {
            let q = crate::error::quoted(&s);
            return Err(Dec::Amount
                .fault(
                    Code::NegativeAmount,
                    format!("金额不能为负数:{q}"),
                    format!("amount {q} is negative"),
                )
                .into_de());
        }
        if m > Money::MAX_INPUT {
            return Err(too_large(Dec::Amount, Some(&s)).into_de());
        }
        Ok(m)
    }
}
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_any(DecVisitor(Dec::Rate))?;
        match Rate::parse(&s) {
            Ok(r) if r.0 >= Decimal::ZERO && r.0 <= Decimal::ONE => Ok(r),
            _ => {
                let q = crate::error::quoted(&s);
                Err(Dec::Rate
                    .fault(
                        Code::InvalidRate,
                        format!("比例必须在 0–100% 之间,写作 \"80%\" 或 \"0.8\":{q}"),
                        format!("rate {q} is outside 0–100% or not written as \"80%\" / \"0.8\""),
                    )
                    .into_de())
            }
        }
    }
}
impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_any(DecVisitor(Dec::Rate))?;
        match parse_decimal(&s) {
            Ok(r) if r >= Decimal::ZERO && r <= Decimal::ONE => Ok(Ratio::new(r)),
            _ => {
                let q = crate::error::quoted(&s);
                Err(Dec::Rate
                    .fault(
                        Code::InvalidRate,
                        format!("比例必须是 0 到 1 之间的小数(如 \"0.8500\"):{q}"),
                        format!("ratio {q} is not a decimal from 0 to 1 such as \"0.8500\""),
                    )
                    .into_de())
            }
        }
    }
}
impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Percentage points (may be negative: a penalty), written `"5"` or `"-10"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct Points(pub Decimal);
impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = d.deserialize_any(DecVisitor(Dec::Points))?;
        parse_decimal(&s)
            .map(Points)
            .map_err(|_| not_a_number(Dec::Points, &s).into_de())
    }
}
impl std::ops::AddAssign for Points {
    fn add_assign(&mut self, o: Points) {
        self.0 = self.0 + o.0
    }
}
impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.normalize())
    }
}

/// "-1234567.8" → "-1,234,567.8": commas between groups of three integer digits.
fn group_thousands(plain: &str) -> String {
    let (sign, rest) = plain.strip_prefix('-').map_or(("", plain), |r| ("-", r));
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// A zero difference is never "−0".
    #[test]
    fn subtraction() {
        let m = |s: &str| Money::parse(s).unwrap();
        assert_eq!(m("5.5") - m("2.25"), m("3.25"));
        assert_eq!(m("2") - m("5"), m("-3"));
        for (a, b) in [("0", "0"), ("0.00", "0"), ("1.5", "1.50")] {
            let d = (m(a) - m(b)).0;
            assert!(d.is_zero() && !d.is_sign_negative(), "{a} - {b} = {d}");
        }
        assert_eq!((m("1.5") - m("1.50")).yuan(), "0.00");
    }
    #[test]
    fn rates_parse_percent_and_fraction() {
        assert_eq!(Rate::parse("80%").unwrap(), Rate::parse("0.8").unwrap());
        assert_eq!(
            Rate::parse("82.5%").unwrap().0,
            Decimal::from_str("0.825").unwrap()
        );
    }
    #[test]
    fn rounding_modes_differ_at_midpoint() {
        let m = Money::parse("10.005").unwrap();
        assert_eq!(
            round(m, RoundMode::HalfUp, RoundUnit::Fen).to_string(),
            "10.01"
        );
        assert_eq!(
            round(m, RoundMode::Truncate, RoundUnit::Fen).to_string(),
            "10"
        );
        assert_eq!(
            round(
                Money::parse("10.06").unwrap(),
                RoundMode::HalfUp,
                RoundUnit::Jiao
            )
            .to_string(),
            "10.1"
        );
    }
    #[test]
    fn amounts_and_rates_are_written_plainly() {
        for (s, text) in [
            ("34790.000", "34790"),
            ("937.80", "937.8"),
            ("-0.05", "-0.05"),
            ("0", "0"),
        ] {
            let m = Money::parse(s).unwrap();
            assert_eq!(m.to_string(), text, "{s}");
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                format!("\"{text}\""),
                "{s}"
            );
        }
        assert_eq!(Rate::parse("0.825").unwrap().to_string(), "82.5%");
        assert_eq!(Rate::parse("80%").unwrap().to_string(), "80%");
        assert_eq!(
            serde_json::to_string(&Rate::parse("0.825").unwrap()).unwrap(),
            "\"82.5%\""
        );
    }
    #[test]
    fn grouped_inserts_thousands_separators() {
        assert_eq!(Money::parse("2880").unwrap().grouped(), "2,880.00");
        assert_eq!(
            Money::parse("1234567.891").unwrap().grouped(),
            "1,234,567.89"
        );
        assert_eq!(Money::parse("999.5").unwrap().grouped(), "999.50");
        assert_eq!(Money::parse("100000").unwrap().grouped(), "100,000.00");
        assert_eq!(Money(Decimal::new(-1234567, 1)).grouped(), "-123,456.70");
    }
    #[test]
    fn grouped_whole_rounds_to_the_yuan() {
        assert_eq!(Money::parse("52000").unwrap().grouped_whole(), "52,000");
        assert_eq!(Money::parse("5625.5").unwrap().grouped_whole(), "5,626");
        assert_eq!(Money::parse("999.49").unwrap().grouped_whole(), "999");
        assert_eq!(Money::parse("2.5").unwrap().grouped_whole(), "3");
        assert_eq!(
            Money(Decimal::new(-123456789, 2)).grouped_whole(),
            "-1,234,568"
        );
    }
    #[test]
    fn max_input_is_one_trillion() {
        assert_eq!(Money::MAX_INPUT.to_string(), "1000000000000");
    }
    #[test]
    fn money_display_is_plain() {
        assert_eq!(Money::parse("34790.00").unwrap().to_string(), "34790");
        assert_eq!(Money::parse("1,000").unwrap().to_string(), "1000");
    }
}
