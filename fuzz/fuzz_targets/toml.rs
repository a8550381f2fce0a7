//! libFuzzer entry for the `toml` target: see `yibao_fuzz::toml_text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| yibao_fuzz::toml_text(data));
