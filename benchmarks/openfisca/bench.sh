#!/usr/bin/env bash
# The OpenFisca side of issue 19's benchmark: replay a claims CSV under policy.toml with
# openfisca-core (float32, OpenFisca's default, and float64), and compare each run with yibao's
# per-claim output when one is given.
#
#   benchmarks/openfisca/bench.sh CLAIMS.csv [--out DIR] [--venv DIR] [--yibao-csv YIBAO.csv] [--repeat 3] [--fancy-indexing]
#
# Creates (once) a venv with requirements.txt (default: target/openfisca-venv at the repository
# root), writes DIR/openfisca-float32.csv and DIR/openfisca-float64.csv (default DIR:
# target/openfisca-bench), and prints one JSON line per run (run.py's timing) and, with
# --yibao-csv, one per comparison (compare.py, OpenFisca against yibao). Each line is also saved
# as DIR/openfisca-<dtype>.json and DIR/compare-<dtype>.json. --fancy-indexing runs the system with
# OpenFisca's parameter fancy indexing instead (slower, same results; files named
# openfisca-<dtype>-fancy.*). PYTHON picks the interpreter that creates the venv (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
claims=""
out="$root/target/openfisca-bench"
venv="$root/target/openfisca-venv"
yibao_csv=""
repeat=3
fancy=()
suffix=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --venv) venv="$2"; shift 2 ;;
    --yibao-csv) yibao_csv="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --fancy-indexing) fancy=(--fancy-indexing); suffix="-fancy"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
    *) claims="$1"; shift ;;
  esac
done
[ -n "$claims" ] || { echo "usage: bench.sh CLAIMS.csv [--out DIR] [--venv DIR] [--yibao-csv F] [--repeat N]" >&2; exit 2; }
[ -f "$claims" ] || { echo "bench.sh: no claims file $claims" >&2; exit 2; }

# The venv, reinstalled only when requirements.txt changes.
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "${PYTHON:-python3}" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  echo "$want" > "$stamp"
fi
py="$venv/bin/python"

mkdir -p "$out"
for dtype in float32 float64; do
  name="openfisca-$dtype$suffix"
  # run.py limits BLAS to one thread itself (one core, as yibao's replay is measured).
  "$py" "$here/run.py" "$claims" --dtype "$dtype" --repeat "$repeat" "${fancy[@]}" \
    --out "$out/$name.csv" | tee "$out/$name.json"
  if [ -n "$yibao_csv" ]; then
    "$py" "$here/compare.py" "$out/$name.csv" "$yibao_csv" \
      | sed "s/^{/{\"dtype\": \"$dtype\", /" | tee "$out/compare-$dtype$suffix.json"
  fi
done
