"""Replay a claims CSV under the benchmark rule with OpenFisca (system.py).

    python run.py CLAIMS.csv --dtype float32 --out openfisca-float32.csv [--repeat 3]

Writes `claim_id,hifp_pay,hifmi_pay,fund_pay_sumamt,psn_part_amt` (yuan, 2 decimals, in the
claims file's order) and prints one JSON line:

    {"claims": N, "dtype": "float32", "seconds_calc": ..., "seconds_total": ..., ...}

`seconds_calc` is the median of `--repeat` runs of the calculation (each run's time is in
`seconds_calc_runs`): ordering the claims by person, date and file order and ranking each person's
claims (the chaining), building the OpenFisca
simulation from the arrays, and computing the four reported amounts for every claim. Reading and
parsing the CSV (`seconds_read`) and writing the result (`seconds_write`) are timed apart;
`seconds_total` = read + calculation + write. Stays and 门诊统筹 visits (`setting` = `outpatient`)
are both in the rule. All times are `time.perf_counter` wall times on
one core (BLAS threads are limited to 1 before numpy is imported).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

# One core, as yibao's replay is measured: the tax scale's dot product would otherwise be free to
# use every BLAS thread (and on a shared machine that is slower, not faster).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from system import OUTPUTS, POLICY, build_system  # noqa: E402

from openfisca_core.simulations import SimulationBuilder  # noqa: E402


def read_claims(path, system):
    """The columns the rule needs, as arrays; persons, dates and levels as integer codes."""
    P = system.benchmark
    level_code = {lv: i for i, lv in enumerate(system.Level.__members__)}
    persons, dates = {}, {}
    paid_at = set(P["outpatient"]["paid_at"])
    ids, person, date, level, visit, total, in_scope = [], [], [], [], [], [], []
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows)
        col = {name: i for i, name in enumerate(header)}
        c_id, c_p, c_d, c_s, c_l, c_c, c_t, c_i = (
            col[k] for k in ("claim_id", "person_id", "date", "setting", "level", "category", "total", "in_scope")
        )
        for r in rows:
            is_visit = r[c_s] == "outpatient"
            if r[c_s] not in ("inpatient", "outpatient"):
                raise SystemExit(f"claim {r[c_id]}: setting {r[c_s]!r} is not inpatient or outpatient")
            if is_visit and r[c_l] not in paid_at:
                raise SystemExit(f"claim {r[c_id]}: the rule's 门诊统筹 pays nothing at level {r[c_l]!r}")
            if r[c_c] not in ("", P["category"]):
                raise SystemExit(f"claim {r[c_id]}: category {r[c_c]!r} is not the rule's {P['category']!r}")
            if not r[c_d].startswith(str(P["year"])):
                raise SystemExit(f"claim {r[c_id]}: date {r[c_d]} is outside the policy year {P['year']}")
            ids.append(r[c_id])
            person.append(persons.setdefault(r[c_p], len(persons)))
            date.append(dates.setdefault(r[c_d], r[c_d]))
            level.append(level_code[r[c_l]])
            visit.append(is_visit)
            total.append(r[c_t])
            in_scope.append(r[c_i] or r[c_t])
    # Dates are YYYY-MM-DD, so their text order is their order: code them by rank.
    uniq = sorted(dates)
    day = {d: i for i, d in enumerate(uniq)}
    return {
        "claim_id": ids,
        "person": numpy.array(person, dtype=numpy.int64),
        "day": numpy.array([day[d] for d in date], dtype=numpy.int64),
        "level": numpy.array(level, dtype=numpy.int16),
        "visit": numpy.array(visit, dtype=bool),
        # Parsed as a float engine parses them: decimal text → nearest binary float.
        "total": numpy.array(total, dtype=numpy.float64),
        "in_scope": numpy.array(in_scope, dtype=numpy.float64),
    }


def calculate(system, claims, dtype):
    """The per-claim amounts in the claims file's order, one array per output."""
    n = len(claims["person"])
    # Sequential settlement order: person, then date, then file order (lexsort: last key first).
    order = numpy.lexsort((numpy.arange(n), claims["day"], claims["person"]))
    person = claims["person"][order]
    first = numpy.ones(n, dtype=bool)
    first[1:] = person[1:] != person[:-1]
    starts = numpy.flatnonzero(first)
    rank = numpy.arange(n) - numpy.repeat(starts, numpy.diff(numpy.append(starts, n)))

    sim = SimulationBuilder().build_default_simulation(system, count=n)
    period = str(system.benchmark["year"])
    ft = numpy.float32 if dtype == "float32" else numpy.float64
    sim.set_input("level", period, system.Level.encode(claims["level"][order]))
    sim.set_input("claim_rank", period, rank.astype(numpy.int32))
    sim.set_input("visit", period, claims["visit"][order])
    sim.set_input("total", period, claims["total"][order].astype(ft))
    sim.set_input("in_scope", period, claims["in_scope"][order].astype(ft))
    out = {}
    for name in OUTPUTS:
        values = numpy.empty(n, dtype=ft)
        values[order] = sim.calculate(name, period)
        out[name] = values
    return out


def write(path, claims, out):
    cols = [claims["claim_id"]] + [
        [f"{x:.2f}" for x in out[name].astype(numpy.float64).tolist()] for name in OUTPUTS
    ]
    with open(path, "w", encoding="utf-8") as f:
        f.write("claim_id," + ",".join(OUTPUTS) + "\n")
        f.writelines(",".join(row) + "\n" for row in zip(*cols))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("claims")
    ap.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--policy", default=str(POLICY))
    ap.add_argument(
        "--fancy-indexing", action="store_true",
        help="per-level parameters by OpenFisca's fancy indexing (a Python loop per claim in openfisca-core 46)",
    )
    a = ap.parse_args()

    system = build_system(a.dtype, Path(a.policy), fancy_indexing=a.fancy_indexing)
    t0 = time.perf_counter()
    claims = read_claims(a.claims, system)
    t_read = time.perf_counter() - t0

    runs = []
    for _ in range(max(a.repeat, 1)):
        t0 = time.perf_counter()
        out = calculate(system, claims, a.dtype)
        runs.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    write(a.out, claims, out)
    t_write = time.perf_counter() - t0

    from importlib.metadata import version  # noqa: PLC0415

    print(json.dumps({
        "claims": len(claims["claim_id"]),
        "dtype": a.dtype,
        "fancy_indexing": a.fancy_indexing,
        "visits": int(claims["visit"].sum()),
        "seconds_calc": round(float(numpy.median(runs)), 4),
        "seconds_total": round(t_read + float(numpy.median(runs)) + t_write, 4),
        "seconds_read": round(t_read, 4),
        "seconds_write": round(t_write, 4),
        "seconds_calc_runs": [round(r, 4) for r in runs],
        "openfisca_core": version("openfisca-core"),
        "numpy": numpy.__version__,
        "out": a.out,
    }))


if __name__ == "__main__":
    main()
