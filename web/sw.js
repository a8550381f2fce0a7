// sw.js — the demo page's service worker: repeat visits start from the device, with no network.
// Registered by boot.js, that is by index.html only; yibao.js (what a host page embeds) never
// registers it, and it answers nothing for any other page under its folder (embed.html, a
// host's own page): those pages and everything they load go to the network as without it.
//
// `cargo xtask web` writes the build's manifest in place of the placeholder below: every file
// the page can load (the resident and the desk modules) with the SHA-256 of its content, and a
// version that hashes that list and this script. One build is one cache, `yibao-<version>`:
// - install fetches the files the page loads at its start (the manifest's files less its `later`
//   ones) and keeps them only if each one's SHA-256 is the manifest's (a half-finished deploy, a
//   stale proxy: the install fails, the old build stays); the `later` ones (the desk's module,
//   a policy the resident module does not embed, the national diagnosis list) are kept when the
//   page first asks for them, checked the same way: a resident's phone never downloads the desk;
// - the page and its files are then answered from that cache alone, so an open page never gets
//   a file of another build; a new build's sw.js is a new script, which the browser installs in
//   the background and switches to once no page of the old build is open;
// - activate deletes every other `yibao-` cache.
// The policies are compiled into the wasm modules or, for the resident module, listed in the
// manifest as `policy.<id>.json` files (each checked against the build's SHA-256 of its policy
// by the widget too), so a new policy is a new build: the policy SHA-256 a receipt shows is the
// one of the build that computed it.
const BUILD = __YIBAO_MANIFEST__;
const CACHE = 'yibao-' + BUILD.version;
const SCOPE = new URL('./', self.location.href);
const PAGE = 'index.html';

/** The file a URL names, relative to this worker's folder; null outside it or with a query. */
function fileOf(href) {
  const u = new URL(href);
  if (u.origin !== SCOPE.origin || !u.pathname.startsWith(SCOPE.pathname) || u.search) return null;
  return decodeURIComponent(u.pathname.slice(SCOPE.pathname.length));
}

/** Our own page: `./` or `./index.html`, whatever its query (`?mode=clerk`) and fragment. */
function isPage(href) {
  const u = new URL(href);
  u.search = '';
  u.hash = '';
  const f = fileOf(u.href);
  return f === '' || f === PAGE;
}

async function sha256(buf) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A file of this build from the network, and only if its content is this build's. */
async function fetchVerified(name) {
  const res = await fetch(new URL(name, SCOPE), { cache: 'no-cache', credentials: 'same-origin' });
  if (!res.ok) throw new Error(`yibao sw: ${name}: HTTP ${res.status}`);
  const body = await res.arrayBuffer();
  const got = await sha256(body);
  if (got !== BUILD.files[name]) {
    throw new Error(`yibao sw: ${name} has SHA-256 ${got}, build ${BUILD.version} lists ${BUILD.files[name]}`);
  }
  // The body is decoded: the transfer's encoding and length no longer describe it.
  const headers = new Headers(res.headers);
  for (const h of ['content-encoding', 'content-length', 'etag']) headers.delete(h);
  return new Response(body, { status: 200, statusText: 'OK', headers });
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    try {
      // All or nothing: nothing is written until every file has been checked.
      const names = Object.keys(BUILD.files).filter((n) => !BUILD.later.includes(n));
      const responses = await Promise.all(names.map(fetchVerified));
      const cache = await caches.open(CACHE);
      await Promise.all(names.map((n, i) => cache.put(new URL(n, SCOPE), responses[i])));
    } catch (e) {
      await caches.delete(CACHE);
      throw e;
    }
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('yibao-') && key !== CACHE) await caches.delete(key);
    }
  })());
});

const GONE_ZH = '本页面已更新,请关闭后重新打开。';
const GONE_EN = 'This page has been updated: close it and open it again.';

/** `name` from this build's cache. A file missing from it (storage cleared by hand) is taken
 *  from the network only if it is still this build's; else a plain error, never a mix. */
async function fromCache(name, request) {
  if (!(await caches.has(CACHE))) return fetch(request); // no cache at all: as if not installed
  const cache = await caches.open(CACHE);
  const hit = await cache.match(new URL(name, SCOPE), { ignoreVary: true });
  if (hit) return hit;
  try {
    const res = await fetchVerified(name);
    await cache.put(new URL(name, SCOPE), res.clone());
    return res;
  } catch {
    self.registration.update().catch(() => {});
    return new Response(`${GONE_ZH} ${GONE_EN}`, { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  if (req.mode === 'navigate') {
    if (isPage(req.url)) event.respondWith(fromCache(PAGE, req));
    return;
  }
  const name = fileOf(req.url);
  if (name === null || !Object.hasOwn(BUILD.files, name)) return;
  event.respondWith((async () => {
    const client = event.clientId ? await self.clients.get(event.clientId) : null;
    // Another page under this folder (embed.html, a host's page) loads from the network.
    if (!client || !isPage(client.url)) return fetch(req);
    return fromCache(name, req);
  })());
});
