// A static server for the package's browser scripts (the tests e2e.mjs and vite.mjs, the
// benchmark benchmarks/browser/pkg.mjs), on the loopback interface only.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/** Serves the files under `root` whose path `allow` accepts (a directory's index.html for a path
 *  ending in /), on the loopback interface; resolves to { server, base }. */
export async function serveFiles(root, allow = () => true) {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (path.endsWith("/")) path += "index.html";
    const file = join(root, path);
    if (!file.startsWith(root + "/") || !allow(path)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

/** Serves `root`'s pkg/ and tests/browser/pkg/; resolves to { server, base }. */
export function serveRepo(root) {
  return serveFiles(root, (path) => /^\/(pkg|tests\/browser\/pkg)\//.test(path));
}
