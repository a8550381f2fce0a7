//! The Python package (`python/`, pyo3 + maturin, one abi3 wheel) and the PySpark job, tested
//! in Spark local mode: a generated county-year replayed by the job must give exactly the totals
//! `yibao replay` gives. Installs what it needs: a venv with maturin, pyarrow, pandas and pyspark
//! (pinned, from PyPI) and a Java runtime (Debian's) for Spark.

use crate::{root, setup, sh};
use std::path::{Path, PathBuf};
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

fn ensure_venv() -> Result<(), String> {
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

fn yibao() -> Command {
    let mut c = crate::cargo();
    c.args(["run", "--quiet", "-p", "yibao-cli", "--"]);
    c
}

fn read_json(p: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
}

/// The wheel builds and imports; the Spark job (local mode) on a generated county-year, from
/// CSV and from Parquet, gives exactly the CLI's totals.
pub fn test() -> Result<(), String> {
    ensure_java()?;
    let wheel = wheel()?;
    eprintln!("wheel: {}", wheel.display());
    let work = root().join("target/py-test");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let policy = "policies/demo-county/resident-2024.toml";
    let csv = work.join("claims.csv");
    let parquet = work.join("claims.parquet");
    for out in [&csv, &parquet] {
        sh(yibao()
            .args([
                "claims", "generate", "--policy", policy, "--claims", "30000", "--seed", "5",
                "--out",
            ])
            .arg(out))?;
    }
    let cli_json = work.join("cli.json");
    sh(yibao()
        .args(["replay", "--policy", policy, "--claims"])
        .arg(&csv)
        .arg("--json")
        .arg(&cli_json))?;
    let cli = read_json(&cli_json)?;
    let all = &cli["policies"][0]["summary"]["all"];
    let refused = cli["refused"].as_array().map_or(0, Vec::len);
    // The package alone, on a pyarrow table (what a pandas or Polars user does).
    let arrow_json = work.join("arrow.json");
    sh(Command::new(python()).arg("-c").arg(format!(
        "import json, pyarrow.parquet as pq, yibao\n\
         r, s = yibao.replay_table(yibao.policy_text({policy:?}), pq.read_table({:?}))\n\
         assert r.schema.field('fund_pay_sumamt').type.__str__() == 'decimal128(18, 2)'\n\
         json.dump(s, open({:?}, 'w'))",
        parquet.display().to_string(),
        arrow_json.display().to_string()
    )))?;
    let from_arrow = read_json(&arrow_json)?;
    let mut problems = vec![];
    if from_arrow["all"] != *all {
        problems.push(format!(
            "the package on Arrow: {} ≠ CLI {}",
            from_arrow["all"], all
        ));
    }
    for (name, claims) in [("csv", &csv), ("parquet", &parquet)] {
        let out = work.join(format!("spark-{name}.json"));
        sh(Command::new(python())
            .args([
                "-m",
                "yibao.spark",
                "--master",
                "local[2]",
                "--partitions",
                "3",
                "--claims",
            ])
            .arg(claims)
            .args(["--policy", policy, "--json"])
            .arg(&out)
            .env("SPARK_LOCAL_IP", "127.0.0.1"))?;
        let spark = read_json(&out)?;
        for (k, v) in spark.as_object().into_iter().flatten() {
            let want = match k.as_str() {
                "refused" => serde_json::json!(refused),
                _ => all[k].clone(),
            };
            // Amounts are compared as decimals: Spark writes "0" where the CLI writes "0.00".
            let same = match (v.as_str(), want.as_str()) {
                (Some(a), Some(b)) => same_amount(a, b),
                _ => *v == want,
            };
            if !same {
                problems.push(format!("Spark ({name}) {k}: {v} ≠ CLI {want}"));
            }
        }
        eprintln!(
            "Spark local mode ({name}): totals equal the CLI's: {}",
            spark["fund_pay_sumamt"]
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Two decimal texts name the same amount ("12.50" and "12.5", "0" and "0.00").
fn same_amount(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim();
        match s.split_once('.') {
            Some((i, f)) => {
                let f = f.trim_end_matches('0');
                if f.is_empty() {
                    i.to_string()
                } else {
                    format!("{i}.{f}")
                }
            }
            None => s.to_string(),
        }
    };
    norm(a) == norm(b)
}
