//! `cargo run -p yibao-data`: rewrite `data/diagnoses.idx` from the tables beside it.

fn main() -> std::process::ExitCode {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let written = yibao_data::generate(&root).and_then(|text| {
        let out = root.join(yibao_data::OUT);
        std::fs::write(&out, &text).map_err(|e| format!("{}: {e}", out.display()))?;
        Ok(text.len())
    });
    match written {
        Ok(n) => {
            eprintln!("wrote {}: {n} bytes", yibao_data::OUT);
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("diagnoses-index: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
