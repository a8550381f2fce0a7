//! Calendar dates (`YYYY-MM-DD`) for effective periods. Small on purpose: the engine only
//! compares dates and counts days; it never reads a clock (callers pass "today").

use crate::error::{Code, Fault};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(type = "string"))]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// 1900-01-01, the earliest date [`Date::parse`] accepts (for the model types' `Default`).
impl Default for Date {
    fn default() -> Self {
        Date {
            year: 1900,
            month: 1,
            day: 1,
        }
    }
}

impl Date {
    /// A date as people type it: `2024-06-01`, `2024/6/1`, `2024.6.1` (one separator, used
    /// twice; month and day with or without a leading zero) or eight digits `20240601`. The one
    /// parser of every front end and of files.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || {
            format!(
                "{} is not a date in the form YYYY-MM-DD",
                crate::error::quoted(s)
            )
        };
        let t = s.trim();
        // The three parts, without a vector per date (a claims file has one or two a row).
        let (y, m, d) = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
            (&t[..4], &t[4..6], &t[6..])
        } else {
            let sep = ['-', '/', '.']
                .into_iter()
                .find(|c| t.contains(*c))
                .ok_or_else(bad)?;
            let mut parts = t.split(sep);
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(y), Some(m), Some(d), None) => (y, m, d),
                _ => return Err(bad()),
            }
        };
        // Digits only: `parse` would take a sign ("+6").
        fn num<T: std::str::FromStr>(p: &str) -> Option<T> {
            (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        }
        let y: u16 = num(y).ok_or_else(bad)?;
        let m: u8 = num(m).ok_or_else(bad)?;
        let d: u8 = num(d).ok_or_else(bad)?;
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || y < 1900 {
            return Err(bad());
        }
        Ok(Date {
            year: y,
            month: m,
            day: d,
        })
    }

    /// Days since 1970-01-01 (civil calendar), for validity periods in days.
    pub fn days(self) -> i64 {
        let (y, m, d) = (self.year as i64, self.month as i64, self.day as i64);
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// The civil date `days` after 1970-01-01 (inverse of [`Date::days`]).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719468;
        let era = z.div_euclid(146097);
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = (yoe + era * 400 + if m <= 2 { 1 } else { 0 }) as u16;
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    /// The calendar day in China (Beijing time, UTC+8, no summer time) at a Unix instant in
    /// milliseconds: the day a policy's dates are counted in. The CLI, the package and the widget
    /// all take "today" from here, so an undated case is evaluated on the same day whatever the
    /// device's time zone (between 00:00 and 08:00 Beijing time, UTC is still the day before).
    pub fn in_china_at(unix_millis: i64) -> Date {
        const DAY_MS: i64 = 86_400_000;
        const UTC8_MS: i64 = 8 * 3_600_000;
        Date::from_days((unix_millis + UTC8_MS).div_euclid(DAY_MS))
    }
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // TOML dates arrive as a datetime value; accept those and plain strings.
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date YYYY-MM-DD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(|e| bad_date(v, e).into_de())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
                // toml's datetime is a one-entry map carrying its text; any other table is not a date.
                match map.next_key::<String>()? {
                    Some(k) if k.contains("datetime") => {
                        let t: String = map.next_value()?;
                        Date::parse(&t).map_err(|e| bad_date(&t, e).into_de())
                    }
                    _ => Err(wrong_kind(de::Unexpected::Map).into_de()),
                }
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Date, E> {
                Err(wrong_kind(de::Unexpected::Bool(v)).into_de())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
                Err(wrong_kind(de::Unexpected::Signed(v)).into_de())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Date, E> {
                Err(wrong_kind(de::Unexpected::Unsigned(v)).into_de())
            }
            // serde hands a number with a fraction over as a float; a date refuses it.
            #[allow(clippy::disallowed_types)]
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Date, E> {
                Err(wrong_kind(de::Unexpected::Float(0.0)).into_de())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Date, E> {
                Err(wrong_kind(de::Unexpected::Unit).into_de())
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Date, E> {
                Err(wrong_kind(de::Unexpected::Bytes(&[])).into_de())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Date, A::Error> {
                Err(wrong_kind(de::Unexpected::Seq).into_de())
            }
        }
        d.deserialize_any(V)
    }
}

/// What stands in for a faulted date while reading goes on (the earliest date accepted).
const NEUTRAL: &str = "1900-01-01";

fn bad_date(text: &str, why: String) -> Fault {
    Fault::new(
        Code::InvalidDate,
        format!(
            "日期格式错误,应为 \"YYYY-MM-DD\"(1900 年起):{}",
            crate::error::quoted(text)
        ),
        why,
    )
    .neutral(NEUTRAL)
}

/// A value of another kind (a number, a list …) where a date belongs.
fn wrong_kind(got: de::Unexpected) -> Fault {
    let (zh, en) = crate::error::unexpected_words(&got);
    Fault::new(
        Code::InvalidType,
        format!("类型错误:应为日期 \"YYYY-MM-DD\",实际是{zh}"),
        format!("invalid type: {en}, expected a date YYYY-MM-DD"),
    )
    .neutral(NEUTRAL)
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_counted_in_beijing_time() {
        // 2026-12-31 16:30 UTC is 2027-01-01 00:30 in Beijing: the new year's policy applies.
        let new_year_utc = Date::parse("2026-12-31").unwrap().days() * 86_400_000;
        let at = |ms: i64| Date::in_china_at(new_year_utc + ms).to_string();
        assert_eq!(at(16 * 3_600_000 - 1), "2026-12-31");
        assert_eq!(at(16 * 3_600_000), "2027-01-01");
        assert_eq!(at(16 * 3_600_000 + 30 * 60_000), "2027-01-01");
        // Before the epoch too (a clock reading 0 must not panic).
        assert_eq!(Date::in_china_at(0).to_string(), "1970-01-01");
        assert_eq!(Date::in_china_at(-9 * 3_600_000).to_string(), "1969-12-31");
    }
    #[test]
    fn days_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2024-12-31", "2026-11-23"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_days(d.days()), d);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days(), 1);
        assert!(Date::parse("2023-02-29").is_err());
    }
    #[test]
    fn written_as_iso() {
        let d = Date::parse("2024-03-07").unwrap();
        assert_eq!(d.to_string(), "2024-03-07");
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"2024-03-07\"");
    }
}

#[cfg(test)]
mod typed_forms {
    use super::Date;

    #[test]
    fn the_forms_people_type_are_one_date() {
        let want = Date {
            year: 2024,
            month: 6,
            day: 1,
        };
        for s in [
            "2024-06-01",
            "2024-6-1",
            "2024/6/1",
            "2024/06/01",
            "2024.6.1",
            " 2024.06.01 ",
            "20240601",
        ] {
            assert_eq!(Date::parse(s), Ok(want), "{s}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for s in [
            "",
            "2024",
            "2024/6",
            "2024/6/1/2",
            "2024-6/1",
            "2024/13/1",
            "2024/2/30",
            "2024061",
            "202406011",
            "2024/+6/1",
            "24/6/1x",
            "六月一日",
            "2024//1",
        ] {
            assert!(Date::parse(s).is_err(), "{s} was read as a date");
        }
    }
}
