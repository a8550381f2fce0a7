"""The benchmark rule settled claim by claim in exact decimal arithmetic (Python `decimal`), the
way yibao's engine does it (core/src/estimate: general.rs, schedule.rs, layers.rs, mod.rs), for
counting OpenFisca's float errors on a large file before `yibao replay` exists. It is checked
against the yibao CLI on a sample (check_yibao.py); yibao's own replay is the reference of record.

    python exact.py CLAIMS.csv --out exact.csv
"""

import argparse
import csv
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from system import OUTPUTS, POLICY  # noqa: E402

import tomllib  # noqa: E402

FEN = Decimal("0.01")
Z = Decimal(0)


def rd(x):
    return x.quantize(FEN, rounding=ROUND_HALF_UP)


def rate(s):
    return Decimal(s[:-1]) / 100 if s.endswith("%") else Decimal(s)


def load(path):
    doc = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    inp = doc["inpatient"]
    (layer,) = [la for la in doc["layers"] if la["pays_into"] == "hifmi_pay"]
    return {
        "ded": {k: Decimal(v) for k, v in inp["deductible"]["by_level"].items()},
        "ratio": {k: rate(v) for k, v in inp["ratio"]["rates"].items()},
        "cap": Decimal(inp["caps"]["annual_fund"]),
        "threshold": Decimal(layer["threshold"]),
        "base": layer["base"],
        "tiers": [(Decimal(t["up_to"]) if "up_to" in t else None, rate(t["rate"])) for t in layer["tiers"]],
        "mi_cap": Decimal(layer["annual_cap"]),
    }


def schedule(P, amount):
    """schedule::pay: what the tiers pay on a cumulative amount."""
    offset = P["threshold"] if P["base"] == "above_threshold" else Z
    lower, paid = Z, Z
    for up_to, r in P["tiers"]:
        lo = max(lower + offset, P["threshold"])
        hi = amount if up_to is None else min(up_to + offset, amount)
        if hi > lo:
            paid += (hi - lo) * r
        if up_to is None:
            break
        lower = up_to
    return paid


def settle(P, level, total, in_scope, ytd):
    ded = min(P["ded"][level], in_scope)
    hifp = (in_scope - ded) * P["ratio"][level] if in_scope > ded else Z
    burden = in_scope - hifp
    left = max(P["cap"] - ytd["hifp"], Z)
    if hifp > left:
        burden += hifp - left
        hifp = left
    before = ytd["base"]
    raw = max(schedule(P, before + burden) - schedule(P, before), Z)
    pay = min(raw, max(P["mi_cap"] - ytd["paid"], Z), burden)
    hifp_r = rd(hifp)
    fund = rd(hifp + pay)
    out = {"hifp_pay": hifp_r, "hifmi_pay": fund - hifp_r, "fund_pay_sumamt": fund,
           "psn_part_amt": rd(total) - fund}
    ytd["hifp"] += hifp_r
    ytd["base"] += burden
    ytd["paid"] += fund - hifp_r
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("claims")
    ap.add_argument("--out", required=True)
    ap.add_argument("--policy", default=str(POLICY))
    a = ap.parse_args()
    P = load(a.policy)
    with open(a.claims, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["person_id"], rows[i]["date"], i))
    ytd = defaultdict(lambda: {"hifp": Z, "base": Z, "paid": Z})
    res = [None] * len(rows)
    for i in order:
        r = rows[i]
        res[i] = settle(P, r["level"], Decimal(r["total"]), Decimal(r["in_scope"] or r["total"]), ytd[r["person_id"]])
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("claim_id," + ",".join(OUTPUTS) + "\n")
        for r, s in zip(rows, res):
            f.write(r["claim_id"] + "," + ",".join(f"{s[k]:.2f}" for k in OUTPUTS) + "\n")


if __name__ == "__main__":
    main()
