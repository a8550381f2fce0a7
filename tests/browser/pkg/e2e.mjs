// End to end: pkg/example/index.html in headless Chromium, as a host app uses the package.
//  1. the page computes the published 渝北 example and reacts to a new input;
//  2. real outputs of every function written as TypeScript literals (target/pkg-e2e/shapes.ts)
//     for `tsc` to check against the declared types.
// Behaviour only: the call's and instantiation's times are measured by `cargo xtask bench`
// (benchmarks/browser/pkg.mjs), never asserted here.
// Run by `cargo xtask pkg test`; needs playwright-core in $YIBAO_TOOLS (never downloads a browser).
import { execFileSync } from "node:child_process";
import { readFile, mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { serveRepo } from "./repo-server.mjs";
import { check } from "../harness.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const tools = process.env.YIBAO_TOOLS ?? join(root, "node_modules");
const { chromium } = createRequire(join(tools, "/"))("playwright-core");
const out = join(root, "target/pkg-e2e");

const { server, base } = await serveRepo(root);


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

  await mkdir(out, { recursive: true });

  // 2. Real outputs as typed TypeScript literals, and a thrown error's fields.
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
      policyJson: ["Policy", null],
    };
  });
  // Shipped policies as Policy literals (the JSON form hosts write, as `yibao export` prints
  // them), nulls dropped.
  const bundled = shapes.listBundledPolicies[1].map((h) => JSON.parse(execFileSync("cargo",
    ["run", "--quiet", "-p", "yibao-cli", "--", "export", "--policy", h.bundled], { cwd: root, encoding: "utf8" })));
  const dropNulls = (v) => JSON.parse(JSON.stringify(v, (_, x) => (x === null ? undefined : x)));
  let ts = `// Generated by tests/browser/pkg/e2e.mjs: real outputs, checked by tsc against the package's types.\n` +
    `import type * as Y from "../../pkg/dist/web/yibao.js";\n`;
  for (const [name, [type, value]] of Object.entries(shapes)) {
    if (value === null) continue;
    const t = type.endsWith("[]") ? `Y.${type.slice(0, -2)}[]` : `Y.${type}`;
    ts += `export const ${name}: ${t} = ${JSON.stringify(value, null, 1)};\n`;
  }
  bundled.forEach((b, i) => {
    ts += `export const policy${i}: Y.Policy = ${JSON.stringify(dropNulls(b.policy), null, 1)};\n`;
  });
  await writeFile(join(out, "shapes.ts"), ts);
  check("every function returned a value for the shape check",
    Object.values(shapes).every(([t, v]) => v !== null || t === "Policy"));
  check("no page errors, console errors or outside requests", problems.length === 0, problems.join("\n"));
} finally {
  await browser.close();
  server.close();
}
