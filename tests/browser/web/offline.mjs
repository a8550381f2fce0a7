// Offline repeat visits and updates of the demo page's service worker (web/sw.js), in Debian's
// headless Chromium via playwright-core. Run by `cargo xtask web test` right after run.mjs, on a
// copy of the build that a server of its own serves. Environment as run.mjs (YIBAO_URL, YIBAO_DIST,
// YIBAO_OUT, CHROMIUM, NODE_PATH (CHROMIUM_FLAGS to replace the harness's flags)) and:
//   YIBAO_SERVED    the directory that server serves: emptied for "no network", deployed over;
//   YIBAO_NEXT      the next build (xtask/src/sw.rs `next_build`: page and loader marked `next`);
//   YIBAO_POLICIES  the policy sources, whose SHA-256 a receipt must show.
// Screenshots: tests/browser/out/web-offline-*.png.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, mkdirSync, rmSync, cpSync, copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE, assert, launchChromium, until, suite } from '../harness.mjs';

const need = (k) => {
  if (!process.env[k]) throw new Error(`${k} is not set: run through \`cargo xtask web test\``);
  return process.env[k];
};
const URL0 = need('YIBAO_URL');
const DIST = need('YIBAO_DIST');
const SERVED = need('YIBAO_SERVED');
const NEXT = need('YIBAO_NEXT');
const POLICIES = need('YIBAO_POLICIES');
const OUT = process.env.YIBAO_OUT || 'tests/browser/out';
const FIRST_VISIT = need('YIBAO_FIRST_VISIT').split(',').filter(Boolean);
const YUBEI = 'chongqing-yubei/resident-2023';

const tests = suite();
const test = tests.test;
const shot = (page, name) => page.screenshot({ path: join(OUT, `web-offline-${name}.png`), fullPage: true });
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const fileHash = (dir, f) => sha256(readFileSync(join(dir, f)));
/** The version a build's sw.js carries (its cache is `yibao-<version>`). */
const versionOf = (dir) => {
  const m = readFileSync(join(dir, 'sw.js'), 'utf8').match(/"?version"?\s*:\s*"([0-9a-f]{16})"/);
  assert(m, `${dir}/sw.js has no manifest version`);
  return m[1];
};

const browser = await launchChromium();

// CSP violations and page errors fail the run (as in run.mjs); the offline steps' failed
// requests are what they test, so network errors are only printed.
const problems = [];
function watch(page) {
  page.on('console', (m) => {
    const t = m.text();
    if (/Content Security Policy|Refused to/.test(t)) problems.push(`${page.url()}: ${t}`);
    else if (m.type() === 'error') console.log(`     (console) ${t}`);
  });
  page.on('pageerror', (e) => { if (!page.expectErrors) problems.push(`${page.url()}: ${e.message}`); });
  return page;
}

/** The registration's workers, and whether the page is controlled. */
const swState = (page) => page.evaluate(async () => {
  const r = await navigator.serviceWorker.getRegistration();
  return {
    active: r?.active?.state ?? null, waiting: r?.waiting?.state ?? null,
    installing: r?.installing?.state ?? null, controlled: !!navigator.serviceWorker.controller,
  };
});


/** Every cache of the origin: its name → { file: SHA-256 of the cached body }. */
const cacheContents = (page) => page.evaluate(async () => {
  const out = {};
  for (const key of await caches.keys()) {
    const c = await caches.open(key);
    out[key] = {};
    for (const req of await c.keys()) {
      const buf = await (await c.match(req)).arrayBuffer();
      const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
      out[key][new URL(req.url).pathname.split('/').pop()] = Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
    }
  }
  return out;
});

/** The desk's files: kept when the desk is first opened, never at install (a resident's phone
 *  does not download them). */
const DESK_FILES = ['yibao_web.js', 'yibao_web_bg.wasm', 'yibao-desk.css'];

/** One cache, the build in `dir`'s: every file the page loads at its start and those of `also`,
 *  each with that build's content. */
async function cacheIsBuild(page, dir, also = []) {
  const all = await cacheContents(page);
  const want = 'yibao-' + versionOf(dir);
  assert(JSON.stringify(Object.keys(all)) === JSON.stringify([want]), `caches ${Object.keys(all)}, expected only ${want}`);
  const files = all[want];
  for (const f of [...FIRST_VISIT, ...also]) {
    assert(f in files, `${want} lacks ${f}: ${Object.keys(files)}`);
  }
  for (const [f, h] of Object.entries(files)) assert(h === fileHash(dir, f), `${want}: cached ${f} is not this build's`);
  return Object.keys(files).length;
}

/** Which build the page and its loader are: both `next`, or both `first` (never one of each). */
const builds = (page) => page.evaluate(() => [
  document.querySelector('meta[name=yibao-build]')?.content || 'first',
  document.documentElement.dataset.build || 'first',
]);

/** "No network at all": the browser offline and the server with nothing to serve. */
function serverGone() {
  renameSync(SERVED, SERVED + '.gone');
  mkdirSync(SERVED);
  return () => { rmSync(SERVED, { recursive: true }); renameSync(SERVED + '.gone', SERVED); };
}

/** Responses that did not come from the service worker (each one needed the network). */
function networkLog(page) {
  const log = [];
  page.on('response', (r) => { if (!r.fromServiceWorker() && !r.url().startsWith('data:')) log.push(`${r.status()} ${r.url()}`); });
  return log;
}

let ctx, page;

test('offline repeat visit: load, go offline, reload, estimate (渝北), receipt quotes the policy in use', async () => {
  ctx = await browser.newContext(PHONE);
  page = watch(await ctx.newPage());
  await page.goto(URL0);
  await page.waitForSelector('#yb-next');
  await until('the service worker is activated', async () => (await swState(page)).active === 'activated');
  const n = await cacheIsBuild(page, DIST);
  console.log(`     cache yibao-${versionOf(DIST)}: ${n} files, each this build's SHA-256`);
  const installed = Object.values(await cacheContents(page))[0];
  for (const f of DESK_FILES) assert(!(f in installed), `the worker downloaded the desk's ${f} for a resident's visit`);
  // Online once, on a page the worker controls (the next visit): the 渝北 policy (fetched when
  // chosen) and the desk (opened), each kept then.
  await page.reload();
  await page.waitForSelector('#yb-next');
  assert((await swState(page)).controlled, 'the second visit is not controlled by the service worker');
  await page.selectOption('#yb-policy', YUBEI);
  await page.getByText('低保边缘家庭成员').waitFor();
  await page.goto(URL0 + '?mode=clerk');
  await page.waitForSelector('.yb-clerk');
  await until('the desk and the policy are kept', async () => {
    const files = Object.values(await cacheContents(page))[0];
    return [...DESK_FILES, `policy.${YUBEI.replace('/', '.')}.json`].every((f) => f in files);
  });
  await cacheIsBuild(page, DIST, DESK_FILES);
  await page.goto(URL0);
  await page.waitForSelector('#yb-next');

  await ctx.setOffline(true);
  const restore = serverGone();
  try {
    const net = networkLog(page);
    await page.reload();
    await page.waitForSelector('#yb-next');
    assert((await swState(page)).controlled, 'the offline page is not controlled by the service worker');
    await page.selectOption('#yb-policy', YUBEI);
    await page.getByText('低保边缘家庭成员').click();
    await page.click('#yb-next');
    await page.waitForSelector('#yb-disease');
    await page.click('#yb-next');
    await page.waitForSelector('input[name=yb-level]');
    await page.click('#yb-next');
    await page.fill('#yb-total', '52000');
    await page.click('.yb-more summary');
    await page.fill('#yb-inscope', '50000');
    await page.click('#yb-next');
    await page.waitForSelector('#yb-answer');
    const answer = await page.textContent('#yb-answer');
    assert(answer.includes('5,625'), `offline answer shows ${answer}, expected 约 5,625 元`);
    await shot(page, 'answer-360');

    // The same estimate on the desk (its module too is kept), whose receipt quotes the policy.
    const hash = new URL(page.url()).hash;
    assert(hash.includes('v=1'), `the state is in the fragment: ${page.url()}`);
    const deskHash = /(^#|&)m=/.test(hash) ? hash.replace(/(^#|&)m=[^&]*/, '$1m=clerk') : hash + '&m=clerk';
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(URL0 + '?mode=clerk' + deskHash);
    await page.waitForSelector('#yb-psn');
    const psn = await page.textContent('#yb-psn');
    assert(psn.includes('5,625.20'), `offline desk shows ${psn}`);
    const receipt = await page.textContent('.yb-receipt');
    const shown = await page.getAttribute('.yb-receipt .yb-code[title]', 'title');
    const inUse = fileHash(POLICIES, `${YUBEI}.toml`);
    assert(receipt.includes(YUBEI), `receipt names ${receipt}`);
    assert(shown === inUse, `receipt SHA-256 ${shown}, the policy file's is ${inUse}`);
    assert(receipt.includes(inUse.slice(0, 16)), `receipt shows ${receipt}`);
    await shot(page, 'desk-receipt');
    assert(net.length === 0, `offline, these needed the network: ${net.join(', ')}`);
  } finally {
    restore();
    await ctx.setOffline(false);
    await page.setViewportSize(PHONE.viewport);
  }
});

test('a new build is never mixed with the old one: half a deploy is refused, the open page keeps its build', async () => {
  assert(page, 'needs the offline test');
  // Half a deploy: the next build's sw.js, the old page and files. Its install must fail.
  await page.goto(URL0);
  await page.waitForSelector('#yb-next');
  for (const f of ['sw.js', 'sw.js.gz', 'sw.js.br']) copyFileSync(join(NEXT, f), join(SERVED, f));
  const states = await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    const seen = [];
    const done = new Promise((ok) => r.addEventListener('updatefound', () => {
      const w = r.installing;
      w.addEventListener('statechange', () => { seen.push(w.state); if (w.state === 'redundant' || w.state === 'installed') ok(); });
    }));
    await r.update().catch((e) => seen.push('update: ' + e.message));
    await Promise.race([done, new Promise((ok) => setTimeout(ok, 10000))]);
    return seen;
  });
  assert(states.at(-1) === 'redundant', `the half-deployed build was not refused: ${states}`);
  let st = await swState(page);
  assert(st.waiting === null && st.active === 'activated', `after half a deploy: ${JSON.stringify(st)}`);
  await cacheIsBuild(page, DIST);
  await page.reload();
  await page.waitForSelector('#yb-next');
  assert((await builds(page)).join() === 'first,first', `after half a deploy the page is ${await builds(page)}`);

  // The whole deploy: the open page (and a reload of it) keeps its build while the next one
  // installs beside it.
  cpSync(NEXT, SERVED, { recursive: true });
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  await until('the next build is installed and waiting', async () => (await swState(page)).waiting === 'installed');
  await page.reload();
  await page.waitForSelector('#yb-next');
  assert((await builds(page)).join() === 'first,first', `while the next build waits the page is ${await builds(page)}`);
  const both = await cacheContents(page);
  assert(Object.keys(both).length === 2 && both['yibao-' + versionOf(NEXT)], `caches while waiting: ${Object.keys(both)}`);
  await page.close();

  // Once no page of the old build is open, the next build takes over; every visit meanwhile is
  // wholly one build or the other.
  const seen = [];
  await until('a visit gets the next build', async () => {
    const p = watch(await ctx.newPage());
    await p.goto(URL0);
    await p.waitForSelector('#yb-next');
    const b = await builds(p);
    seen.push(b.join('+'));
    assert(b[0] === b[1], `a visit mixed two builds: page ${b[0]}, loader ${b[1]}`);
    if (b[0] === 'next') { page = p; return true; }
    await p.close();
    return false;
  });
  console.log(`     visits after the deploy: ${seen.join(', ')}`);
  st = await swState(page);
  assert(st.controlled && st.waiting === null, `after the switch: ${JSON.stringify(st)}`);
  await cacheIsBuild(page, NEXT); // the old cache is gone

  await ctx.setOffline(true);
  const restore = serverGone();
  try {
    await page.reload();
    await page.waitForSelector('#yb-next');
    assert((await builds(page)).join() === 'next,next', `offline, the page is ${await builds(page)}`);
    await shot(page, 'next-build-360');
  } finally {
    restore();
    await ctx.setOffline(false);
  }
});

test('the embedding page is not the worker\'s: it and what it loads come from the server', async () => {
  assert(ctx, 'needs the offline test');
  // A server with the embedding page's own files only: were the worker to answer for it, its
  // yibao.js would come from the cache; from the server it is a 404.
  const restore = serverGone();
  try {
    for (const f of ['embed.html', 'embed.js', 'embed-hostile.css']) copyFileSync(join(NEXT, f), join(SERVED, f));
    const p = watch(await ctx.newPage());
    p.expectErrors = true; // the widget cannot load here, by design of the test
    const yibao = p.waitForResponse((r) => r.url().endsWith('/yibao.js'));
    const nav = await p.goto(URL0 + 'embed.html');
    assert(nav.status() === 200 && !nav.fromServiceWorker(), 'embed.html was answered by the worker');
    const r = await yibao;
    assert(r.status() === 404, `embed.html's yibao.js: ${r.status()} (from the worker's cache?)`);
    await p.close();
  } finally {
    restore();
  }
  assert(existsSync(join(SERVED, 'index.html')), 'the served build is back');
});

test('no CSP violation or page error', async () => {
  assert(problems.length === 0, `CSP violations / page errors:\n${problems.join('\n')}`);
});

// ---------------------------------------------------------------------------------------------
tests.done(() => browser.close());
