//! The national diagnosis search index, `data/diagnoses.idx`, from the
//! 医保版 2.0 list and map (`data/nhsa/`), the project's everyday words (`data/aliases.tsv`) and
//! 基层病组 prefixes (`data/primary-prefixes.tsv`, with `data/chs-drg-3.0/primary-groups.csv`).
//! Format: `core/src/diagnosis.rs`. `cargo run -p yibao-data` rewrites it.
//!
//! A generator whose output is kept in the repository (and checked by a test to be what it makes),
//! not a build script: the one file is what the CLI embeds, the widget serves and the package
//! ships, byte for byte; the `pinyin` crate (a table of every CJK character) stays out of every
//! product build; and a change to the alias table shows as a reviewable diff of the index.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

pub const OUT: &str = "data/diagnoses.idx";

fn read(root: &Path, rel: &str) -> Result<String, String> {
    fs::read_to_string(root.join(rel)).map_err(|e| format!("{rel}: {e}"))
}

/// Rows of a tab- or space-separated table, comments (`#`) and the header row left out.
fn rows<'a>(text: &'a str, sep: char, header: Option<&str>) -> impl Iterator<Item = Vec<&'a str>> {
    let header = header.map(str::to_string);
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter(move |l| header.as_deref().is_none_or(|h| !l.starts_with(h)))
        .map(move |l| match sep {
            ' ' => l.split_whitespace().collect(),
            _ => l.split(sep).collect(),
        })
}

/// The index text.
pub fn generate(root: &Path) -> Result<String, String> {
    let mut list: BTreeMap<String, String> = BTreeMap::new();
    for r in rows(&read(root, "data/nhsa/ZD_INFO.dat")?, ' ', None) {
        let [code, name] = r[..] else {
            return Err(format!("ZD_INFO.dat: {r:?}"));
        };
        list.insert(code.into(), name.into());
    }
    let mut map = Vec::new();
    for r in rows(&read(root, "data/nhsa/ZD_MAP.dat")?, ' ', None) {
        let [from, to] = r[..] else {
            return Err(format!("ZD_MAP.dat: {r:?}"));
        };
        // Identity rows and codes of the list itself add nothing; a target outside the list
        // cannot be shown, and is counted by the test.
        if from != to && !list.contains_key(from) && list.contains_key(to) {
            map.push(format!("{from} {to}"));
        }
    }
    map.sort();
    map.dedup();
    let mut aliases = Vec::new();
    for r in rows(&read(root, "data/aliases.tsv")?, '\t', Some("word\t")) {
        let [word, code, _source] = r[..] else {
            return Err(format!("aliases.tsv: {r:?}"));
        };
        aliases.push((word.to_string(), code.to_string()));
    }
    let groups_csv = read(root, "data/chs-drg-3.0/primary-groups.csv")?;
    let names: BTreeMap<&str, &str> = rows(&groups_csv, ',', Some("code,"))
        .map(|r| (r[0], r[1]))
        .collect();
    let mut groups = Vec::new();
    for r in rows(
        &read(root, "data/primary-prefixes.tsv")?,
        '\t',
        Some("prefix\t"),
    ) {
        let [prefix, group] = r[..] else {
            return Err(format!("primary-prefixes.tsv: {r:?}"));
        };
        let name = names
            .get(group)
            .ok_or_else(|| format!("primary-prefixes.tsv: {group} is not a 基层病组"))?;
        // The name's own comma and spaces would split the line: the reader takes the third field.
        groups.push(format!("{prefix} {group} {}", name.replace([' ', ','], "")));
    }
    // Each character's reading (the crate's first, most common one), sorted by character.
    let mut sounds: BTreeMap<char, &'static str> = BTreeMap::new();
    let text = list.values().chain(aliases.iter().map(|a| &a.0));
    for c in text.flat_map(|t| t.chars()) {
        if let Some(p) = pinyin::ToPinyin::to_pinyin(&c) {
            sounds.insert(c, p.plain());
        }
    }
    let mut out = String::from("yibao-diagnoses 1\n#pinyin\n");
    for (c, s) in &sounds {
        out.push_str(&format!("{c} {s}\n"));
    }
    out.push_str("#list\n");
    for (c, n) in &list {
        out.push_str(&format!("{c} {n}\n"));
    }
    out.push_str("#map\n");
    for m in &map {
        out.push_str(m);
        out.push('\n');
    }
    out.push_str("#alias\n");
    for (w, c) in &aliases {
        out.push_str(&format!("{w} {c}\n"));
    }
    out.push_str("#group\n");
    for g in &groups {
        out.push_str(g);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};
    use std::collections::BTreeSet;
    use yibao_core::diagnosis::National;

    fn root() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// The kept index is what the generator makes from `data/` (run `cargo run -p yibao-data`).
    #[test]
    fn index_is_up_to_date() {
        let made = generate(&root()).unwrap();
        let kept = fs::read_to_string(root().join(OUT)).unwrap();
        assert!(
            made == kept,
            "{OUT} is stale: run `cargo run -p yibao-data`"
        );
    }

    /// The copied NHSA tables are the upstream bytes (their SHA256SUMS).
    #[test]
    fn nhsa_tables_match_their_hashes() {
        let sums = fs::read_to_string(root().join("data/nhsa/SHA256SUMS")).unwrap();
        let mut checked = 0;
        for line in sums.lines() {
            let (hash, name) = line.split_once("  ").unwrap();
            let path = root().join("data/nhsa").join(name);
            if !path.exists() {
                assert_eq!(name, "SS_INFO.dat", "only the procedure list is left out");
                continue;
            }
            let got = format!("{:x}", Sha256::digest(fs::read(path).unwrap()));
            assert_eq!(got, hash, "{name}");
            checked += 1;
        }
        assert_eq!(checked, 2);
    }

    /// Every everyday word points at a code the list has (or heads some), every map target and
    /// 基层病组 prefix too, and every character of a name has a reading.
    #[test]
    fn every_alias_and_map_row_resolves() {
        let root = root();
        let text = generate(&root).unwrap();
        let nat = National::parse(&text).expect("core reads the index");
        assert_eq!(nat.len(), 33_304);
        let aliases: Vec<_> = rows(
            &read(&root, "data/aliases.tsv").unwrap(),
            '\t',
            Some("word\t"),
        )
        .map(|r| (r[0].to_string(), r[1].to_string(), r[2].to_string()))
        .collect();
        assert!(aliases.len() >= 400, "{} everyday words", aliases.len());
        assert_eq!(nat.aliases(), aliases.len());
        let words: BTreeSet<_> = aliases.iter().map(|a| &a.0).collect();
        assert_eq!(words.len(), aliases.len(), "a word listed twice");
        // `National::parse` refuses a word whose code neither is in the list nor heads a code
        // of it; each word also has its source.
        for (w, _, source) in &aliases {
            assert!(!source.trim().is_empty() && !w.contains(' '), "{w}");
        }
        // The map: each 国临版 / older code resolves to its 医保版 code (a code of the list
        // itself stays itself).
        let zd = read(&root, "data/nhsa/ZD_INFO.dat").unwrap();
        let list: BTreeSet<&str> = rows(&zd, ' ', None).map(|r| r[0]).collect();
        let mut mapped = 0;
        for r in rows(&read(&root, "data/nhsa/ZD_MAP.dat").unwrap(), ' ', None) {
            let (from, to) = (r[0], r[1]);
            if nat.resolve_code(to).map(|c| c.0) != Some(to) {
                continue;
            }
            let own = list.contains(from);
            let want = if own { from } else { to };
            assert_eq!(nat.resolve_code(from).map(|c| c.0), Some(want), "{from}");
            mapped += usize::from(from != want);
        }
        assert!(mapped > 4_000, "{mapped} codes mapped");
    }
}
