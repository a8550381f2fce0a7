"""A province's claims on a Spark cluster: the same replay as ``yibao replay``, partition by partition.

Claims are repartitioned by person (so each person's year is in one partition) and sorted within
partitions by person, date and claim id; each partition goes through ``yibao.replay`` in a
``mapInArrow`` task, which chains each person's year to date exactly as the command line does.
Amounts come back as ``decimal(18, 2)`` (the ratio ``pool_prop_selfpay`` as ``decimal(5, 4)``) and are summed by Spark exactly.

    spark-submit --py-files yibao.whl -m yibao.spark --claims hdfs:///claims.parquet \\
        --policy my-policy.toml --out hdfs:///results.parquet --json totals.json

Locally (what the test command runs): ``python -m yibao.spark --master local[2] --claims c.csv ...``.
"""

import argparse
import json

import yibao

# The totals compared with ``yibao replay --json`` (summary.all): the settlement fields core's
# table marks as summed (``replay::Totals``), each a column of the results.
TOTALS = [key for key, _zh, _en, _szh, _sen, summed in yibao.settlement_fields() if summed]


def replay_dataframe(df, policy, partitions, policy_name="policy.toml"):
    """The per-claim results of a claims DataFrame (any column types: cells are read as text)."""
    from pyspark.sql import functions as F

    ddl = yibao.results_ddl()
    # The reader takes every cell as text, whatever Spark inferred.
    df = df.select([F.col(c).cast("string").alias(c) for c in df.columns])
    df = df.repartition(partitions, "person_id").sortWithinPartitions("person_id", "date", "claim_id")

    def run(batches):
        import yibao as y

        batches = list(batches)
        if not batches:
            return
        out, _, bad = y.replay(policy, batches, policy_name)
        if bad != "[]":
            raise ValueError("unreadable claims rows: " + bad)
        yield out

    return df.mapInArrow(run, ddl)


def totals(results):
    from pyspark.sql import functions as F

    ok = results.where(F.col("problem").isNull())
    row = ok.agg(F.count("*").alias("claims"), *[F.sum(c).alias(c) for c in TOTALS]).collect()[0]
    out = {"claims": row["claims"]}
    for c in TOTALS:
        v = row[c]
        out[c] = "0" if v is None else format(v.normalize(), "f")
    out["refused"] = results.where(F.col("problem").isNotNull()).count()
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", required=True, help="claims CSV or Parquet")
    ap.add_argument("--policy", required=True, help="a shipped id or a TOML/JSON policy file")
    ap.add_argument("--master", default=None, help="e.g. local[2]; default: spark-submit's")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--out", help="write the per-claim results here (Parquet)")
    ap.add_argument("--json", help="write the totals here")
    a = ap.parse_args(argv)

    import os
    import sys

    from pyspark.sql import SparkSession

    # Local workers run this interpreter (the one with yibao and pyarrow installed).
    if a.master and a.master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    b = SparkSession.builder.appName("yibao-replay")
    if a.master:
        b = b.master(a.master).config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", str(a.partitions))
    spark = b.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if a.claims.endswith(".parquet"):
        df = spark.read.parquet(a.claims)
    else:
        df = spark.read.option("header", True).option("inferSchema", False).csv(a.claims)
    name = a.policy if a.policy.endswith((".toml", ".json")) else a.policy + ".toml"
    results = replay_dataframe(df, yibao.policy_text(a.policy), a.partitions, name).cache()
    t = totals(results)
    if a.out:
        results.write.mode("overwrite").parquet(a.out)
    text = json.dumps(t, indent=2)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            f.write(text)
    print(text)
    spark.stop()


if __name__ == "__main__":
    main()
