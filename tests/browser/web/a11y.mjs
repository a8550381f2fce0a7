// Accessibility audit of the yew widget (web/) in Debian's headless Chromium via playwright-core,
// with axe-core (npm, pinned in xtask/src/web.rs). Run by `cargo xtask web test` after run.mjs,
// with the same environment: YIBAO_URL, YIBAO_OUT, CHROMIUM, NODE_PATH (CHROMIUM_FLAGS to replace the harness's flags).
//
// On every screen (the resident steps, 长辈版, the desk, its print view, the embedding page and an
// employee policy), in Chinese and once in English:
// - axe finds no serious or critical violation (axe looks inside the widget's open shadow root);
// - on 长辈版 screens axe's `color-contrast-enhanced` (WCAG 2 AAA, 7:1 for body text) passes too;
// - every control (button, field, menu, choice, disclosure, link) has an accessible name as
//   Chromium's accessibility tree computes it (what a screen reader reads), in the language its
//   `lang` says: Chinese characters in a Chinese screen; the language switch, marked lang="en",
//   is read in English by design;
// - on the phone screens every touch target is at least 44 × 44 CSS px (WCAG 2.5.5).
// YIBAO_ONLY=<regex> runs the matching screens only. Screenshots: tests/browser/out/a11y-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { require, PHONE, DESK, EMPLOYEE, launchChromium, smallTargets, suite } from '../harness.mjs';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_VERSION = require('axe-core/package.json').version;

const URL0 = process.env.YIBAO_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.YIBAO_OUT || 'tests/browser/out';

const browser = await launchChromium();

async function newPage(opts, url) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  // The print buttons call window.print(), which would block a headless page.
  await page.addInitScript(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; });
  await page.goto(url);
  return { ctx, page };
}

/// axe-core on the whole document, shadow roots included. Evaluated through the DevTools
/// protocol, which the page's CSP (script-src 'self') does not govern, so the page is audited
/// under its real policy. Returns problems as lines.
async function axe(page, { aaa }) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE);
  const r = await page.evaluate(async (aaa) => {
    const res = await window.axe.run(document, {
      resultTypes: ['violations', 'incomplete'],
      rules: { 'color-contrast-enhanced': { enabled: aaa } },
    });
    const flat = (list) => list.flatMap((v) => v.nodes.map((n) => ({
      rule: v.id, impact: n.impact || v.impact, target: n.target.map((t) => [].concat(t).join(' >>> ')).join(' | '),
      message: (n.failureSummary || v.help).replace(/\s+/g, ' ').slice(0, 300),
    })));
    return { violations: flat(res.violations), incomplete: flat(res.incomplete), passes: res.passes.length };
  }, aaa);
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || (aaa && v.rule === 'color-contrast-enhanced'));
  // Contrast axe could not decide (text over an image or a gradient) is printed for a person to
  // look at, not failed.
  const undecided = r.incomplete.filter((v) => /color-contrast/.test(v.rule));
  if (undecided.length) console.log(`     note: ${undecided.length} contrast check(s) axe left undecided (icons, pseudo-element backgrounds, overlaps), e.g. ${[...new Set(undecided.map((v) => v.target))].slice(0, 3).join(', ')}`);
  const minor = r.violations.length - bad.length;
  if (minor) console.log(`     note: ${minor} minor/moderate finding(s): ${[...new Set(r.violations.filter((v) => !bad.includes(v)).map((v) => v.rule))].join(', ')}`);
  return bad.map((v) => `axe ${v.rule} (${v.impact}) on ${v.target}: ${v.message}`);
}

const CONTROL_ROLES = new Set(['button', 'textbox', 'searchbox', 'combobox', 'listbox', 'spinbutton', 'radio', 'checkbox',
  'switch', 'slider', 'link', 'DisclosureTriangle', 'option', 'menuitem', 'tab']);
const CJK = /[\u3400-\u9fff]/;

/// Every control in Chromium's accessibility tree (the flattened tree: shadow roots included,
/// hidden nodes ignored) with its computed name and the language it is read in.
async function names(page, lang, print) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  const out = [];
  for (const n of nodes) {
    const role = n.role?.value;
    if (n.ignored || !CONTROL_ROLES.has(role) || !n.backendDOMNodeId) continue;
    const name = String(n.name?.value ?? '').trim();
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: n.backendDOMNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId, returnByValue: true,
      functionDeclaration: `function () {
        let e = this, lang = null, inWidget = false;
        while (e) {
          if (e.nodeType === 1 && lang === null && e.hasAttribute('lang')) lang = e.getAttribute('lang');
          if (e.nodeType === 1 && e.classList.contains('yb')) inWidget = true;
          e = e.parentNode; if (e && e.nodeType === 11) e = e.host;
        }
        const id = this.id ? '#' + this.id : this.tagName.toLowerCase() + (this.className && typeof this.className === 'string' ? '.' + this.className.split(' ').join('.') : '');
        return { lang: lang || '', id, inWidget };
      }`,
    });
    out.push({ role, name, ...result.value });
  }
  await cdp.detach();
  const bad = [];
  for (const c of out) {
    const where = `${c.role} ${c.id}`;
    if (!c.name) { bad.push(`no accessible name: ${where}`); continue; }
    const zh = /^zh/i.test(c.lang);
    if (zh && !CJK.test(c.name)) bad.push(`name not in Chinese on a Chinese control: ${where} reads "${c.name}"`);
    if (lang === 'zh' && !zh && !/^(English|中文)$/.test(c.name)) bad.push(`not marked Chinese (lang="${c.lang}") on a Chinese screen: ${where} reads "${c.name}"`);
    if (lang === 'en' && c.inWidget && zh && !/^(English|中文)$/.test(c.name)) bad.push(`a Chinese control on an English screen: ${where} reads "${c.name}"`);
  }
  if (!out.length && !print) bad.push('no controls found in the accessibility tree');
  if (out.length && print) bad.push(`controls in the print view: ${out.map((c) => c.id).join(', ')}`);
  const roles = {};
  for (const c of out) roles[c.role] = (roles[c.role] || 0) + 1;
  return { bad, count: out.length, roles: Object.entries(roles).map(([r, n]) => `${n} ${r}`).join(', ') };
}

// ---------------------------------------------------------------------------------------------

const screens = suite();
const screen = screens.test;
let audited = 0, controls = 0;

/// Audits the screen the page shows now; throws with every problem found.
async function audit(page, name, { lang = 'zh', elder = false, phone = false, print = false } = {}) {
  const problems = [];
  problems.push(...await axe(page, { aaa: elder }));
  // On paper there are no controls (the print view hides them).
  const n = await names(page, lang, print);
  problems.push(...n.bad);
  if (phone) problems.push(...await smallTargets(page));
  if (elder) {
    const on = await page.locator('.yb-elder').count();
    if (!on) problems.push('长辈版 is not on');
  }
  await page.screenshot({ path: join(OUT, `a11y-${name}.png`), fullPage: true });
  audited++;
  controls += n.count;
  if (problems.length) throw new Error(`${name}: ${problems.length} problem(s)\n       ${problems.join('\n       ')}`);
  console.log(`  ok ${name} (${n.count} controls named: ${n.roles || 'none'})`);
}

/// Runs every check of a screen and collects the failures rather than stopping at the first.
async function each(list) {
  const failed = [];
  for (const [name, fn] of list) {
    try { await fn(); } catch (e) { failed.push(String(e.message || e)); }
  }
  if (failed.length) throw new Error(failed.join('\n     '));
}

/// The resident steps on the demo policy at 360 px, in a language and size.
function residentFlow(tag, { lang, elder }) {
  return async () => {
    const { ctx, page } = await newPage(PHONE, URL0);
    const o = { lang, elder, phone: true };
    await page.waitForSelector('#yb-next');
    if (lang === 'en') { await page.click('text=English'); await page.waitForSelector('.yb[lang=en]'); }
    if (elder) { await page.click(lang === 'en' ? 'text=Large text' : 'text=长辈版'); await page.waitForSelector('.yb-elder'); }
    // The demo policy: it has a disease catalogue (the search's listbox) and the pathway comparison.
    const steps = [];
    steps.push([`${tag}-1-about`, async () => {
      await page.locator('.yb-choice').nth(1).click();
      await audit(page, `${tag}-1-about`, o);
    }]);
    steps.push([`${tag}-2-condition`, async () => {
      await page.click('#yb-next');
      await page.waitForSelector('#yb-disease');
      // With the suggestion list open (a listbox of options), then one picked.
      await page.fill('#yb-disease', lang === 'en' ? 'fy' : '肺');
      await page.waitForSelector('#yb-disease-list li');
      try { await audit(page, `${tag}-2-condition`, o); } finally { await page.click('#yb-disease-list li >> nth=0'); }
    }]);
    steps.push([`${tag}-3-facility`, async () => {
      await page.click('#yb-next');
      await page.waitForSelector('input[name=yb-level]');
      await audit(page, `${tag}-3-facility`, o);
    }]);
    steps.push([`${tag}-4-cost`, async () => {
      await page.click('#yb-next');
      await page.fill('#yb-total', '52000');
      await page.click('.yb-more summary');
      await page.fill('#yb-inscope', '50000');
      await audit(page, `${tag}-4-cost`, o);
    }]);
    steps.push([`${tag}-5-answer-why`, async () => {
      await page.click('#yb-next');
      await page.waitForSelector('#yb-answer');
      await page.click('#yb-why');
      await page.waitForSelector('#yb-steps');
      await audit(page, `${tag}-5-answer-why`, o);
    }]);
    steps.push([`${tag}-6-share`, async () => {
      await page.click('#yb-share-btn');
      await page.waitForSelector('.yb-qr');
      await audit(page, `${tag}-6-share`, o);
    }]);
    try { await each(steps); } finally { await ctx.close(); }
  };
}

screen('resident, Chinese, 360 px: about, condition, facility, cost, answer with why, share', residentFlow('resident', { lang: 'zh', elder: false }));
screen('长辈版, Chinese, 360 px: the same screens, WCAG AAA contrast', residentFlow('elder', { lang: 'zh', elder: true }));
screen('resident, English, 360 px: the same screens', residentFlow('resident-en', { lang: 'en', elder: false }));
screen('长辈版 on the pathway comparison (demo policy, 不确定去哪里)', async () => {
  const { ctx, page } = await newPage(PHONE, URL0);
  try {
    await page.waitForSelector('#yb-next');
    await page.click('text=长辈版');
    await page.waitForSelector('.yb-elder');
    await page.fill('#yb-age', '45');
    await page.click('#yb-next');
    await page.fill('#yb-disease', '肺炎');
    // As a resident does: the list is on screen before she taps its first line.
    await page.waitForSelector('#yb-disease-list li');
    await page.click('#yb-disease-list li >> nth=0');
    await page.click('#yb-next');
    await page.click('#yb-next');
    await page.click('#yb-unsure');
    await page.click('#yb-next');
    await page.waitForSelector('.yb-card');
    await audit(page, 'elder-compare', { elder: true, phone: true });
  } finally { await ctx.close(); }
});

screen(`employee policy (${EMPLOYEE}), 360 px: about with the account fields, answer; and 长辈版`, async () => {
  const { ctx, page } = await newPage(PHONE, URL0);
  try {
    await page.waitForSelector('#yb-next');
    await page.selectOption('#yb-policy', EMPLOYEE);
    await page.getByText('退休人员').click();
    await page.waitForSelector('#yb-account');
    await page.fill('#yb-account', '8000');
    await page.fill('#yb-age', '68');
    await each([
      ['about', () => audit(page, 'employee-1-about', { phone: true })],
      ['answer', async () => {
        for (let i = 0; i < 3; i++) await page.click('#yb-next');
        await page.fill('#yb-total', '105000');
        await page.click('#yb-next');
        await page.waitForSelector('#yb-answer');
        await page.click('#yb-why');
        await audit(page, 'employee-5-answer-why', { phone: true });
      }],
      ['elder', async () => {
        await page.click('text=长辈版');
        await page.waitForSelector('.yb-elder');
        await audit(page, 'employee-elder-answer', { elder: true, phone: true });
      }],
    ]);
  } finally { await ctx.close(); }
});

screen('desk (?mode=clerk) at 1280 px with an estimate and line items, Chinese and English; its print view', async () => {
  const { ctx, page } = await newPage(DESK, URL0 + '?mode=clerk#v=1&m=clerk&p=demo-county%2Fresident-2024&c=dibao&a=58&d=J18&l=county&t=12000');
  try {
    await page.waitForSelector('#yb-psn');
    await page.fill('#yb-paste', '项目\t类别\t金额\t限价\n头孢曲松\t乙类\t1200\t\n床位费\t甲类\t800\t\n');
    await page.click('#yb-paste-apply');
    await page.waitForSelector('.yb-items tbody tr');
    await each([
      ['desk', () => audit(page, 'desk-1280')],
      ['desk employee', async () => {
        await page.selectOption('#yb-policy', EMPLOYEE);
        await page.waitForSelector('#yb-account');
        await page.fill('#yb-account', '8000');
        await page.waitForSelector('#yb-psn');
        await audit(page, 'desk-employee-1280');
      }],
      ['desk 对账', async () => {
        // The 对账 panel open, a slip with one figure and two other keys: rows of every status.
        await page.click('#yb-recon summary');
        await page.fill('#yb-slip-json', '{"setlinfo":{"hifp_pay":"1","acct_pay":"0","setl_id":"S1","psn_name":"张三"}}');
        await page.waitForSelector('.yb-recon-table');
        await page.check('#yb-recon-all');
        await audit(page, 'desk-reconcile-1280');
        await page.fill('#yb-slip-json', '{"setlinfo":');
        await page.waitForSelector('#yb-slip-err .yb-err');
        await audit(page, 'desk-reconcile-bad-1280');
      }],
      ['print', async () => {
        await page.click('#yb-print-a4');
        await page.waitForFunction(() => window.__printed >= 1);
        await page.emulateMedia({ media: 'print' });
        await audit(page, 'desk-print-a4', { print: true });
        await page.emulateMedia({ media: 'screen' });
      }],
      ['desk en', async () => {
        await page.click('text=English');
        await page.waitForSelector('.yb[lang=en]');
        await audit(page, 'desk-en-1280', { lang: 'en' });
      }],
    ]);
  } finally { await ctx.close(); }
});

screen('desk at 360 px (a clinic\'s tablet or phone)', async () => {
  const { ctx, page } = await newPage(PHONE, URL0 + '?mode=clerk#v=1&m=clerk&p=demo-county%2Fresident-2024&a=58&d=J18&l=county&t=12000');
  try {
    await page.waitForSelector('#yb-psn');
    await audit(page, 'desk-360', { phone: true });
    await page.click('#yb-recon summary');
    await page.fill('#yb-slip-json', '{"setlinfo":{"hifp_pay":"1","setl_id":"S1"}}');
    await page.waitForSelector('.yb-recon-table');
    await audit(page, 'desk-reconcile-360', { phone: true });
  } finally { await ctx.close(); }
});

screen('embedding page: <yibao-estimator> (Chinese) and a mounted desk (English) on a hostile host', async () => {
  const { ctx, page } = await newPage(DESK, URL0 + 'embed.html');
  try {
    await page.waitForSelector('yibao-estimator #yb-next');
    await page.locator('#desk #yb-psn').waitFor({ state: 'attached' }).catch(() => {});
    await audit(page, 'embed-1280', { lang: 'mixed' });
  } finally { await ctx.close(); }
});

// ---------------------------------------------------------------------------------------------
console.log(`a11y: axe-core ${AXE_VERSION}`);
screens.done(async () => {
  await browser.close();
  console.log(`a11y: ${audited} screens audited, ${controls} controls named`);
});
