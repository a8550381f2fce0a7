// One call of the package against GoRules ZEN on the same rule, in Node (issue 30, item 6).
//
//   node benchmarks/zen/zen.mjs POLICY.json [--cases 1000] [--rounds 11]
//
// The rule is the OpenFisca benchmark's (benchmarks/openfisca/policy.toml, exported to JSON by
// `yibao export`): 起付线 and ratio by level, the basic fund's annual cap, the 大病 layer's tiers
// on the year's cumulative in-scope burden and its annual cap, 四舍五入到分. It is written once
// as a list of ZEN expressions built from the policy's own values (so the two cannot drift); ZEN
// native (@gorules/zen-engine, napi) runs them as one expression node of a JDM decision graph,
// @gorules/zen-engine-wasm (expressions only) runs them one after the other on a `Variable`, each
// step's value added to it (its trace). yibao: `estimate(handle, case)` of the package's web build
// (pkg/dist/web, `initSync`), with its full trace, the policy loaded once into a handle.
//
// The cases: a seeded set of stays (every level, bills from 100 to 300,000 元, year-to-date
// amounts below and past both caps). Every case's four settlement amounts must agree to the fen
// between yibao and both ZEN engines; if one does not, the script prints it and exits 1 (the
// bench run fails). Times: after warm-up, `rounds` rounds; in each, each engine settles every case
// once (engines in a rotating order, so the machine's slow spells fall on all of them); the
// per-call mean of a round is one sample. Prints one JSON line: each engine's median, min and max
// in µs, and the median of the per-round ratios ZEN wasm ÷ yibao and ZEN native ÷ yibao.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// ZEN's packages are the bench's own (benchmarks/zen/package.json), beside this script.
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const policyFile = args.find((a) => a.endsWith(".json"));
if (!policyFile) {
  console.error("usage: zen.mjs POLICY.json [--cases N] [--rounds N]");
  process.exit(2);
}
const nCases = opt("--cases", 1000);
const rounds = opt("--rounds", 11);

// --- the engines -----------------------------------------------------------------------------
const pkg = join(root, "pkg/dist/web");
const yibao = await import(pathToFileURL(join(pkg, "yibao.js")).href);
yibao.initSync({ module: await readFile(join(pkg, "yibao_bg.wasm")) });
const zenWasmDir = dirname(require.resolve("@gorules/zen-engine-wasm/package.json"));
const zenWasm = await import(pathToFileURL(join(zenWasmDir, "index.js")).href);
zenWasm.initSync({ module: await readFile(join(zenWasmDir, "dist/zen_engine_wasm_bg.wasm")) });
const { ZenEngine } = require("@gorules/zen-engine");
const version = (name) => require(`${name}/package.json`).version;

// --- the rule, from the policy ---------------------------------------------------------------
const text = await readFile(policyFile, "utf8");
const doc = JSON.parse(text);
const rules = doc.policy ?? doc;
const pct = (s) => String(s).endsWith("%") ? String(Number(String(s).slice(0, -1)) / 100) : String(s);
const levels = Object.keys(rules.inpatient.deductible.by_level);
const byLevel = (table) =>
  levels.reduceRight((otherwise, lv) => `(level == '${lv}' ? ${table[lv]} : ${otherwise})`, "0");
const ded = byLevel(rules.inpatient.deductible.by_level);
const rate = byLevel(Object.fromEntries(Object.entries(rules.inpatient.ratio.rates).map(([k, v]) => [k, pct(v)])));
const cap = rules.inpatient.caps.annual_fund;
const layer = rules.layers.find((l) => l.pays_into === "hifmi_pay");
// What the expressions below encode, and nothing more: refuse a rule with anything else.
const inp = rules.inpatient;
const extra = [
  inp.caps.per_admission, inp.deductible.once_a_year, inp.deductible.nth_admission?.length,
  inp.deductible.by_category?.length, Object.keys(inp.deductible.percent_of_bill ?? {}).length,
  Object.keys(inp.ratio.tiered ?? {}).length, inp.ratio.adjust?.length, rules.layers.length !== 1,
  layer.base !== "cumulative", layer.on !== "in_scope", layer.categories, layer.min_bill, layer.overrides?.length,
].some(Boolean);
if (extra) throw new Error("the rule has terms the ZEN expressions do not encode (zen.mjs: STEPS)");
// The tiers' schedule on a cumulative amount x: each band (from the threshold) at its rate.
const schedule = (x) => {
  let lower = Number(layer.threshold);
  const parts = [];
  for (const t of layer.tiers) {
    const r = pct(t.rate);
    if (t.up_to == null) {
      parts.push(`${r} * max([${x} - ${lower}, 0])`);
      break;
    }
    parts.push(`${r} * min([max([${x} - ${lower}, 0]), ${Number(t.up_to) - lower}])`);
    lower = Number(t.up_to);
  }
  return parts.join(" + ");
};
// Each step's value is kept as decimal text (`string(...)`): exact, as yibao's trace is, and
// @gorules/zen-engine-wasm 0.23 returns a fractional number to JS without its fraction.
// `@x` is an earlier step: `$.x` inside a JDM expression node, `x` in the wasm's context.
const STEPS = [
  ["dedc", `string(min([${ded}, in_scope]))`],
  ["hifp_raw", `string((in_scope - number(@dedc)) * ${rate})`],
  ["hifp", `string(max([0, min([number(@hifp_raw), ${cap} - ytd_hifp])]))`],
  ["burden", `string(in_scope - number(@hifp))`],
  ["critical_raw", `string(${schedule("(ytd_base + number(@burden))")} - (${schedule("ytd_base")}))`],
  ["critical", `string(max([0, min([number(@critical_raw), ${layer.annual_cap} - ytd_critical])]))`],
  ["hifp_pay", `string(round(number(@hifp), 2))`],
  ["fund_pay_sumamt", `string(round(number(@hifp) + number(@critical), 2))`],
  ["hifmi_pay", `string(number(@fund_pay_sumamt) - number(@hifp_pay))`],
  ["psn_part_amt", `string(round(total, 2) - number(@fund_pay_sumamt))`],
];
const wasmSteps = STEPS.map(([k, e]) => [k, e.replaceAll("@", "")]);
const jdm = {
  nodes: [
    { id: "in", type: "inputNode", name: "claim", position: { x: 0, y: 0 }, content: {} },
    {
      id: "rule", type: "expressionNode", name: "settle", position: { x: 200, y: 0 },
      content: { expressions: STEPS.map(([key, e], i) => ({ id: String(i), key, value: e.replaceAll("@", "$.") })) },
    },
    { id: "out", type: "outputNode", name: "settlement", position: { x: 400, y: 0 }, content: {} },
  ],
  edges: [
    { id: "e1", sourceId: "in", targetId: "rule", type: "edge" },
    { id: "e2", sourceId: "rule", targetId: "out", type: "edge" },
  ],
};
const decision = new ZenEngine().createDecision(jdm);
const handle = yibao.loadPolicy(text);

// --- the cases (seeded: mulberry32) ----------------------------------------------------------
let seed = 19;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const fen = (n) => Math.round(n * 100);
const yuan = (f) => (f / 100).toFixed(2);
const year = String(rules.meta?.effective_from ?? doc.meta?.effective_from ?? "2024-01-01").slice(0, 4);
const category = rules.categories[0].id;
const cases = [];
for (let i = 0; i < nCases; i++) {
  const level = levels[Math.floor(rand() * levels.length)];
  const inScope = fen(100 * Math.exp(rand() * Math.log(3000))); // 100 to 300,000 元, log-uniform
  const total = inScope + fen(inScope / 100 * rand() * 0.25);
  const some = (max) => (rand() < 0.4 ? 0 : fen(rand() * max));
  const ytd = { hifp: some(Number(cap) * 1.1), base: some(200000), critical: some(Number(layer.annual_cap) * 1.1) };
  cases.push({
    yibao: {
      date: `${year}-06-01`, level, patient: { category, age: 60 },
      bill: { total: yuan(total), in_scope: yuan(inScope) },
      ytd: { hifp_pay: yuan(ytd.hifp), layers: { [layer.id]: { base: yuan(ytd.base), paid: yuan(ytd.critical) } } },
    },
    zen: {
      level, total: total / 100, in_scope: inScope / 100,
      ytd_hifp: ytd.hifp / 100, ytd_base: ytd.base / 100, ytd_critical: ytd.critical / 100,
    },
  });
}

// --- the calls ---------------------------------------------------------------------------------
const FIELDS = ["hifp_pay", "hifmi_pay", "fund_pay_sumamt", "psn_part_amt"];
const engines = {
  yibao: (c) => yibao.estimate(handle, c.yibao),
  // The context read once into a `Variable` (which keeps it deserialized) and each step's value
  // added to it with `cloneWith`: about a quarter faster than `evaluateExpression(e, context)`
  // per step, which reads the whole context again each time.
  zen_wasm: (c) => {
    let v = new zenWasm.Variable(c.zen);
    const out = {};
    for (const [k, e] of wasmSteps) {
      out[k] = v.evaluateExpression(e);
      const next = v.cloneWith(k, out[k]);
      v.free();
      v = next;
    }
    v.free();
    return out;
  },
  zen_native: async (c) => (await decision.evaluate(c.zen)).result,
};
const settlement = { yibao: (r) => r.settlement, zen_wasm: (r) => r, zen_native: (r) => r };

// Decimal text to whole fen, exactly.
const toFen = (s) => {
  const [int, frac = ""] = String(s).split(".");
  if (frac.replace(/0+$/, "").length > 2) return NaN;
  const neg = int.startsWith("-");
  const v = Math.abs(Number(int)) * 100 + Number((frac + "00").slice(0, 2));
  return neg ? -v : v;
};
const disagreements = [];
for (const [i, c] of cases.entries()) {
  const got = {};
  for (const [name, call] of Object.entries(engines)) got[name] = settlement[name](await call(c));
  for (const f of FIELDS) {
    const y = toFen(got.yibao[f]);
    for (const z of ["zen_wasm", "zen_native"]) {
      if (toFen(got[z][f]) !== y && disagreements.length < 20) {
        disagreements.push({ case: i, field: f, yibao: got.yibao[f], [z]: got[z][f], input: c.zen });
      }
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = Object.fromEntries(Object.keys(engines).map((k) => [k, []]));
const pass = async (name) => {
  const call = engines[name];
  const t0 = performance.now();
  if (name === "zen_native") for (const c of cases) await call(c);
  else for (const c of cases) call(c);
  return ((performance.now() - t0) * 1000) / cases.length;
};
const names = Object.keys(engines);
for (let w = 0; w < 2; w++) for (const n of names) await pass(n); // warm-up
for (let r = 0; r < rounds; r++) {
  for (let j = 0; j < names.length; j++) {
    const n = names[(r + j) % names.length];
    samples[n].push(await pass(n));
  }
}
const stats = (xs) => ({ median_us: median(xs), min_us: Math.min(...xs), max_us: Math.max(...xs), samples_us: xs });
const ratio = (z) => median(samples[z].map((t, i) => t / samples.yibao[i]));
const versions = { yibao: yibao.version(), zen_wasm: version("@gorules/zen-engine-wasm"), zen_native: version("@gorules/zen-engine"), node: process.version };
const us = (k) => `${median(samples[k]).toFixed(1)} µs (${Math.min(...samples[k]).toFixed(1)}–${Math.max(...samples[k]).toFixed(1)})`;
const overWasm = ratio("zen_wasm");
// What one yibao call hands back to JS (its trace: every step's sentence, clause and amounts).
const sample = engines.yibao(cases[0]);
const resultBytes = JSON.stringify(sample).length;
// The row of BENCHMARKS.md's current table (`cargo xtask bench zen` writes it).
const row = {
  figure: "package: one call against ZEN on the same rule (Node)",
  target: "yibao ≥ 1.5× faster than zen-engine-wasm, with the full trace",
  measured: `yibao **${us("yibao")}** · zen-engine-wasm ${us("zen_wasm")} · zen-engine (native) ${us("zen_native")}: ` +
    `yibao **${overWasm.toFixed(2)}×** as fast as zen-engine-wasm (${overWasm >= 1.5 ? "met" : "**not met**"}), ` +
    `${ratio("zen_native").toFixed(2)}× zen native; yibao's result with its trace ${resultBytes.toLocaleString("en-US")} B as JSON (${sample.steps.length} steps), ZEN's ${STEPS.length} values; ${disagreements.length ? "**DISAGREE**" : `all ${cases.length} cases agree to the fen`} ` +
    `(yibao ${versions.yibao}, zen-engine-wasm ${versions.zen_wasm}, zen-engine ${versions.zen_native}, Node ${versions.node})`,
  how: `Node, \`benchmarks/zen/zen.mjs\`: the OpenFisca benchmark's inpatient rule (benchmarks/openfisca/policy.toml) on ${cases.length} seeded stays ` +
    "with year-to-date amounts; yibao `estimate(handle, case)` (web build, its full trace) · @gorules/zen-engine-wasm (expressions only: " +
    `the rule's ${STEPS.length} steps one after the other on one \`Variable\`, each value added with \`cloneWith\`) · @gorules/zen-engine (napi: the same steps as one JDM expression node); ` +
    `per-call mean of one pass over the cases, median (range) of ${rounds} rounds in rotating order; ratio: median of the per-round ratios; ` +
    "every amount of every case checked equal to the fen in all three (the run fails otherwise)",
};
console.log(JSON.stringify({
  cases: cases.length,
  rounds,
  agree: disagreements.length === 0,
  disagreements,
  steps: STEPS.length,
  yibao: stats(samples.yibao),
  zen_wasm: stats(samples.zen_wasm),
  zen_native: stats(samples.zen_native),
  zen_wasm_over_yibao: overWasm,
  zen_native_over_yibao: ratio("zen_native"),
  versions,
  yibao_result_json_bytes: resultBytes,
  rows: [row],
}));
if (disagreements.length) {
  console.error(`zen.mjs: yibao and ZEN disagree on ${disagreements.length}+ amounts (first: ${JSON.stringify(disagreements[0])})`);
  process.exit(1);
}
