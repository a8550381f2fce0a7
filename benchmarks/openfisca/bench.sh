#!/usr/bin/env bash
# The OpenFisca side of the replay benchmark (issues 19 and 30): make the venv, then run
# side_by_side.py in it (yibao's replay and OpenFisca's on the same claims, alternating rounds,
# compared to the fen; see its docstring for the arguments). `cargo xtask bench replay` calls it.
#
#   benchmarks/openfisca/bench.sh CLAIMS.csv --yibao BIN [--rounds 5] [--out DIR] [--county C --county-policy ID] [--large C]
#
# The venv (default target/openfisca-venv at the repository root, VENV to change it) holds
# requirements.txt, reinstalled only when that file changes. PYTHON picks the interpreter that
# creates it (default python3). Prints side_by_side.py's JSON line on standard output.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${VENV:-$root/target/openfisca-venv}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "${PYTHON:-python3}" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  echo "$want" > "$stamp"
fi
[ $# -gt 0 ] || exit 0
exec "$venv/bin/python" "$here/side_by_side.py" "$@"
