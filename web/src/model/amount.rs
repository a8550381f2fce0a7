//! Money as people type it and as the widget shows it.

use super::FieldMsg;
use yibao_core::{Code, Money};

/// Money amounts above this are treated as typing mistakes.
pub const MAX_AMOUNT: i64 = 100_000_000;

/// Parse a money amount typed by a person: `52000`, `52,000`, `5.2万`, full-width digits.
pub fn parse_money(
    field: &str,
    label_zh: &str,
    label_en: &str,
    s: &str,
) -> Result<Money, FieldMsg> {
    let mut t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '，' => ',',
            '－' | '—' | '−' => '-',
            _ => c,
        })
        .collect();
    t = t.trim_end_matches('元').trim().to_string();
    let wan = t.ends_with('万');
    if wan {
        t.pop();
    }
    let bad = || {
        FieldMsg::new(
            field,
            format!("{label_zh}:请输入数字金额(例如 52000)"),
            format!("{label_en}: enter an amount in yuan (e.g. 52000)"),
        )
        .coded(Code::InvalidNumber)
    };
    let mut m = Money::parse(t.trim()).map_err(|_| bad())?;
    if wan {
        m = Money(m.0 * Money::parse("10000").unwrap_or_default().0);
    }
    if m.0.is_sign_negative() && !m.0.is_zero() {
        return Err(FieldMsg::new(
            field,
            format!("{label_zh}不能为负数"),
            format!("{label_en} cannot be negative"),
        )
        .coded(Code::NegativeAmount));
    }
    if m > Money::parse(&MAX_AMOUNT.to_string()).unwrap_or_default() {
        return Err(FieldMsg::new(
            field,
            format!("{label_zh}过大,请检查是否多输了零"),
            format!("{label_en} is too large; check for extra zeros"),
        )
        .coded(Code::AmountTooLarge));
    }
    Ok(m)
}

/// "52,000" / "5,625.20": thousands separated, rounded to whole yuan when `whole`.
pub fn yuan(m: Money, whole: bool) -> String {
    if whole {
        m.grouped_whole()
    } else {
        m.grouped()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> Result<String, FieldMsg> {
        parse_money("total", "总额", "Total", s).map(|m| m.to_string())
    }

    #[test]
    fn amounts_as_people_type_them() {
        let m = |s: &str| Money::parse(s).unwrap();
        assert_eq!(money("52,000"), Ok(m("52000").to_string()));
        assert_eq!(money(" 5.2万 "), Ok(m("52000").to_string()));
        assert_eq!(money("５２０００．５元"), Ok(m("52000.5").to_string()));
        let negative = money("-5").unwrap_err();
        assert_eq!(negative.field, "total");
        assert!(negative.zh.contains("负数") && negative.en.contains("negative"));
        assert!(money("1000000000").unwrap_err().en.contains("too large"));
        assert!(money("abc").unwrap_err().en.contains("enter an amount"));
        assert_eq!(yuan(m("5625.2"), false), "5,625.20");
        assert_eq!(yuan(m("5625.2"), true), "5,625");
    }
}
