//! libFuzzer entry for the `case_json` target: see `yibao_fuzz::case_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| yibao_fuzz::case_json(data));
