//! libFuzzer entry for the `estimate` target: see `yibao_fuzz::estimate_case`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| yibao_fuzz::estimate_case(data));
