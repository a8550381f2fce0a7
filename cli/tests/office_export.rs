//! The office workbench's Publish hands out a TOML file and its JSON: the JSON must be, byte for
//! byte, what the real `yibao export` prints for that TOML file — run here as the binary, not
//! recomputed — and each SHA-256 must be of the bytes it names.

mod common;
use common::yibao;
use yibao_core::policy::load::parse_policy;
use yibao_web::model::office::publish::export;

#[test]
fn the_offices_json_is_what_yibao_export_prints_for_its_toml() {
    let dir = std::env::temp_dir().join(format!("yibao-office-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for path in [
        "demo-county/resident-2024.toml",
        "sichuan-dazhou/employee-2024.toml",
        "henan-anyang/huiminbao-2022.toml",
    ] {
        let text = yibao_shipped::file(path).unwrap();
        let e = export(&parse_policy(text, path).unwrap()).unwrap();
        let file = dir.join(format!("{}.toml", e.stem));
        std::fs::write(&file, &e.toml).unwrap();
        let out = yibao(&["export", "--policy", file.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{path}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8(out.stdout).unwrap(), e.json, "{path}");
        assert_eq!(
            e.policy_sha256,
            yibao_core::trace::sha256_hex(e.toml.as_bytes()),
            "{path}"
        );
        assert_eq!(
            e.json_sha256,
            yibao_core::trace::sha256_hex(e.json.as_bytes()),
            "{path}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
