"""Compare two per-claim CSVs (e.g. OpenFisca's and yibao's), joined on claim_id.

    python compare.py openfisca-float32.csv yibao.csv [--fields hifp_pay,...] [--subset] [--examples 5]

Amounts are read as decimal text and compared in whole fen, exactly (no float touches them; a value
with more than 2 decimals is compared at its exact value and counts as wrong unless equal). Prints
one JSON line:

    {"claims": N, "wrong": K, "max_diff_fen": M, "by_field": {"hifp_pay": {"wrong": .., "max_diff_fen": ..}, ...}}

`claims` is the number of claims compared; `wrong` the claims where any field differs. Both files
must hold the same claims unless `--subset` is given (then the claims of the first file that the
second also holds are compared: a check on a sample).
"""

import argparse
import csv
import json
import sys
from decimal import Decimal

FIELDS = ("hifp_pay", "hifmi_pay", "fund_pay_sumamt", "psn_part_amt")


def read(path, fields):
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f)
        missing = [k for k in ("claim_id", *fields) if k not in (rows.fieldnames or ())]
        if missing:
            raise SystemExit(f"{path}: no column {', '.join(missing)}")
        return {r["claim_id"]: [Decimal(r[k] or "0") for k in fields] for r in rows}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("left")
    ap.add_argument("right")
    ap.add_argument("--fields", default=",".join(FIELDS))
    ap.add_argument("--subset", action="store_true")
    ap.add_argument("--examples", type=int, default=0, help="list up to this many differing claims")
    a = ap.parse_args()
    fields = a.fields.split(",")
    left, right = read(a.left, fields), read(a.right, fields)
    only_left = left.keys() - right.keys()
    only_right = right.keys() - left.keys()
    if (only_right or only_left) and not a.subset:
        raise SystemExit(
            f"the files hold different claims: {len(only_left)} only in {a.left}, "
            f"{len(only_right)} only in {a.right} (use --subset to compare a sample)"
        )
    by_field = {k: {"wrong": 0, "max_diff_fen": 0} for k in fields}
    wrong, worst, examples = 0, Decimal(0), []
    hist = {}
    for cid, lv in left.items():
        rv = right.get(cid)
        if rv is None:
            continue
        bad = False
        for k, x, y in zip(fields, lv, rv):
            d = abs(x - y) * 100
            if d:
                bad = True
                f = by_field[k]
                f["wrong"] += 1
                f["max_diff_fen"] = max(f["max_diff_fen"], d)
                worst = max(worst, d)
        if bad:
            wrong += 1
            d = max(abs(x - y) * 100 for x, y in zip(lv, rv))
            hist[str(d.normalize())] = hist.get(str(d.normalize()), 0) + 1
            if len(examples) < a.examples:
                examples.append({"claim_id": cid, "left": [str(x) for x in lv], "right": [str(y) for y in rv]})
    num = lambda d: int(d) if d == int(d) else float(d)  # noqa: E731
    for f in by_field.values():
        f["max_diff_fen"] = num(f["max_diff_fen"])
    out = {
        "claims": sum(1 for c in left if c in right),
        "wrong": wrong,
        "max_diff_fen": num(worst),
        "by_field": by_field,
        "wrong_by_max_diff_fen": dict(sorted(hist.items(), key=lambda kv: Decimal(kv[0]))),
    }
    if a.subset:
        out["only_left"], out["only_right"] = len(only_left), len(only_right)
    if examples:
        out["examples"] = examples
    json.dump(out, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
