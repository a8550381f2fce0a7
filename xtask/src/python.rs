//! The Python package (`python/`, pyo3 + maturin, one abi3 wheel) and the PySpark job, tested
//! with pytest (`python/tests`) in Spark local mode: a generated county-year replayed by the job
//! must give exactly the totals `yibao replay` gives. Installs what it needs: a venv with
//! maturin, pyarrow, pandas, pyspark and pytest (`python/requirements-test.txt`, hashed) and a
//! Java runtime (Debian's) for Spark.

use crate::{root, setup, sh};
use std::path::PathBuf;
use std::process::Command;

/// PyPI versions and hashes of the wheel's build, Arrow, pandas and Spark local mode.
const REQUIREMENTS: &str = "python/requirements-test.txt";

fn venv() -> PathBuf {
    root().join("target/py-venv")
}

fn python() -> PathBuf {
    venv().join("bin/python")
}

/// `pip install` in the venv, quietly.
fn pip_install() -> Command {
    let mut c = Command::new(python());
    c.args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]);
    c
}

pub fn ensure_venv() -> Result<(), String> {
    if !python().exists() {
        sh(Command::new("python3").args(["-m", "venv"]).arg(venv()))?;
    }
    let stamp = venv().join("yibao-pins.txt");
    let want = std::fs::read_to_string(root().join(REQUIREMENTS))
        .map_err(|e| format!("{REQUIREMENTS}: {e}"))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
        sh(pip_install()
            .args(["--require-hashes", "-r"])
            .arg(root().join(REQUIREMENTS)))?;
        std::fs::write(&stamp, want).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Spark needs a Java runtime (17 or later for Spark 4).
fn ensure_java() -> Result<(), String> {
    let ok = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        setup::apt_install(&["default-jre-headless"])?;
    }
    Ok(())
}

/// Build the wheel (release, abi3) and install it into the venv; the wheel's path.
pub fn wheel() -> Result<PathBuf, String> {
    ensure_venv()?;
    let out = root().join("target/wheels");
    let _ = std::fs::remove_dir_all(&out);
    sh(Command::new(venv().join("bin/maturin"))
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
    sh(pip_install()
        .args(["--force-reinstall", "--no-deps"])
        .arg(&wheel))?;
    Ok(wheel)
}

/// The wheel builds and installs; `python/tests` (pytest) check the package and the Spark job
/// (local mode) against `yibao replay` on a generated county-year.
pub fn test() -> Result<(), String> {
    ensure_java()?;
    let wheel = wheel()?;
    eprintln!("wheel: {}", wheel.display());
    sh(crate::cargo().args(["build", "--quiet", "-p", "yibao-cli"]))?;
    sh(Command::new(python())
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider"])
        .arg(root().join("python/tests"))
        .env("YIBAO_CLI", root().join("target/debug/yibao")))
}
