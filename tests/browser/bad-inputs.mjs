// The shared bad inputs of tests/bad-inputs.json (also fed to the CLI by cli/tests/same_codes.rs):
// each entry with its input built, for the package's and the widget's tests to check that they
// report the same code at the same path.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const file = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../bad-inputs.json"), "utf8"),
);

/** `set` applied to a copy of `base`: each key path (`a.b.c`) gets its value; `null` removes the key. */
export function withSet(base, set) {
  const v = structuredClone(base);
  for (const [path, value] of Object.entries(set)) {
    const keys = path.split(".");
    const last = keys.pop();
    const at = keys.reduce((o, k) => o[k], v);
    if (value === null) delete at[last];
    else at[last] = value;
  }
  return v;
}

/** Every entry with its `input`: a case object, a pathway request, or the exported policy `exported` changed. */
export function entries(exported) {
  const base = { case: file.case, pathway: file.pathway };
  return file.inputs.map((e) => ({
    ...e,
    input: withSet(base[e.kind] ?? exported, e.set),
  }));
}
