// The bundler package in a bundled app: tests/browser/pkg/vite/ (it imports `yibao`, an npm
// `file:` dependency on pkg/dist/bundler, the wasm-pack `--target bundler` build), built by
// `vite build` into target/pkg-vite, served on the loopback interface and opened in headless
// Chromium. It must compute the published 渝北 example. Run by `cargo xtask pkg test` after the
// build; needs playwright-core in $YIBAO_TOOLS (never downloads a browser).
import { readdir, realpath } from "node:fs/promises";
import { serveFiles } from "./repo-server.mjs";
import { createRequire } from "node:module";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const tools = process.env.YIBAO_TOOLS ?? join(root, "node_modules");
const { chromium } = createRequire(join(tools, "/"))("playwright-core");
const dist = join(root, "target/pkg-vite");

let failed = 0;
let passed = 0;
const check = (name, ok, detail = "") => {
  if (ok) {
    passed++;
    console.log(`✓ vite: ${name}`);
  } else {
    failed++;
    console.log(`✗ vite: ${name} ${detail}`);
  }
};

// The app bundled the bundler package, not another copy.
const linked = await realpath(join(root, "tests/browser/pkg/vite/node_modules/yibao"));
check("the app's `yibao` is pkg/dist/bundler", linked === join(root, "pkg/dist/bundler"), `(${linked})`);
const assets = await readdir(join(dist, "assets"));
check("the build emitted the module as a .wasm asset", assets.some((f) => f.endsWith(".wasm")), assets.join(", "));

const { server, base } = await serveFiles(dist);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: (process.env.CHROMIUM_FLAGS ?? "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking")
    .split(" ").filter((a) => a && a !== "--headless"),
  headless: true,
});
try {
  const page = await browser.newPage();
  const problems = [];
  const wasm = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("request", (r) => {
    if (!r.url().startsWith(base)) problems.push(`network request outside the page: ${r.url()}`);
    if (r.url().endsWith(".wasm")) wasm.push(r.url());
  });
  await page.goto(`${base}/`);
  await page.waitForSelector("body[data-ready]", { timeout: 30000 });
  const ready = await page.getAttribute("body", "data-ready");
  check("the app ran the estimate", ready === "1", `(${await page.textContent("#status")})`);
  const cell = (k) => page.textContent(`[data-key='${k}']`).catch(() => null);
  const expected = { medfee_sumamt: "52000", inscp_scp_amt: "50000", act_pay_dedc: "300",
    hifp_pay: "34790", maf_pay: "10647", oth_pay: "937.8", fund_pay_sumamt: "46374.8",
    psn_part_amt: "5625.2" };
  for (const [k, v] of Object.entries(expected)) {
    const got = await cell(k);
    check(`渝北 ${k} = ${v}`, got === v, `(got ${got})`);
  }
  const steps = await page.locator("#steps li").count();
  check("the trace is shown", steps >= 4, `(${steps} steps)`);
  check("the module was fetched once, from the app's own assets", wasm.length === 1, wasm.join(", "));
  check("no page errors, console errors or outside requests", problems.length === 0, problems.join("\n"));
} finally {
  await browser.close();
  server.close();
}
console.log(`vite: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
