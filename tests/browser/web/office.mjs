// The county office's workbench (web/office.html, mode="office") end to end in headless Chromium:
// open the demo policy, change the county hospital's 起付线 (a wrong value first: the validator
// reacts at the field; then a right one: the worked cases it touches fail), fix the cases' figures,
// save a new worked case, compare with the shipped policy, export, and check from here with the
// CLI (YIBAO_CLI, the workspace's binary) that `yibao validate` accepts the export, that
// `yibao export` of it is the page's JSON byte for byte, and that `yibao test` agrees with every
// pass and fail the page showed. Then a file with five mistakes (all five at their fields, the
// same codes as the CLI's), a new policy from the employee template written in the page alone,
// the preview, a reload that keeps the draft, and screenshots of each screen at 1280 and 1920 px.
// 测算: a claims CSV from `yibao claims generate` (two bad rows added) replayed in the page's worker
// under the draft and the shipped policy, with progress, and its totals equal to `yibao replay`'s.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, launchChromium, until, suite, require } from '../harness.mjs';

const URL0 = process.env.YIBAO_URL || 'http://127.0.0.1:8080/';
const OFFICE = new URL('office.html', URL0).href;
const OUT = process.env.YIBAO_OUT || 'tests/browser/out';
const DIST = process.env.YIBAO_DIST || 'web/dist';
const CLI = process.env.YIBAO_CLI || 'target/debug/yibao';
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const FIRST_VISIT = (process.env.YIBAO_FIRST_VISIT || '').split(',').filter(Boolean);
const ORIGIN = new URL(URL0).origin;
const WIDTHS = [1280, 1920];
const sha256 = (s) => createHash('sha256').update(s).digest('hex');

const browser = await launchChromium();
const problems = [];
const foreign = [];
const tests = suite();
const test = tests.test;

/// A page of the workbench; its console errors and CSP violations are collected unless `audit`
/// (axe's own probes add inline styles, which the page's CSP refuses, as it should).
async function newPage(width = 1280, audit = false) {
  const ctx = await browser.newContext({ viewport: { width, height: 1000 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  ctx.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(ORIGIN + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  page.on('console', (m) => {
    if (audit) return;
    if (m.type() === 'error' || /Content Security Policy|Refused to/.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  await page.goto(OFFICE);
  await page.waitForSelector('#yo-status');
  return { ctx, page };
}

/// Screenshots of the current screen at both widths (the page is re-laid out, not re-opened).
async function shots(page, name) {
  for (const w of WIDTHS) {
    await page.setViewportSize({ width: w, height: 1000 });
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(OUT, `office-${name}-${w}.png`), fullPage: !/^(edit|five-mistakes|cases)/.test(name) });
  }
  await page.setViewportSize({ width: 1280, height: 1000 });
}

/// The control of the value at `path`.
const field = (page, path) => page.locator(`[id="f-${path}"]`);
const errorsAt = (page, path) => page.locator(`.yo-errs[data-for="${path}"] .yo-err`).evaluateAll((els) => els.map((e) => e.dataset.code));
const status = (page) => page.locator('#yo-status').getAttribute('data-problems').then(Number);
const caseStatus = async (page) => {
  const el = page.locator('#yo-case-status');
  return { pass: Number(await el.getAttribute('data-pass')), fail: Number(await el.getAttribute('data-fail')) };
};
const tab = (page, t) => page.click(`#yo-tab-${t}`);
/// The page's verdict of each worked case, from its Cases screen.
const pageVerdicts = async (page) => {
  await tab(page, 'cases');
  return page.locator('#yo-case-cards .yo-case').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.dataset.case, e.dataset.ok === 'true'])));
};
const cli = (args) => spawnSync(CLI, args, { encoding: 'utf8' });

/// The files of the Publish screen, and the download links' own bytes.
async function published(page) {
  await tab(page, 'publish');
  await page.waitForSelector('#yo-toml');
  const text = (sel) => page.locator(sel).textContent();
  const href = async (sel) => {
    const h = await page.locator(sel).getAttribute('href');
    return decodeURIComponent(h.slice(h.indexOf(',') + 1));
  };
  const out = {
    toml: await text('#yo-toml'), json: await text('#yo-json'), cases: await text('#yo-cases-toml'),
    policySha: await text('#yo-policy-sha'), jsonSha: await text('#yo-json-sha'),
    name: await page.locator('#yo-dl-toml').getAttribute('download'),
  };
  assert(await href('#yo-dl-toml') === out.toml, 'the TOML download is not the TOML shown');
  assert(await href('#yo-dl-json') === out.json, 'the JSON download is not the JSON shown');
  assert(await href('#yo-dl-cases') === out.cases, 'the cases download is not the cases shown');
  return out;
}

/// Writes the export into a new directory; checks it with the CLI.
function checkWithCli(files, what) {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-office-'));
  const stem = files.name.replace(/\.toml$/, '');
  const policy = join(dir, `${stem}.toml`);
  writeFileSync(policy, files.toml);
  writeFileSync(join(dir, `${stem}.cases.toml`), files.cases);
  const v = cli(['validate', policy]);
  assert(v.status === 0, `${what}: yibao validate refuses the exported TOML (exit ${v.status}):\n${v.stdout}${v.stderr}`);
  const e = cli(['export', '--policy', policy]);
  assert(e.status === 0, `${what}: yibao export failed: ${e.stderr}`);
  assert(e.stdout === files.json, `${what}: yibao export of the TOML differs from the page's JSON`);
  assert(sha256(files.toml) === files.policySha, `${what}: policy_sha256 is not the SHA-256 of the TOML`);
  assert(JSON.parse(files.json).sha256 === files.policySha, `${what}: the JSON's sha256 is not the TOML's`);
  assert(sha256(files.json) === files.jsonSha, `${what}: the JSON's SHA-256 shown is not of its bytes`);
  return { dir, policy, test: cli(['test', dir]) };
}

/// `yibao test`'s verdict of each case: "✓ id — …" passes, "≠ id — …" is a known discrepancy
/// (passes), "✗ id — …" fails.
function cliVerdicts(out) {
  const v = {};
  for (const line of out.split('\n')) {
    const m = /^([✓≠✗]) (\S+) —/.exec(line);
    if (m) v[m[2]] = m[1] !== '✗';
  }
  return v;
}

let exported; // the first export, for the round trip

test('office: the demo policy, a wrong 起付线 then a right one, the cases react, are fixed, a new case, the comparison, the export the CLI agrees with', async () => {
  const { ctx, page } = await newPage();
  await tab(page, 'open');
  await shots(page, 'open');
  await page.click('[data-open="demo-county/resident-2024"]');
  await until('the demo policy valid', async () => (await status(page)) === 0);
  const start = await caseStatus(page);
  assert(start.pass >= 8 && start.fail === 0, `the demo's cases: ${JSON.stringify(start)}`);
  await shots(page, 'edit');

  // A negative 起付线: the validator's problem at that field, at once.
  const county = 'inpatient.deductible.by_level.county';
  await field(page, county).fill('-800');
  await until('negative_amount at the county 起付线', async () => (await errorsAt(page, county)).includes('negative_amount'));
  assert(await status(page) === 1, `problems: ${await status(page)}`);
  assert(await field(page, county).getAttribute('aria-invalid') === 'true', 'the field is not marked invalid');
  assert(await page.locator('#yo-checks .yo-check[data-code="negative_amount"]').count() === 1, 'the checks list lacks it');
  await field(page, county).evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await shots(page, 'edit-problem');
  // Fixed: valid again; the cases that depend on it now fail.
  await field(page, county).fill('800');
  await until('valid again', async () => (await status(page)) === 0);
  assert((await errorsAt(page, county)).length === 0, 'the problem stayed');
  const after = await caseStatus(page);
  assert(after.fail >= 1, `no case reacted to the county 起付线: ${JSON.stringify(after)}`);
  const failing = await page.locator('#yo-case-summary li[data-ok="false"]').evaluateAll((els) => els.map((e) => e.dataset.case));
  assert(failing.length === after.fail && !failing.includes('demo-township-basic'), `failing: ${failing}`);

  // The page and the CLI agree on these failures too.
  const shown = await pageVerdicts(page);
  await shots(page, 'cases-failing');
  // Publish names the failing cases and hands out nothing until the author confirms.
  await tab(page, 'publish');
  await page.waitForSelector('#yo-publish-failing');
  assert(await page.locator('#yo-toml, #yo-dl-toml').count() === 0, 'Publish offered the files with failing cases, unconfirmed');
  const listed = await page.locator('#yo-publish-failing li[data-case]').evaluateAll((els) => els.map((e) => e.dataset.case));
  assert(listed.join() === failing.join(), `Publish lists ${listed}, the cases failing are ${failing}`);
  await page.check('#yo-publish-confirm');
  let files = await published(page);
  let cliRun = checkWithCli(files, 'with failing cases');
  assert(cliRun.test.status !== 0, 'yibao test passed cases the page showed failing');
  const cliSaid = cliVerdicts(cliRun.test.stdout);
  for (const [id, ok] of Object.entries(shown)) assert(cliSaid[id] === ok, `case ${id}: page ${ok}, yibao test ${cliSaid[id]}\n${cliRun.test.stdout}`);

  // Fix them: each failing figure gets the new figure (the office recomputed these by hand).
  await tab(page, 'cases');
  for (const id of failing) {
    const card = page.locator(`.yo-case[data-case="${id}"]`);
    // Each figure fixed passes at once and leaves the failing rows: the first one left, each time.
    for (let n = await card.locator('tr[data-ok="false"]').count(); n > 0; n--) {
      const row = card.locator('tr[data-ok="false"]').first();
      const actual = (await row.locator('td[data-actual]').textContent()).trim();
      await row.locator('input').fill(actual);
      await until(`${id}: ${n - 1} figures left`, async () => (await card.locator('tr[data-ok="false"]').count()) === n - 1);
    }
    await until(`case ${id} passes`, async () => (await card.getAttribute('data-ok')) === 'true');
  }
  assert((await caseStatus(page)).fail === 0, 'cases still fail');

  // Save the estimate on screen as a worked case, with published figures typed in.
  await page.selectOption('#yo-visit-level', 'county');
  await page.selectOption('#yo-visit-category', 'general');
  await page.fill('#yo-visit-total', '20000');
  await page.fill('#yo-visit-in-scope', '18000');
  await page.fill('#yo-visit-date', '2025-05-01');
  await until('the estimate of the visit', async () => (await page.locator('td[data-engine="hifp_pay"]').textContent()).trim() !== '');
  // (18,000 − 800) × 75 % = 12,900: the figure a notice would print.
  const hifp = (await page.locator('td[data-engine="hifp_pay"]').textContent()).trim();
  assert(hifp === '12900', `hifp_pay of the visit: ${hifp}`);
  await page.fill('#yo-pub-hifp_pay', '12900');
  await page.fill('#yo-pub-act_pay_dedc', '800');
  await page.fill('#yo-case-id', 'office-county-20k');
  await page.fill('#yo-case-title', '县医院住院 2 万元(起付线 800 元)');
  // A published figure names a source a reader can find: a source id, an address or a 《document》.
  await page.fill('#yo-case-published', '《2025 年提标通知(示例)》第 3 条');
  await page.click('#yo-save-case');
  const card = page.locator('.yo-case[data-case="office-county-20k"]');
  await card.waitFor();
  assert(await card.getAttribute('data-ok') === 'true', 'the new case does not pass');
  assert(await card.locator('tr[data-field]').count() === 2, 'the new case should hold the two typed figures');
  await card.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await shots(page, 'cases');

  // What changes for people: the grid against the shipped policy.
  await tab(page, 'compare');
  await page.selectOption('#yo-compare-with', 'demo-county/resident-2024');
  const changed = Number(await page.locator('#yo-compare-summary').getAttribute('data-changed'));
  assert(changed > 0, 'the grid shows no change');
  const cell = page.locator('#yo-pays tr[data-level="county"][data-category="general"] td[data-cost="10000"]');
  const [b, a] = [Number(await cell.getAttribute('data-before')), Number(await cell.getAttribute('data-after'))];
  assert(a - b === 150, `county, 10,000 元: ${b} → ${a} (200 more of 起付线, of which the fund would have paid 75 %: +150)`);
  const township = await page.locator('#yo-pays tr[data-level="township"] td').evaluateAll((tds) => tds.every((td) => td.dataset.before === td.dataset.after));
  assert(township, 'the township rows changed');
  const dibao = page.locator('#yo-pays tr[data-level="county"][data-category="dibao"] td[data-cost="10000"]');
  assert(await dibao.getAttribute('data-before') === await dibao.getAttribute('data-after'), '低保 pay no 起付线: no change');
  assert(await page.locator('#yo-heatmap tr[data-level="county"][data-category="general"] td[data-cost="10000"]').getAttribute('class').then((c) => c.includes('yo-up1')), 'the heat map cell is not shaded as "pays a little more"');
  const diff = page.locator(`#yo-diff tr[data-path="${county}"]`);
  const cells = await diff.locator('td').allTextContents();
  assert(cells[0] === '600' && cells[1] === '800', `diff: ${cells}`);
  assert(cells[2].includes('住院起付线分别为300元、600元') && cells[3].includes('住院起付线分别为300元、600元'), `both citations: ${cells}`);
  await shots(page, 'compare');

  // Publish: the CLI accepts it and agrees with every pass the page shows.
  const finalShown = await pageVerdicts(page);
  assert(Object.values(finalShown).every(Boolean) && 'office-county-20k' in finalShown, JSON.stringify(finalShown));
  files = await published(page);
  assert(files.toml.includes('county = "800"') && files.toml.includes('cite = { source = "seed002"'), 'the TOML lost the change or its citations');
  cliRun = checkWithCli(files, 'fixed');
  assert(cliRun.test.status === 0, `yibao test fails what the page passes:\n${cliRun.test.stdout}`);
  const cliFinal = cliVerdicts(cliRun.test.stdout);
  assert(Object.keys(cliFinal).length === Object.keys(finalShown).length, `${Object.keys(cliFinal)} vs ${Object.keys(finalShown)}`);
  for (const [id, ok] of Object.entries(finalShown)) assert(cliFinal[id] === ok, `case ${id}: page ${ok}, yibao test ${cliFinal[id]}`);
  exported = { ...files, path: cliRun.policy };
  await shots(page, 'publish');

  // Work in progress survives a reload.
  await page.reload();
  await page.waitForSelector('#yo-status');
  await until('the restored draft', async () => (await field(page, county).inputValue()) === '800');
  assert((await caseStatus(page)).pass === start.pass + 1, 'the saved case did not survive the reload');
  await ctx.close();
});

test('office: a value changed away from the figure its clause quotes is flagged beside it; Publish lists the failing cases and waits for a confirmation', async () => {
  const { ctx, page } = await newPage();
  await tab(page, 'open');
  await page.click('[data-open="demo-county/resident-2024"]');
  await until('the demo policy valid', async () => (await status(page)) === 0);
  const county = 'inpatient.deductible.by_level.county';
  const warnings = () => page.locator(`.yo-warns[data-for="${county}"] .yo-warn`).allTextContents();
  assert((await warnings()).length === 0 && await page.locator('#yo-stale').count() === 0, 'a warning on the policy as shipped');
  await field(page, county).fill('400');
  await until('the county 起付线 flagged', async () => (await warnings()).length === 1);
  const [w] = await warnings();
  assert(w.includes('“600元”') && w.includes('已改为 400') && w.includes('still says "600元"') && w.includes('now 400'), `the warning: ${w}`);
  assert(await status(page) === 0, 'a warning is not a problem: the draft still reads');
  const side = await page.locator('#yo-stale li').evaluateAll((els) => els.map((e) => e.dataset.path));
  assert(side.join() === county, `the checks list: ${side}`);
  // The township's 起付线 typed again as it was (300, which the clause quotes): no warning there.
  await field(page, 'inpatient.deductible.by_level.township').fill('300');
  assert((await page.locator('.yo-warns').count()) === 1, 'the untouched township 起付线 is flagged');
  await field(page, county).evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await shots(page, 'edit-stale-clause');

  // Publish: how many cases fail and which, and no download until confirmed.
  const { fail } = await caseStatus(page);
  assert(fail >= 1, 'no case reacted to the county 起付线 400');
  await tab(page, 'publish');
  const box = page.locator('#yo-publish-failing');
  await box.waitFor();
  assert(Number(await box.getAttribute('data-fail')) === fail, `Publish says ${await box.getAttribute('data-fail')} fail, the badge ${fail}`);
  const text = await box.textContent();
  assert(text.includes(`${fail} 个工作案例`) && text.includes(fail === 1 ? "1 worked case fails" : `${fail} worked cases fail`) && text.includes('期望 expected'), `Publish: ${text}`);
  assert(await page.locator('#yo-publish-stale').count() === 1, 'Publish does not mention the clause');
  assert(await page.locator('#yo-dl-toml, #yo-dl-json, #yo-toml').count() === 0, 'files offered before the confirmation');
  await shots(page, 'publish-failing');
  await page.check('#yo-publish-confirm');
  await page.waitForSelector('#yo-dl-toml');
  assert((await page.locator('#yo-toml').textContent()).includes('county = "400"'), 'the confirmed export lacks the change');
  // Any later edit asks again.
  await tab(page, 'edit');
  await field(page, county).fill('450');
  await tab(page, 'publish');
  await page.waitForSelector('#yo-publish-failing');
  assert(await page.locator('#yo-dl-toml').count() === 0 && !(await page.isChecked('#yo-publish-confirm')), 'a confirmation outlived an edit');

  // The clause brought up to the new figure: the warning goes.
  await tab(page, 'edit');
  const clause = field(page, 'inpatient.deductible.cite.clause');
  await clause.fill((await clause.inputValue()).replace('600元', '450元'));
  await until('the warning gone', async () => (await page.locator('.yo-warns').count()) === 0);
  await ctx.close();
});

let replayedClaims; // the claims file of the replay test, for the audit of the replay's result

/// A claims file of the demo county from the CLI, with two rows that cannot be read put in the
/// middle: a malformed date (file row 1002; the header is row 1) and an amount that is not a
/// number (row 2002).
function claimsFile() {
  const dir = mkdtempSync(join(tmpdir(), 'yibao-replay-'));
  const generated = join(dir, 'generated.csv');
  const g = cli(['claims', 'generate', '--policy', 'demo-county/resident-2024', '--claims', '3000', '--seed', '2', '--out', generated]);
  assert(g.status === 0, `yibao claims generate: ${g.stderr}`);
  const lines = readFileSync(generated, 'utf8').trimEnd().split('\n');
  assert(lines.length === 3001 && !lines.some((l) => l.includes('"')), 'a plain CSV of 3,000 claims');
  const header = lines[0].split(',');
  const col = (name) => { const i = header.indexOf(name); assert(i >= 0, `no column ${name}`); return i; };
  const bad = (id, column, value) => {
    const cells = lines[1].split(',');
    cells[col('claim_id')] = id;
    cells[col(column)] = value;
    return cells.join(',');
  };
  lines.splice(1001, 0, bad('BAD-DATE', 'date', '2024-13-01'));
  lines.splice(2001, 0, bad('BAD-TOTAL', 'total', '12o0.50'));
  const path = join(dir, 'claims.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

test('office: 测算 — a claims CSV replayed in a worker under the draft and the shipped policy, with progress, equal to yibao replay', async () => {
  const claims = claimsFile();
  replayedClaims = claims;
  const { ctx, page } = await newPage();
  const requested = [];
  ctx.on('request', (r) => requested.push(r.url()));
  await tab(page, 'open');
  await page.click('[data-open="demo-county/resident-2024"]');
  await until('the demo policy valid', async () => (await status(page)) === 0);
  const county = 'inpatient.deductible.by_level.county';
  await field(page, county).fill('800');
  await until('valid with the county 起付线 at 800', async () => (await status(page)) === 0);

  await tab(page, 'replay');
  assert(await page.locator('#yo-replay-start').isDisabled(), 'a replay can start without a file');
  // A file dropped on the zone is taken (then the real one is picked instead).
  const dropped = await page.evaluateHandle(() => { const d = new DataTransfer(); d.items.add(new File(['claim_id\n'], 'dropped.csv', { type: 'text/csv' })); return d; });
  await page.locator('#yo-replay-drop').dispatchEvent('drop', { dataTransfer: dropped });
  await until('the dropped file named', async () => (await page.locator('#yo-replay-file-name strong').textContent().catch(() => '')) === 'dropped.csv');
  await page.setInputFiles('#yo-replay-file', claims);
  await until('the file picked', async () => (await page.locator('#yo-replay-file-name strong').textContent()) === 'claims.csv');
  await page.selectOption('#yo-replay-with', 'demo-county/resident-2024');
  assert(!requested.some((u) => /replay/.test(u)), `the replay's files were loaded before a replay: ${requested.filter((u) => /replay/.test(u))}`);
  // Every state of the progress the page shows, as it changes.
  await page.evaluate(() => {
    const root = document.querySelector('.yo-host').shadowRoot;
    window.seen = [];
    new MutationObserver(() => {
      const s = root.querySelector('#yo-replay-status');
      if (s) window.seen.push({ state: s.dataset.state, value: Number(s.dataset.value), max: Number(s.dataset.max) });
    }).observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await page.click('#yo-replay-start');
  await until('the replay result', async () => (await page.locator('#yo-replay-result').count()) === 1, 60000);
  assert(requested.some((u) => u.endsWith('/replay-worker.js')), `no worker script requested: ${requested.filter((u) => /replay|worker/.test(u))}`);
  // The engine ran in the worker, not on the page's main thread: the browser context fetched the
  // replay's wasm, but the page's own resource timeline (which the worker's own fetch of it never
  // enters; Chromium does list a dedicated worker's module scripts there) has no entry for it.
  // A property of where the code runs, not a time.
  assert(requested.some((u) => u.endsWith('/yibao_replay_bg.wasm')), 'the replay engine was never fetched');
  const onPage = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /yibao_replay_bg\.wasm/.test(n)));
  assert(onPage.length === 0, `the replay engine was loaded by the page itself: ${onPage}`);

  // Progress: shown while it ran (between 0 and all), and complete at the end.
  const seen = await page.evaluate(() => window.seen);
  const st = page.locator('#yo-replay-status');
  const [updates, value, max] = await Promise.all(['data-updates', 'data-value', 'data-max'].map((a) => st.getAttribute(a).then(Number)));
  assert(max === 2 * 3000 && value === max && (await st.getAttribute('data-state')) === 'done', `progress at the end: ${value} / ${max}`);
  assert(updates >= 4, `progress messages: ${updates} (2 policies, every couple of thousand claims and at the end)`);
  const mid = seen.filter((s) => s.state === 'running' && s.value > 0 && s.value < s.max);
  assert(mid.length >= 2, `the progress shown while running: ${JSON.stringify(seen.slice(0, 12))}`);
  assert(await page.locator('#yo-replay-progress').count() === 1, 'no progress bar');

  // Switching tabs keeps the result; export the draft for the CLI (its 起付线 800 fails the
  // demo's cases: Publish waits for the confirmation).
  await tab(page, 'publish');
  await page.check('#yo-publish-confirm');
  const files = await published(page);
  const { policy } = checkWithCli(files, 'the replayed draft');
  await tab(page, 'replay');
  await page.locator('#yo-replay-result').waitFor();
  const r = cli(['replay', '--claims', claims, '--policy', policy, '--policy', 'demo-county/resident-2024', '--json', '-']);
  assert(r.status === 0, `yibao replay: ${r.stderr}`);
  const j = JSON.parse(r.stdout);
  // The CLI's first policy is the draft, its second the shipped one: the page's draft and current.
  const cliOf = { draft: j.policies[0], current: j.policies[1] };
  assert(cliOf.draft.sha256 === files.policySha, 'the CLI read another draft');
  const row = (key) => page.locator(`#yo-replay-totals tr[data-key="${key}"]`);
  for (const which of ['current', 'draft']) {
    const all = cliOf[which].summary.all;
    for (const key of ['fund_pay_sumamt', 'psn_part_amt', 'hifp_pay', 'hifmi_pay', 'maf_pay', 'medfee_sumamt', 'claims']) {
      const shown = await row(key).getAttribute(`data-${which}`);
      assert(shown === String(all[key]), `${which} ${key}: page ${shown}, yibao replay ${all[key]}`);
    }
    assert(await row('persons').getAttribute(`data-${which}`) === String(cliOf[which].summary.persons), `${which}: persons`);
    assert(await row('actual_ratio').getAttribute(`data-${which}`) === cliOf[which].actual_ratio, `${which}: actual ratio`);
    for (const [level, t] of Object.entries(cliOf[which].summary.by_level)) {
      const shown = await page.locator(`#yo-replay-levels tr[data-level="${level}"]`).getAttribute(`data-fund-${which}`);
      assert(shown === t.fund_pay_sumamt, `${which} ${level}: page ${shown}, yibao replay ${t.fund_pay_sumamt}`);
    }
    for (const [cap, n] of Object.entries(cliOf[which].summary.cap_hits)) {
      assert(await page.locator(`#yo-replay-caps tr[data-key="${cap}"]`).getAttribute(`data-${which}`) === String(n), `${which} cap ${cap}`);
    }
  }
  assert(Number(j.policies[0].summary.all.psn_part_amt) > Number(j.policies[1].summary.all.psn_part_amt), 'a higher 起付线: patients pay more under the draft');
  assert((await row('psn_part_amt').locator('td').nth(2).textContent()).startsWith('+'), 'the difference of patient payments is not shown as a rise');
  // The two bad rows, at their rows and columns, in both languages; nothing the engine refused.
  assert(JSON.stringify(j.bad_rows.map((b) => [b.row, b.path])) === JSON.stringify([[1002, 'date'], [2002, 'total']]), `CLI: ${JSON.stringify(j.bad_rows)}`);
  assert(j.refused.length === 0, 'the CLI refused claims');
  const bad = await page.locator('#yo-replay-bad tbody tr').evaluateAll((trs) => trs.map((t) => [Number(t.dataset.row), t.dataset.column, t.dataset.refused, t.textContent]));
  assert(JSON.stringify(bad.map((b) => [b[0], b[1], b[2]])) === JSON.stringify([[1002, 'date', 'false'], [2002, 'total', 'false']]), `page: ${JSON.stringify(bad)}`);
  for (const b of bad) assert(/[\u4e00-\u9fff]/.test(b[3]) && /[a-z]{4,}/.test(b[3]), `not bilingual: ${b[3]}`);
  assert(await page.locator('#yo-replay-result').getAttribute('data-claims') === String(j.claims_read), 'claims read');
  // Who pays less or more: the CLI's change is the shipped policy minus the draft, the page's the reverse.
  const persons = page.locator('#yo-replay-persons');
  const [fewer, same, more] = await Promise.all(['data-fewer', 'data-same', 'data-more'].map((a) => persons.getAttribute(a).then(Number)));
  const c = j.change.persons;
  assert(fewer === c.more && more === c.fewer && same === c.same && more > 0, `page ${fewer}/${same}/${more}, CLI ${c.fewer}/${c.same}/${c.more}`);
  const losers = await page.locator('#yo-replay-losses tbody tr').evaluateAll((trs) => trs.map((t) => t.dataset.person));
  assert(JSON.stringify(losers) === JSON.stringify(c.gains.map((p) => p.person_id)), `losers: ${losers} vs ${c.gains.map((p) => p.person_id)}`);
  assert(foreign.length === 0, `requests left the origin: ${foreign}`);
  await shots(page, 'replay');
  await ctx.close();
});

test('office: the exported TOML opened again exports the same bytes (a round trip)', async () => {
  assert(exported, 'needs the first test');
  const { ctx, page } = await newPage();
  await tab(page, 'open');
  await page.setInputFiles('#yo-file', exported.path);
  await until('the file open and valid', async () => (await status(page)) === 0 && (await page.locator('#yo-draft-name code').textContent()) === 'demo-county/resident-2024');
  const again = await published(page);
  assert(again.toml === exported.toml, 'opened and exported again, the TOML changed');
  assert(again.json === exported.json && again.policySha === exported.policySha, 'the JSON changed');
  await ctx.close();
});

test('office: a file with five mistakes shows all five at their fields, as the CLI names them', async () => {
  const { ctx, page } = await newPage();
  await tab(page, 'open');
  const fixture = join(FIXTURES, 'five-mistakes.toml');
  await page.setInputFiles('#yo-file', fixture);
  await until('five problems', async () => (await status(page)) === 5, 15000);
  const want = [
    ['unknown_key', 'inpatient.caps.anual_fund'],
    ['invalid_rate', 'inpatient.ratio.rates.county'],
    ['tiers_not_ordered', 'layers[0].tiers[0].up_to'],
    ['negative_amount', 'inpatient.deductible.by_level.township'],
    ['unknown_source', 'inpatient.caps.cite.source'],
  ];
  for (const [code, path] of want) {
    const at = page.locator(`.yo-errs[data-for="${path}"] .yo-err[data-code="${code}"]`);
    assert(await at.count() === 1, `${code} is not shown at ${path}: ${JSON.stringify(await page.locator('#yo-checks .yo-check').evaluateAll((els) => els.map((e) => [e.dataset.code, e.dataset.path])))}`);
    assert(await at.isVisible(), `${code} at ${path} is not visible`);
    const text = await at.textContent();
    assert(/[\u4e00-\u9fff]/.test(text) && /[a-z]{3,}/.test(text), `not bilingual: ${text}`);
  }
  // The same codes and paths as `yibao validate` of the same file.
  const v = cli(['validate', fixture]);
  assert(v.status === 2, `yibao validate: exit ${v.status}`);
  for (const [code, path] of want) assert(v.stderr.includes(`(${code})`) && v.stderr.includes(path), `the CLI does not name ${code} at ${path}:\n${v.stderr}`);
  const cliCount = v.stderr.split('\n').filter((l) => /^错误 \/ error \(/.test(l)).length;
  assert(cliCount === 5, `the CLI reports ${cliCount}`);
  // The checks list takes the keyboard to the field.
  await page.locator('#yo-checks .yo-check[data-code="invalid_rate"] button').click();
  await until('focus on the ratio', () => page.evaluate(() => document.querySelector('.yo-host').shadowRoot.activeElement?.id === 'f-inpatient.ratio.rates.county'));
  await page.locator('.yo-unknown[data-path="inpatient.caps.anual_fund"]').evaluate((e) => e.scrollIntoView({ block: 'center' }));
  await shots(page, 'five-mistakes');
  // Fixed in the page: all five gone.
  await page.locator('[data-remove="inpatient.caps.anual_fund"]').click();
  await field(page, 'inpatient.ratio.rates.county').fill('80%');
  await field(page, 'layers[0].tiers[0].up_to').fill('100000');
  await field(page, 'inpatient.deductible.by_level.township').fill('300');
  await field(page, 'inpatient.caps.cite.source').selectOption('seed003');
  await until('no problem left', async () => (await status(page)) === 0);
  // The disease catalogue's search: by pinyin initials, then by code.
  const rows = page.locator('table[data-path="catalogue.diseases"] tbody tr');
  const all = await rows.count();
  await page.fill('#yo-catalogue-search', 'fy');
  const shownCodes = () => page.locator('table[data-path="catalogue.diseases"] [id$=".code"]').evaluateAll((els) => els.map((e) => e.value));
  // The rows settle once the box's last input is searched (a transient render of an earlier
  // keystroke may show fewer).
  await until('the search narrows the catalogue to 肺炎 (fy) and others', async () => {
    const codes = await shownCodes();
    return codes.length < all && codes.includes('J18');
  });
  // An everyday word, through core's one diagnosis search (the national list's alias table,
  // fetched on the first keystroke): 心梗 is the catalogue's 急性心肌梗死 (I21).
  await page.fill('#yo-catalogue-search', '心梗');
  await until('心梗 finds 急性心肌梗死', async () => (await shownCodes()).includes('I21'));
  const heart = await shownCodes();
  assert(heart.length < all && !heart.includes('J18'), `心梗 shows ${heart}`);
  await page.locator('#yo-catalogue-search').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shots(page, 'edit-catalogue-everyday-word');
  await page.fill('#yo-catalogue-search', '');
  await until('the whole catalogue again', async () => (await rows.count()) === all);
  await ctx.close();
});

test('office: a new employee policy from the template, in the page alone, keyboard first, valid and round-tripping through the CLI', async () => {
  const { ctx, page } = await newPage();
  await tab(page, 'open');
  await page.click('#yo-template-employee');
  await until('the template open', async () => (await page.locator('#yo-draft-name code').textContent()) === 'my-county/employee');
  assert(await status(page) === 0, 'the template is not valid');
  await field(page, 'meta.id').fill('test-county/employee-2026');
  await field(page, 'meta.region_zh').fill('测试县');
  await field(page, 'meta.effective_from').fill('2026-01-01');
  await field(page, 'meta.effective_to').fill('2026-12-31');
  // A new source by keyboard: Enter in the sources table's last row adds a row, focused.
  const nSources = await page.locator('table[data-path="sources"] tbody tr').count();
  await page.locator(`[id="f-sources[${nSources - 1}].publisher"]`).focus();
  await page.keyboard.press('Enter');
  await until('a new source row, focused', () => page.evaluate((n) => document.querySelector('.yo-host').shadowRoot.activeElement?.id === `f-sources[${n}].id`, nSources));
  await page.keyboard.type('ts2026');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('测试县职工医保实施细则(2026)');
  await until('valid with the new source', async () => (await status(page)) === 0);
  // Cite it beside the 起付线.
  await field(page, 'inpatient.deductible.cite.source').selectOption('ts2026');
  await field(page, 'inpatient.deductible.cite.clause').fill('第十条 起付标准');
  await until('valid', async () => (await status(page)) === 0);
  // The visible focus ring on the keyboard's field.
  await field(page, 'inpatient.deductible.cite.clause').focus();
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => { const a = document.querySelector('.yo-host').shadowRoot.activeElement; return a && getComputedStyle(a).outlineStyle; });
  assert(ring && ring !== 'none', `no visible focus: ${ring}`);
  const files = await published(page);
  assert(files.name === 'employee-2026.toml', files.name);
  assert(files.toml.includes('source = "ts2026", clause = "第十条 起付标准"'), 'the new citation is not in the TOML');
  checkWithCli(files, 'employee template');
  await shots(page, 'publish-employee');
  // The preview: the resident page and the desk on the draft.
  await tab(page, 'preview');
  await page.locator('#yo-preview-resident .yb').waitFor();
  await page.locator('#yo-preview-desk .yb').waitFor();
  for (const where of ['#yo-preview-desk', '#yo-preview-resident']) {
    const text = await page.locator(where).textContent();
    assert(text.includes('本县职工医保模板'), `the ${where} preview does not show the draft: ${text.slice(0, 300)}`);
  }
  await shots(page, 'preview');
  await ctx.close();
});

/// axe-core's serious and critical findings on the document, the shadow root included (run
/// through the DevTools protocol, which the page's CSP does not govern).
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
async function axe(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .flatMap((r) => r.nodes.map((n) => ({ rule: r.id, impact: n.impact || r.impact, target: n.target.map((t) => [].concat(t).join(' >>> ')).join(' | ') }))));
  return v.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${x.rule} (${x.impact}) on ${x.target}`);
}

test('office: axe (serious, critical) finds nothing on each screen; the sections list moves to its section', async () => {
  const { ctx, page } = await newPage(1280, true);
  const found = [];
  for (const t of ['open', 'edit', 'cases', 'compare', 'replay', 'publish']) {
    await tab(page, t);
    await page.waitForTimeout(150);
    found.push(...(await axe(page)).map((f) => `${t}: ${f}`));
  }
  // The replay's result too (its tables, progress bar and bad rows).
  if (replayedClaims) {
    await tab(page, 'replay');
    await page.setInputFiles('#yo-replay-file', replayedClaims);
    await page.click('#yo-replay-start');
    await until('the replay result', async () => (await page.locator('#yo-replay-result').count()) === 1, 60000);
    found.push(...(await axe(page)).map((f) => `replay result: ${f}`));
  }
  assert(found.length === 0, `axe:\n${[...new Set(found)].slice(0, 20).join('\n')}`);
  await tab(page, 'edit');
  await page.locator('a[data-sec="referral"]').click();
  await until('the referral section on screen', () => page.locator('#sec-referral').evaluate((e) => Math.abs(e.getBoundingClientRect().top) < 50));
  await ctx.close();
});

test('office: the phone\'s first visit does not load or name the office build', async () => {
  for (const f of FIRST_VISIT) {
    const text = readFileSync(join(DIST, f)).toString('latin1');
    assert(!/yibao_office|office\.js|yibao-office/.test(text), `${f} names the office build`);
  }
  assert(FIRST_VISIT.length >= 5, 'YIBAO_FIRST_VISIT is not set');
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  assert(!sw.includes('office'), 'the service worker keeps the office files');
});

test('office: no request left the page\'s origin; no CSP violation or page error', async () => {
  assert(foreign.length === 0, `foreign requests: ${foreign.join(', ')}`);
  assert(problems.length === 0, `console errors / CSP violations:\n${problems.join('\n')}`);
});

tests.done(() => browser.close());
