// The native figures as rows of BENCHMARKS.md's current table, from what `cargo bench -p
// yibao-core --bench estimate` (core/benches/estimate.rs, criterion) left in target/criterion and
// the callgrind count xtask measured (core/examples/estimate_loop, xtask/src/budget.rs):
//
//   node benchmarks/native/report.mjs --instructions N
//
// Prints one JSON line, { rows: [{ figure, target, measured, how }] } (`cargo xtask bench native`).
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const instructions = Number(args[args.indexOf("--instructions") + 1]);
const median = (bench) =>
  JSON.parse(readFileSync(join(root, "target/criterion", bench, "new/estimates.json"), "utf8")).median;
const ns = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} ms` : v >= 1e3 ? `${(v / 1e3).toFixed(2)} µs` : `${v.toFixed(0)} ns`);
const point = (bench) => ns(median(bench).point_estimate);
const n = (x) => Math.round(x).toLocaleString("en-US");

const e = median("estimate_inpatient_20_items_3_layers");
const index = readFileSync(join(root, "data/diagnoses.idx"));
const gz = gzipSync(index, { level: 9 }).length;
const br = brotliCompressSync(index, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const same = "criterion median, same bench";
const rows = [
  {
    figure: "native estimate with trace (20 items, 3 layers)",
    target: "≤ 5 µs",
    measured: `**${ns(e.point_estimate)}** (${ns(e.confidence_interval.lower_bound)}–${ns(e.confidence_interval.upper_bound)})`,
    how: "criterion median and its 95 % interval, `cargo bench -p yibao-core --bench estimate` (bench profile)",
  },
  { figure: "the same, every step worded in zh and en", target: "—", measured: point("estimate_and_word_every_step_zh_en"), how: same },
  { figure: "disease search `gxy` (demo catalogue)", target: "—", measured: point("search_diseases_pinyin"), how: same },
  {
    figure: "diagnosis search, one keystroke (demo catalogue + national list)",
    target: "< 16 ms (one frame; the issue's, for the throttled phone)",
    measured: [["alias", "心梗"], ["initials", "jxxjgs"], ["typo", "xinegng"]]
      .map(([k, q]) => `\`${q}\` ${point(`search_diagnoses_${k}`)}`).join(" · "),
    how: "criterion medians, same bench: `心梗` (an everyday word) · `jxxjgs` (pinyin initials, every name scanned) · `xinegng` (a typo: the one-edit pass)",
  },
  {
    figure: "national diagnosis index `diagnoses.idx`: read, and its size",
    target: "—",
    measured: `read in ${point("parse_diagnosis_index")} · ${n(index.length)} B (gzip ${n(gz)} B, brotli ${n(br)} B)`,
    how: "criterion median of `National::parse` (33,304 names, pinyin computed); bytes raw, gzip level 9, brotli 11 (node zlib)",
  },
  { figure: "parse + validate the demo policy TOML", target: "—", measured: point("parse_and_validate_demo_policy"), how: same },
];
if (instructions > 0) {
  rows.push({
    figure: "native estimate, instructions",
    target: "—",
    measured: `${n(instructions)} per estimate`,
    how: "callgrind, `core/examples/estimate_loop` 1,000 runs minus 0 (release profile); deterministic",
  });
}
console.log(JSON.stringify({ rows }));
