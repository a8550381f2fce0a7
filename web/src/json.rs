//! A small JSON reader for policies: parse into a value tree, then a serde `Deserializer` over
//! that tree. It replaces serde_json in the browser build, whose per-struct inlined parsing made
//! up a quarter of the wasm (what a phone downloads). Numbers stay text, so no float code is
//! pulled in; the core's Money/Rate/Date deserializers read them exactly.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum V {
    Null,
    Bool(bool),
    /// A number, as written.
    Num(String),
    Str(String),
    Seq(Vec<V>),
    Map(Vec<(String, V)>),
}

#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Error {}
impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Deserialize `T` from JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    T::deserialize(De(parse(text)?))
}

pub fn parse(text: &str) -> Result<V, Error> {
    let mut p = P {
        b: text.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.b.len() {
        return Err(p.err("unexpected text after the JSON value"));
    }
    Ok(v)
}

struct P<'a> {
    b: &'a [u8],
    i: usize,
}

impl P<'_> {
    fn err(&self, what: &str) -> Error {
        Error(format!("JSON: {what} at byte {}", self.i))
    }
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\n' | b'\r' | b'\t') {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn lit(&mut self, word: &str, v: V) -> Result<V, Error> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            Err(self.err("unknown word"))
        }
    }
    fn value(&mut self, depth: u32) -> Result<V, Error> {
        if depth > 64 {
            return Err(self.err("nested too deeply"));
        }
        self.ws();
        match self.b.get(self.i) {
            None => Err(self.err("unexpected end")),
            Some(b'{') => {
                self.i += 1;
                let mut m = vec![];
                if !self.eat(b'}') {
                    loop {
                        self.ws();
                        let k = self.string()?;
                        if !self.eat(b':') {
                            return Err(self.err("expected ':'"));
                        }
                        m.push((k, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.err("expected ',' or '}'"));
                        }
                    }
                }
                Ok(V::Map(m))
            }
            Some(b'[') => {
                self.i += 1;
                let mut s = vec![];
                if !self.eat(b']') {
                    loop {
                        s.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.err("expected ',' or ']'"));
                        }
                    }
                }
                Ok(V::Seq(s))
            }
            Some(b'"') => self.string().map(V::Str),
            Some(b't') => self.lit("true", V::Bool(true)),
            Some(b'f') => self.lit("false", V::Bool(false)),
            Some(b'n') => self.lit("null", V::Null),
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                while self.i < self.b.len()
                    && matches!(
                        self.b[self.i],
                        b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'
                    )
                {
                    self.i += 1;
                }
                Ok(V::Num(
                    String::from_utf8_lossy(&self.b[start..self.i]).into_owned(),
                ))
            }
            Some(_) => Err(self.err("unexpected character")),
        }
    }
    fn hex4(&mut self) -> Result<u32, Error> {
        let h = self
            .b
            .get(self.i..self.i + 4)
            .ok_or_else(|| self.err("bad \\u escape"))?;
        let v = u32::from_str_radix(std::str::from_utf8(h).unwrap_or("x"), 16)
            .map_err(|_| self.err("bad \\u escape"))?;
        self.i += 4;
        Ok(v)
    }
    fn string(&mut self) -> Result<String, Error> {
        if self.b.get(self.i) != Some(&b'"') {
            return Err(self.err("expected a string"));
        }
        self.i += 1;
        let mut out = Vec::new();
        loop {
            let c = *self
                .b
                .get(self.i)
                .ok_or_else(|| self.err("unterminated string"))?;
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *self.b.get(self.i).ok_or_else(|| self.err("bad escape"))?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let mut u = self.hex4()?;
                            if (0xD800..0xDC00).contains(&u) && self.b[self.i..].starts_with(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                u = 0x10000
                                    + ((u - 0xD800) << 10)
                                    + (lo.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            char::from_u32(u).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err(self.err("bad escape")),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| self.err("invalid UTF-8"))
    }
}

/// Quote a string as JSON.
pub fn quote(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

struct De(V);

impl<'de> de::Deserializer<'de> for De {
    type Error = Error;
    fn deserialize_any<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Error> {
        match self.0 {
            V::Null => w.visit_unit(),
            V::Bool(b) => w.visit_bool(b),
            V::Num(n) => {
                if let Ok(u) = n.parse::<u64>() {
                    w.visit_u64(u)
                } else if let Ok(i) = n.parse::<i64>() {
                    w.visit_i64(i)
                } else {
                    // Fractions are read as decimal text (Money, Rate), never through a float.
                    w.visit_str(&n)
                }
            }
            V::Str(s) => w.visit_string(s),
            V::Seq(s) => w.visit_seq(Seq(s.into_iter())),
            V::Map(m) => w.visit_map(Map(m.into_iter(), None)),
        }
    }
    fn deserialize_option<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Error> {
        match self.0 {
            V::Null => w.visit_none(),
            v => w.visit_some(De(v)),
        }
    }
    fn deserialize_newtype_struct<W: Visitor<'de>>(
        self,
        _: &'static str,
        w: W,
    ) -> Result<W::Value, Error> {
        w.visit_newtype_struct(self)
    }
    fn deserialize_enum<W: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        w: W,
    ) -> Result<W::Value, Error> {
        match self.0 {
            V::Str(s) => w.visit_enum(IntoDeserializer::<Error>::into_deserializer(s)),
            _ => Err(Error("expected a name (string)".into())),
        }
    }
    fn deserialize_ignored_any<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Error> {
        w.visit_unit()
    }
    // Structs and maps only ever as objects, lists only as arrays: going through
    // `deserialize_any` would also build every struct's unused `visit_seq` (code size).
    fn deserialize_struct<W: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        w: W,
    ) -> Result<W::Value, Error> {
        self.deserialize_map(w)
    }
    fn deserialize_map<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Error> {
        match self.0 {
            V::Map(m) => w.visit_map(Map(m.into_iter(), None)),
            _ => Err(Error("expected an object".into())),
        }
    }
    fn deserialize_seq<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Error> {
        match self.0 {
            V::Seq(s) => w.visit_seq(Seq(s.into_iter())),
            _ => Err(Error("expected a list".into())),
        }
    }
    fn deserialize_tuple<W: Visitor<'de>>(self, _: usize, w: W) -> Result<W::Value, Error> {
        self.deserialize_seq(w)
    }
    fn deserialize_string<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Error> {
        match self.0 {
            V::Str(s) => w.visit_string(s),
            _ => Err(Error("expected a string".into())),
        }
    }
    fn deserialize_str<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Error> {
        self.deserialize_string(w)
    }
    fn deserialize_bool<W: Visitor<'de>>(self, w: W) -> Result<W::Value, Error> {
        match self.0 {
            V::Bool(b) => w.visit_bool(b),
            _ => Err(Error("expected true or false".into())),
        }
    }
    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf unit unit_struct tuple_struct identifier
    }
}

struct Seq(std::vec::IntoIter<V>);

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = Error;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.0.next() {
            Some(v) => seed.deserialize(De(v)).map(Some),
            None => Ok(None),
        }
    }
}

struct Map(std::vec::IntoIter<(String, V)>, Option<V>);

impl<'de> de::MapAccess<'de> for Map {
    type Error = Error;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.0.next() {
            Some((k, v)) => {
                self.1 = Some(v);
                let key = seed.deserialize(IntoDeserializer::<Error>::into_deserializer(k.clone()));
                key.map(Some).map_err(|e| Error(format!("{k}: {e}")))
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(De(self.1.take().unwrap_or(V::Null)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_serde_json_writes() {
        let v = parse(
            r#" {"a": [1, -2, 3.50, "x\"y\u00e9\ud83d\ude00"], "b": {"c": null, "d": true}} "#,
        )
        .unwrap();
        let V::Map(m) = v else { panic!() };
        assert_eq!(m[0].0, "a");
        assert_eq!(
            m[0].1,
            V::Seq(vec![
                V::Num("1".into()),
                V::Num("-2".into()),
                V::Num("3.50".into()),
                V::Str("x\"yé😀".into())
            ])
        );
        assert!(parse("{\"a\":1,}").is_err());
        assert!(parse("[1 2]").is_err());
        assert!(parse("\"abc").is_err());
        assert!(parse(&"[".repeat(100)).is_err());
        assert_eq!(quote("a\"b\\\n\u{1}"), r#""a\"b\\\n\u0001""#);
    }
}
