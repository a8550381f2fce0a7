//! Short import names for a wasm-bindgen build.
//!
//! wasm-bindgen names every function the module imports from its JS glue after the Rust path
//! and a hash (`__wbg_get_2080c49015e35254`), all under the module `./<name>_bg.js`, and both
//! the `.wasm` and the glue spell each name out: 103 imports in the resident widget, 49 in the
//! package. Renamed to `a`, `b`, … in both files they cost ≈ 1.2 KB less gzip in the package's
//! `.wasm` and ≈ 2.5 KB less brotli on the widget's first visit (BENCHMARKS.md).
//!
//! The glue must spell each old name exactly once (the key of its import object) and the module
//! name exactly once, or the build stops: a change in wasm-bindgen's output fails here instead
//! of shipping a module whose imports no longer resolve.

use std::path::Path;

/// The module name the imports get instead of `./<name>_bg.js`.
const MODULE: &str = "a";

fn at(p: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", p.display())
}

/// Rename the imports of `module` in `wasm` and in its glue `js`.
pub fn shorten(wasm: &Path, js: &Path, module: &str) -> Result<(), String> {
    let bytes = std::fs::read(wasm).map_err(at(wasm))?;
    let glue = std::fs::read_to_string(js).map_err(at(js))?;
    let (bytes, renames) =
        rename_in_wasm(&bytes, module).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let glue = rename_in_glue(&glue, module, &renames).map_err(|e| {
        format!(
            "{}: {e} (has wasm-bindgen's glue changed shape? see xtask/src/imports.rs)",
            js.display()
        )
    })?;
    std::fs::write(wasm, bytes).map_err(at(wasm))?;
    std::fs::write(js, glue).map_err(at(js))
}

/// `a` … `z`, `A` … `Z`, then `aa`, `ab`, …: the `n`th short name.
fn short_name(mut n: usize) -> String {
    const ABC: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s = Vec::new();
    loop {
        s.push(ABC[n % ABC.len()]);
        if n < ABC.len() {
            break;
        }
        n = n / ABC.len() - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// A reader over a wasm binary's bytes.
struct Bytes<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Bytes<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let x = *self.b.get(self.p).ok_or("unexpected end of the module")?;
        self.p += 1;
        Ok(x)
    }
    fn leb(&mut self) -> Result<usize, String> {
        let (mut n, mut shift) = (0usize, 0);
        loop {
            let x = self.byte()?;
            n |= usize::from(x & 0x7f) << shift;
            if x & 0x80 == 0 {
                return Ok(n);
            }
            shift += 7;
            if shift > 35 {
                return Err("malformed LEB128 number".into());
            }
        }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let s = self
            .b
            .get(self.p..self.p + n)
            .ok_or("unexpected end of the module")?;
        self.p += n;
        Ok(s)
    }
    fn name(&mut self) -> Result<&'a str, String> {
        let n = self.leb()?;
        std::str::from_utf8(self.take(n)?).map_err(|_| "an import name is not UTF-8".into())
    }
    /// Skip a table's or memory's limits (flags, minimum, maximum when flagged).
    fn limits(&mut self) -> Result<(), String> {
        let flags = self.byte()?;
        self.leb()?;
        if flags & 1 != 0 {
            self.leb()?;
        }
        Ok(())
    }
}

fn leb(mut n: usize, out: &mut Vec<u8>) {
    loop {
        let x = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(x);
            return;
        }
        out.push(x | 0x80);
    }
}

fn name(s: &str, out: &mut Vec<u8>) {
    leb(s.len(), out);
    out.extend_from_slice(s.as_bytes());
}

/// (old, new) import names.
type Renames = Vec<(String, String)>;

/// The module with the imports of `module` renamed, and the (old, new) names.
fn rename_in_wasm(b: &[u8], module: &str) -> Result<(Vec<u8>, Renames), String> {
    let header = match b.get(..8) {
        Some(h) if h.starts_with(b"\0asm") => h,
        _ => return Err("not a WebAssembly module".into()),
    };
    let mut r = Bytes { b, p: 8 };
    let mut out = header.to_vec();
    let mut renames = Vec::new();
    while r.p < b.len() {
        let id = r.byte()?;
        let len = r.leb()?;
        let body = r.take(len)?;
        if id != 2 {
            out.push(id);
            leb(len, &mut out);
            out.extend_from_slice(body);
            continue;
        }
        let mut s = Bytes { b: body, p: 0 };
        let mut new = Vec::new();
        let count = s.leb()?;
        leb(count, &mut new);
        for _ in 0..count {
            let (m, field) = (s.name()?, s.name()?);
            let start = s.p;
            match s.byte()? {
                // function: type index
                0 => {
                    s.leb()?;
                }
                // table: element type, limits
                1 => {
                    s.byte()?;
                    s.limits()?;
                }
                // memory: limits
                2 => s.limits()?,
                // global: value type, mutability
                3 => {
                    s.take(2)?;
                }
                // tag: attribute, type index
                4 => {
                    s.byte()?;
                    s.leb()?;
                }
                k => return Err(format!("unknown import kind {k}")),
            }
            let desc = &body[start..s.p];
            if m == module {
                let short = short_name(renames.len());
                name(MODULE, &mut new);
                name(&short, &mut new);
                renames.push((field.to_string(), short));
            } else {
                name(m, &mut new);
                name(field, &mut new);
            }
            new.extend_from_slice(desc);
        }
        out.push(2);
        leb(new.len(), &mut out);
        out.extend_from_slice(&new);
    }
    if renames.is_empty() {
        return Err(format!("no imports from {module:?}"));
    }
    Ok((out, renames))
}

/// Where `word` occurs in `text` as a whole JS identifier.
fn identifier_at(text: &str, word: &str) -> Vec<usize> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| !text[..i].ends_with(ident) && !text[i + word.len()..].starts_with(ident))
        .collect()
}

/// The glue with the import object's keys and its module name renamed.
fn rename_in_glue(js: &str, module: &str, renames: &[(String, String)]) -> Result<String, String> {
    let quoted = format!("\"{module}\"");
    let short_module = format!("\"{MODULE}\"");
    let mut edits: Vec<(usize, usize, &str)> = match js.match_indices(&quoted).collect::<Vec<_>>()[..]
    {
        [(m, _)] => vec![(m, quoted.len(), &short_module)],
        _ => {
            return Err(format!(
                "the module name {quoted} is not written exactly once"
            ))
        }
    };
    for (old, new) in renames {
        match identifier_at(js, old)[..] {
            [i] => edits.push((i, old.len(), new)),
            ref at => {
                return Err(format!(
                    "the import {old} is written {} times, not once",
                    at.len()
                ))
            }
        }
    }
    edits.sort_unstable_by_key(|e| e.0);
    let mut out = String::with_capacity(js.len());
    let mut from = 0;
    for (i, len, new) in edits {
        out.push_str(&js[from..i]);
        out.push_str(new);
        from = i + len;
    }
    out.push_str(&js[from..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module with a type section and these imports: (module, name, the import's description).
    fn module_with(imports: &[(&str, &str, &[u8])]) -> Vec<u8> {
        let mut section = Vec::new();
        leb(imports.len(), &mut section);
        for (m, f, desc) in imports {
            name(m, &mut section);
            name(f, &mut section);
            section.extend_from_slice(desc);
        }
        let mut b = b"\0asm\x01\0\0\0".to_vec();
        b.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]); // a type section, kept as it is
        b.push(2);
        leb(section.len(), &mut b);
        b.extend_from_slice(&section);
        b
    }

    /// Two functions imported from the glue's module and a memory from elsewhere.
    fn module() -> Vec<u8> {
        module_with(&[
            ("./x_bg.js", "__wbg_log_0123", &[0, 0]),
            ("env", "memory", &[2, 1, 1, 2]),
            ("./x_bg.js", "__wbindgen_throw", &[0, 1]),
        ])
    }

    #[test]
    fn renames_the_glue_module_only_and_keeps_the_rest() {
        let (out, renames) = rename_in_wasm(&module(), "./x_bg.js").unwrap();
        assert_eq!(
            renames,
            [
                ("__wbg_log_0123".to_string(), "a".to_string()),
                ("__wbindgen_throw".to_string(), "b".to_string())
            ]
        );
        let expect = module_with(&[
            ("a", "a", &[0, 0]),
            ("env", "memory", &[2, 1, 1, 2]),
            ("a", "b", &[0, 1]),
        ]);
        assert_eq!(out, expect);
    }

    #[test]
    fn the_glue_keys_change_and_nothing_else() {
        let js = r#"const i = { __wbg_log_0123: function(a) { console.log(a); }, __wbindgen_throw: function() {} };
return { "./x_bg.js": i }; // __wbg_log_01234 is another name"#;
        let renames = [
            ("__wbg_log_0123".to_string(), "a".to_string()),
            ("__wbindgen_throw".to_string(), "b".to_string()),
        ];
        let out = rename_in_glue(js, "./x_bg.js", &renames).unwrap();
        assert_eq!(
            out,
            r#"const i = { a: function(a) { console.log(a); }, b: function() {} };
return { "a": i }; // __wbg_log_01234 is another name"#
        );
    }

    #[test]
    fn a_glue_of_another_shape_stops_the_build() {
        let renames = [("__wbg_log_0123".to_string(), "a".to_string())];
        let twice = r#"{ __wbg_log_0123: f, g: __wbg_log_0123 } "./x_bg.js""#;
        assert!(rename_in_glue(twice, "./x_bg.js", &renames)
            .unwrap_err()
            .contains("2 times"));
        let no_module = "{ __wbg_log_0123: f }";
        assert!(rename_in_glue(no_module, "./x_bg.js", &renames).is_err());
        assert!(rename_in_wasm(&module(), "./y_bg.js").is_err());
        assert!(rename_in_wasm(b"not wasm", "./x_bg.js").is_err());
        assert!(rename_in_wasm(b"\0asm\x01", "./x_bg.js").is_err()); // a header cut short
        let module_twice = r#"{ __wbg_log_0123: f } "./x_bg.js" "./x_bg.js""#;
        assert!(rename_in_glue(module_twice, "./x_bg.js", &renames)
            .unwrap_err()
            .contains("module name"));
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(
            (&names[0][..], &names[51][..], &names[52][..]),
            ("a", "Z", "aa")
        );
        let set: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(set.len(), names.len());
        assert!(names
            .iter()
            .all(|n| n.bytes().all(|b| b.is_ascii_alphabetic())));
    }
}
