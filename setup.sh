#!/usr/bin/env bash
# Everything the full gate (`cargo xtask test`, `.ci/run`) needs beyond cargo itself, in one
# visible step: each tool with what it is for, "present" or installed now. `cargo xtask setup`
# runs this, and `cargo xtask test` runs it first. Versions come from their ecosystem's files:
# Debian's packages (apt), Cargo.lock's wasm-bindgen and Cargo.toml's [workspace.metadata.tools]
# (cargo install --locked), package-lock.json (npm ci), python/requirements-test.txt (pip, hashed).
set -euo pipefail
cd "$(dirname "$0")"

say() { printf 'setup: %-24s %-8s %s\n' "$1" "$2" "$3" >&2; }

# Debian packages: name, then what it is for.
debian=(
  chromium             "the browser suites (headless)"
  chromium-driver      "Chromium over WebDriver (the engines suite, the package's wasm tests)"
  firefox-esr          "Gecko (the engines suite)"
  webkit2gtk-driver    "WebKit's WebDriver and MiniBrowser (the engines suite)"
  xvfb                 "a display for WebKitGTK, which has no headless mode"
  xauth                "xvfb-run's authority file"
  fonts-wqy-microhei   "Chinese text in the screenshots"
  default-jre-headless "Spark local mode (the PySpark job's test)"
  g++                  "libFuzzer's C++ sources (the bounded fuzz run)"
  valgrind             "callgrind's instruction counts (cargo xtask bench, budget)"
  python3-venv         "the Python test environment"
)
missing=()
for ((i = 0; i < ${#debian[@]}; i += 2)); do
  name=${debian[i]}
  if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed'; then
    say "$name" present "${debian[i + 1]}"
  else
    say "$name" install "${debian[i + 1]}"
    missing+=("$name")
  fi
done
if ((${#missing[@]})); then
  sudo=(); [[ $(id -u) == 0 ]] || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

# Rust: the wasm32 target, then the cargo-installed tools at their pinned versions.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say wasm32-unknown-unknown present "the browser modules' target"
else
  say wasm32-unknown-unknown install "the browser modules' target"
  rustup target add wasm32-unknown-unknown
fi
tool() { # crate, version, program, what for
  if "$3" --version 2>/dev/null | head -n1 | grep -qF "$2"; then
    say "$1 $2" present "$4"
  else
    say "$1 $2" install "$4"
    cargo install "$1" --version "=$2" --locked
  fi
}
bindgen=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print }' Cargo.lock)
tool wasm-bindgen-cli "$bindgen" wasm-bindgen "wasm-bindgen and its test runner, at Cargo.lock's wasm-bindgen"
metadata=$(cargo metadata --no-deps --format-version 1)
pinned() { python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["tools"][sys.argv[1]])' "$1" <<<"$metadata"; }
tool wasm-pack "$(pinned wasm-pack)" wasm-pack "the npm package's build"
tool geckodriver "$(pinned geckodriver)" geckodriver "Firefox over WebDriver (the engines suite)"

# npm: the browser suites' and build tools' packages at package-lock.json's versions.
if [[ node_modules/.package-lock.json -nt package-lock.json ]]; then
  say "npm packages" present "package-lock.json's versions (wasm-opt, terser, tsc, selenium, …)"
else
  say "npm packages" install "package-lock.json's versions (wasm-opt, terser, tsc, selenium, …)"
  npm ci --no-audit --no-fund
fi

# Python: a venv with the wheel's build, pytest, pyarrow, pandas and pyspark at their hashes.
venv=target/py-venv
if cmp -s python/requirements-test.txt "$venv/yibao-pins.txt"; then
  say "python venv" present "python/requirements-test.txt (maturin, pytest, pyspark, …)"
else
  say "python venv" install "python/requirements-test.txt (maturin, pytest, pyspark, …)"
  [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r python/requirements-test.txt
  cp python/requirements-test.txt "$venv/yibao-pins.txt"
fi
