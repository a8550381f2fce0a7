//! libFuzzer entry for the `policy_json` target: see `yibao_fuzz::policy_json`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| yibao_fuzz::policy_json(data));
