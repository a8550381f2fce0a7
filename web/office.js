// office.js — the county office's workbench (mode="office", office.html): loads the office build
// of the engine (`yibao_office`: the widget's code, the desk for the preview, core's TOML reader
// and the workbench), which neither the resident page nor the desk downloads. Kept out of
// yibao.js so that a phone's first visit does not grow by a byte, and out of the service worker
// (sw.js keeps the resident page and the desk offline; the workbench is a desktop tool).
import init, { mountOffice } from './yibao_office.js';

const base = new URL('.', import.meta.url).href;

function crashed(e) {
  const err = e.error ?? e.reason;
  if (!(err instanceof WebAssembly.RuntimeError) || document.querySelector('.yibao-crash')) return;
  const d = document.createElement('div');
  d.className = 'yibao-crash';
  d.setAttribute('role', 'alert');
  d.textContent = '工作台出现内部错误,请刷新页面(草稿已保存在本浏览器)。Internal error: reload the page (the draft is kept in this browser).';
  document.body.append(d);
}

/** Render the workbench into `element`'s shadow root. Resolves when it is on screen. */
export async function mount(element) {
  window.addEventListener('error', crashed);
  window.addEventListener('unhandledrejection', crashed);
  element.classList.add('yo-host');
  const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
  const sheets = ['yibao.css', 'yibao-desk.css', 'yibao-office.css'].map((f) => {
    const l = document.createElement('link');
    l.rel = 'stylesheet';
    l.href = base + f;
    return l;
  });
  const loaded = Promise.all(sheets.map((l) => new Promise((ok) => { l.onload = ok; l.onerror = ok; })));
  const box = document.createElement('div');
  box.className = 'yo-boot';
  box.textContent = '正在加载工作台… Loading the workbench…';
  root.replaceChildren(...sheets, box);
  await Promise.all([init({ module_or_path: new URL('yibao_office_bg.wasm', import.meta.url) }), loaded]);
  box.className = '';
  box.textContent = '';
  mountOffice(box, { assetBase: base });
}

const el = document.getElementById('office');
if (el) mount(el);
