//! The CLI's input/output cases, `cli/tests/cmd/*.toml`: each a run of the real binary whose
//! exit code and whole output are compared with the files beside it (trycmd). How to add or
//! update one: `cli/tests/cmd/README.md`.

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
