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

// The WebAssembly features the build uses (the `--enable-…` flags of `WASM_OPT_FLAGS`,
// xtask/src/setup.rs; a test there keeps the lists alike), each as the smallest module that
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
    resident ??= init({ module_or_path: new URL('yibao_resident_bg.wasm', import.meta.url) }).then(() => {
      listPolicies ??= residentPolicies;
      return mountResident;
    });
    return resident;
  }
  desk ??= import('./yibao_web.js').then(async (m) => {
    await m.default({ module_or_path: new URL('yibao_web_bg.wasm', import.meta.url) });
    listPolicies ??= m.policies;
    return m.mountApp;
  });
  return desk;
}

/** The desk is wanted when the options or the state to restore (a fragment's `m=`) say clerk. */
function wantsDesk(options) {
  const frag = options.fragment ?? (options.syncHash ? location.hash : '');
  return options.mode === 'clerk' || /(^#?|&)m=clerk(&|$)/.test(frag);
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

/** Render the widget into `element` (in its shadow root). options: { mode: 'resident'|'clerk',
 *  policy: shipped id or URL of a JSON policy, policyText: JSON policy text, lang: 'zh-CN'|'en',
 *  syncHash: keep the state in the page's URL fragment }. Resolves when it is on screen. */
export async function mount(element, options = {}) {
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const desk = wantsDesk(options);
  const sheets = (desk ? ['yibao.css', 'yibao-desk.css'] : ['yibao.css']).map((f) => {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = base + f;
    return l;
  });
  const cssLoaded = Promise.all(sheets.map((l) => new Promise((ok) => { l.onload = ok; l.onerror = ok; })));
  const box = document.createElement('div');
  box.className = 'yb-boot';
  box.textContent = '正在加载… Loading…';
  root.replaceChildren(...sheets, box);
  pageSizes();
  let mountApp;
  cssLoaded.then(() => {
    if (box.className === 'yb-boot') {
      box.className = '';
      box.replaceChildren(loadingFrame(options));
    }
  });
  try {
    [mountApp] = await Promise.all([load(desk), cssLoaded]);
  } catch (e) {
    box.className = 'yb-nowasm';
    box.setAttribute('role', 'alert');
    const missing = (e && e.missing) || [];
    const which = missing.length && missing[0] !== 'WebAssembly' ? ` (缺少 missing: ${missing.join(', ')})` : '';
    box.textContent = NO_WASM_ZH + ' ' + NO_WASM_EN + which;
    return;
  }
  let { policy, policyText } = options;
  if (!policyText && policy && looksLikeUrl(policy)) {
    try {
      policyText = await (await fetch(new URL(policy, document.baseURI))).text();
    } catch (e) {
      policyText = '{"error":"' + String(e).replace(/"/g, "'") + '"}';
    }
    policy = undefined;
  }
  box.className = '';
  box.textContent = '';
  mountApp(box, {
    mode: options.mode || 'resident',
    policy: policy || '',
    policyText: policyText || '',
    lang: options.lang || 'zh-CN',
    host: element,
    syncHash: !!options.syncHash,
    assetBase: base,
    fragment: options.fragment || '',
    // The resident module's 窗口版 button: the same state, in the module that has the desk.
    handOver: (fragment) => mount(element, { ...options, mode: 'clerk', fragment }),
  });
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
