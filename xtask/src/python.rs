//! The Python package (`python/`, pyo3 + maturin, one abi3 wheel) and the PySpark job, tested
//! with pytest (`python/tests`) in Spark local mode: a generated county-year replayed by the job
//! must give exactly the totals `yibao replay` gives. The venv (`python/requirements-test.txt`,
//! hashed) and the Java runtime Spark needs are `setup.sh`'s.

use crate::{root, sh};
use std::process::Command;

/// Build the wheel (release, abi3), install it into the venv, and run pytest.
pub fn test() -> Result<(), String> {
    let venv = root().join("target/py-venv/bin");
    let out = root().join("target/wheels");
    let _ = std::fs::remove_dir_all(&out);
    sh(Command::new(venv.join("maturin"))
        .args(["build", "--release", "--quiet", "-m"])
        .arg(root().join("python/Cargo.toml"))
        .arg("-o")
        .arg(&out)
        .env("CARGO_TARGET_DIR", root().join("target/python")))?;
    let wheel = std::fs::read_dir(&out)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("maturin wrote no wheel")?;
    sh(Command::new(venv.join("python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(["--force-reinstall", "--no-deps"])
        .arg(&wheel))?;
    sh(crate::cargo().args(["build", "--quiet", "-p", "yibao-cli"]))?;
    sh(Command::new(venv.join("python"))
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(root().join("python/tests"))
        .env("YIBAO_CLI", root().join("target/debug/yibao")))
}
