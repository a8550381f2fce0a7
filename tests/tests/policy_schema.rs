//! `schema/policy.schema.json` is the policy's JSON Schema as yibao-core's types derive it
//! (`yibao_core::policy::schema`): the file editors point their TOML editor at and the office's
//! forms read. Regenerate it after changing a policy type with
//! `YIBAO_BLESS=1 cargo test -p yibao-tests --test policy_schema`.

use std::path::Path;

const FILE: &str = "schema/policy.schema.json";

fn generated() -> String {
    let schema = yibao_core::policy::schema::policy_schema();
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(FILE);
    let want = generated();
    if std::env::var_os("YIBAO_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{FILE} is not the schema yibao-core's policy types derive (a policy type changed?). \
         Regenerate it with `YIBAO_BLESS=1 cargo test -p yibao-tests --test policy_schema` and \
         commit it."
    );
}
