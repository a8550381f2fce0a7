// What the browser suites share: the npm packages of package.json (node_modules at the root), Chromium's launch, the two
// viewports, the tests on node:test (with the YIBAO_ONLY filter), the polling wait
// and the touch-target check. Used by web/run.mjs, web/a11y.mjs, web/offline.mjs and (the parts
// that do not depend on playwright) engines/run.mjs.
import { createRequire } from 'node:module';
import { test as nodeTest, after } from 'node:test';
import { join, resolve } from 'node:path';

// The npm packages are installed beside the root package.json (NODE_PATH), which ES imports from tests/ do not search.
export const require = createRequire(resolve(process.env.NODE_PATH || join(process.cwd(), 'node_modules'), 'x.js'));

export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
export const DESK = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
/// The real employee policy the suites exercise (达州, status secondary).
export const EMPLOYEE = 'sichuan-dazhou/employee-2024';
/// WCAG 2.5.5: a touch target is at least this many CSS px each way.
export const MIN_TARGET = 44;

export function assert(cond, msg) { if (!cond) throw new Error(msg); }
/// The number in a displayed amount ("17,508.80 元" → 17508.8).
export const num = (s) => Number(String(s).replace(/[^0-9.\-]/g, ''));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Headless Chromium on a machine with a closed network (no sandbox: CI runs as root); the
/// environment's CHROMIUM_FLAGS (space-separated) replace them.
export const CHROMIUM_FLAGS = process.env.CHROMIUM_FLAGS?.split(' ').filter(Boolean) ?? [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/// Debian's Chromium (setup.sh installs it; CHROMIUM names another) through playwright-core.
export function launchChromium() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_FLAGS.filter((a) => a !== '--headless'),
    headless: true,
  });
}

/// Polls `fn` until it returns something truthy and returns that; an error in `fn` fails at once.
/// `what` (or what it returns, asked when `ms` runs out) says what was awaited and last seen: `ms`
/// is a deadline for the page, not a measured time.
export async function until(what, fn, ms = 15000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`waited for ${typeof what === 'function' ? what() : what}`);
    await sleep(100);
  }
}

/// Touch targets on a phone smaller than MIN_TARGET either way: each visible control's box, a
/// radio or checkbox by its label, an inline link in a sentence exempt (WCAG 2.5.5 "inline").
export async function smallTargets(page) {
  const boxes = await page.locator('.yb button, .yb select, .yb input, .yb textarea, .yb summary, .yb a, .yb [role=option]').evaluateAll((els) =>
    els.filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden').map((e) => {
      const t = (e.type === 'radio' || e.type === 'checkbox') ? (e.closest('label') || e) : e;
      if (t.tagName === 'A' && getComputedStyle(t).display === 'inline') return null;
      const r = t.getBoundingClientRect();
      return [t.id ? '#' + t.id : t.tagName.toLowerCase() + '.' + String(t.className).split(' ')[0] + ` "${(t.textContent || t.getAttribute('aria-label') || '').trim().slice(0, 12)}"`, Math.round(r.width * 10) / 10, Math.round(r.height * 10) / 10];
    }).filter(Boolean));
  return boxes.filter(([, w, h]) => w < MIN_TARGET || h < MIN_TARGET).map(([id, w, h]) => `touch target ${w}×${h} px (< ${MIN_TARGET}): ${id}`);
}

/// A check already made, as a node:test test of its own (the package's scripts, which compute
/// their values in order and then say what each shows).
export const check = (name, ok, detail = '') => nodeTest(name, () => assert(ok, `${name}: ${detail}`));

/// The suites' tests on node:test (its reporter, exit code and `--test-name-pattern`), run in
/// order, each a top-level test; YIBAO_ONLY=<regex> also runs only the matching ones. `done`
/// registers what runs after the last test (closing the browser, writing metrics).
export function suite() {
  const only = process.env.YIBAO_ONLY ? new RegExp(process.env.YIBAO_ONLY) : null;
  return {
    test: (name, fn) => nodeTest(name, { skip: only && !only.test(name) ? 'not in YIBAO_ONLY' : false }, fn),
    done: (fn) => after(fn),
  };
}
