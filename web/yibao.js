// yibao.js — the widget's one public module. Loads the WebAssembly engine from next to this
// file, defines <yibao-estimator mode policy lang>, and exports mount(element, options).
// Both render inside a shadow root, so host styles do not leak in and ours do not leak out.
// No request leaves for anywhere but this file's own folder (and a policy URL the host gives).
// Two builds of the engine + UI: `yibao_resident` (no clerk desk: what a phone downloads) and
// `yibao_web` (both layouts), fetched only when the desk is asked for.
import init, { mountApp as mountResident, policies as residentPolicies } from './yibao_resident.js';

const base = new URL('.', import.meta.url).href;
export const NO_WASM_ZH = '您的浏览器不支持本计算器需要的 WebAssembly。请点右上角“…”选择“在浏览器中打开”,或升级微信/浏览器后再试。';
export const NO_WASM_EN = 'This browser does not support WebAssembly, which the calculator needs. Open the page in a current browser.';

// What the host page's Content-Security-Policy refused, as the browser reports it: read when
// something fails to load, to say which directive the page needs (the error itself rarely says).
const refused = [];
document.addEventListener('securitypolicyviolation', (e) => {
  refused.push({ directive: e.effectiveDirective || e.violatedDirective || '', uri: e.blockedURI || '' });
});

// A failure as the widget reports it (its element, the `yibao-error` event, mount()'s result):
// a code of the one documented list (core/src/error.rs `Code`) and a sentence in each language.
const problem = (code, message_zh, message_en, extra = {}) => ({ code, path: extra.path ?? '', message_zh, message_en, ...extra });

/** Why a file could not be fetched or compiled, from the error, what the CSP refused, and (for
 *  another origin) whether the server answers at all. `what` names the file in both languages. */
async function diagnose(err, url, what) {
  // The violation event is queued as a task: let it arrive.
  await new Promise((r) => setTimeout(r, 30));
  const text = String((err && err.message) || err || '');
  const wasmRefused = refused.some((v) => /^(wasm-)?eval$/.test(v.uri)) ||
    (/Content.Security.Policy|\bCSP\b|unsafe-eval/i.test(text) && /WebAssembly|wasm|eval/i.test(text));
  if (wasmRefused) {
    return problem('blocked_by_csp',
      "本页面的内容安全策略(Content-Security-Policy)不允许运行 WebAssembly,计算器无法启动。请网站管理员在 script-src 中加入 'wasm-unsafe-eval'(与浏览器或微信版本无关)。",
      "This page's Content-Security-Policy blocks WebAssembly, so the calculator cannot start. The site must add 'wasm-unsafe-eval' to its script-src directive (the browser is not at fault).",
      { directive: "script-src 'wasm-unsafe-eval'" });
  }
  const origin = url.origin;
  const connect = refused.find((v) => /^(connect-src|default-src)/.test(v.directive) && v.uri && (v.uri === url.href || url.href.startsWith(v.uri) || v.uri === origin));
  if (connect) {
    return problem('blocked_by_csp',
      `本页面的内容安全策略(Content-Security-Policy)不允许读取${what[0]} ${url.href}。请网站管理员在 connect-src 中加入 ${origin}。`,
      `This page's Content-Security-Policy does not allow fetching the ${what[1]} ${url.href}. The site must add ${origin} to its connect-src directive.`,
      { directive: `connect-src ${origin}`, url: url.href });
  }
  if (err && err.status) {
    return problem(what[2],
      `无法读取${what[0]}:服务器回答 HTTP ${err.status}(${url.href})。没有计算任何金额。`,
      `The ${what[1]} could not be loaded: the server answered HTTP ${err.status} (${url.href}). Nothing was computed.`,
      { status: err.status, url: url.href });
  }
  if (err instanceof TypeError && origin !== location.origin) {
    // A server that answers a request without CORS (an opaque response) is there: the browser
    // refused to let the page read its answer.
    const answers = await fetch(url, { mode: 'no-cors', cache: 'no-store' }).then(() => true, () => false);
    if (answers) {
      return problem('blocked_by_cors',
        `${url.origin} 的服务器没有允许本页面(${location.origin})跨域读取${what[0]}(CORS)。请该服务器对这些文件返回 Access-Control-Allow-Origin: ${location.origin}。`,
        `The server at ${url.origin} does not allow this page (${location.origin}) to read the ${what[1]} (CORS). It must send Access-Control-Allow-Origin: ${location.origin} with these files.`,
        { url: url.href, origin: location.origin });
    }
  }
  return problem(what[2],
    `无法读取${what[0]}(${url.href}):${text || '网络错误'}。请检查网络后重试。没有计算任何金额。`,
    `The ${what[1]} could not be loaded (${url.href}): ${text || 'network error'}. Check the connection and try again. Nothing was computed.`,
    { status: 0, url: url.href });
}

const ENGINE = ['计算引擎', 'calculator engine', 'engine_unavailable'];
const POLICY = ['政策文件', 'policy file', 'policy_unavailable'];

/** fetch() that rejects on an HTTP error status (with the status), not only on a network error. */
async function fetchOk(url) {
  const res = await fetch(url);
  if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
  return res;
}

/** A module's wasm, compiled: a failure says why (CSP, CORS, HTTP status), as a `problem`. */
async function start(initModule, file) {
  const url = new URL(file, import.meta.url);
  try {
    await initModule({ module_or_path: fetchOk(url) });
  } catch (e) {
    throw Object.assign(new Error('engine'), { problem: await diagnose(e, url, ENGINE) });
  }
}

// The engine is built to stop at once on a bug (a panic is a WebAssembly trap, no message in the
// module: BENCHMARKS.md). A trap must never leave a blank or frozen widget without a word.
function onCrash(e) {
  const err = e.error ?? e.reason; // an 'error' event, or an 'unhandledrejection' (yew's scheduler)
  if (!(err instanceof WebAssembly.RuntimeError) || document.querySelector('.yibao-crash')) return;
  const d = document.createElement('div');
  d.className = 'yibao-crash';
  d.setAttribute('role', 'alert');
  d.textContent = '计算器出现内部错误,请刷新页面重试。Internal error: please reload the page.';
  for (const [k, v] of Object.entries(CRASH_STYLE)) d.style.setProperty(k, v, 'important');
  document.body.append(d);
}

// On the element itself and `!important`: no host rule can hide or restyle the notice, and no
// stylesheet has to be in place (styles set through the CSSOM pass a strict style-src).
const CRASH_STYLE = {
  position: 'fixed', left: '0', right: '0', bottom: '0', 'z-index': '2147483647', margin: '0',
  border: '0', padding: '14px 16px calc(14px + env(safe-area-inset-bottom))',
  font: '17px/1.5 -apple-system, "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif',
  'letter-spacing': 'normal', 'text-align': 'left', color: '#fff', background: '#a61b1b',
};

// The WebAssembly features the build uses (the `--enable-…` wasm-opt flags of pkg/Cargo.toml;
// `the_loader_checks_every_feature_the_build_uses` keeps the lists alike), each as the smallest module that
// uses it (assembled with binaryen's wasm-as; `wasm-opt --mvp-features` rejects each). An engine
// that lacks one (an old WeChat WebKit, an old Android WebView) would fail to compile the whole
// engine with a bare CompileError: it gets the Chinese message instead. Written out here because
// no package does this in a few bytes.
const WASM_FEATURES = {
  'sign-ext': [1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 10, 7, 1, 5, 0, 65, 0, 192, 11],
  'nontrapping-float-to-int': [1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 10, 11, 1, 9, 0, 67, 0, 0, 0, 0, 252, 0, 11],
  'bulk-memory': [1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1, 10, 13, 1, 11, 0, 65, 0, 65, 0, 65, 0, 252, 11, 0, 11],
  'mutable-globals': [2, 8, 1, 1, 97, 1, 98, 3, 127, 1],
  'reference-types': [1, 5, 1, 96, 0, 1, 111, 3, 2, 1, 0, 10, 6, 1, 4, 0, 208, 111, 11],
  'multivalue': [1, 6, 1, 96, 0, 2, 127, 127, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 65, 0, 11],
};

/** The WebAssembly features this browser lacks, by name (all of them without WebAssembly). */
export function missingWasmFeatures() {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return ['WebAssembly'];
  return Object.keys(WASM_FEATURES).filter((name) => {
    try {
      return !WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, ...WASM_FEATURES[name]]));
    } catch {
      return true;
    }
  });
}

let crashWatch, resident, desk, listPolicies;
/** Loads the module for a layout; resolves to its mountApp. */
function load(wantDesk) {
  const missing = missingWasmFeatures();
  if (missing.length) return Promise.reject(Object.assign(new Error('no-wasm'), { missing }));
  if (!crashWatch) {
    crashWatch = true;
    window.addEventListener('error', onCrash);
    window.addEventListener('unhandledrejection', onCrash);
  }
  if (!wantDesk) {
    resident ??= start(init, 'yibao_resident_bg.wasm').then(() => {
      listPolicies ??= residentPolicies;
      return mountResident;
    });
    return resident;
  }
  desk ??= import('./yibao_web.js').then(async (m) => {
    await start(m.default, 'yibao_web_bg.wasm');
    listPolicies ??= m.policies;
    return m.mountApp;
  });
  return desk;
}

/** The desk's module is wanted when the options or the state to restore (a fragment's `m=`) say
 *  clerk, and for a host's own policy (text or a URL): only that module reads and checks one (the
 *  resident module, a phone's, reads the shipped policies alone). */
function wantsDesk(options) {
  const frag = options.fragment ?? (options.syncHash ? location.hash : '');
  return options.mode === 'clerk' || /(^#?|&)m=clerk(&|$)/.test(frag) ||
    !!options.policyText || (!!options.policy && looksLikeUrl(options.policy));
}

// @page sizes (A4, the 80 mm receipt) work only from the document's own styles: the one rule set
// the widget adds to its host's document, so the host's html and body keep their own background,
// margins and fonts. A constructed sheet: no request, and nothing a strict style-src has to allow.
// Without constructed sheets (iOS before 16.4) the browser prints on its default page size.
let pageSized = false;
function pageSizes() {
  if (pageSized) return;
  pageSized = true;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('@page { size: A4; margin: 12mm; } @page r80 { size: 80mm 297mm; margin: 3mm; }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch {
    // Printing still works, on the browser's default page.
  }
}

// While the engine downloads (about a second on a phone), the widget's own top bar and a
// "preparing" line in its own type, once its styles are in: the page looks like the calculator
// from the start, and the browser has matched the fonts of the answer's title and lead line
// before the engine needs the main thread. Built with DOM calls (no HTML parsing).
function loadingFrame(options) {
  const en = options.lang === 'en';
  let elder = false;
  try { elder = localStorage.getItem('yibao.elder') === 'true'; } catch { /* storage blocked */ }
  const el = (tag, cls, ...kids) => {
    const e = document.createElement(tag);
    e.className = cls;
    e.append(...kids);
    return e;
  };
  const frame = el('div', 'yb ' + (wantsDesk(options) ? 'yb-clerk' : 'yb-resident') + (elder ? ' yb-elder' : ''),
    el('header', 'yb-top', el('div', 'yb-brand',
      el('span', 'yb-title', en ? 'Health-insurance cost estimate' : '医保费用估算'),
      el('span', 'yb-sub', en ? 'Loading…' : '正在加载…'))),
    el('main', 'yb-flow', el('section', 'yb-answer',
      el('p', 'yb-lead', en ? 'Getting the calculator ready…' : '正在准备计算,请稍候'))));
  frame.setAttribute('aria-busy', 'true');
  return frame;
}

function looksLikeUrl(p) {
  return /^(https?:|\.{0,2}\/)|\.json$/i.test(p);
}

/** The failure on screen in the widget's place, bilingual, each line with its code. */
function showProblems(box, problems, lang) {
  box.className = 'yb-nowasm';
  box.setAttribute('role', 'alert');
  box.replaceChildren(...problems.map((p) => {
    const line = document.createElement('p');
    line.className = 'yb-fail-msg';
    line.dataset.code = p.code;
    line.dataset.path = p.path || '';
    const code = document.createElement('code');
    code.textContent = p.code;
    const [first, second] = lang === 'en' ? [p.message_en, p.message_zh] : [p.message_zh, p.message_en];
    const other = document.createElement('span');
    other.className = 'yb-fail-2';
    other.lang = lang === 'en' ? 'zh-CN' : 'en';
    other.textContent = second;
    line.append(code, ' ', first, ' ', other);
    return line;
  }));
}

/** What mount() resolves to, after the `yibao-error` event for a failure. */
function outcome(element, problems) {
  if (!problems.length) return { ok: true, problems };
  const [first] = problems;
  element.dispatchEvent(new CustomEvent('yibao-error', {
    bubbles: true,
    composed: true,
    detail: { ...first, problems },
  }));
  return { ok: false, code: first.code, problems };
}

/** Render the widget into `element` (in its shadow root). options: { mode: 'resident'|'clerk',
 *  policy: shipped id or URL of a JSON policy, policyText: JSON policy text, lang: 'zh-CN'|'en',
 *  syncHash: keep the state in the page's URL fragment }. Resolves, once it is on screen, to
 *  `{ ok: true, problems: [] }`; or, when it cannot estimate (no WebAssembly, the page's CSP or
 *  CORS, a policy that is not found, not fetched or does not read), shows why in the element,
 *  computes nothing, dispatches a `yibao-error` event on `element` and resolves to
 *  `{ ok: false, code, problems: [{ code, path, message_zh, message_en, … }] }`. */
export async function mount(element, options = {}) {
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const desk = wantsDesk(options);
  const lang = options.lang || 'zh-CN';
  const first = root.querySelector('[data-ssr]');
  if (first && startsAsPrerendered(options, desk, lang)) return hydrate(element, first, options, lang);
  options.held?.(); // drawn afresh: nothing the page held is given back
  // A style sheet already loaded in the shadow root (the prerendered page's) is kept, not
  // fetched again.
  const loaded = [...root.querySelectorAll('link[rel=stylesheet]')].filter((l) => l.sheet);
  const sheets = (desk ? ['yibao.css', 'yibao-desk.css'] : ['yibao.css']).map((f) => {
    const had = loaded.find((l) => l.href === base + f);
    if (had) return had;
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = base + f;
    return l;
  });
  const cssLoaded = Promise.all(sheets.map((l) => l.sheet || new Promise((ok) => { l.onload = ok; l.onerror = ok; })));
  const box = document.createElement('div');
  box.className = 'yb-boot';
  box.textContent = '正在加载… Loading…';
  for (const n of [...root.childNodes]) if (!sheets.includes(n)) n.remove();
  root.append(...sheets.filter((l) => !l.isConnected), box);
  pageSizes();
  let mountApp;
  cssLoaded.then(() => {
    if (box.className === 'yb-boot') {
      box.className = '';
      box.replaceChildren(loadingFrame(options));
    }
  });
  const fail = (problems) => {
    showProblems(box, problems, lang);
    return outcome(element, problems);
  };
  try {
    [mountApp] = await Promise.all([load(desk), cssLoaded]);
  } catch (e) {
    const missing = (e && e.missing) || [];
    if (e && e.problem) return fail([e.problem]);
    if (!missing.length) return fail([await diagnose(e, new URL(desk ? 'yibao_web.js' : 'yibao_resident.js', import.meta.url), ENGINE)]);
    // A page whose CSP refuses WebAssembly can make every probe fail too: say which it is.
    const csp = await diagnose(e, new URL('yibao_resident_bg.wasm', import.meta.url), ENGINE);
    if (csp.code === 'blocked_by_csp') return fail([csp]);
    const which = missing[0] !== 'WebAssembly' ? ` (缺少 missing: ${missing.join(', ')})` : '';
    return fail([problem('wasm_unsupported', NO_WASM_ZH + which, NO_WASM_EN + which, { missing })]);
  }
  let { policy, policyText } = options;
  if (!policyText && policy && looksLikeUrl(policy)) {
    const url = new URL(policy, document.baseURI);
    try {
      policyText = await (await fetchOk(url)).text();
    } catch (e) {
      return fail([{ ...(await diagnose(e, url, POLICY)), path: 'policy' }]);
    }
    policy = undefined;
  }
  box.className = '';
  box.textContent = '';
  const problems = mountApp(box, {
    mode: options.mode || 'resident',
    policy: policy || '',
    policyText: policyText || '',
    lang,
    host: element,
    syncHash: !!options.syncHash,
    assetBase: base,
    fragment: options.fragment || '',
    // The resident module's 窗口版 button: the same state, in the module that has the desk.
    handOver: (fragment) => mount(element, { ...options, mode: 'clerk', fragment }),
  });
  // The engine showed why it cannot start on that policy; the host hears it too.
  return outcome(element, problems ? JSON.parse(problems) : []);
}

/** The page was built with the resident's first step in `<div id="app">`'s declarative shadow
 *  root (web/src/bin/prerender.rs): the default policy, in Chinese, no share link. Only a mount
 *  that starts from that state takes it over; any other (a share link, the desk, another policy
 *  or language) draws afresh over it, as without a prerender. */
function startsAsPrerendered(options, desk, lang) {
  const link = options.fragment || (options.syncHash ? location.hash.slice(1) : '');
  return !desk && lang === 'zh-CN' && !options.policy && !options.policyText && !link;
}

/** Form controls as the resident left them before the engine arrived, and the buttons she
 *  tapped: hydration sets every control to the first render's value, so these are given back
 *  afterwards as her own input (the events the widget listens to), in the order she made them. */
function holdInput(box, early) {
  const taps = [];
  let submitted = false;
  const onClick = (e) => {
    const b = e.target.closest?.('button');
    if (b && b.type !== 'submit') taps.push(b);
  };
  // Without the engine "next" would submit the form (the page's CSP refuses it anyway).
  const onSubmit = (e) => { e.preventDefault(); submitted = true; };
  const on = (e) => (e.type === 'submit' ? onSubmit : onClick)(e);
  // What the page held before this module was loaded (boot.js), then what this one holds.
  for (const e of early?.() ?? []) on(e);
  box.addEventListener('click', on, true);
  box.addEventListener('submit', on, true);
  const controls = () => [...box.querySelectorAll('input, select, textarea')];
  return {
    // Just before hydrating: stop holding, and note what differs from the markup's defaults.
    take() {
      box.removeEventListener('click', on, true);
      box.removeEventListener('submit', on, true);
      const changed = controls().flatMap((el) => {
        if (el.type === 'radio' || el.type === 'checkbox') return el.checked !== el.defaultChecked ? [[el, el.checked]] : [];
        if (el.tagName === 'SELECT') return [...el.options].some((o) => o.selected !== o.defaultSelected) ? [[el, el.value]] : [];
        return el.value !== el.defaultValue ? [[el, el.value]] : [];
      });
      return () => {
        // Each as her own input, whether or not hydration reset it (browsers differ: Firefox
        // keeps a chosen option, Chromium takes the markup's), so that the widget hears it.
        for (const [el, value] of changed) {
          if (!el.isConnected || value === false && el.type === 'radio') continue;
          if (typeof value !== 'boolean') {
            el.value = value;
            el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
          } else if (el.checked !== value) {
            el.click();
          } else {
            // Already as she left it: a radio's click (and a checkbox's change) still tells it.
            if (el.type === 'radio') el.click();
            el.dispatchEvent(new Event('change', { bubbles: true }));
          }
        }
        for (const b of taps) if (b.isConnected) b.click();
        const form = box.querySelector('form');
        if (submitted && form) form.requestSubmit();
      };
    },
  };
}

/** The prerendered first step in `box`, taken over by the resident module once it is compiled. */
async function hydrate(element, box, options, lang) {
  pageSizes();
  const held = holdInput(box, options.held);
  let mountApp;
  try {
    mountApp = await load(false);
  } catch (e) {
    held.take();
    const missing = (e && e.missing) || [];
    const p = e && e.problem ? e.problem
      : missing.length ? problem('wasm_unsupported', NO_WASM_ZH, NO_WASM_EN, { missing })
        : await diagnose(e, new URL('yibao_resident_bg.wasm', import.meta.url), ENGINE);
    showProblems(box, [p], lang);
    return outcome(element, [p]);
  }
  const replay = held.take();
  mountApp(box, {
    mode: 'resident',
    policy: '',
    policyText: '',
    lang,
    host: element,
    syncHash: !!options.syncHash,
    assetBase: base,
    fragment: '',
    handOver: (fragment) => mount(element, { ...options, mode: 'clerk', fragment }),
    hydrate: true,
  });
  delete box.dataset.ssr;
  // yew hydrates from its scheduler, in a microtask queued by mountApp: her input is given back
  // in the microtasks after it, before any new tap (a task) can come between the two.
  for (let i = 0; i < 3; i++) await Promise.resolve();
  replay();
  return outcome(element, []);
}

/** Ids of the policies shipped inside the widget (either module knows them; after a mount). */
export function policies() {
  if (!listPolicies) throw new Error('yibao: policies() is available once a widget is mounted');
  return listPolicies();
}

class YibaoEstimator extends HTMLElement {
  static observedAttributes = ['mode', 'policy', 'lang'];
  connectedCallback() { this.#render(); }
  attributeChangedCallback() { if (this.isConnected && this.#done) this.#render(); }
  #done = false;
  #render() {
    this.#done = true;
    mount(this, {
      mode: this.getAttribute('mode') || 'resident',
      policy: this.getAttribute('policy') || '',
      lang: this.getAttribute('lang') || 'zh-CN',
    });
  }
}
if (!customElements.get('yibao-estimator')) customElements.define('yibao-estimator', YibaoEstimator);
