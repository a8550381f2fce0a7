// End-to-end tests of the yew widget (web/) in Debian's headless Chromium via playwright-core.
// Run by `cargo xtask web test` (and so by `cargo xtask test`), which builds web/dist, serves it
// on a loopback port and sets: YIBAO_URL, YIBAO_DIST, YIBAO_OUT, CHROMIUM (CHROMIUM_FLAGS to replace the harness's flags).
// Screenshots go to tests/browser/out/ (git-ignored); figures to tests/browser/out/web-metrics.json.
// Behaviour and the size ceiling only: times (the first estimate, cold and repeat visits) are
// measured by `cargo xtask bench` (benchmarks/browser/web.mjs), never asserted here.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { firstVisitSizes, printSizes } from './sizes.mjs';
import { execFileSync } from 'node:child_process';
import * as badInputs from '../bad-inputs.mjs';
import { PHONE, DESK, EMPLOYEE, assert, num, launchChromium, until, smallTargets, suite } from '../harness.mjs';

const URL0 = process.env.YIBAO_URL || 'http://127.0.0.1:8080/';
const DIST = process.env.YIBAO_DIST || 'web/dist';
const OUT = process.env.YIBAO_OUT || 'tests/browser/out';
const ORIGIN = new URL(URL0).origin;
// The size guard of a phone's first visit, gzipped, in bytes (`FIRST_VISIT_CEILING` in
// xtask/src/web.rs: about 15 % above the stable build's size, a guard against accidents, not a
// target). The test fails above it; the margin is printed on every run.
const BUDGET = Number(process.env.YIBAO_FIRST_VISIT_CEILING);
if (!(BUDGET > 0)) throw new Error('YIBAO_FIRST_VISIT_CEILING is not set: run through `cargo xtask web test`');
// The files of a phone's first visit, as `cargo xtask web` lists them (xtask/src/web.rs).
const FIRST_VISIT = (process.env.YIBAO_FIRST_VISIT || '').split(',').filter(Boolean);
if (!FIRST_VISIT.length) throw new Error('YIBAO_FIRST_VISIT is not set: run through `cargo xtask web test`');

const metrics = {};
const foreign = [];
const problems = [];
const tests = suite();
const test = tests.test;
const shot = (page, name, opts = {}) => page.screenshot({ path: join(OUT, `web-${name}.png`), fullPage: true, ...opts });

const browser = await launchChromium();

async function newPage(opts, url = URL0) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  ctx.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(ORIGIN + '/') && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  page.on('console', (m) => {
    const t = m.text();
    if (m.type() === 'error' || /Content Security Policy|Refused to/.test(t)) problems.push(`${page.url()}: ${t}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  await page.addInitScript(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; });
  if (url) await page.goto(url);
  return { ctx, page };
}

/// The id of the focused element, looking through shadow roots.
const focusedId = (page) => page.evaluate(() => {
  let a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
  return a ? a.id || a.tagName.toLowerCase() : '';
});

async function tabTo(page, id, visited) {
  for (let i = 0; i < 60; i++) {
    const f = await focusedId(page);
    if (visited && f && visited[visited.length - 1] !== f) visited.push(f);
    if (f === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`keyboard: never reached #${id}; order was ${visited?.join(' → ')}`);
}


/// Waits until the settlement table's row `key` reads `value` (the widget renders per keystroke
/// on a busy machine, and it lives in a shadow root, which `document.querySelector` does not
/// see: locators do). Fails with what the row shows.
function settled(page, key, value) {
  const cell = page.locator(`.yb-setl tr:has-text("${key}") td`).first();
  let text = '';
  return until(() => `${key} = ${value}; it shows "${text}"`, async () => {
    text = await cell.textContent({ timeout: 1000 }).catch(() => '');
    return Math.abs(num(text) - value) < 0.005;
  }, 10000);
}

// ---------------------------------------------------------------------------------------------

test(`size: first visit gzipped (wasm + JS + CSS + default policy + HTML); ceiling ${BUDGET} B`, async () => {
  const size = firstVisitSizes(DIST, FIRST_VISIT);
  const total = size.gzip_total;
  metrics.size = { ...size, budget: BUDGET };
  printSizes(size);
  console.log(`  ceiling ${BUDGET} B: ${total <= BUDGET ? `${BUDGET - total} B to spare` : `OVER by ${total - BUDGET} B`}`);
  assert(total <= BUDGET, `first visit is ${total} B gzipped, over the ${BUDGET} B ceiling`);
});

let shareUrl = '';
test('resident flow at 360×740 reproduces the 渝北 published example', async () => {
  const { ctx, page } = await newPage(PHONE);
  await page.waitForSelector('#yb-next');
  await page.selectOption('#yb-policy', 'chongqing-yubei/resident-2023');
  await page.getByText('低保边缘家庭成员').click();
  await shot(page, 'resident-1-about-360');
  const tooSmall = await smallTargets(page);
  assert(tooSmall.length === 0, tooSmall.join('; '));
  await page.click('#yb-next');
  await page.waitForSelector('#yb-disease');
  await shot(page, 'resident-2-condition-360');
  await page.click('#yb-next');
  await page.waitForSelector('input[name=yb-level]');
  await shot(page, 'resident-3-facility-360');
  await page.click('#yb-next');
  await page.fill('#yb-total', '52000');
  await page.click('.yb-more summary');
  await page.fill('#yb-inscope', '50000');
  await shot(page, 'resident-4-cost-360');
  await page.click('#yb-next');
  await page.waitForSelector('#yb-answer');
  const answer = await page.textContent('#yb-answer');
  assert(answer.includes('5,625'), `answer shows ${answer}, expected 约 5,625 元`);
  // The widget's text is in the named CJK faces, not the initial font its `all: initial` leaves
  // (a rule order slip once did that: a serif page and twice the first layout's time).
  const face = await page.$eval('#yb-answer', (el) => getComputedStyle(el).fontFamily);
  assert(face.includes('PingFang SC') && face.includes('WenQuanYi Micro Hei'), `answer font is ${face}`);
  // One type scale (yibao.css): every size and weight on the first answer is a font lookup in
  // its first layout, and nothing a resident must read is smaller than 12.8 px.
  const strikes = await page.$eval('.yb', (root) => {
    const seen = new Set(); let smallest = Infinity;
    for (const el of root.querySelectorAll('*')) {
      const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!text || !el.getClientRects().length) continue;
      const s = getComputedStyle(el);
      seen.add(s.fontSize + ' ' + s.fontWeight);
      smallest = Math.min(smallest, parseFloat(s.fontSize));
    }
    return { n: seen.size, all: [...seen].join(', '), smallest };
  });
  assert(strikes.n <= 10, `${strikes.n} font sizes and weights on the answer: ${strikes.all}`);
  assert(strikes.smallest >= 12.8, `text at ${strikes.smallest}px on the answer: ${strikes.all}`);
  const fund = await page.textContent('.yb-fund');
  assert(fund.includes('46,374.80'), `fund line shows ${fund}, expected 46,374.80`);
  const legend = await page.textContent('.yb-legend');
  for (const part of ['基本医保', '医疗救助', '自付', '34,790']) assert(legend.includes(part), `who-pays legend lacks ${part}: ${legend}`);
  // The excerpt has no 大病 layer and no quota route: no payer the policy cannot make pay.
  for (const part of ['大病保险', '医院承担']) assert(!legend.includes(part), `who-pays legend shows ${part}, which this policy never pays: ${legend}`);
  await shot(page, 'resident-5-answer-360');
  await page.click('#yb-why');
  const steps = await page.textContent('#yb-steps');
  for (const part of ['34790', '10647', '937.8', '渝北区医疗救助政策解读']) assert(steps.includes(part), `trace lacks ${part}`);
  await shot(page, 'resident-6-why-360');
  await page.click('#yb-share-btn');
  await page.waitForSelector('.yb-qr');
  shareUrl = await page.getAttribute('#yb-share-link', 'href');
  assert(shareUrl.startsWith(URL0) && shareUrl.includes('#v=1') && shareUrl.includes('dibao_edge'), `share link ${shareUrl}`);
  assert(page.url().includes('#v=1'), 'the state is kept in the URL fragment');
  await shot(page, 'resident-7-share-360');
  await ctx.close();
});

// A real city's employee policy (达州, status secondary): the hand-worked case
// `dazhou-emp-retired-large-cost-account` — 退休, 三级, 105,000 of which 100,000 in scope, account 8,000:
// basic fund 86,304, 大额 1,187.20, patient 17,508.80 of which account 8,000 and cash 9,508.80.
test('resident flow at 360×740 under an employee policy: 退休, account balance asked, 大额 and the account shown with their clauses', async () => {
  const { ctx, page } = await newPage(PHONE);
  await page.waitForSelector('#yb-next');
  assert(await page.locator('#yb-account').count() === 0, 'a resident policy asks for no account balance');
  await page.selectOption('#yb-policy', EMPLOYEE);
  await page.getByText('退休人员').click();
  await page.waitForSelector('#yb-account');
  assert(await page.locator('#yb-continuous').count() === 0, 'this policy has no enrolment incentive: years not asked');
  await page.fill('#yb-account', '8000');
  await page.fill('#yb-age', '68');
  await shot(page, 'employee-1-about-360');
  const tooSmall = await smallTargets(page);
  assert(tooSmall.length === 0, tooSmall.join('; '));
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 360, `the page scrolls sideways at 360 px (${wide} px wide)`);
  await page.click('#yb-next');
  await page.waitForSelector('#yb-disease');
  await page.click('#yb-next');
  await page.waitForSelector('input[name=yb-level]');
  await page.check('input[name=yb-level][value=level3]');
  await shot(page, 'employee-3-facility-360');
  await page.click('#yb-next');
  await page.fill('#yb-total', '105000');
  await page.click('.yb-more summary');
  await page.fill('#yb-inscope', '100000');
  await page.click('#yb-next');
  await page.waitForSelector('#yb-answer');
  const answer = await page.textContent('#yb-answer');
  assert(answer.includes('17,509'), `answer shows ${answer}, expected 约 17,509 元`);
  const legend = await page.textContent('.yb-legend');
  assert(legend.includes('大额医疗补助') && legend.includes('1,187'), `legend: ${legend}`);
  assert(!legend.includes('大病保险'), `an employee policy's layer is not called 大病保险: ${legend}`);
  const acct = await page.textContent('.yb-acct');
  assert(acct.includes('8,000') && acct.includes('9,509'), `account / cash split: ${acct}`);
  const status = await page.textContent('.yb-status');
  assert(status.includes('转引自二手资料') && status.includes('尚未与正式文件核对'), `the page says the policy is quoted by a secondary source: ${status}`);
  await shot(page, 'employee-5-answer-360');
  await page.click('#yb-why');
  await page.waitForSelector('#yb-steps');
  const steps = await page.textContent('#yb-steps');
  for (const want of ['退休人员各项提高3%', '职工大额医疗费用补助', '达医保规〔2024〕1号', '账户支付 8000', '国办发〔2021〕14号']) {
    assert(steps.includes(want), `the trace lacks ${want}`);
  }
  await page.locator('#yb-steps').screenshot({ path: join(OUT, 'web-employee-6-why-360.png') });
  await ctx.close();
});

test('desk under an employee policy: 退休 by keyboard, account, only the rows the policy fills, outpatient pooling', async () => {
  const { ctx, page } = await newPage(DESK, URL0 + '?mode=clerk');
  await page.waitForSelector('#yb-policy');
  await page.selectOption('#yb-policy', EMPLOYEE);
  await page.waitForSelector('#yb-account');
  const order = [];
  await page.focus('#yb-policy');
  await tabTo(page, 'yb-category', order);
  await page.keyboard.press('ArrowDown');
  assert(await page.inputValue('#yb-category') === 'retired', `category ${await page.inputValue('#yb-category')}`);
  await page.selectOption('#yb-level', 'level3');
  await page.fill('#yb-total', '105000');
  await page.fill('#yb-inscope', '100000');
  await tabTo(page, 'yb-account', order);
  await page.keyboard.type('8000');
  const row = (k) => page.locator(`.yb-setl tr:has-text("${k}") td`);
  await settled(page, 'acct_pay', 8000);
  const want = { hifp_pay: 86304, hifob_pay: 1187.2, psn_part_amt: 17508.8, acct_pay: 8000, acct_mulaid_pay: 0, psn_cash_pay: 9508.8 };
  for (const [k, v] of Object.entries(want)) {
    const got = num(await row(k).textContent());
    assert(Math.abs(got - v) < 0.005, `${k} ${got}, expected ${v}`);
  }
  for (const k of ['hifmi_pay', 'maf_pay', 'oth_pay', 'yb_commercial_pay']) {
    assert(await page.locator(`.yb-setl tr:has-text("${k}")`).count() === 0, `${k} is shown though no rule of this policy pays it`);
  }
  const trace = await page.textContent('.yb-trace');
  assert(trace.includes('退休人员各项提高3%') && trace.includes('国办发〔2021〕14号'), 'the desk trace cites the retirees\' table and the account rule');
  await shot(page, 'employee-desk-inpatient-1280');
  // The same retiree at the 三级 hospital's outpatient pooling: (650 − 150) × 60% = 300.
  await page.selectOption('#yb-setting', 'outpatient');
  await page.fill('#yb-inscope', '');
  await page.fill('#yb-total', '650');
  await settled(page, 'hifp_pay', 300);
  assert(num(await row('act_pay_dedc').textContent()) === 150, `outpatient deductible ${await row('act_pay_dedc').textContent()}`);
  assert(num(await row('hifp_pay').textContent()) === 300, `outpatient fund ${await row('hifp_pay').textContent()}`);
  await shot(page, 'employee-desk-outpatient-1280');
  await ctx.close();
});

// What the estimate leaves out, beside the figure (issue 27): the 重庆 retiree's 320,000 stay, whose
// basic fund stops at its 47,000 cap and whose policy does not encode 大额. The sentences are the
// policy's own (`yibao export`), not copied here.
const cqPolicy = JSON.parse(execFileSync('cargo',
  ['run', '--quiet', '-p', 'yibao-cli', '--', 'export', '--policy', 'chongqing/employee-2024'], { encoding: 'utf8' })).policy;
const cqHifob = cqPolicy.not_encoded.find((n) => n.rule === 'hifob');
const CQ = '#v=1&p=chongqing%2Femployee-2024&dt=2025-06-01&c=retired&a=70&l=level3&t=320000&is=300000';
test('what the estimate leaves out: the 重庆 retiree at 360 px, on the desk and on the printed sheet', async () => {
  assert(cqHifob && cqHifob.when.above_basic_cap, 'the 重庆 policy lists 大额 as not encoded above the basic cap');
  {
    const { ctx, page } = await newPage(PHONE, URL0 + CQ + '&m=resident');
    await page.waitForSelector('#yb-answer');
    const answer = await page.textContent('#yb-answer');
    assert(answer.includes('273,000'), `answer ${answer}`);
    const box = page.locator('#yb-caveats');
    await box.waitFor();
    const said = await box.textContent();
    assert(said.includes(cqHifob.zh), `the resident page does not say 大额 is left out: ${said}`);
    assert(said.includes('转引自二手资料'), `the evidence grade is not beside the figure: ${said}`);
    // Beside the number: the box follows the answer directly, within the first screens of a phone.
    const [a, b] = await Promise.all([page.locator('.yb-answer').boundingBox(), box.boundingBox()]);
    assert(b.y - (a.y + a.height) < 40, `the caveats are ${b.y - (a.y + a.height)} px below the answer`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= 360, `the page scrolls sideways at 360 px (${wide} px wide)`);
    await shot(page, 'caveats-resident-360');
    await ctx.close();
  }
  {
    const { ctx, page } = await newPage(DESK, URL0 + '?mode=clerk' + CQ + '&m=clerk');
    await page.waitForSelector('#yb-psn');
    const said = await page.textContent('.yb-sheet #yb-caveats');
    assert(said.includes(cqHifob.zh), `the desk does not say 大额 is left out: ${said}`);
    await page.click('#yb-print-a4');
    await page.waitForFunction(() => window.__printed === 1);
    await page.emulateMedia({ media: 'print' });
    assert(await page.isVisible('.yb-sheet #yb-caveats'), 'the caveats are not printed on the 预估单');
    await shot(page, 'caveats-print-a4');
    const a4 = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const pages = (a4.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
    assert(pages === 1, `the 重庆 A4 sheet has ${pages} pages`);
    await ctx.close();
  }
});

test('QR / share link restores the same estimate on another phone', async () => {
  assert(shareUrl, 'needs the resident test');
  const { ctx, page } = await newPage(PHONE, shareUrl);
  await page.waitForSelector('#yb-answer');
  const answer = await page.textContent('#yb-answer');
  assert(answer.includes('5,625'), `restored answer ${answer}`);
  const fund = await page.textContent('.yb-fund');
  assert(fund.includes('46,374.80'), `restored fund line ${fund}`);
  await ctx.close();
});

test('resident flow on the demo policy: condition search, comparison, 长辈版 remembered, English', async () => {
  const { ctx, page } = await newPage(PHONE);
  await page.waitForSelector('#yb-next');
  await page.fill('#yb-age', '45');
  await page.click('#yb-next');
  await page.fill('#yb-disease', '肺炎');
  await page.waitForSelector('#yb-disease-list li');
  await shot(page, 'resident-search-360');
  await page.click('#yb-disease-list li >> nth=0');
  await page.click('#yb-next');
  await page.click('#yb-next');
  await page.click('#yb-unsure');
  await page.click('#yb-next');
  await page.waitForSelector('#yb-answer');
  const cards = await page.locator('.yb-card').count();
  assert(cards >= 3, `pathway comparison shows ${cards} options`);
  assert(await page.locator('.yb-card.yb-rec').count() === 1, 'one option is recommended');
  const rec = await page.textContent('.yb-card.yb-rec');
  assert(/乡镇|县级/.test(rec), `recommended option for 肺炎 is ${rec}`);
  await shot(page, 'resident-unsure-compare-360');
  await page.click('text=长辈版');
  await page.waitForSelector('.yb-elder');
  await shot(page, 'resident-elder-360');
  await page.reload();
  await page.waitForSelector('.yb-elder #yb-answer');
  await page.click('text=English');
  await page.waitForFunction(() => true);
  const lead = await page.textContent('.yb-lead');
  assert(/you would pay|You will pay/.test(lead), `English answer: ${lead}`);
  await shot(page, 'resident-elder-en-360');
  await page.click('text=Large text');
  await page.waitForSelector('.yb-resident:not(.yb-elder)');
  await ctx.close();
  // the same page at desk size
  const d = await newPage(DESK, URL0 + '#v=1&m=resident&p=demo-county%2Fresident-2024&a=45&d=J18&l=county&t=20000');
  await d.page.waitForSelector('#yb-answer');
  await shot(d.page, 'resident-answer-1280');
  await d.ctx.close();
});

test('bad input: negative cost and unknown disease give an inline bilingual message, form kept', async () => {
  const { ctx, page } = await newPage(PHONE);
  await page.waitForSelector('#yb-next');
  await page.click('#yb-next');
  await page.fill('#yb-disease', '不存在的病');
  await page.click('#yb-next');
  let err = await page.textContent('.yb-err >> nth=0');
  assert(err.includes('病种目录中没有') && err.includes('not in the disease catalogue'), `unknown disease message: ${err}`);
  assert(await page.inputValue('#yb-disease') === '不存在的病', 'the typed text is kept');
  await shot(page, 'bad-disease-360');
  await page.fill('#yb-disease', '');
  await page.click('#yb-next');
  await page.click('#yb-next');
  await page.fill('#yb-total', '-500');
  await page.click('#yb-next');
  err = await page.textContent('#err-total');
  assert(err.includes('不能为负数') && err.includes('negative'), `negative cost message: ${err}`);
  assert(await page.inputValue('#yb-total') === '-500', 'the typed amount is kept');
  assert(await page.locator('#yb-answer').count() === 0, 'no answer for a negative cost');
  await shot(page, 'bad-negative-360');
  await ctx.close();
});

test('diagnoses by their everyday names at 360 px: 心梗 finds 急性心肌梗死; the national list comes on the first keystroke, not on the first visit', async () => {
  const { ctx, page } = await newPage(PHONE);
  const fetched = [];
  page.on('request', (r) => { if (r.url().endsWith('/diagnoses.idx')) fetched.push(r.url()); });
  await page.waitForSelector('#yb-next');
  await page.click('#yb-next');
  await page.waitForSelector('#yb-disease');
  assert(fetched.length === 0, `the national list was fetched before any keystroke: ${fetched}`);
  await page.fill('#yb-disease', '心梗');
  await page.waitForSelector('#yb-disease-list li');
  const first = await page.textContent('#yb-disease-list li >> nth=0');
  assert(first.includes('急性心肌梗死'), `心梗 → ${first}`);
  assert(fetched.length === 1, `the national list is fetched once: ${fetched}`);
  await shot(page, 'resident-search-xingeng-360');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 360, `the list fits the phone: ${wide}px wide`);
  // The issue's words, each with the county catalogue's row first.
  const words = [['肺癌', '肺恶性肿瘤'], ['胆结石', '胆囊结石'], ['中风', '脑卒中'], ['尿毒症', '慢性肾衰竭'],
    ['顺产', '正常分娩'], ['剖腹产', '剖宫产'], ['脑梗', '脑梗死'], ['慢阻肺', '慢阻肺'], ['甲亢', '甲状腺毒症'], ['xinegng', '急性心肌梗死']];
  for (const [word, name] of words) {
    await page.fill('#yb-disease', word);
    await page.waitForSelector('#yb-disease-list li');
    const t = await page.textContent('#yb-disease-list li >> nth=0');
    assert(t.includes(name), `${word} → ${t}`);
  }
  // Every everyday word the tests keep (tests/fixtures/everyday-words.tsv, what core, the CLI
  // and the package are held to): its code first in the widget's own list, on the demo county.
  const words50 = readFileSync(new globalThis.URL('../../fixtures/everyday-words.tsv', import.meta.url), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#') && !l.startsWith('word\t')).map((l) => l.split('\t'));
  const missed = [];
  const firstCode = () => page.locator('#yb-disease-list li .yb-code').first().textContent({ timeout: 1000 }).catch(() => 'nothing');
  for (const [word, national, demo] of words50) {
    const want = demo === '=' ? national : demo;
    await page.fill('#yb-disease', word);
    // The list follows the keystroke (the widget is in a shadow root: the locator looks in).
    let got = await firstCode();
    for (let i = 0; i < 30 && got !== want; i++) {
      await page.waitForTimeout(100);
      got = await firstCode();
    }
    if (got !== want) missed.push(`${word} → ${got} (want ${want})`);
  }
  assert(words50.length >= 50 && missed.length === 0, `${words50.length} everyday words in the widget: ${missed.join('; ')}`);
  // A diagnosis the county's catalogue does not place says so, and does not block the flow.
  await page.fill('#yb-disease', '痛风');
  await page.waitForSelector('#yb-disease-list li');
  const gout = await page.textContent('#yb-disease-list li >> nth=0');
  assert(gout.includes('痛风') && gout.includes('本县目录未列出该病种的诊治机构'), `痛风 → ${gout}`);
  await shot(page, 'resident-search-not-listed-360');
  await page.click('#yb-disease-list li >> nth=0');
  assert((await page.inputValue('#yb-disease')) === '痛风', `picked: ${await page.inputValue('#yb-disease')}`);
  const hint = await page.textContent('.yb-search .yb-hint');
  assert(hint.includes('M10.900') && hint.includes('本县目录未列出'), `picked hint: ${hint}`);
  await shot(page, 'resident-picked-not-listed-360');
  await page.click('#yb-next');
  assert(await page.locator('#yb-disease').count() === 0, 'the flow goes on past a diagnosis the county does not place');
  assert(await page.locator('.yb-err').count() === 0, 'no error for it');
  await ctx.close();
});

test('after the first answer, the national list is read while the phone is idle (the next search finds every diagnosis from its first keystroke)', async () => {
  const { ctx, page } = await newPage(PHONE, URL0 + '#v=1&m=resident&p=demo-county%2Fresident-2024&a=45&d=J18&l=county&t=20000');
  const idx = page.waitForRequest((r) => r.url().endsWith('/diagnoses.idx'), { timeout: 15000 });
  await page.waitForSelector('#yb-answer');
  await idx;
  await ctx.close();
});

test('a policy without a disease catalogue (南昌) never blocks on the disease', async () => {
  const { ctx, page } = await newPage(PHONE);
  await page.waitForSelector('#yb-next');
  await page.selectOption('#yb-policy', 'jiangxi-nanchang/resident-2025');
  await page.click('#yb-next');
  await page.fill('#yb-disease', '肺炎');
  await page.waitForSelector('#yb-disease-list li');
  const t = await page.textContent('#yb-disease-list li >> nth=0');
  assert(t.includes('肺炎') && t.includes('本方案没有病种目录'), `肺炎 on 南昌 → ${t}`);
  await shot(page, 'resident-search-no-catalogue-360');
  await page.fill('#yb-disease', '不存在的病');
  await page.waitForSelector('.yb-search .yb-hint');
  assert((await page.textContent('.yb-search .yb-hint')).includes('可以不填'), 'nothing found: says it may be left blank');
  await page.click('#yb-next');
  assert(await page.locator('#yb-disease').count() === 0, 'the flow goes on');
  await ctx.close();
});

test('a policy the phone module does not embed is fetched when chosen; a failed fetch says so and keeps the previous policy', async () => {
  // Its own context, not newPage's: the browser logs the deliberately failed fetch as a console
  // error, which the network-log test would otherwise count.
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.goto(URL0);
  const asked = [];
  page.on('request', (r) => { if (/policy\.[^/]*\.json$/.test(r.url())) asked.push(new URL(r.url()).pathname); });
  await page.waitForSelector('#yb-next');
  assert(asked.length === 0, `no policy file before one is chosen: ${asked}`);
  // Offline for that file: the choice fails visibly, nothing changes under another name.
  await page.route('**/policy.tianjin.resident-2024.json', (r) => r.fulfill({ status: 404, body: 'gone' }));
  await page.selectOption('#yb-policy', 'tianjin/resident-2024');
  await page.waitForSelector('#yb-link-notice');
  const notice = await page.textContent('#yb-link-notice');
  assert(notice.includes('未能载入') && notice.includes('天津'), `the failed fetch is said, by the policy's name: ${notice}`);
  assert(await page.locator('#yb-policy-loading').count() === 0, 'no endless loading line');
  assert(await page.locator('#yb-next').count() === 1, 'the form is back');
  await shot(page, 'resident-policy-fetch-failed-360');
  // The file as served: the estimate under 天津's own name.
  await page.unroute('**/policy.tianjin.resident-2024.json');
  await page.selectOption('#yb-policy', 'jiangxi-nanchang/resident-2025');
  await page.waitForSelector('#yb-next');
  await page.waitForFunction(() => !document.querySelector('#yb-policy-loading'));
  assert(asked.some((p) => p.endsWith('/policy.jiangxi-nanchang.resident-2025.json')), `南昌's file fetched: ${asked}`);
  assert((await page.inputValue('#yb-policy')) === 'jiangxi-nanchang/resident-2025', 'the chosen policy is the form\'s');
  assert(!(await page.textContent('body')).includes('未能载入'), 'the notice is gone once a policy loads');
  await ctx.close();
});

test('clerk flow by keyboard only: tab order, disease search with arrows, paste, year to date', async () => {
  const { ctx, page } = await newPage(DESK, URL0 + '?mode=clerk');
  await page.waitForSelector('#yb-policy');
  const order = [];
  await page.keyboard.press('Tab');
  await tabTo(page, 'yb-policy', order);
  await tabTo(page, 'yb-category', order);
  await tabTo(page, 'yb-age', order);
  await page.keyboard.type('70');
  await tabTo(page, 'yb-disease', order);
  await page.keyboard.type('fy');
  await page.waitForSelector('#yb-disease-list');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  assert(await page.inputValue('#yb-disease') === '肺炎', `disease picked: ${await page.inputValue('#yb-disease')}`);
  await tabTo(page, 'yb-level', order);
  await tabTo(page, 'yb-total', order);
  await page.keyboard.type('8000');
  await page.waitForSelector('#yb-psn');
  // Read only once the estimate reflects the whole typed total (a busy machine renders per keystroke).
  await settled(page, 'medfee_sumamt', 8000);
  const want = ['yb-policy', 'yb-category', 'yb-age', 'yb-disease', 'yb-level', 'yb-total'];
  const pos = want.map((w) => order.indexOf(w));
  assert(pos.every((p, i) => p >= 0 && (i === 0 || p > pos[i - 1])), `tab order ${order.join(' → ')}`);
  const dedc1 = await page.textContent('.yb-setl tr:has-text("act_pay_dedc") td');
  assert(num(dedc1) === 600, `county deductible ${dedc1}`);
  // second admission of the year: the 起付线 is halved
  await tabTo(page, 'yb-ytd-adm', order);
  await page.keyboard.type('1');
  await settled(page, 'act_pay_dedc', 300);
  const dedc2 = await page.textContent('.yb-setl tr:has-text("act_pay_dedc") td');
  assert(num(dedc2) === 300, `second-admission deductible ${dedc2}`);
  // fund + patient + hospital = bill
  const get = async (k) => num(await page.textContent(`.yb-setl tr:has-text("${k}") td`));
  const [tot, fund, psn, hosp] = [await get('medfee_sumamt'), await get('fund_pay_sumamt'), await get('psn_part_amt'), await get('hosp_part_amt')];
  assert(Math.abs(fund + psn + hosp - tot) < 0.005, `parts ${fund}+${psn}+${hosp} ≠ ${tot}`);
  assert(num(await page.textContent('#yb-psn')) === psn, 'summary equals the settlement table');
  await shot(page, 'clerk-total-1280');
  // paste line items from a spreadsheet
  await tabTo(page, 'yb-paste', order);
  await page.keyboard.insertText('项目\t类别\t金额\t限价\n头孢曲松\t乙类\t1200\t\n床位费\t甲类\t800\t\n进口耗材\t丙类\t300\t\n');
  await page.keyboard.press('Tab');
  assert(await focusedId(page) === 'yb-paste-apply', 'Tab from the paste box reaches the import button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.yb-items tbody tr >> nth=2');
  assert(num(await get('medfee_sumamt')) === 2300, 'itemised total 2300');
  assert(num(await get('fulamt_ownpay_amt')) === 300, '丙类 300 is paid by the patient');
  assert(num(await get('preselfpay_amt')) === 120, '乙类 10% 先行自付');
  await shot(page, 'clerk-items-1280');
  // the same desk on a phone
  const p = await newPage({ ...PHONE }, page.url().replace('?mode=clerk', '?mode=clerk'));
  await p.page.waitForSelector('#yb-psn');
  await shot(p.page, 'clerk-390', {});
  await p.ctx.close();
  await ctx.close();
});

test('窗口版 from the phone page: the desk module takes over with the same estimate', async () => {
  assert(shareUrl, 'needs the resident test');
  const { ctx, page } = await newPage(PHONE, null);
  const wasm = [];
  page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r.url().split('/').pop()); });
  await page.goto(shareUrl);
  await page.waitForSelector('#yb-answer');
  assert(wasm.length === 1 && wasm[0] === 'yibao_resident_bg.wasm', `a phone loads only the resident module: ${wasm}`);
  await page.click('#yb-mode');
  await page.waitForSelector('#yb-psn');
  assert(wasm.includes('yibao_web_bg.wasm'), `the desk module is fetched on demand: ${wasm}`);
  const psn = await page.textContent('#yb-psn');
  assert(psn.includes('5,625.20'), `the desk shows the same estimate: ${psn}`);
  assert(page.url().includes('m=clerk'), `the fragment follows the desk: ${page.url()}`);
  // And back: the full module switches in place.
  await page.click('#yb-mode');
  await page.waitForSelector('#yb-answer');
  assert((await page.textContent('#yb-answer')).includes('5,625'), 'back in the resident layout, same answer');
  await ctx.close();
});

test('print preview: one A4 page and an 80 mm receipt, with receipt hash, date and disclaimer', async () => {
  const url = URL0 + '?mode=clerk#v=1&m=clerk&p=demo-county%2Fresident-2024&c=dibao&a=58&d=J18&l=county&t=12000';
  const { ctx, page } = await newPage(DESK, url);
  await page.waitForSelector('#yb-psn');
  // A desk-only page has loaded the full module alone; the loader's policies() still answers.
  const ids = await page.evaluate(async () => (await import('./yibao.js')).policies());
  const menu = await page.locator('#yb-policy option').count();
  assert(ids.length === menu && ids.includes('chongqing-yubei/resident-2023') && ids.includes(EMPLOYEE), `policies() on a desk page: ${ids} (the menu has ${menu})`);
  await page.click('#yb-print-a4');
  await page.waitForFunction(() => window.__printed === 1);
  await page.emulateMedia({ media: 'print' });
  const text = await page.textContent('.yb-sheet');
  assert(/SHA-256 [0-9a-f]{16}/.test(text), 'receipt shows the policy hash');
  assert(text.includes('不是医保结算单'), 'disclaimer is printed');
  assert(await page.isVisible('.yb-print-qr .yb-qr'), 'QR code is printed');
  assert(!(await page.isVisible('#yb-print-a4')), 'buttons are not printed');
  await shot(page, 'print-a4-preview');
  const a4 = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(join(OUT, 'web-print-a4.pdf'), a4);
  const pagesA4 = (a4.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  metrics.print = { a4_pages: pagesA4 };
  assert(pagesA4 === 1, `A4 preview has ${pagesA4} pages`);
  await page.emulateMedia({ media: 'screen' });
  await page.click('#yb-print-80');
  await page.waitForFunction(() => window.__printed === 2);
  await page.emulateMedia({ media: 'print' });
  const r80 = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(join(OUT, 'web-print-80mm.pdf'), r80);
  const box = r80.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)/);
  const widthMm = box ? (Number(box[1]) / 72) * 25.4 : 0;
  metrics.print.r80_width_mm = Math.round(widthMm * 10) / 10;
  metrics.print.r80_pages = (r80.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert(Math.abs(widthMm - 80) < 1, `80 mm receipt page is ${widthMm} mm wide`);
  await page.setViewportSize({ width: 302, height: 900 });
  await shot(page, 'print-80mm-preview');
  await ctx.close();
});

/// Waits until the desk's 对账 summary says `want` (it is recomputed per keystroke).
async function reconciled(page, want) {
  let text = '';
  await until(() => `the 对账 summary to say "${want}"; it says "${text}"`, async () => {
    text = await page.locator('#yb-recon-sum').textContent({ timeout: 1000 }).catch(() => '');
    return text.includes(want);
  }, 10000);
}

// The desk's 对账 (web/src/ui/reconcile.rs): the 渝北 published case filled in the desk, and the
// slip the engine itself writes for it through the CLI (`yibao estimate --json`'s settlement,
// wrapped as interface 2207 returns it, with two keys that are not figures).
test('desk 对账: the engine\'s own slip matches row by row; one changed figure is different, with its step and clause; bad JSON is a coded error and the paste is kept', async () => {
  const casePath = join(OUT, 'reconcile-case.json');
  writeFileSync(casePath, JSON.stringify({ date: '2023-06-01', level: 'level2', patient: { category: 'dibao_edge', age: 66 }, bill: { total: '52000', in_scope: '50000' } }));
  const est = JSON.parse(execFileSync('cargo',
    ['run', '--quiet', '-p', 'yibao-cli', '--', 'estimate', '--policy', 'chongqing-yubei/resident-2023', '--case', casePath, '--json'], { encoding: 'utf8' }));
  const setl = est.settlement;
  assert(Number(setl.psn_part_amt) === 5625.2, `the CLI's 渝北 example: ${setl.psn_part_amt}`);
  const keys = Object.keys(setl);
  const slipOf = (s) => JSON.stringify({ infcode: 0, output: { setlinfo: { setl_id: 'S2023060100017', psn_name: '张三', ...s } } }, null, 2);

  const { ctx, page } = await newPage(DESK, URL0 + '?mode=clerk');
  await page.waitForSelector('#yb-policy');
  await page.selectOption('#yb-policy', 'chongqing-yubei/resident-2023');
  await page.fill('#yb-date', '2023-06-01');
  await page.selectOption('#yb-category', 'dibao_edge');
  await page.fill('#yb-age', '66');
  await page.selectOption('#yb-level', 'level2');
  await page.fill('#yb-total', '52000');
  await page.fill('#yb-inscope', '50000');
  await settled(page, 'psn_part_amt', 5625.2);
  // Closed until asked for; never on paper.
  assert(!(await page.isVisible('#yb-slip-json')), 'the slip box is open before the clerk asks for it');
  await page.click('#yb-recon summary');
  const box = page.locator('#yb-slip-json');
  await box.fill(slipOf(setl));
  await reconciled(page, '各项一致');
  const rows = page.locator('.yb-recon-table tbody tr[data-key]');
  const got = await rows.evaluateAll((trs) => trs.map((tr) => ({ key: tr.dataset.key, status: tr.dataset.status, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })));
  assert(got.length === keys.length, `${got.length} rows for the slip's ${keys.length} figures: ${got.map((r) => r.key)}`);
  for (const r of got) {
    assert(keys.includes(r.key), `row ${r.key} is not a key of the settlement`);
    assert(r.status === 'matched' && r.cells[3].includes('一致'), `${r.key}: ${r.status} ${r.cells}`);
    assert(num(r.cells[0]) === Number(setl[r.key]) && r.cells[0] === r.cells[1], `${r.key}: slip ${r.cells[0]}, estimate ${r.cells[1]}, the CLI's ${setl[r.key]}`);
  }
  const other = await page.textContent('.yb-recon-other');
  assert(other.includes('setl_id') && other.includes('S2023060100017') && other.includes('psn_name'), `the slip's other keys are not listed: ${other}`);
  assert(await page.locator('.yb-recon-why').count() === 0, 'explanations shown for matched rows before asked');
  await page.locator('#yb-recon').scrollIntoViewIfNeeded();
  await shot(page, 'reconcile-matched-1280');

  // The hospital's basic fund 100 yuan below the estimate's.
  const hifp = (Number(setl.hifp_pay) - 100).toFixed(2);
  const changed = slipOf({ ...setl, hifp_pay: hifp });
  await box.fill(changed);
  await reconciled(page, '1 项不一致:基本医疗保险统筹基金支出(hifp_pay)');
  const off = await rows.evaluateAll((trs) => trs.filter((tr) => tr.dataset.status !== 'matched').map((tr) => ({ key: tr.dataset.key, status: tr.dataset.status, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })));
  assert(off.length === 1 && off[0].key === 'hifp_pay' && off[0].status === 'different', `not matched: ${JSON.stringify(off)}`);
  assert(off[0].cells[0] === hifp && num(off[0].cells[2]) === -100 && off[0].cells[3].includes('不一致'), `the hifp_pay row: ${off[0].cells}`);
  const why = await page.textContent('.yb-recon-why[data-why="hifp_pay"]');
  assert(why.includes('估算中此数来自') && why.includes('依据') && why.includes('70%'), `the differing row does not say which step and clause made the estimate's figure: ${why}`);
  await shot(page, 'reconcile-different-1280');
  await page.locator('#yb-recon').screenshot({ path: join(OUT, 'web-reconcile-panel-1280.png') });
  // Every figure's source on request.
  await page.check('#yb-recon-all');
  assert(await page.locator('.yb-recon-why').count() === keys.length, 'not every figure explained when asked');
  await page.uncheck('#yb-recon-all');
  // Not printed.
  await page.emulateMedia({ media: 'print' });
  assert(!(await page.isVisible('#yb-recon')), 'the 对账 panel is printed on the 预估单');
  await page.emulateMedia({ media: 'screen' });

  // A form with an error: the pasted slip stays, and is compared again once the form is whole.
  await page.fill('#yb-total', '');
  await page.waitForSelector('.yb-recon-wait');
  assert(await box.inputValue() === changed, 'the pasted slip was lost while the form had an error');
  await page.fill('#yb-total', '52000');
  await reconciled(page, '1 项不一致');

  // Bad JSON: the coded error with its position, the text kept, no table.
  const broken = changed.slice(0, -3);
  await box.fill(broken);
  const err = page.locator('#yb-slip-err .yb-err').first();
  await err.waitFor();
  assert(await err.getAttribute('data-code') === 'invalid_json', `code ${await err.getAttribute('data-code')}`);
  const said = await err.textContent();
  assert(/第 \d+ 行第 \d+ 列/.test(said) && /line \d+, column \d+/.test(said), `the JSON error has no position in both languages: ${said}`);
  assert(await box.getAttribute('aria-invalid') === 'true', 'the slip box is not marked invalid');
  assert(await box.inputValue() === broken, 'the pasted text changed');
  assert(await page.locator('.yb-recon-table').count() === 0, 'a table is shown for a slip that does not read');
  await page.locator('#yb-recon').screenshot({ path: join(OUT, 'web-reconcile-bad-json-1280.png') });
  // A figure that is not a number: its code at its key.
  await box.fill(slipOf({ ...setl, maf_pay: '一千' }));
  let path = '';
  await until(() => `invalid_number at output.setlinfo.maf_pay; the error is at "${path}"`, async () => (path = await err.getAttribute('data-path', { timeout: 1000 }).catch(() => '')) === 'output.setlinfo.maf_pay', 10000);
  assert(await err.getAttribute('data-code') === 'invalid_number', `code ${await err.getAttribute('data-code')}`);

  // A figure the slip leaves out: listed as missing, not counted as a difference.
  const { maf_pay: _maf, ...without } = setl;
  await box.fill(slipOf({ ...without, hifp_pay: hifp }));
  await reconciled(page, '1 项不一致:基本医疗保险统筹基金支出(hifp_pay)。另有 1 项只在一方出现');
  const maf = page.locator('.yb-recon-table tr[data-key="maf_pay"]');
  assert(await maf.getAttribute('data-status') === 'missing_on_slip' && (await maf.textContent()).includes('结算单无此项'), `maf_pay: ${await maf.textContent()}`);

  // English, and the same desk on a 360 px phone: the table scrolls inside its box, not the page.
  await box.fill(changed);
  await page.click('button[lang="en"]');
  await reconciled(page, '1 figure(s) differ: ');
  assert((await page.textContent('.yb-recon-why[data-why="hifp_pay"]')).includes('In the estimate it comes from'), 'the explanation is not in English');
  await page.setViewportSize({ width: 360, height: 740 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 360, `the desk scrolls sideways at 360 px with the 对账 table open (${wide} px wide)`);
  await page.locator('#yb-recon').screenshot({ path: join(OUT, 'web-reconcile-panel-360-en.png') });
  await ctx.close();
});

test('custom element and mount() inside a host page with hostile CSS; yibao-estimate events', async () => {
  const { ctx, page } = await newPage(DESK, URL0 + 'embed.html');
  await page.waitForSelector('yibao-estimator #yb-next');
  const font = await page.locator('yibao-estimator .yb').evaluate((e) => getComputedStyle(e).fontFamily + '|' + getComputedStyle(e).color);
  assert(!/Comic/i.test(font) && !font.includes('rgb(204, 0, 0)'), `host styles leaked in: ${font}`);
  assert(await page.isVisible('yibao-estimator #yb-next'), 'host CSS hid the widget buttons');
  const outside = await page.evaluate(() => document.querySelectorAll('.yb, .yb-btn').length);
  assert(outside === 0, 'widget DOM is not in the host document');
  const hostBody = await page.evaluate(() => getComputedStyle(document.body).fontSize);
  assert(hostBody === '30px', `our styles leaked out: host body font-size ${hostBody}`);
  // The host sets no html background and no body margin; the widget must not set them either
  // (it once added the demo page's stylesheet to every host). Its document-level rules are
  // only the @page sizes.
  const host = await page.evaluate(() => ({
    htmlBg: getComputedStyle(document.documentElement).backgroundColor,
    bodyMargin: getComputedStyle(document.body).margin,
    links: [...document.querySelectorAll('link[rel=stylesheet]')].map((l) => l.href.split('/').pop()),
    adopted: document.adoptedStyleSheets.flatMap((sh) => [...sh.cssRules].map((r) => r.cssText.split('{')[0].trim())),
  }));
  assert(host.htmlBg === 'rgba(0, 0, 0, 0)' && host.bodyMargin === '8px', `our styles leaked out: ${JSON.stringify(host)}`);
  assert(host.links.join() === 'embed-hostile.css', `stylesheets added to the host document: ${host.links}`);
  assert(host.adopted.join('|') === '@page|@page r80', `document-level rules: ${host.adopted.join('|')}`);
  await page.click('yibao-estimator #yb-next');
  await page.click('yibao-estimator #yb-next');
  await page.click('yibao-estimator #yb-next');
  await page.fill('yibao-estimator #yb-total', '20000');
  await page.click('yibao-estimator #yb-next');
  await page.waitForSelector('yibao-estimator #yb-answer');
  const ev = await page.waitForFunction(() => window.lastYibaoEvent && window.lastYibaoEvent.mode === 'resident' && Number(window.lastYibaoEvent.settlement.medfee_sumamt) === 20000 && window.lastYibaoEvent);
  const d = await ev.jsonValue();
  assert(d.policy === 'demo-county/resident-2024' && typeof d.patientPays.typical === 'string', `event detail ${JSON.stringify(d).slice(0, 200)}`);
  // mount(): the desk in English on the 渝北 policy
  const desk = page.locator('#desk');
  await desk.locator('#yb-category').selectOption('dibao_edge');
  await desk.locator('#yb-total').fill('52000');
  await desk.locator('#yb-inscope').fill('50000');
  await desk.locator('#yb-psn').waitFor();
  assert(num(await desk.locator('#yb-psn').textContent()) === 5625.2, 'mounted desk computes the 渝北 example');
  const ev2 = await page.waitForFunction(() => window.lastYibaoEvent && window.lastYibaoEvent.mode === 'clerk' && Number(window.lastYibaoEvent.settlement.psn_part_amt) === 5625.2);
  assert(await ev2.jsonValue(), 'clerk event');
  assert((await desk.locator('.yb-summary').textContent()).includes('Patient pays'), 'mounted desk is in English');
  await shot(page, 'embed-hostile-1280');
  // A trap on a hostile host: the notice keeps its own look (`!important` on the element beats
  // the host's `* { … !important }` and `div { display/background … !important }` rules).
  await page.evaluate(() => window.dispatchEvent(new ErrorEvent('error', { error: new WebAssembly.RuntimeError('unreachable') })));
  const notice = await page.$eval('.yibao-crash', (x) => { const s = getComputedStyle(x); return [s.position, s.backgroundColor, s.color, s.fontFamily.includes('Comic')].join('|'); });
  assert(notice === 'fixed|rgb(166, 27, 27)|rgb(255, 255, 255)|false', `crash notice on a hostile host: ${notice}`);
  await ctx.close();
});

test('a trap in the engine (a bug) shows a bilingual notice, once', async () => {
  const { ctx, page } = await newPage(PHONE);
  await page.waitForSelector('#yb-next, #yb-answer');
  // What the browser reports when wasm code hits `unreachable`: an uncaught RuntimeError from an
  // event handler, or a rejected promise from yew's scheduler.
  await page.evaluate(() => {
    window.dispatchEvent(new ErrorEvent('error', { error: new WebAssembly.RuntimeError('unreachable') }));
    const err = new WebAssembly.RuntimeError('unreachable');
    const p = Promise.reject(err);
    p.catch(() => {});
    window.dispatchEvent(new PromiseRejectionEvent('unhandledrejection', { promise: p, reason: err }));
  });
  const notes = await page.$$eval('.yibao-crash', (xs) => xs.map((x) => x.textContent));
  assert(notes.length === 1 && /内部错误/.test(notes[0]) && /Internal error/.test(notes[0]), `crash notice: ${notes}`);
  const visible = await page.isVisible('.yibao-crash');
  assert(visible, 'the crash notice is on screen');
  const pos = await page.$eval('.yibao-crash', (x) => getComputedStyle(x).position + ' ' + x.style.getPropertyPriority('position'));
  assert(pos === 'fixed important', `the crash notice carries its own styles, ahead of any host rule (position ${pos})`);
  await shot(page, 'crash-360');
  await ctx.close();
});

test('no WebAssembly: a Chinese message instead of a blank page', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  await page.addInitScript(() => { delete window.WebAssembly; });
  await page.goto(URL0);
  await page.waitForSelector('#app.nowasm');
  const t = await page.textContent('#app');
  assert(t.includes('不支持') && t.includes('WebAssembly'), `no-wasm message: ${t}`);
  await shot(page, 'nowasm-360');
  await ctx.close();
});

/** The page with the resident module's wasm held back until `release()` is called. */
async function engineHeld() {
  const { ctx, page } = await newPage(PHONE, null);
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route('**/yibao_resident_bg.wasm', async (route) => { await gate; await route.continue(); });
  await page.goto(URL0);
  return { ctx, page, release };
}

/** The widget's markup as the reader gets it: no comments (yew's component marks), no `data-ssr`. */
const widgetDom = (page) => page.evaluate(() => {
  const box = document.querySelector('#app').shadowRoot.querySelector('.yb').parentElement;
  const copy = box.cloneNode(true);
  const walk = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walk.nextNode()) comments.push(walk.currentNode);
  for (const c of comments) c.remove();
  copy.removeAttribute('data-ssr');
  copy.normalize();
  return copy.outerHTML;
});

const hydrated = (page) => page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 30000 });

test('first screen before the engine: the prerendered first step at 360 px reads and looks the same once hydrated, without a mismatch', async () => {
  const { ctx, page, release } = await engineHeld();
  const before = problems.length;
  await page.waitForSelector('#yb-next');
  const text = await page.textContent('#app >> .yb');
  for (const label of ['医保费用估算', '您的情况', '参保地与政策', '住院还是看门诊?', '年龄(周岁,可不填)', '下一步']) {
    assert(text.includes(label), `the prerendered first step lacks "${label}": ${text}`);
  }
  assert(await page.evaluate(() => document.documentElement.dataset.ready) === undefined, 'the engine was held back, yet the widget says it is ready');
  const tooSmall = await smallTargets(page);
  assert(tooSmall.length === 0, tooSmall.join('; '));
  await shot(page, 'first-screen-before-hydration-360');
  const dom = await widgetDom(page);
  release();
  await hydrated(page);
  await shot(page, 'first-screen-after-hydration-360');
  const after = await widgetDom(page);
  assert(after === dom, `hydration changed the first step:\nbefore ${dom.slice(0, 3000)}\nafter  ${after.slice(0, 3000)}`);
  // The engine is in charge: a tap is answered (the 门诊 choice takes the highlight).
  await page.click('#yb-visit');
  await page.waitForSelector('label.yb-on:has(#yb-visit)');
  assert(problems.length === before, `hydration errors: ${problems.slice(before).join('\n')}`);
  await ctx.close();
});

test('taps made before the engine arrives are kept: age, 门诊 and 下一步 given back once it has', async () => {
  const { ctx, page, release } = await engineHeld();
  await page.waitForSelector('#yb-next');
  await page.fill('#yb-age', '70');
  await page.click('#yb-visit');
  await page.click('#yb-next');
  // Nothing left the page: the form was held, not submitted.
  assert(!page.url().includes('?'), `the form was submitted: ${page.url()}`);
  release();
  await hydrated(page);
  await page.waitForSelector('#yb-disease');
  assert((await page.textContent('#yb-step-h')).includes('看什么病'), 'the held 下一步 moved to the second question');
  await page.click('#yb-back');
  await page.waitForSelector('#yb-age');
  assert(await page.inputValue('#yb-age') === '70', `age after hydration: ${await page.inputValue('#yb-age')}`);
  assert(await page.isChecked('#yb-visit'), 'the 门诊 tap made before the engine arrived is kept');
  await ctx.close();
});

test('while the engine downloads, a share link shows the widget\'s own top bar and a preparing line', async () => {
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 });
  // A share link's first render is its answer, not the prerendered first step: drawn afresh.
  await page.goto(URL0 + '#v=1&m=resident&p=demo-county%2Fresident-2024&a=45&d=J18&l=county&t=20000', { waitUntil: 'commit' });
  await page.waitForSelector('[aria-busy="true"] .yb-top .yb-title', { timeout: 10000 });
  const t = await page.textContent('[aria-busy="true"]');
  assert(t.includes('医保费用估算') && t.includes('正在准备计算'), `loading frame: ${t}`);
  await shot(page, 'resident-0-loading-360');
  await page.waitForSelector('#yb-answer', { timeout: 30000 });
  assert(await page.locator('[aria-busy="true"]').count() === 0, 'the loading frame is gone once the widget is on screen');
  await ctx.close();
});

test('first visit in the phone profile (4× CPU, 1.6 Mbps / 150 ms RTT, cold cache): each file fetched once, one wasm module, the estimate shown', async () => {
  // One load, for what it does; how long it takes is `cargo xtask bench`'s.
  const url = URL0 + '#v=1&m=resident&p=demo-county%2Fresident-2024&a=45&d=J18&l=county&t=20000';
  const ctx = await browser.newContext(PHONE);
  const page = await ctx.newPage();
  ctx.on('request', (r) => { if (!r.url().startsWith(ORIGIN + '/')) foreign.push(r.url()); });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(url);
  await page.waitForSelector('#yb-answer', { timeout: 60000 });
  const t = await page.evaluate(() => ({
    estimate: performance.getEntriesByName('yibao-first-estimate')[0]?.startTime,
    files: performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()),
  }));
  const twice = t.files.filter((f, i) => t.files.indexOf(f) !== i);
  assert(twice.length === 0, `fetched twice on a first visit: ${twice}`);
  assert(t.files.filter((f) => f.endsWith('.wasm')).length === 1, `one wasm module on the phone page: ${t.files}`);
  assert(t.estimate > 0, 'first-estimate mark recorded');
  await ctx.close();
});

test('the shared bad inputs (tests/bad-inputs.json): the same code and path as the CLI and the package', async () => {
  // Policies: each broken export given to mount() as a host's policyText.
  const exported = JSON.parse(execFileSync('cargo', ['run', '--quiet', '-p', 'yibao-cli', '--', 'export', '--policy', badInputs.file.policy], { encoding: 'utf8' }));
  const all = badInputs.entries(exported);
  const { ctx, page } = await newPage(DESK, URL0 + 'embed.html');
  await page.waitForSelector('yibao-estimator #yb-next');
  let checked = 0;
  for (const e of all.filter((x) => x.kind === 'policy')) {
    const got = await page.evaluate(async (text) => {
      const { mount } = await import('./yibao.js');
      const el = document.createElement('div');
      document.body.append(el);
      await mount(el, { mode: 'resident', policyText: text });
      const root = () => el.shadowRoot || el;
      for (let i = 0; i < 100 && !root().querySelector('[data-code]'); i++) await new Promise((r) => setTimeout(r, 50));
      const found = [...root().querySelectorAll('[data-code]')].map((x) => [x.dataset.code, x.dataset.path]);
      el.remove();
      return found;
    }, JSON.stringify(e.input));
    assert(got.some(([c, p]) => c === e.code && p === e.path), `policy ${JSON.stringify(e.set)}: want ${e.code}@${e.path}, widget shows ${JSON.stringify(got)}`);
    checked++;
  }
  await ctx.close();
  // Cases: the amounts a person can type into the cost field.
  const typed = all.filter((x) => x.kind === 'case' && Object.keys(x.set).join() === 'bill.total' && typeof x.set['bill.total'] === 'string');
  const { ctx: ctx2, page: phone } = await newPage(PHONE);
  await phone.waitForSelector('#yb-next');
  for (let i = 0; i < 3; i++) await phone.click('#yb-next');
  for (const e of typed) {
    await phone.fill('#yb-total', e.set['bill.total']);
    await phone.click('#yb-next');
    const err = phone.locator('#err-total');
    await err.waitFor();
    const got = [await err.getAttribute('data-code'), await err.getAttribute('data-path')];
    assert(got[0] === e.code && got[1] === e.path, `typed ${e.set['bill.total']}: want ${e.code}@${e.path}, widget shows ${got}`);
    checked++;
  }
  assert(checked >= 8, `only ${checked} shared inputs checked`);
  await ctx2.close();
});

test('one estimate per screen: with 政策范围内 entered, the comparison card of the same level is the headline figure, and every place uses the same bill', async () => {
  // 20,000 at the county hospital with 12,000 in scope: the answer is one figure; the cards
  // once showed the typical-mix range of a 20,000 bill beside it.
  const frag = '#v=1&m=resident&p=demo-county%2Fresident-2024&a=45&l=county&t=20000&is=12000';
  const { ctx, page } = await newPage(PHONE, URL0 + frag);
  await page.waitForSelector('#yb-answer');
  const own = page.locator('.yb-card[data-own="true"]');
  await own.waitFor();
  const headline = num(await page.textContent('#yb-answer strong'));
  const card = await own.locator('.yb-card-amt').textContent();
  assert(await own.getAttribute('data-level') === 'county', `the own card is at ${await own.getAttribute('data-level')}`);
  assert(!/–/.test(card) && num(card) === headline, `headline ${headline}, the county card says ${card}`);
  assert((await own.textContent()).includes('本次估算'), 'the own card is not marked as this estimate');
  // Every place takes the same detailed bill: one figure each, never the typical-mix range.
  const amounts = await page.locator('.yb-card .yb-card-amt').allTextContents();
  assert(amounts.length >= 3 && amounts.every((a) => !/–/.test(a)), `cards: ${amounts}`);
  await page.locator('.yb-cmp').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(page, 'resident-in-scope-compare-360', { fullPage: false });
  await ctx.close();
  // The desk: the comparison table's row of its own level is the slip's patient share.
  const d = await newPage(DESK, URL0 + frag.replace('m=resident', 'm=clerk'));
  await d.page.waitForSelector('#yb-psn');
  const row = d.page.locator('.yb-cmp tr[data-own="true"]');
  await row.waitFor();
  const psn = num(await d.page.textContent('#yb-psn'));
  const cell = await row.locator('td.yb-num').textContent();
  assert(!/–/.test(cell) && Math.round(psn) === num(cell), `desk: 个人负担 ${psn}, its own comparison row ${cell}`);
  await d.ctx.close();
});

/// A page of its own (not `newPage`: what it provokes — refused fetches, CSP reports — would
/// count against the network-log test), listening for `yibao-error` before anything mounts.
async function hostPage(opts, url, routes = {}) {
  const ctx = await browser.newContext(opts);
  for (const [path, { type, body, headers = {} }] of Object.entries(routes)) {
    await ctx.route(URL0 + path, (r) => r.fulfill({ status: 200, headers: { 'content-type': type, ...headers }, body }));
  }
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    window.yibaoErrors = [];
    window.yibaoEstimates = 0;
    document.addEventListener('yibao-error', (e) => window.yibaoErrors.push(e.detail));
    document.addEventListener('yibao-estimate', () => { window.yibaoEstimates += 1; });
  });
  await page.goto(url);
  return { ctx, page };
}

/// mount() into a new element of the page: its result, the element's coded lines and text.
const mountInPage = (page, options) => page.evaluate(async (options) => {
  const { mount } = await import('./yibao.js');
  const el = document.createElement('div');
  document.body.append(el);
  const result = await mount(el, options);
  const lines = [...el.shadowRoot.querySelectorAll('[data-code]')].map((x) => [x.dataset.code, x.dataset.path]);
  return { result, lines, text: el.shadowRoot.textContent, figures: el.shadowRoot.querySelectorAll('#yb-answer, .yb-setl, #yb-next').length };
}, options);

test('never a silent substitute: an unknown policy id, a policy URL that answers 404 or is not a policy — a coded error in the element, a yibao-error event and mount()\'s result, nothing computed', async () => {
  const { ctx, page } = await hostPage(PHONE, URL0 + 'embed.html');
  await page.waitForSelector('yibao-estimator #yb-next');
  const cases = [
    [{ mode: 'resident', policy: 'no-such/county-2024' }, 'unknown_policy', ['no-such/county-2024', '没有计算', 'nothing is computed']],
    [{ mode: 'clerk', policy: 'no-such/county-2024', lang: 'en' }, 'unknown_policy', ['no-such/county-2024']],
    [{ mode: 'resident', policy: 'policies/missing.json' }, 'policy_unavailable', ['HTTP 404', 'policies/missing.json', '没有计算', 'Nothing was computed']],
    [{ mode: 'resident', policyText: '{ "rules": 1 }' }, null, []],
  ];
  for (const [options, code, words] of cases) {
    const before = await page.evaluate(() => [window.yibaoErrors.length, window.yibaoEstimates]);
    const got = await mountInPage(page, options);
    const what = JSON.stringify(options);
    assert(got.result && got.result.ok === false && got.result.problems.length >= 1, `${what}: mount() resolved to ${JSON.stringify(got.result)}`);
    const first = got.result.problems[0];
    if (code) assert(got.result.code === code && first.code === code, `${what}: code ${got.result.code}`);
    assert(/[\u4e00-\u9fff]/.test(first.message_zh) && /[a-z]{4,}/.test(first.message_en), `${what}: not bilingual: ${JSON.stringify(first)}`);
    for (const w of words) assert(got.text.includes(w), `${what}: the element does not say "${w}": ${got.text}`);
    assert(got.lines.some(([c]) => c === got.result.code), `${what}: no line coded ${got.result.code} in the element: ${JSON.stringify(got.lines)}`);
    assert(got.figures === 0, `${what}: the element shows a form or figures`);
    const [errors, estimates] = await page.evaluate(() => [window.yibaoErrors, window.yibaoEstimates]);
    assert(errors.length === before[0] + 1 && errors.at(-1).code === got.result.code && errors.at(-1).problems.length === got.result.problems.length, `${what}: yibao-error events ${JSON.stringify(errors.slice(before[0]))}`);
    assert(estimates === before[1], `${what}: a yibao-estimate event was sent`);
  }
  // The custom element with an unknown id: the message in the element itself.
  await page.evaluate(() => {
    const el = document.createElement('yibao-estimator');
    el.id = 'bad';
    el.setAttribute('policy', 'no-such/county-2024');
    document.body.prepend(el);
  });
  await page.waitForSelector('#bad [data-code="unknown_policy"]');
  assert(await page.locator('#bad #yb-answer, #bad #yb-next').count() === 0, 'the element computes with another policy');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.evaluate(() => scrollTo(0, 0));
  await shot(page, 'embed-unknown-policy-360', { fullPage: false });
  // A known id still works beside it: a valid mount resolves ok.
  const ok = await mountInPage(page, { mode: 'resident', policy: 'demo-county/resident-2024' });
  assert(ok.result.ok === true && ok.result.problems.length === 0, `a valid mount: ${JSON.stringify(ok.result)}`);
  await ctx.close();
});

test('the host page\'s CSP and CORS: a page without \'wasm-unsafe-eval\' is told so, not to upgrade WeChat; a connect-src or a cross-origin policy without CORS is named', async () => {
  // A host page whose script-src lacks 'wasm-unsafe-eval' (served here with that header).
  const strict = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";
  const host = {
    'strict-host.html': { type: 'text/html; charset=utf-8', headers: { 'content-security-policy': strict },
      body: '<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>strict</title><body><div id="box"></div><script type="module" src="strict-host.js"></script></body></html>' },
    'strict-host.js': { type: 'text/javascript', body: "import { mount } from './yibao.js'; mount(document.getElementById('box'), { mode: 'resident' }).then((r) => { window.mounted = r; });" },
  };
  const { ctx, page } = await hostPage(PHONE, URL0 + 'strict-host.html', host);
  await page.waitForFunction(() => window.mounted, null, { timeout: 30000 });
  const r = await page.evaluate(() => window.mounted);
  assert(r.ok === false && r.code === 'blocked_by_csp', `mount() on a page without 'wasm-unsafe-eval': ${JSON.stringify(r)}`);
  const text = await page.locator('#box .yb-nowasm').textContent();
  for (const w of ['Content-Security-Policy', "'wasm-unsafe-eval'", 'script-src', '内容安全策略', 'blocks WebAssembly']) assert(text.includes(w), `the CSP message lacks "${w}": ${text}`);
  assert(!/升级微信|upgrade/i.test(text), `told to upgrade: ${text}`);
  assert(await page.locator('#box [data-code="blocked_by_csp"]').count() === 1, 'the line is not coded');
  const ev = await page.evaluate(() => window.yibaoErrors);
  assert(ev.length === 1 && ev[0].code === 'blocked_by_csp' && ev[0].directive === "script-src 'wasm-unsafe-eval'", `yibao-error: ${JSON.stringify(ev)}`);
  await shot(page, 'embed-csp-no-wasm-360');
  await ctx.close();

  // A policy URL on another origin: refused by a connect-src that does not name it (embed.html's
  // CSP says connect-src 'self'), and without a CSP, refused by CORS (the server sends no
  // Access-Control-Allow-Origin).
  const other = URL0.replace('127.0.0.1', 'localhost') + 'policies/other-origin.json';
  const e = await hostPage(DESK, URL0 + 'embed.html');
  await e.page.waitForSelector('yibao-estimator #yb-next');
  const csp = await mountInPage(e.page, { mode: 'resident', policy: other });
  assert(csp.result.code === 'blocked_by_csp' && csp.text.includes('connect-src') && csp.text.includes(new URL(other).origin), `connect-src: ${JSON.stringify(csp.result)}`);
  await e.ctx.close();
  // Without a CSP: a host page (and the widget's files) on one local server, its policy on
  // another origin that sends no Access-Control-Allow-Origin, then the same with the header.
  const county = execFileSync('cargo', ['run', '--quiet', '-p', 'yibao-cli', '--', 'export', '--policy', 'policies/chongqing-yubei/resident-2023.toml'], { encoding: 'utf8' });
  let allow = false;
  const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.html': 'text/html; charset=utf-8' };
  const serve = (handler) => new Promise((ok) => { const srv = createServer(handler); srv.listen(0, '127.0.0.1', () => ok(srv)); });
  const pages = await serve((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/open-host.html') {
      res.writeHead(200, { 'content-type': types['.html'] });
      return res.end('<!doctype html><meta charset="utf-8"><title>open</title><body><p>host</p></body>');
    }
    try {
      const body = readFileSync(join(DIST, path.slice(1)));
      res.writeHead(200, { 'content-type': types[extname(path)] || 'application/octet-stream' });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  const policies = await serve((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...(allow ? { 'access-control-allow-origin': '*' } : {}) });
    res.end(county);
  });
  const foreignPolicy = `http://localhost:${policies.address().port}/county.json`;
  const hostOrigin = `http://127.0.0.1:${pages.address().port}`;
  const o = await hostPage(DESK, `${hostOrigin}/open-host.html`);
  const cors = await mountInPage(o.page, { mode: 'resident', policy: foreignPolicy });
  assert(cors.result.code === 'blocked_by_cors' && cors.text.includes('Access-Control-Allow-Origin') && cors.text.includes(hostOrigin) && cors.text.includes(new URL(foreignPolicy).origin), `CORS: ${JSON.stringify(cors.result)}`);
  assert(cors.figures === 0, 'computed without its policy');
  allow = true;
  const allowed = await mountInPage(o.page, { mode: 'resident', policy: foreignPolicy });
  assert(allowed.result.ok === true && allowed.figures > 0, `with Access-Control-Allow-Origin: ${JSON.stringify(allowed.result)}`);
  pages.close();
  policies.close();
  await o.ctx.close();
});

// Issue 28 item 4: a blank age never quietly costs the patient. The demo county, pneumonia at the
// county hospital without the township's slip: at 65+ the first-contact rule does not apply, at
// 7–64 it takes 10 points. With the age blank the answer is the 65+ one, and the page says so with
// what a 7–64-year-old would pay; the figures are the page's own for a stated 72 and 40.
const BLANK_AGE = '#v=1&m=resident&p=demo-county%2Fresident-2024&dt=2025-03-10&d=J18.9&l=county&t=30000&is=26400';
test('a blank age at 360 px: the favourable answer, said beside the figure with the other outcome', async () => {
  const { ctx, page } = await newPage(PHONE, URL0 + BLANK_AGE);
  const answerAt = async (hash) => {
    await page.goto(URL0 + hash);
    await page.reload();
    await page.waitForSelector('#yb-answer');
    return (await page.textContent('#yb-answer')).replace(/\s/g, '');
  };
  const old = await answerAt(BLANK_AGE + '&a=72');
  const young = await answerAt(BLANK_AGE + '&a=40');
  assert(old !== young, `the age must matter here: ${old} / ${young}`);
  assert(await page.locator('#yb-assume').count() === 0, 'a stated age is not called an assumption');
  const blank = await answerAt(BLANK_AGE);
  assert(blank === old, `a blank age answers ${blank}, not the 65+ answer ${old} (the penalty taken silently)`);
  const note = await page.textContent('#yb-assume');
  const youngFigure = young.replace(/[约元]/g, '');
  assert(note.includes('未填年龄') && note.includes('65 周岁及以上') && note.includes(youngFigure), `the note: ${note} (7–64 pays ${youngFigure})`);
  // It cites the clause it relies on: the demo's exemption for 65 and over.
  const cite = await page.locator('#yb-assume .yb-assume-cite').allTextContents();
  assert(cite.length === 1 && cite[0].includes('依据') && cite[0].includes('65岁以上'), `the assumption's clause: ${cite}`);
  // Beside the number, before the caveats.
  const [a, b] = await Promise.all([page.locator('.yb-answer').boundingBox(), page.locator('#yb-assume').boundingBox()]);
  assert(b.y - (a.y + a.height) < 40, `the note is ${b.y - (a.y + a.height)} px below the answer`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 360, `the page scrolls sideways at 360 px (${wide} px wide)`);
  await shot(page, 'blank-age-resident-360');
  await ctx.close();
  // The desk shows the same note.
  const d = await newPage(DESK, URL0 + '?mode=clerk' + BLANK_AGE.replace('m=resident', 'm=clerk'));
  await d.page.waitForSelector('#yb-psn');
  const desk = await d.page.textContent('.yb-sheet #yb-assume');
  assert(desk.includes('未填年龄') && desk.includes(youngFigure) && desk.includes('依据'), `the desk's note: ${desk}`);
  await shot(d.page, 'blank-age-desk-1280');
  await d.ctx.close();
});

// A stay the funds pay nothing for (300 元, under the county's 600 元 起付线) is not "✓ 可正常报销"
// alone: the reason is in the verdict, which is not the green one.
test('a 0 % answer at 360 px says why, not a bare green "可正常报销"', async () => {
  const { ctx, page } = await newPage(PHONE, URL0 + '#v=1&m=resident&p=demo-county%2Fresident-2024&dt=2025-03-10&a=50&l=county&t=300');
  await page.waitForSelector('#yb-answer');
  const fund = await page.textContent('.yb-fund');
  assert(fund.includes('0%') || fund.includes('0.00%'), `this case should pay nothing: ${fund}`);
  const why = await page.textContent('#yb-nothing');
  assert(why.includes('起付线'), `the reason: ${why}`);
  assert(await page.locator('.yb-verdict.yb-ok').count() === 0, 'a 0 % answer under the green verdict');
  await shot(page, 'zero-reason-resident-360');
  await ctx.close();
});

// Issue 28 item 5: advice that fits the case. A 300,000 stay with no disease once recommended the
// township clinic; now nothing is recommended, and every card names the bill it assumes. With
// 胆囊结石 (K80), which the demo catalogue places at the county hospital only, the advice is there.
test('pathway advice at 360 px: none without a disease, only a level that treats it, each card naming its bill', async () => {
  const base = '#v=1&m=resident&p=demo-county%2Fresident-2024&dt=2025-03-10&a=50&l=county&t=300000';
  const { ctx, page } = await newPage(PHONE, URL0 + base);
  await page.waitForSelector('#yb-answer');
  await page.locator('.yb-card').first().waitFor();
  const cards = await page.locator('.yb-card').count();
  assert(cards >= 3, `${cards} cards`);
  assert(await page.locator('.yb-card.yb-rec').count() === 0, 'a place is recommended without a disease');
  assert(!(await page.textContent('.yb-cmp')).includes('推荐到'), 'the comparison recommends without a disease');
  const reason = await page.textContent('.yb-reason');
  assert(reason.includes('不作推荐'), `the reason: ${reason}`);
  const bills = await page.locator('.yb-card .yb-card-bill').allTextContents();
  assert(bills.length === cards && bills.every((b) => b.includes('300,000')), `cards' bills: ${bills}`);
  assert((await page.textContent('.yb-basis')).includes('300,000'), 'the comparison does not say which bill every card assumes');
  // The demo says (illustratively) what its township and county hospital typically treat: a
  // 300,000 stay is beyond both, and their cards say so plainly.
  for (const level of ['township', 'county']) {
    const card = page.locator(`.yb-card[data-level="${level}"]`).first();
    assert(await card.locator('.yb-beyond-tag').count() === 1, `the ${level} card is not flagged for a 300,000 stay`);
    const bill = await card.locator('.yb-card-bill').textContent();
    assert(bill.includes('超出') && bill.includes('示意值'), `the ${level} card's bill: ${bill}`);
  }
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 360, `the page scrolls sideways at 360 px (${wide} px wide)`);
  await page.locator('.yb-cmp').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(page, 'advice-no-disease-360', { fullPage: false });
  await page.goto(URL0 + base.replace('t=300000', 't=20000') + '&d=K80');
  await page.reload();
  await page.waitForSelector('#yb-answer');
  const rec = page.locator('.yb-card.yb-rec');
  await rec.waitFor();
  assert(await page.locator('.yb-card.yb-rec').count() === 1, 'one place recommended for 胆囊结石');
  assert(await rec.getAttribute('data-level') === 'county', `胆囊结石 recommended at ${await rec.getAttribute('data-level')}`);
  assert((await rec.textContent()).includes('20,000'), 'the recommended card names its bill');
  await page.locator('.yb-cmp').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(page, 'advice-k80-360', { fullPage: false });
  // 肺炎 (J18: township and county) at 50,000: beyond what the township typically treats, so the
  // cheaper township is flagged, not recommended, and the advice is the county hospital.
  await page.goto(URL0 + base.replace('t=300000', 't=50000') + '&d=J18');
  await page.reload();
  await page.waitForSelector('#yb-answer');
  await page.locator('.yb-card.yb-rec').waitFor();
  const township = page.locator('.yb-card[data-level="township"]');
  assert(await township.count() >= 1, 'no township card for 肺炎');
  for (const card of await township.all()) {
    assert(!(await card.getAttribute('class')).includes('yb-rec'), 'the township is recommended for a 50,000 stay beyond it');
    assert(await card.locator('.yb-beyond-tag').count() === 1, 'the township card is not flagged');
    const bill = await card.locator('.yb-card-bill.yb-beyond').textContent();
    assert(bill.includes('50,000') && bill.includes('20,000') && bill.includes('不作推荐'), `the township card's bill: ${bill}`);
  }
  const best = page.locator('.yb-card.yb-rec');
  assert(await best.getAttribute('data-level') === 'county', `肺炎 at 50,000 recommended at ${await best.getAttribute('data-level')}`);
  assert(await best.locator('.yb-beyond-tag').count() === 0, 'the recommended card is flagged');
  const wide2 = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide2 <= 360, `the page scrolls sideways at 360 px (${wide2} px wide)`);
  await page.locator('.yb-cmp').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(page, 'advice-beyond-township-360', { fullPage: false });
  await ctx.close();
});

// Issue 28 item 4: a resident estimates a clinic visit (高血压 at 300 元 is the 两病 outpatient
// route, not a stay with 0 % reimbursed), and each policy asks only its own questions.
test('a clinic visit estimated by a resident at 360 px', async () => {
  const { ctx, page } = await newPage(PHONE);
  await page.waitForSelector('#yb-next');
  await page.selectOption('#yb-policy', 'demo-county/resident-2024');
  await page.waitForSelector('#yb-visit');
  // Stay or visit is the first question after the policy.
  const [setting, age] = await Promise.all([page.locator('#yb-visit').boundingBox(), page.locator('#yb-age').boundingBox()]);
  assert(setting.y < age.y, 'the setting comes after the age');
  await page.click('label:has(#yb-visit)');
  await page.fill('#yb-age', '66');
  await shot(page, 'visit-1-about-360');
  const tooSmall = await smallTargets(page);
  assert(tooSmall.length === 0, tooSmall.join('; '));
  await page.click('#yb-next');
  await page.fill('#yb-disease', '高血压');
  await page.waitForSelector('#yb-disease-list li');
  await page.click('#yb-disease-list li >> nth=0');
  await page.click('#yb-next');
  await page.waitForSelector('input[name=yb-level]');
  assert((await page.textContent('#yb-step-h')).includes('门诊'), `facility question: ${await page.textContent('#yb-step-h')}`);
  await page.check('input[name=yb-level][value=township]');
  await page.click('#yb-next');
  assert((await page.textContent('label[for=yb-total]')).includes('门诊'), 'the cost question is a visit\'s');
  assert(await page.locator('#yb-unsure').count() === 0, 'a visit is offered the stay-sized "not sure"');
  await page.fill('#yb-total', '300');
  await shot(page, 'visit-4-cost-360');
  await page.click('#yb-next');
  await page.waitForSelector('#yb-answer');
  const fund = await page.textContent('.yb-fund');
  const paid = Number((fund.match(/支付\s*([\d,.]+)/) || [])[1]?.replace(/,/g, ''));
  const ratio = Number((fund.match(/([\d.]+)%/) || [])[1]);
  assert(paid > 0 && ratio > 0, `the visit is reimbursed: ${fund}`);
  await page.click('#yb-why');
  const steps = await page.textContent('#yb-steps');
  assert(steps.includes('门诊') && !steps.includes('住院起付线'), `settled as a visit: ${steps}`);
  await shot(page, 'visit-5-answer-360');
  await ctx.close();
});

test('each policy asks only its own questions: employee account vs resident, one category, paperwork only where it matters', async () => {
  const { ctx, page } = await newPage(PHONE);
  await page.waitForSelector('#yb-next');
  // The demo resident policy: several categories, clinic visits, no account.
  await page.selectOption('#yb-policy', 'demo-county/resident-2024');
  await page.waitForSelector('#yb-visit');
  assert(await page.locator('input[name=yb-category]').count() > 1, 'the demo policy\'s categories are asked');
  assert(await page.locator('#yb-account').count() === 0, 'a resident policy asks for an account balance');
  await shot(page, 'questions-resident-360');
  // 资阳's 大病保险: one category and no clinic routes — neither is asked.
  await page.selectOption('#yb-policy', 'sichuan-ziyang/critical-illness');
  await page.waitForSelector('#yb-age');
  assert(await page.locator('input[name=yb-category]').count() === 0, 'one category is still asked');
  assert(await page.locator('#yb-visit').count() === 0, 'a policy without clinic routes asks stay or visit');
  await shot(page, 'questions-one-category-360');
  // The employee policy: the account, and 在职/退休 among its categories.
  await page.selectOption('#yb-policy', EMPLOYEE);
  await page.waitForSelector('#yb-account');
  assert((await page.textContent('fieldset:has(input[name=yb-category])')).includes('退休'), 'the employee policy asks 在职/退休');
  await shot(page, 'questions-employee-360');
  // Paperwork: at the township (first contact) nothing; at the county with pneumonia, the slip.
  await page.selectOption('#yb-policy', 'demo-county/resident-2024');
  await page.waitForSelector('#yb-visit');
  await page.fill('#yb-age', '40');
  await page.click('#yb-next');
  await page.fill('#yb-disease', '肺炎');
  await page.waitForSelector('#yb-disease-list li');
  await page.click('#yb-disease-list li >> nth=0');
  await page.click('#yb-next');
  await page.check('input[name=yb-level][value=township]');
  assert(await page.locator('#yb-slip').count() === 0, 'a slip is asked at the township, where it changes nothing');
  await page.check('input[name=yb-level][value=county]');
  await page.waitForSelector('#yb-slip');
  await shot(page, 'questions-paperwork-360');
  await ctx.close();
});

// Issue 28 item 6: the clerk's queue.
const DESK_PREV = '?mode=clerk#v=1&m=clerk&p=demo-county%2Fresident-2024&dt=2025-03-10&c=dibao&a=58&d=J18&l=county&t=12000';
test('desk: 下一位 leaves no trace of the previous patient (form, URL, history, F5)', async () => {
  const { ctx, page } = await newPage(DESK, URL0 + DESK_PREV);
  await page.waitForSelector('#yb-psn');
  const historyBefore = await page.evaluate(() => history.length);
  const label = await page.textContent('#yb-next-patient');
  assert(label.includes('下一位') && label.includes('F9'), `the button says its key: ${label}`);
  assert((await page.textContent('#yb-print-a4')).includes('F8'), 'the print button says its key');
  await page.focus('#yb-total');
  await page.keyboard.press('F9');
  await until(() => 'the form is emptied', async () => await page.inputValue('#yb-age') === '', 5000);
  for (const id of ['#yb-age', '#yb-total', '#yb-disease']) assert(await page.inputValue(id) === '', `${id} keeps ${await page.inputValue(id)}`);
  assert(await page.locator('#yb-psn').count() === 0, 'the previous estimate is still shown');
  assert(!page.url().includes('#'), `the URL keeps the patient: ${page.url()}`);
  assert(await page.evaluate(() => history.length) === historyBefore, '下一位 added a history entry');
  await until(() => 'the cursor is in 年龄', async () => await focusedId(page) === 'yb-age', 5000);
  await page.reload();
  await page.waitForSelector('#yb-age');
  assert(await page.inputValue('#yb-age') === '' && await page.locator('#yb-psn').count() === 0, 'F5 brought back the previous patient');
  await shot(page, 'desk-next-patient-1280');
  await ctx.close();
});

test('desk: a typical registration estimate and its print in at most 15 keystrokes; dates as people type them', async () => {
  const { ctx, page } = await newPage(DESK, URL0 + DESK_PREV);
  await page.waitForSelector('#yb-psn');
  await page.focus('#yb-total');
  let keys = 0;
  const press = async (k) => { keys += 1; await page.keyboard.press(k); };
  // Typed as fast as the browser takes keys, with no pause after Enter: Enter moves the cursor
  // in its own key handler, so no key typed right after it is lost (focusing in a later task
  // lost them about one run in four).
  const type = async (t) => { keys += [...t].length; await page.keyboard.type(t); };
  await press('F9'); // 下一位: the cursor lands in 年龄
  await until(() => 'the cursor is in 年龄', async () => await focusedId(page) === 'yb-age', 5000);
  await type('72');
  await press('Enter');
  await type('fy');
  await page.waitForSelector('#yb-disease-list li');
  await press('Enter'); // the first hit, 肺炎; then on to 级别
  await press('Enter'); // the county hospital, as preset; on to 总额
  await type('8000');
  await until(() => 'the total is typed', async () => await page.inputValue('#yb-total') === '8000', 5000);
  await settled(page, 'medfee_sumamt', 8000);
  assert(await page.inputValue('#yb-disease') === '肺炎', `disease ${await page.inputValue('#yb-disease')}`);
  assert(await page.inputValue('#yb-age') === '72', 'age');
  await press('F8');
  await page.waitForFunction(() => window.__printed === 1);
  console.log(`  a registration estimate and its print: ${keys} keystrokes`);
  metrics.desk_keystrokes = keys;
  assert(keys <= 15, `${keys} keystrokes`);
  await shot(page, 'desk-keystrokes-1280');
  // Dates as people type them: one parser, the same date.
  for (const typed of ['2025/3/10', '2025.3.10', '20250310']) {
    await page.fill('#yb-date', typed);
    await until(() => `${typed} read as 2025-03-10`, async () => (await page.textContent('.yb-facts')).includes('2025-03-10'), 5000);
    assert(await page.locator('#yb-psn').count() === 1, `${typed}: no estimate`);
  }
  await ctx.close();
});

test('desk: the patient\'s QR link opens the resident answer of the same estimate, readable at 360 px', async () => {
  const { ctx, page } = await newPage(DESK, URL0 + DESK_PREV);
  await page.waitForSelector('#yb-psn');
  const psn = Math.round(num(await page.textContent('#yb-psn')));
  await page.click('#yb-share-btn');
  const link = await page.getAttribute('#yb-share-link', 'href');
  assert(link.includes('m=resident') && !link.includes('mode=clerk'), `the patient's link: ${link}`);
  await ctx.close();
  const p = await newPage(PHONE, link);
  await p.page.waitForSelector('#yb-answer');
  assert(await p.page.locator('#yb-total, .yb-setl').count() === 0, 'the link opened the desk form');
  const answer = num(await p.page.textContent('#yb-answer strong'));
  assert(answer === psn, `the phone says ${answer}, the desk ${psn}`);
  const top = (await p.page.locator('#yb-answer').boundingBox()).y;
  assert(top < 400, `the answer is ${top} px down the phone`);
  const wide = await p.page.evaluate(() => document.documentElement.scrollWidth);
  assert(wide <= 360, `the patient's page scrolls sideways (${wide} px)`);
  await shot(p.page, 'desk-qr-patient-360', { fullPage: false });
  await p.ctx.close();
});

test('network log: no request left the page\'s own origin; no CSP violation or page error', async () => {
  assert(foreign.length === 0, `foreign requests: ${foreign.join(', ')}`);
  assert(problems.length === 0, `console errors / CSP violations:\n${problems.join('\n')}`);
});

// ---------------------------------------------------------------------------------------------
tests.done(async () => {
  await browser.close();
  writeFileSync(join(OUT, 'web-metrics.json'), JSON.stringify(metrics, null, 2));
});
