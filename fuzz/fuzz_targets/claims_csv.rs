//! libFuzzer entry for the `claims_csv` target: see `yibao_fuzz::claims_csv`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| yibao_fuzz::claims_csv(data));
