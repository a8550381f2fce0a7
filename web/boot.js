// The demo page: the widget full-page, its state kept in the URL fragment (share links, QR).
const app = document.getElementById('app');
const mode = new URLSearchParams(location.search).get('mode') || 'resident';
if (typeof WebAssembly !== 'object') {
  // The prerendered first step (a declarative shadow root) gives way to the page's own text.
  if (app.shadowRoot) app.shadowRoot.replaceChildren(document.createElement('slot'));
  app.className = 'nowasm';
  app.setAttribute('role', 'alert');
  app.textContent = '您的浏览器不支持本计算器需要的 WebAssembly。请点右上角“…”选择“在浏览器中打开”,或升级微信/浏览器后再试。 This browser lacks WebAssembly; please use a current browser.';
} else {
  // Taps on the prerendered first step before the engine has taken it over: held here, from the
  // start, and given back by yibao.js once it has (`held`); a form submission would leave the page.
  const early = [];
  const hold = (e) => { if (e.type === 'submit') e.preventDefault(); early.push(e); };
  const kinds = ['click', 'submit'];
  const first = app.shadowRoot;
  // A visit that does not start at the first step (the desk, a share link) is drawn afresh by
  // yibao.js: the prerendered step gives way at once, not after the engine has come.
  const box = first && first.querySelector('[data-ssr]');
  if (box && (mode === 'clerk' || location.hash.length > 1)) {
    box.removeAttribute('data-ssr');
    box.className = 'yb-boot';
    box.textContent = '正在加载… Loading…';
  }
  if (first) for (const k of kinds) first.addEventListener(k, hold, true);
  const held = () => { if (first) for (const k of kinds) first.removeEventListener(k, hold, true); return early; };
  // 长辈版 as saved, on the prerendered step at once (hydration keeps the class): her large text
  // from the first screen, not from when the engine arrives.
  try {
    const root = first && first.querySelector('[data-ssr] > .yb');
    if (root && localStorage.getItem('yibao.elder') === 'true') root.classList.add('yb-elder');
  } catch (e) { /* storage blocked: the engine reads it as not saved too */ }
  import('./yibao.js').then(({ mount }) => mount(app, { mode, syncHash: true, held })).then(() => {
    document.documentElement.dataset.ready = '1';
    // Once the widget is on screen: the service worker that keeps this build for offline repeat
    // visits (sw.js). Here, on our own page only: yibao.js, which hosts embed, never registers it.
    // (Plain syntax: this file also tells engines too old for the widget so, and must parse there.)
    if ('serviceWorker' in navigator) navigator.serviceWorker.register('sw.js').catch(() => {});
  });
}
