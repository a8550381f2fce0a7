//! Bilingual problems. Every rejection names where it happened (file, line, key path)
//! and says what is wrong in Chinese and in English.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable machine code, e.g. `unknown_key`, `negative_amount`.
    pub code: &'static str,
    /// Key path inside the input, e.g. `inpatient.ratio.rates.county`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message_zh: String,
    pub message_en: String,
}

impl Problem {
    pub fn new(
        code: &'static str,
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

/// A value the user wrote, quoted for a message: `"12,5x"`. Quotes, backslashes and control
/// characters are escaped; everything else (Chinese included) is kept as written. Not `{:?}`:
/// its Unicode tables would cost the browser modules kilobytes for the same text.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod quoted_tests {
    use super::quoted;

    #[test]
    fn quotes_as_debug_would_for_what_people_type() {
        for s in [
            "12,5x",
            "肺炎 J18",
            "a\"b\\c",
            "tab\there",
            "line\nbreak",
            "\u{1}",
            "",
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s}");
        }
    }
}
