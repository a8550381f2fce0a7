//! A compact JSON writer for results: a serde `Serializer` that writes what
//! `serde_json::to_string` writes, for the types this crate serializes.
//!
//! Why not serde_json: its serializer is generic over the output and the formatter, and every
//! derived `serialize` inlines its key escaping and comma handling — in the wasm package that
//! was 16 KB of code. Here the per-field work is one call to a plain function ([`Writer::key`]),
//! so each derived field costs a few instructions. The tests check the output byte for byte
//! against serde_json for every result type.

use rust_decimal::Decimal;
use serde::ser::{self, Serialize};
use std::fmt::{self, Display, Write as _};

/// Serializes `v` as compact JSON.
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Result<String, Unwritable> {
    let mut w = Writer(String::with_capacity(1024));
    v.serialize(&mut w)?;
    Ok(w.0)
}

/// `s` as a JSON string literal (for JSON written by hand, as the widget's result event).
pub fn quote(s: &str) -> String {
    let mut w = Writer(String::with_capacity(s.len() + 2));
    w.string(s);
    w.0
}

/// A value this writer refuses: floats, bytes, 128-bit integers, and map keys other than strings
/// and integers. The crate's own results have none; the error exists so a future field fails
/// loudly.
#[derive(Debug)]
pub struct Unwritable;

impl Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("value not representable as JSON")
    }
}
impl std::error::Error for Unwritable {}
impl ser::Error for Unwritable {
    fn custom<T: Display>(_: T) -> Self {
        Unwritable
    }
}

pub struct Writer(String);

/// Whether JSON escapes byte `b` inside a string. Inlined into the loops that scan text: as a
/// call per byte (the size build does not inline `escape`) it was a tenth of the package's
/// `estimate` call.
#[inline(always)]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any of the eight bytes in `x` [`needs_escape`]: the word tests "has a byte below
/// n" (exact for n ≤ 128) and "has a zero byte" (after xor with the byte sought). A `u64` is one
/// register in wasm32 too; scanning byte by byte was the largest part of writing a result.
#[inline(always)]
fn any_needs_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH != 0;
    let has = |b: u8| {
        let y = x ^ (ONES * u64::from(b));
        y.wrapping_sub(ONES) & !y & HIGH != 0
    };
    below(0x20) || has(b'"') || has(b'\\')
}

/// How JSON writes byte `b`, one that [`needs_escape`] ("" for `\u00XX`).
fn escape(b: u8) -> &'static str {
    match b {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        0x08 => "\\b",
        0x0c => "\\f",
        _ => "",
    }
}

type R = Result<(), Unwritable>;

impl Writer {
    /// A string literal with JSON's escapes (the same as serde_json: `"`, `\`, and control
    /// characters; everything else, Chinese included, as is).
    #[inline(never)]
    fn string(&mut self, s: &str) {
        self.0.push('"');
        self.escaped(s);
        self.0.push('"');
    }

    /// `s` with JSON's escapes, copied a run at a time between the characters that need one.
    fn escaped(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            // Eight bytes at a time while none needs escaping: most text has no escape at all.
            if let Some(eight) = bytes
                .get(i..i + 8)
                .and_then(|c| <[u8; 8]>::try_from(c).ok())
            {
                if !any_needs_escape(u64::from_le_bytes(eight)) {
                    i += 8;
                    continue;
                }
            }
            let at = i;
            i += 1;
            if !needs_escape(b) {
                continue;
            }
            let esc = escape(b);
            self.0.push_str(&s[run..at]);
            run = i;
            if esc.is_empty() {
                let _ = write!(self.0, "\\u{b:04x}");
            } else {
                self.0.push_str(esc);
            }
        }
        self.0.push_str(&s[run..]);
    }

    /// Opens an object or array.
    #[inline(never)]
    fn open(&mut self, bracket: char) -> Compound<'_> {
        self.0.push(bracket);
        Compound {
            w: self,
            first: true,
        }
    }

    /// `{"variant":` — the start of an externally tagged enum variant with data.
    #[inline(never)]
    fn variant(&mut self, name: &str) {
        self.0.push('{');
        self.string(name);
        self.0.push(':');
    }

    #[inline(never)]
    fn integer(&mut self, negative: bool, magnitude: u64) -> R {
        let mut d = Decimal::from(magnitude);
        d.set_sign_negative(negative);
        // Writing into a `String` cannot fail.
        let _ = crate::money::push_plain(&mut self.0, d, "");
        Ok(())
    }
}

/// An open object or array: remembers whether a comma is due.
pub struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
}

impl Compound<'_> {
    #[inline(never)]
    fn comma(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.w.0.push(',');
        }
    }

    /// `,"key":` — one call per field of a derived struct.
    #[inline(never)]
    fn key(&mut self, key: &'static str) {
        self.comma();
        // Field names are Rust identifiers (or their serde renames): nothing to escape.
        debug_assert!(!key.bytes().any(needs_escape), "field name {key}");
        self.w.0.push('"');
        self.w.0.push_str(key);
        self.w.0.push_str("\":");
    }

    #[inline(never)]
    fn close(self, brackets: &str) -> R {
        self.w.0.push_str(brackets);
        Ok(())
    }

    /// A map key: strings as they are, integers quoted (as serde_json does); nothing else.
    fn map_key<T: Serialize + ?Sized>(&mut self, key: &T) -> R {
        self.comma();
        let at = self.w.0.len();
        key.serialize(&mut *self.w)?;
        match self.w.0.as_bytes().get(at) {
            Some(b'"') => {}
            Some(b'-' | b'0'..=b'9') => {
                self.w.0.insert(at, '"');
                self.w.0.push('"');
            }
            _ => return Err(Unwritable),
        }
        self.w.0.push(':');
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> R {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> R {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> R {
        self.integer(v < 0, v.unsigned_abs())
    }
    fn serialize_u8(self, v: u8) -> R {
        self.integer(false, v.into())
    }
    fn serialize_u16(self, v: u16) -> R {
        self.integer(false, v.into())
    }
    fn serialize_u32(self, v: u32) -> R {
        self.integer(false, v.into())
    }
    fn serialize_u64(self, v: u64) -> R {
        self.integer(false, v)
    }
    // Floats: no result carries one (money is a decimal string); refusing keeps float
    // formatting out of the module.
    fn serialize_f32(self, _: f32) -> R {
        Err(Unwritable)
    }
    fn serialize_f64(self, _: f64) -> R {
        Err(Unwritable)
    }
    fn serialize_char(self, v: char) -> R {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> R {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> R {
        Err(Unwritable)
    }
    fn serialize_none(self) -> R {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        self.0.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> R {
        self.variant(variant);
        v.serialize(&mut *self)?;
        self.0.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open('['))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open('['))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open('['))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        self.variant(variant);
        Ok(self.open('['))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open('{'))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(self.open('{'))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        self.variant(variant);
        Ok(self.open('{'))
    }
    /// Written in place (amounts and rates, many per result); escaped afterwards only if the
    /// text needs it.
    fn collect_str<T: Display + ?Sized>(self, v: &T) -> R {
        self.0.push('"');
        let at = self.0.len();
        let _ = write!(self.0, "{v}");
        if self.0.as_bytes()[at..].iter().any(|&b| needs_escape(b)) {
            let text = self.0.split_off(at);
            self.escaped(&text);
        }
        self.0.push('"');
        Ok(())
    }
}

// serde has one trait per kind of compound; here they differ only in whether an element comes
// with a key and in what closes them (`]}` and `}}` also close a variant's `{"name":`).
macro_rules! compound {
    ($trait:ident, keyed, $close:literal) => {
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
                self.key(key);
                v.serialize(&mut *self.w)
            }
            fn end(self) -> R {
                self.close($close)
            }
        }
    };
    ($trait:ident, $method:ident, $close:literal) => {
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
                self.comma();
                v.serialize(&mut *self.w)
            }
            fn end(self) -> R {
                self.close($close)
            }
        }
    };
}

compound!(SerializeSeq, serialize_element, "]");
compound!(SerializeTuple, serialize_element, "]");
compound!(SerializeTupleStruct, serialize_field, "]");
compound!(SerializeTupleVariant, serialize_field, "]}");
compound!(SerializeStruct, keyed, "}");
compound!(SerializeStructVariant, keyed, "}}");

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> R {
        self.map_key(k)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        v.serialize(&mut *self.w)
    }
    fn end(self) -> R {
        self.close("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Wrapped(u8),
        Pair(i32, i32),
        Shape { w: u16, h: u16 },
    }

    #[derive(Serialize)]
    #[serde(tag = "outcome", rename_all = "snake_case")]
    enum Tagged {
        Yes { why: String },
        No,
    }

    #[derive(Serialize)]
    struct All {
        text: String,
        tricky: &'static str,
        chinese: &'static str,
        flag: bool,
        small: i8,
        big: u64,
        least: i64,
        none: Option<u8>,
        some: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        list: Vec<Kind>,
        empty: Vec<u8>,
        tuple: (u8, char),
        map: BTreeMap<&'static str, Tagged>,
        by_number: BTreeMap<i32, bool>,
        unit: (),
    }

    /// Every shape a derived `Serialize` produces comes out as serde_json writes it.
    #[test]
    fn writes_what_serde_json_writes() {
        let v = All {
            text: "line\nnext\t\"quoted\" back\\slash \u{1}\u{8}\u{c}\r/".into(),
            tricky: "\u{1f}\u{7f}\u{2028}",
            chinese: "预计您自付 约 1,234.56 元",
            flag: true,
            small: -7,
            big: u64::MAX,
            least: i64::MIN,
            none: None,
            some: Some("x"),
            skipped: None,
            list: vec![
                Kind::Plain,
                Kind::Wrapped(3),
                Kind::Pair(-1, 2),
                Kind::Shape { w: 4, h: 5 },
            ],
            empty: vec![],
            tuple: (9, '元'),
            map: BTreeMap::from([
                (
                    "a",
                    Tagged::Yes {
                        why: "因为".into()
                    },
                ),
                ("b", Tagged::No),
            ]),
            by_number: BTreeMap::from([(-3, true), (12, false)]),
            unit: (),
        };
        assert_eq!(to_string(&v).unwrap(), serde_json::to_string(&v).unwrap());
    }

    /// The eight-bytes-at-a-time scan: each character that needs escaping, and some that do not
    /// but sit near the tests' thresholds, at every offset of a text longer than two words.
    #[test]
    fn escapes_at_every_offset() {
        let mut specials: Vec<char> = (0u8..0x20).map(char::from).collect();
        specials.extend([
            '"', '\\', ' ', '!', '#', '[', ']', '\u{7f}', '\u{80}', '元', '\u{2028}',
        ]);
        for c in specials {
            for at in 0..=20 {
                let mut text: String = "abcdefghijklmnopqrst".into();
                text.insert(at, c);
                text.push(c);
                assert_eq!(
                    quote(&text),
                    serde_json::to_string(&text).unwrap(),
                    "{c:?} at {at}"
                );
            }
        }
        for b in 0..=u8::MAX {
            for at in 0..8 {
                let mut word = [b'a'; 8];
                word[at] = b;
                assert_eq!(
                    any_needs_escape(u64::from_le_bytes(word)),
                    needs_escape(b),
                    "{b} at {at}"
                );
            }
        }
    }
    #[test]
    fn quotes() {
        assert_eq!(quote("a\"b\\\n\u{1}元"), r#""a\"b\\\n\u0001元""#);
    }

    #[test]
    fn refuses_what_it_cannot_write() {
        assert!(to_string(&1.5f64).is_err());
        assert!(to_string(&BTreeMap::from([((1, 2), 3)])).is_err());
        assert!(to_string(&serde_bytes_like()).is_err());
    }

    struct Bytes;
    impl Serialize for Bytes {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(b"ab")
        }
    }
    fn serde_bytes_like() -> Bytes {
        Bytes
    }
}
