//! `--policy` in core's one order (`policy::lookup`, also the package's and Python's): a file the
//! user names wins over a shipped policy of the same name; else a shipped id; else
//! `unknown_policy`, exit code 2.

use std::process::{Command, Output};

fn yibao_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run yibao")
}

fn policy_id(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["policy"]["meta"]["id"].as_str().unwrap().to_string()
}

#[test]
fn a_file_then_a_shipped_id_then_unknown_policy() {
    let dir = std::env::temp_dir().join(format!("yibao-lookup-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("demo-county")).unwrap();
    let shipped = "demo-county/resident-2024";
    // Another shipped policy's export, saved under the demo's id as its path.
    let other = yibao_in(
        &dir,
        &["export", "--policy", "chongqing-yubei/resident-2023"],
    );
    assert!(other.status.success());
    let export = |dir: &std::path::Path, spec: &str| yibao_in(dir, &["export", "--policy", spec]);
    // Without the file: the shipped demo.
    assert_eq!(policy_id(&export(&dir, shipped)), shipped);
    std::fs::write(dir.join(shipped), &other.stdout).unwrap();
    // With it: the user's file wins.
    assert_eq!(
        policy_id(&export(&dir, shipped)),
        "chongqing-yubei/resident-2023"
    );
    // A shipped id also with `policies/` and `.toml`.
    assert_eq!(
        policy_id(&export(&dir, "policies/tianjin/resident-2024.toml")),
        "tianjin/resident-2024"
    );
    // Neither: unknown_policy, in both languages, exit code 2.
    let out = export(&dir, "no-such/policy");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("(unknown_policy)") && err.contains("找不到政策") && err.contains("no policy"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
