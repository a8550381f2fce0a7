//! libFuzzer entry for the `js_value` target: see `yibao_fuzz::js_value`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| yibao_fuzz::js_value(data));
