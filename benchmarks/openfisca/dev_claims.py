"""A seeded generator of inpatient claims in the format of `yibao claims generate`, for developing
and checking the OpenFisca side before (or beside) the Rust generator.

    python dev_claims.py --claims 450000 --seed 19 --out claims.csv

Persons have one to a dozen admissions in the policy year; a few are heavy users whose bills reach
the basic fund's annual cap and every band of the 大病 layer. Amounts are in yuan with 2 decimals.
"""

import argparse
import csv
import datetime
import random
import sys

COLUMNS = (
    "claim_id,person_id,date,setting,level,category,age,disease,route,units,total,in_scope,"
    "jia,yi,bing,special,from_level,slip,slip_date,filing,filing_kind,emergency,accident"
).split(",")
LEVELS = (("township", 0.45, 3000.0), ("county", 0.40, 9000.0), ("city", 0.15, 22000.0))


def fen(x: float) -> str:
    return f"{max(round(x, 2), 0.01):.2f}"


def generate(n: int, seed: int, year: int = 2024, category: str = "resident"):
    rng = random.Random(seed)
    start = datetime.date(year, 1, 1)
    days = (datetime.date(year, 12, 31) - start).days + 1
    claims = []
    person = 0
    while len(claims) < n:
        person += 1
        heavy = rng.random() < 0.03
        k = min(1 + int(rng.expovariate(1 / (4.0 if heavy else 0.6))), 12, n - len(claims))
        age = rng.randint(0, 95)
        for d in sorted(rng.randrange(days) for _ in range(k)):
            r = rng.random()
            level, median = next((lv, m) for lv, p, m in _cum(LEVELS) if r < p)
            total = rng.lognormvariate(0, 0.9) * median * (2.5 if heavy else 1.0)
            total = float(fen(min(total, 400000.0)))
            in_scope = min(float(fen(total * rng.uniform(0.65, 0.99))), total)
            claims.append((start + datetime.timedelta(days=d), f"P{person:07d}", level, age, total, in_scope))
    # A claims file comes in date order; ties keep the order they were drawn in.
    claims.sort(key=lambda c: c[0])
    for i, (date, pid, level, age, total, in_scope) in enumerate(claims, 1):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            claim_id=f"C{i:08d}", person_id=pid, date=date.isoformat(), setting="inpatient",
            level=level, category=category, age=str(age), total=f"{total:.2f}", in_scope=f"{in_scope:.2f}",
        )
        yield row


def _cum(levels):
    acc = 0.0
    for lv, p, m in levels:
        acc += p
        yield lv, (acc if lv != levels[-1][0] else 1.01), m


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--claims", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    out = sys.stdout if a.out == "-" else open(a.out, "w", newline="", encoding="utf-8")
    w = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(generate(a.claims, a.seed))


if __name__ == "__main__":
    main()
