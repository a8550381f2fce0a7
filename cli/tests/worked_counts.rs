//! `yibao test policies` tells published worked examples (the source's own figures) from
//! constructed ones (the authors' arithmetic), and a published case must name its source.

mod common;
use common::yibao;

/// Published and constructed cases under `policies/`, counted from the TOML itself: a case is
/// published when it has a `published` table naming a non-blank `source` and `quote`.
fn counted_here() -> (usize, usize) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies");
    let (mut published, mut constructed) = (0, 0);
    let mut dirs = vec![std::path::PathBuf::from(root)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                // `yibao test` leaves the demo's example inputs out.
                if name != "examples" {
                    dirs.push(path);
                }
                continue;
            }
            if !name.ends_with(".cases.toml") {
                continue;
            }
            let table: toml::Table = std::fs::read_to_string(&path).unwrap().parse().unwrap();
            for case in table["cases"].as_array().unwrap() {
                let said = |k: &str| {
                    case.get("published")
                        .and_then(|p| p.get(k))
                        .and_then(|v| v.as_str())
                        .is_some_and(|s| !s.trim().is_empty())
                };
                if said("source") && said("quote") {
                    published += 1;
                } else {
                    assert!(case.get("published").is_none(), "{name}: {case:?}");
                    constructed += 1;
                }
            }
        }
    }
    (published, constructed)
}

#[test]
fn test_prints_the_published_and_constructed_counts() {
    let out = yibao(&["test", "policies"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    let (published, constructed) = counted_here();
    assert!(published > 0, "no published worked case under policies/");
    assert!(constructed > 0);
    let line = format!(
        "公布算例 {published} / 自行构造 {constructed} · published {published} / constructed {constructed}"
    );
    assert!(said.contains(&line), "missing {line:?} in:\n{said}");
}

#[test]
fn a_published_case_without_its_source_is_refused_when_read() {
    let dir = std::env::temp_dir().join(format!("yibao-published-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../policies/sichuan-ziyang/critical-illness.toml"
    ))
    .unwrap();
    std::fs::write(dir.join("p.toml"), policy).unwrap();
    let case = |published: &str| {
        format!(
            "[[cases]]\nid = \"c\"\ntitle = \"t\"\n{published}\n[cases.input]\ndate = 2020-01-01\nlevel = \"hospital\"\nbill = {{ total = \"50000\", in_scope = \"50000\" }}\nknown = {{ hifp_pay = \"0\" }}\n[cases.expect]\nhifmi_pay = \"21000\"\n"
        )
    };
    let run = |published: &str| {
        std::fs::write(dir.join("p.cases.toml"), case(published)).unwrap();
        let out = yibao(&["test", dir.to_str().unwrap()]);
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    // Each way of leaving the source out is a coded problem at its key, in both languages.
    for (published, code, path) in [
        (
            "published = { quote = \"计算示例\" }",
            "missing_field",
            "cases[0].published.source",
        ),
        (
            "published = { source = \" \", quote = \"计算示例\" }",
            "invalid_value",
            "cases[0].published.source",
        ),
        (
            "published = \"资阳市大病保险算例\"",
            "invalid_type",
            "cases[0].published",
        ),
    ] {
        let said = run(published);
        assert!(said.contains(&format!("({code})")), "{published}: {said}");
        assert!(said.contains(&format!("[{path}]")), "{published}: {said}");
        assert!(said.contains("0 passed, 1 failed"), "{published}: {said}");
    }
    // A source that names nothing a reader can find fails the case.
    let said = run("published = { source = \"somewhere\", quote = \"计算示例\" }");
    assert!(said.contains("published.source"), "{said}");
    assert!(said.contains("0 passed, 1 failed"), "{said}");
    // The policy's own source id, a URL or a 《document》 is a published case.
    for source in ["zy", "https://example.org/a", "《资阳市大病保险政策解读》"] {
        let said = run(&format!(
            "published = {{ source = \"{source}\", quote = \"计算示例\" }}"
        ));
        assert!(said.contains("1 passed, 0 failed"), "{source}: {said}");
        assert!(
            said.contains("published 1 / constructed 0"),
            "{source}: {said}"
        );
    }
    let said = run("");
    assert!(said.contains("published 0 / constructed 1"), "{said}");
    std::fs::remove_dir_all(&dir).ok();
}
