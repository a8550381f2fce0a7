// Benchmark of the widget (web/dist, served by xtask's server) in Debian's headless Chromium.
// Run by `cargo xtask bench`, never by the tests: it measures and reports, and fails only if it
// cannot measure. Environment as for the web test: YIBAO_URL, YIBAO_DIST, YIBAO_FIRST_VISIT,
// CHROMIUM, CHROMIUM_FLAGS, NODE_PATH; figures as JSON to YIBAO_BENCH_OUT.
//  - the first visit's size (../web/sizes.mjs, the size test's own measure);
//  - time to the first estimate opened from a share link (no typing), in the phone profile: a
//    360×740 viewport, 4× CPU throttling and 1.6 Mbps down / 750 kbps up / 150 ms latency
//    (CDP `Emulation.setCPUThrottlingRate`, `Network.emulateNetworkConditions`); the
//    `yibao-first-estimate` performance mark, set at the first render with an estimate:
//      cold: a fresh browser context with the cache disabled, LOADS times, median;
//      repeat: a first visit, then the same link in a new tab of the same context (HTTP cache
//      on), LOADS times, median; with the bytes the repeat visit transferred.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { firstVisitSizes, printSizes } from '../web/sizes.mjs';

const require = createRequire(resolve(process.env.NODE_PATH || join(process.cwd(), 'node_modules'), 'x.js'));
const { chromium } = require('playwright-core');

const URL0 = process.env.YIBAO_URL || 'http://127.0.0.1:8080/';
const DIST = process.env.YIBAO_DIST || 'web/dist';
const OUT = process.env.YIBAO_BENCH_OUT || 'target/bench/web.json';
const FIRST_VISIT = (process.env.YIBAO_FIRST_VISIT || '').split(',').filter(Boolean);
if (!FIRST_VISIT.length) throw new Error('YIBAO_FIRST_VISIT is not set: run through `cargo xtask bench`');
const LOADS = Number(process.env.YIBAO_BENCH_LOADS || 5);
const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const LINK = URL0 + '#v=1&m=resident&p=demo-county%2Fresident-2024&a=45&d=J18&l=county&t=20000';

const size = firstVisitSizes(DIST, FIRST_VISIT);
printSizes(size);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: (process.env.CHROMIUM_FLAGS || '--headless --no-sandbox --disable-gpu').split(' ').filter((a) => a && a !== '--headless'),
  headless: true,
});

/** The phone profile on a page: network and CPU emulation, the cache on or off. */
async function throttle(ctx, page, cache) {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !cache });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

/** Opens the share link and waits for the answer; the page's own timings. */
async function timed(page) {
  await page.goto(LINK);
  await page.waitForSelector('#yb-answer', { timeout: 60000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource');
    return {
      estimate: performance.getEntriesByName('yibao-first-estimate')[0]?.startTime,
      dcl: nav?.domContentLoadedEventEnd,
      wasmEnd: res.find((e) => e.name.endsWith('.wasm'))?.responseEnd,
      transferred: (nav?.transferSize || 0) + res.reduce((a, e) => a + (e.transferSize || 0), 0),
    };
  });
  if (!(t.estimate > 0)) throw new Error('no yibao-first-estimate mark');
  return t;
}

async function cold() {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await throttle(ctx, page, false);
  const t = await timed(page);
  await ctx.close();
  return t;
}

async function repeat() {
  const ctx = await browser.newContext(PHONE);
  const first = await ctx.newPage();
  await first.goto(LINK);
  await first.waitForSelector('#yb-answer', { timeout: 60000 });
  // Let the browser finish with the first visit (its cache writes, V8's compiled-code cache).
  await first.waitForTimeout(2000);
  await first.close();
  const page = await ctx.newPage();
  await throttle(ctx, page, true);
  const t = await timed(page);
  await ctx.close();
  return t;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (runs) => {
  const m = (k) => Math.round(median(runs.map((r) => r[k])));
  return {
    estimate_ms_median: m('estimate'),
    estimate_ms_min: Math.round(Math.min(...runs.map((r) => r.estimate))),
    estimate_ms_max: Math.round(Math.max(...runs.map((r) => r.estimate))),
    dom_content_loaded_ms_median: m('dcl'),
    wasm_downloaded_ms_median: m('wasmEnd'),
    transferred_bytes_median: m('transferred'),
    runs,
  };
};

let figures;
try {
  const coldRuns = [];
  for (let i = 0; i < LOADS; i++) coldRuns.push(await cold());
  const repeatRuns = [];
  for (let i = 0; i < LOADS; i++) repeatRuns.push(await repeat());
  figures = { size, loads: LOADS, cold: summary(coldRuns), repeat: summary(repeatRuns) };
} finally {
  await browser.close();
}
for (const k of ['cold', 'repeat']) {
  const s = figures[k];
  console.log(`${k} visit: first estimate ${s.estimate_ms_median} ms (median of ${LOADS}; ${s.estimate_ms_min}–${s.estimate_ms_max} ms), ` +
    `DOMContentLoaded ${s.dom_content_loaded_ms_median} ms, wasm downloaded ${s.wasm_downloaded_ms_median} ms, ${s.transferred_bytes_median} B transferred`);
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(figures, null, 2) + '\n');
