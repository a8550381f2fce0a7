"""The Python package and the PySpark job give exactly the totals `yibao replay` gives.

Run by `cargo xtask python` (which builds and installs the wheel into its venv, and the CLI) as
`python -m pytest python/tests`; the CLI binary is named by the environment variable YIBAO_CLI.
A generated county-year (30,000 claims of the demo county) is replayed by the CLI, by the package
on a pyarrow table, and by the Spark job in local mode from CSV and from Parquet.
"""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POLICY = "policies/demo-county/resident-2024.toml"


def yibao(*args):
    cli = os.environ.get("YIBAO_CLI")
    if not cli:
        pytest.fail("YIBAO_CLI names no yibao binary (cargo xtask python sets it)")
    subprocess.run([cli, *map(str, args)], check=True, cwd=ROOT)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The claims as CSV and Parquet, and the CLI's replay report of them."""
    work = tmp_path_factory.mktemp("county")
    files = {"csv": work / "claims.csv", "parquet": work / "claims.parquet"}
    for out in files.values():
        yibao("claims", "generate", "--policy", POLICY, "--claims", 30000, "--seed", 5, "--out", out)
    report = work / "cli.json"
    yibao("replay", "--policy", POLICY, "--claims", files["csv"], "--json", report)
    return files, json.loads(report.read_text())


def test_the_cli_replayed_the_county(county):
    _, cli = county
    assert int(cli["policies"][0]["summary"]["all"]["claims"]) > 0


def test_the_package_on_an_arrow_table_gives_the_cli_totals(county):
    import pyarrow.parquet as pq

    import yibao as yb

    files, cli = county
    rows, summary = yb.replay_table(yb.policy_text(POLICY), pq.read_table(files["parquet"]))
    assert str(rows.schema.field("fund_pay_sumamt").type) == "decimal128(18, 2)"
    assert summary["all"] == cli["policies"][0]["summary"]["all"]


def same(a, b):
    """Equal amounts as decimals (Spark writes "0" where the CLI writes "0.00"); else equal."""
    if isinstance(a, str) and isinstance(b, str):
        try:
            return Decimal(a) == Decimal(b)
        except ArithmeticError:
            return a == b
    return a == b


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_the_spark_job_in_local_mode_gives_the_cli_totals(county, kind, tmp_path):
    files, cli = county
    out = tmp_path / f"spark-{kind}.json"
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1")
    subprocess.run(
        [sys.executable, "-m", "yibao.spark", "--master", "local[2]", "--partitions", "3",
         "--claims", str(files[kind]), "--policy", POLICY, "--json", str(out)],
        check=True, cwd=ROOT, env=env,
    )
    spark = json.loads(out.read_text())
    want = dict(cli["policies"][0]["summary"]["all"], refused=len(cli["refused"]))
    assert spark, "the Spark job wrote no totals"
    differ = {k: (v, want.get(k)) for k, v in spark.items() if not same(v, want.get(k))}
    assert not differ, f"Spark ({kind}) differs from the CLI: {differ}"
