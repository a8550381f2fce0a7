"""Settle a sample of persons' claims with the yibao CLI, one `yibao estimate` per claim with the
year to date chained (`ytd_after` of a claim is the `[ytd]` of the next), and write yibao's
per-claim amounts in the format of run.py's output, to check the OpenFisca system on a sample
before (or without) `yibao replay`.

    python check_yibao.py CLAIMS.csv --yibao path/to/yibao --out yibao-sample.csv [--max-claims 60]
    python compare.py yibao-sample.csv openfisca-float64.csv --subset --examples 10

The sample takes the persons of --with-claims first, then those with the largest in-scope totals first (they reach the basic fund's
annual cap and the 大病 bands and cap), then persons with several admissions, until --max-claims.
"""

import argparse
import csv
import json
import random
import subprocess
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).parent
FIELDS = ("hifp_pay", "hifmi_pay", "fund_pay_sumamt", "psn_part_amt")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("claims")
    ap.add_argument("--yibao", default="yibao")
    ap.add_argument("--policy", default=str(HERE / "policy.toml"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-claims", type=int, default=60)
    ap.add_argument("--heavy", type=int, default=4, help="persons taken by largest in-scope total")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--with-claims", default="", help="comma-separated claim ids whose persons are taken first")
    a = ap.parse_args()

    by_person = defaultdict(list)
    wanted, first = set(filter(None, a.with_claims.split(","))), []
    with open(a.claims, newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f)):
            by_person[r["person_id"]].append((r["date"], i, r))
            if r["claim_id"] in wanted:
                first.append(r["person_id"])
    heavy = sorted(by_person, key=lambda p: -sum(Decimal(r["in_scope"]) for *_, r in by_person[p]))
    several = [p for p in by_person if len(by_person[p]) >= 3]
    random.Random(a.seed).shuffle(several)
    chosen, n = [], 0
    for p in first + heavy[: a.heavy] + several:
        if p in chosen or n + len(by_person[p]) > a.max_claims:
            continue
        chosen.append(p)
        n += len(by_person[p])

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        case_path = Path(tmp) / "case.json"
        for p in chosen:
            ytd = {}
            for _, _, r in sorted(by_person[p], key=lambda t: (t[0], t[1])):
                case = {
                    "date": r["date"], "setting": r["setting"] or "inpatient", "level": r["level"],
                    "patient": {"category": r["category"]} if r["category"] else {},
                    "bill": {"total": r["total"], "in_scope": r["in_scope"] or r["total"]},
                    "ytd": ytd,
                }
                case_path.write_text(json.dumps(case))
                res = subprocess.run(
                    [a.yibao, "estimate", "--policy", a.policy, "--case", str(case_path), "--json"],
                    capture_output=True, text=True, check=True,
                )
                est = json.loads(res.stdout)
                s = est["settlement"]
                ytd = est["ytd_after"]
                rows.append([r["claim_id"], *(f"{Decimal(s[k]):.2f}" for k in FIELDS)])
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("claim_id," + ",".join(FIELDS) + "\n")
        f.writelines(",".join(row) + "\n" for row in rows)
    print(json.dumps({"persons": len(chosen), "claims": len(rows), "out": a.out}))


if __name__ == "__main__":
    main()
