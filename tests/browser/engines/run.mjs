// The widget in three engines: Chromium (Debian's, through chromedriver), Firefox ESR (through
// geckodriver) and WebKitGTK (Debian's WebKitWebDriver + MiniBrowser: the engine of Safari and of
// WeChat on iOS). One WebDriver client for all three, selenium-webdriver, with every driver and
// browser path given explicitly (selenium-manager, which downloads drivers, is never run:
// SE_MANAGER_PATH points nowhere, so a call would fail loudly). Run by `cargo xtask web test`
// after the Chromium suite (xtask/src/engines.rs), under xvfb-run: WebKitGTK has no headless
// mode, the other two run headless. Env: YIBAO_URL, YIBAO_OUT, YIBAO_ENGINES (a comma list,
// default all three), YIBAO_ONLY (a regex on `<engine>: <test name>`); CHROMIUM, CHROMIUM_FLAGS,
// CHROMEDRIVER, FIREFOX, GECKODRIVER, WEBKITDRIVER and MINIBROWSER name other browsers or
// drivers than Debian's (setup.sh installs them) and cargo's geckodriver.
//
// Per engine: the resident flow at 360 px on the 渝北 example, the share link in a new session,
// the desk by keyboard, printing (window.print stubbed; the print rules applied as the engine
// parsed them, and a PDF where the driver can print), the embedded element and its event, and
// the message shown when a WebAssembly feature the build uses is missing. Screenshots:
// tests/browser/out/engines-<engine>-*.png. Behaviour only, never a time.
import { writeFileSync, mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { test as nodeTest, after } from 'node:test';
import { createServer } from 'node:net';
import { require, assert, num, sleep, CHROMIUM_FLAGS } from '../harness.mjs';

const { Builder, Key } = require('selenium-webdriver');
const chrome = require('selenium-webdriver/chrome');
const firefox = require('selenium-webdriver/firefox');
const browsingContext = require('selenium-webdriver/bidi/browsingContext');
const { PDFDocument } = require('pdf-lib');

const URL0 = process.env.YIBAO_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.YIBAO_OUT || 'tests/browser/out';
const ENGINES = (process.env.YIBAO_ENGINES || 'chromium,firefox,webkit').split(',').filter(Boolean);
const only = process.env.YIBAO_ONLY ? new RegExp(process.env.YIBAO_ONLY) : null;
// geckodriver is installed by cargo (setup.sh): on PATH, or in cargo's own bin folder.
const cargoBin = join(process.env.CARGO_HOME || join(homedir(), '.cargo'), 'bin');
const onPath = (p) => [...(process.env.PATH || '').split(':'), cargoBin].map((d) => join(d, p)).find(existsSync);
const PATHS = {
  CHROMIUM: '/usr/bin/chromium', CHROMEDRIVER: '/usr/bin/chromedriver', FIREFOX: '/usr/bin/firefox-esr',
  GECKODRIVER: onPath('geckodriver'), WEBKITDRIVER: '/usr/bin/WebKitWebDriver',
  MINIBROWSER: '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
};
const env = (k) => {
  const v = process.env[k] || PATHS[k];
  if (!v || !existsSync(v)) throw new Error(`${k}: ${v ?? 'not found'} is missing: run \`cargo xtask setup\``);
  return v;
};
process.env.SE_MANAGER_PATH = '/nonexistent/selenium-manager-is-not-used';


const freePort = () => new Promise((ok, bad) => {
  const s = createServer();
  s.on('error', bad);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

// ---- sessions --------------------------------------------------------------------------------

/** A new session (a fresh profile: no storage, no cache) of `engine`. */
async function session(engine) {
  if (engine === 'chromium') {
    const o = new chrome.Options().setChromeBinaryPath(env('CHROMIUM'));
    o.addArguments(...CHROMIUM_FLAGS, '--lang=zh-CN');
    const driver = await new Builder().forBrowser('chrome').setChromeOptions(o)
      .setChromeService(new chrome.ServiceBuilder(env('CHROMEDRIVER'))).build();
    return { driver, close: () => driver.quit() };
  }
  if (engine === 'firefox') {
    // WebDriver BiDi as well as classic: a Firefox window is at least 500 px wide, the page's
    // viewport is set through BiDi's browsingContext.setViewport instead.
    const o = new firefox.Options().setBinary(env('FIREFOX')).addArguments('-headless').enableBidi();
    // A closed network: no update, telemetry or remote-settings requests.
    for (const [k, v] of Object.entries({
      'intl.accept_languages': 'zh-CN', 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false, 'browser.safebrowsing.malware.enabled': false, 'browser.safebrowsing.phishing.enabled': false,
      'network.captive-portal-service.enabled': false, 'network.connectivity-service.enabled': false,
      'extensions.update.enabled': false, 'browser.region.network.url': '', 'services.settings.server': 'data:,',
    })) o.setPreference(k, v);
    const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(o)
      .setFirefoxService(new firefox.ServiceBuilder(env('GECKODRIVER'))).build();
    driver.bidiContext = await browsingContext(driver, { browsingContextId: await driver.getWindowHandle() });
    return { driver, close: () => driver.quit() };
  }
  if (engine === 'webkit') {
    // WebKitWebDriver starts MiniBrowser in automation mode; selenium has no WebKitGTK module,
    // so the driver is started here and reached as a remote end.
    const port = await freePort();
    // MiniBrowser's window is at least 447 px wide because of its toolbar: a user GTK style
    // sheet (GTK, not the page: WebKit draws the page's controls itself) shrinks the toolbar so
    // that the window can be a phone's 360 px. (A GTK text scale would zoom the page instead,
    // and WebKitWebDriver's clicks then miss.)
    const xdg = mkdtempSync(join(tmpdir(), 'yibao-webkit-'));
    mkdirSync(join(xdg, 'gtk-3.0'));
    writeFileSync(join(xdg, 'gtk-3.0/gtk.css'), '* { min-width: 0; min-height: 0; padding: 0; margin: 0; border-width: 0; font-size: 1px; -gtk-icon-transform: scale(0.25); }\n');
    const proc = spawn(env('WEBKITDRIVER'), [`--port=${port}`], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, XDG_CONFIG_HOME: xdg } });
    let driver;
    for (let i = 0; i < 100 && !driver; i++) {
      await sleep(100);
      try {
        driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: env('MINIBROWSER'), args: ['--automation'] },
        }).build();
      } catch (e) {
        if (!/ECONNREFUSED|ECONNRESET/.test(String(e))) { proc.kill(); throw e; }
      }
    }
    assert(driver, 'WebKitWebDriver did not start');
    return { driver, close: async () => { try { await driver.quit(); } finally { proc.kill(); rmSync(xdg, { recursive: true, force: true }); } } };
  }
  throw new Error(`unknown engine ${engine}`);
}

/** Sizes the window so that the page's viewport is `w` × `h` CSS px (window chrome differs). */
async function viewport(d, w, h) {
  if (d.bidiContext) {
    await d.bidiContext.setViewport(w, h, w < 500 ? 2 : 1);
    return;
  }
  let [ww, wh] = [w, h];
  for (let i = 0; i < 4; i++) {
    await d.manage().window().setRect({ width: ww, height: wh });
    const rect = await d.manage().window().getRect();
    const [iw, ih] = await d.executeScript('return [innerWidth, innerHeight]');
    if (iw === w && ih === h) return;
    // Window pixels per CSS pixel (a page zoom makes it more than 1; no chrome at the sides).
    const k = rect.width / iw;
    ww = Math.round(rect.width + (w - iw) * k);
    wh = Math.round(rect.height + (h - ih) * k);
  }
  const [iw, ih] = await d.executeScript('return [innerWidth, innerHeight]');
  assert(Math.abs(iw - w) <= 2, `viewport ${iw}×${ih}, wanted ${w}×${h}`);
}

// ---- the page, through shadow roots ----------------------------------------------------------

// In-page helpers (WebDriver classic has no shadow-piercing selector): `deep(sel, scope)` finds
// the first match in the document or any open shadow root, in document order, within the
// shadow root of `scope` (a host selector) when given.
const DEEP = `
const deepAll = (sel, root) => {
  const out = [...root.querySelectorAll(sel)];
  for (const e of root.querySelectorAll('*')) if (e.shadowRoot) out.push(...deepAll(sel, e.shadowRoot));
  return out;
};
const start = (scope) => scope ? (document.querySelector(scope).shadowRoot || document.querySelector(scope)) : document;
const deep = (sel, scope) => deepAll(sel, start(scope))[0] || null;
`;
const inPage = (d, body, ...args) => d.executeScript(DEEP + body, ...args);

async function waitFor(what, fn, ms = 20000) {
  const t0 = Date.now();
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e.message; }
    if (Date.now() - t0 > ms) throw new Error(`waited for ${what}; last: ${String(last).slice(0, 300)}`);
    await sleep(100);
  }
}
const el = (d, sel, scope) => waitFor(sel, () => inPage(d, 'return deep(arguments[0], arguments[1])', sel, scope));
const text = (d, sel, scope) => inPage(d, 'const e = deep(arguments[0], arguments[1]); return e ? e.textContent : null', sel, scope);
const visible = (d, sel, scope) => inPage(d, `const e = deep(arguments[0], arguments[1]);
  return !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'`, sel, scope);
async function click(d, sel, scope) {
  // A control can be laid out a frame after the script that shows it (the print rules just
  // taken away, a re-render): a click the driver refuses as "not interactable" is tried again.
  await waitFor(`${sel} to take a click`, async () => {
    const e = await el(d, sel, scope);
    await d.executeScript('arguments[0].scrollIntoView({block: "center"})', e);
    await e.click();
    return true;
  }, 5000);
}
/** Types into a field as a person does (WebDriver key events), replacing what it held. */
async function fill(d, sel, value, scope) {
  const e = await el(d, sel, scope);
  await d.executeScript('arguments[0].scrollIntoView({block: "center"})', e);
  await e.clear();
  await e.sendKeys(value);
}
/** Picks an option by clicking it (what WebDriver defines for a select's option). */
async function choose(d, sel, value, scope) {
  const opt = await el(d, `${sel} option[value="${value}"]`, scope);
  await opt.click();
  await waitFor(`${sel} = ${value}`, async () => (await inPage(d, 'return deep(arguments[0], arguments[1]).value', sel, scope)) === value);
}
async function clickText(d, sel, words) {
  const e = await waitFor(`${sel} "${words}"`, () => inPage(d, 'return deepAll(arguments[0], document).find((e) => e.textContent.includes(arguments[1])) || null', sel, words));
  await d.executeScript('arguments[0].scrollIntoView({block: "center"})', e);
  await e.click();
}
const focusedId = (d) => d.executeScript(`let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a ? a.id || a.tagName.toLowerCase() : ''`);
async function tabTo(d, id, order) {
  for (let i = 0; i < 60; i++) {
    const f = await focusedId(d);
    if (f && order[order.length - 1] !== f) order.push(f);
    if (f === id) return;
    await d.actions().sendKeys(Key.TAB).perform();
  }
  throw new Error(`keyboard: never reached #${id}; order was ${order.join(' → ')}`);
}
/** The settlement table's row `key` (in the desk's shadow root). */
const row = (d, key, scope) => inPage(d, `const r = deepAll('.yb-setl tr', start(arguments[1])).find((r) => r.textContent.includes(arguments[0]));
  return r ? r.querySelector('td').textContent : null`, key, scope);
// A mismatch throws (waitFor keeps the message as the last state and polls on): a string
// returned instead would be truthy and end the wait at once.
const settled = (d, key, value, scope) => waitFor(`${key} = ${value}`, async () => {
  const shown = await row(d, key, scope);
  if (Math.abs(num(shown) - value) < 0.005) return true;
  throw new Error(`${key} shows ${shown}`);
});

/** Every file the page fetched came from its own origin (the Resource Timing list, which all
 *  three engines keep: WebDriver classic has no network log). */
async function ownOrigin(d) {
  const foreign = await d.executeScript(`return performance.getEntriesByType('resource').map((e) => e.name)
    .filter((n) => !n.startsWith(location.origin + '/') && !/^(data|blob):/.test(n))`);
  assert(foreign.length === 0, `requests to other origins: ${foreign.join(', ')}`);
}

let engineNow = '';
async function shot(d, name, sel, scope) {
  if (sel) await d.executeScript('arguments[0].scrollIntoView({block: "start"})', await el(d, sel, scope));
  writeFileSync(join(OUT, `engines-${engineNow}-${name}.png`), Buffer.from(await d.takeScreenshot(), 'base64'));
}

// ---- the tests -------------------------------------------------------------------------------

const tests = [];
const test = (name, fn, opts = {}) => tests.push({ name, fn, ...opts });
const state = {};

test('resident flow at 360×740 reproduces the 渝北 published example', async (d) => {
  await viewport(d, 360, 740);
  await d.get(URL0);
  await el(d, '#yb-next');
  await choose(d, '#yb-policy', 'chongqing-yubei/resident-2023');
  await clickText(d, '.yb-choice, label', '低保边缘家庭成员');
  await shot(d, 'resident-1-about-360');
  const wide = await d.executeScript('return document.documentElement.scrollWidth');
  assert(wide <= 360, `the page scrolls sideways at 360 px (${wide} px wide)`);
  await click(d, '#yb-next');
  await el(d, '#yb-disease');
  await click(d, '#yb-next');
  await el(d, 'input[name=yb-level]');
  await click(d, '#yb-next');
  await fill(d, '#yb-total', '52000');
  await click(d, '.yb-more summary');
  await fill(d, '#yb-inscope', '50000');
  await shot(d, 'resident-4-cost-360', '#yb-total');
  await click(d, '#yb-next');
  const answer = await waitFor('#yb-answer', () => text(d, '#yb-answer'));
  assert(answer.includes('5,625'), `answer shows ${answer}, expected 约 5,625 元`);
  const fund = await text(d, '.yb-fund');
  assert(fund && fund.includes('46,374.80'), `fund line shows ${fund}, expected 46,374.80`);
  const legend = await text(d, '.yb-legend');
  for (const part of ['基本医保', '自付']) assert(legend.includes(part), `who-pays legend lacks ${part}: ${legend}`);
  const wide2 = await d.executeScript('return document.documentElement.scrollWidth');
  assert(wide2 <= 360, `the answer scrolls sideways at 360 px (${wide2} px wide)`);
  // The layout, measured: nothing on the answer sticks out of the 360 px column.
  const over = await inPage(d, `return deepAll('.yb *', document).filter((e) => { const r = e.getBoundingClientRect();
    return r.width && (r.right > innerWidth + 0.5 || r.left < -0.5) && !e.closest('.yb-more:not([open])'); }).map((e) => e.tagName + '.' + e.className).slice(0, 5)`);
  assert(over.length === 0, `elements outside the 360 px column: ${over}`);
  await shot(d, 'resident-5-answer-360', '#yb-answer');
  await click(d, '#yb-share-btn');
  await el(d, '.yb-qr');
  state.share = await inPage(d, "return deep('#yb-share-link').getAttribute('href')");
  assert(state.share.startsWith(URL0) && state.share.includes('#v=1') && state.share.includes('dibao_edge'), `share link ${state.share}`);
  assert((await d.getCurrentUrl()).includes('#v=1'), 'the state is kept in the URL fragment');
  await shot(d, 'resident-7-share-360', '.yb-qr');
  await ownOrigin(d);
});

test('share link restores the same estimate in a new session', async (d) => {
  assert(state.share, 'needs the resident test');
  await viewport(d, 360, 740);
  await d.get(state.share);
  const answer = await waitFor('#yb-answer', () => text(d, '#yb-answer'));
  assert(answer.includes('5,625'), `restored answer ${answer}`);
  const fund = await text(d, '.yb-fund');
  assert(fund.includes('46,374.80'), `restored fund line ${fund}`);
  await shot(d, 'share-restored-360', '#yb-answer');
}, { fresh: true });

test('desk by keyboard: Tab to the total, type, the settlement table follows', async (d) => {
  await viewport(d, 1280, 900);
  await d.get(URL0 + '?mode=clerk');
  await el(d, '#yb-policy');
  await d.executeScript(DEEP + "deep('#yb-policy').focus()");
  const order = [];
  await tabTo(d, 'yb-age', order);
  await d.actions().sendKeys('70').perform();
  await tabTo(d, 'yb-total', order);
  await d.actions().sendKeys('8000').perform();
  await settled(d, 'medfee_sumamt', 8000);
  const want = ['yb-policy', 'yb-age', 'yb-total'];
  const pos = want.map((w) => order.indexOf(w));
  assert(pos.every((p, i) => p >= 0 && (i === 0 || p > pos[i - 1])), `tab order ${order.join(' → ')}`);
  assert(num(await row(d, 'act_pay_dedc')) === 600, `county deductible ${await row(d, 'act_pay_dedc')}`);
  const parts = await Promise.all(['medfee_sumamt', 'fund_pay_sumamt', 'psn_part_amt', 'hosp_part_amt'].map(async (k) => num(await row(d, k))));
  assert(Math.abs(parts[1] + parts[2] + parts[3] - parts[0]) < 0.005, `parts ${parts.slice(1).join('+')} ≠ ${parts[0]}`);
  assert(num(await text(d, '#yb-psn')) === parts[2], 'summary equals the settlement table');
  // One more keystroke changes the table: the second admission halves the 起付线.
  await tabTo(d, 'yb-ytd-adm', order);
  await d.actions().sendKeys('1').perform();
  await settled(d, 'act_pay_dedc', 300);
  await shot(d, 'desk-keyboard-1280');
  await ownOrigin(d);
});

test('printing: window.print called, the print rules hide the controls and show the receipt', async (d) => {
  await viewport(d, 1280, 900);
  await d.get(URL0 + '?mode=clerk#v=1&m=clerk&p=demo-county%2Fresident-2024&c=dibao&a=58&d=J18&l=county&t=12000');
  await el(d, '#yb-psn');
  await d.executeScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
  await click(d, '#yb-print-a4');
  await waitFor('window.print()', () => d.executeScript('return window.__printed === 1'));
  // No engine-neutral way to switch to print media over WebDriver classic: the @media print
  // rules the engine parsed (from every sheet of the document and of the shadow roots) are
  // applied as screen rules in constructed sheets, which is what printing does with them.
  const rules = await inPage(d, `
    const roots = [document, ...deepAll('*', document).filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
    let n = 0;
    for (const root of roots) {
      const css = [];
      for (const sheet of [...root.styleSheets, ...(root.adoptedStyleSheets || [])]) {
        for (const r of sheet.cssRules) if (r.media && /print/.test(r.media.mediaText)) for (const x of r.cssRules) { css.push(x.cssText); n++; }
      }
      const s = new CSSStyleSheet();
      s.replaceSync(css.join('\\n'));
      s.__print = true;
      root.adoptedStyleSheets = [...(root.adoptedStyleSheets || []), s];
    }
    return n;`);
  assert(rules >= 20, `the engine parsed ${rules} print rules`);
  const sheet = await text(d, '.yb-sheet');
  assert(/SHA-256 [0-9a-f]{16}/.test(sheet), 'the receipt shows the policy hash');
  assert(sheet.includes('不是医保结算单'), 'the disclaimer is printed');
  assert(await visible(d, '.yb-print-qr .yb-qr'), 'the QR code is printed');
  assert(!(await visible(d, '#yb-print-a4')), 'buttons are not printed');
  assert(!(await visible(d, 'nav.demo')), 'the demo links are not printed');
  await shot(d, 'print-a4-emulated');
  await inPage(d, `for (const root of [document, ...deepAll('*', document).filter((e) => e.shadowRoot).map((e) => e.shadowRoot)])
    root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => !s.__print);`);
  // Where the driver prints (the WebDriver "Print Page" command), the A4 sheet is one page.
  let pdf = null;
  try { pdf = Buffer.from(await d.printPage({ pageRanges: [] }), 'base64'); } catch (e) { state.noPrint = String(e.message || e).split('\n')[0]; }
  if (pdf) {
    writeFileSync(join(OUT, `engines-${engineNow}-print-a4.pdf`), pdf);
    const pages = (await PDFDocument.load(pdf)).getPageCount();
    assert(pages === 1, `the A4 printout has ${pages} pages`);
  } else {
    assert(engineNow === 'webkit', `${engineNow} could not print: ${state.noPrint}`);
    console.log(`     (${engineNow}: no WebDriver Print Page: ${state.noPrint})`);
  }
  await click(d, '#yb-print-80');
  await waitFor('window.print() again', () => d.executeScript('return window.__printed === 2'));
});

test('embedded element: renders in a hostile host page and emits yibao-estimate', async (d) => {
  await viewport(d, 1280, 900);
  await d.get(URL0 + 'embed.html');
  const E = 'yibao-estimator';
  await el(d, '#yb-next', E);
  const look = await inPage(d, "const s = getComputedStyle(deep('.yb', arguments[0])); return s.fontFamily + '|' + s.color", E);
  assert(!/Comic/i.test(look) && !look.includes('rgb(204, 0, 0)'), `host styles leaked in: ${look}`);
  for (let i = 0; i < 3; i++) await click(d, '#yb-next', E);
  await fill(d, '#yb-total', '20000', E);
  await click(d, '#yb-next', E);
  await el(d, '#yb-answer', E);
  const ev = await waitFor('the resident yibao-estimate event', () => d.executeScript(
    "const e = window.lastYibaoEvent; return e && e.mode === 'resident' && Number(e.settlement.medfee_sumamt) === 20000 ? JSON.stringify(e) : null"));
  const detail = JSON.parse(ev);
  assert(detail.policy === 'demo-county/resident-2024' && typeof detail.patientPays.typical === 'string', `event detail ${ev.slice(0, 200)}`);
  await shot(d, 'embed-element-1280', '#yb-answer', E);
  // mount(): the desk in English on the 渝北 policy
  await choose(d, '#yb-category', 'dibao_edge', '#desk');
  await fill(d, '#yb-total', '52000', '#desk');
  await fill(d, '#yb-inscope', '50000', '#desk');
  await waitFor('the mounted desk', async () => num(await text(d, '#yb-psn', '#desk')) === 5625.2 || await text(d, '#yb-psn', '#desk'));
  await waitFor('the clerk event', () => d.executeScript("const e = window.lastYibaoEvent; return !!e && e.mode === 'clerk' && Number(e.settlement.psn_part_amt) === 5625.2"));
  await shot(d, 'embed-desk-1280', '.yb-sheet', '#desk');
  await ownOrigin(d);
});

test('every WebAssembly feature the build uses is here; a missing one gets the Chinese message', async (d) => {
  await viewport(d, 360, 740);
  await d.get(URL0);
  await el(d, '#yb-next');
  await d.manage().setTimeouts({ script: 30000 });
  const missing = await d.executeAsyncScript("const done = arguments[arguments.length - 1]; import('./yibao.js').then((m) => done(m.missingWasmFeatures()), (e) => done(['import: ' + e]))");
  assert(Array.isArray(missing) && missing.length === 0, `${engineNow} lacks ${missing}`);
  // Force one away: WebAssembly.validate says no to the third probe (bulk memory), and a fresh
  // instance of the loader (another URL, so not the cached module) mounts a widget.
  const shown = await d.executeAsyncScript(`const done = arguments[arguments.length - 1];
    const real = WebAssembly.validate; let n = 0;
    WebAssembly.validate = function (b) { return n++ === 2 ? false : real.call(WebAssembly, b); };
    import('./yibao.js?without-a-feature').then(async (m) => {
      const box = document.createElement('div');
      document.body.prepend(box);
      await m.mount(box, { mode: 'resident' });
      WebAssembly.validate = real;
      const msg = box.shadowRoot.querySelector('.yb-nowasm');
      done(msg ? msg.textContent : 'no message: ' + box.shadowRoot.innerHTML.slice(0, 200));
    }, (e) => done('import: ' + e));`);
  assert(shown.includes('不支持') && shown.includes('WebAssembly') && shown.includes('bulk-memory') && !shown.includes('sign-ext'), `missing-feature message: ${shown}`);
  await d.executeScript('scrollTo(0, 0)');
  await shot(d, 'missing-feature-360');
});

// ---- run -------------------------------------------------------------------------------------

// Each engine's tests in order, as node:test tests (its reporter and exit code); a session is
// shared by the tests of an engine unless a test asks for a fresh one.
const summary = {};
let failedAny = false;
for (const engine of ENGINES) {
  summary[engine] = {};
  let s = null;
  for (const t of tests) {
    const name = `${engine}: ${t.name}`;
    const skip = only && !only.test(name) ? 'not in YIBAO_ONLY' : false;
    nodeTest(name, { skip }, async () => {
      engineNow = engine;
      try {
        if (!s || t.fresh) { if (s) await s.close(); s = await session(engine); }
        if (!summary[engine].version) {
          const caps = await s.driver.getCapabilities();
          summary[engine].version = `${caps.getBrowserName()} ${caps.getBrowserVersion()}`;
          console.log(`-- ${engine}: ${summary[engine].version}`);
        }
        await t.fn(s.driver);
        summary[engine][t.name] = 'ok';
      } catch (e) {
        failedAny = true;
        summary[engine][t.name] = String(e.message || e).split('\n')[0];
        try { if (s) await shot(s.driver, 'failed'); } catch { /* the session is gone */ }
        throw e;
      }
    });
  }
  nodeTest(`${engine}: the session closes`, async () => {
    if (s) await s.close().catch(() => {});
    s = null;
  });
}
after(() => {
  writeFileSync(join(OUT, 'engines-summary.json'), JSON.stringify(summary, null, 2));
  // A browser driver that outlives its session must not keep the run from ending.
  setTimeout(() => process.exit(failedAny ? 1 : 0), 5000).unref();
});
