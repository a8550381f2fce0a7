// The size of a phone's first visit to the widget, as served: node zlib, gzip level 9 and
// brotli quality 11 of each file in web/dist. One measure of record for the size test
// (run.mjs, which holds the ceiling) and the benchmark (benchmarks/browser/web.mjs, which reports it).
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants as zc } from 'node:zlib';
import { join } from 'node:path';

export function firstVisitSizes(dist, files) {
  const rows = files.map((f) => {
    const raw = readFileSync(join(dist, f));
    const br = brotliCompressSync(raw, { params: { [zc.BROTLI_PARAM_QUALITY]: 11, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    return { file: f, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length, brotli: br.length };
  });
  const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
  return { files: rows, gzip_total: sum('gzip'), brotli_total: sum('brotli'), raw_total: sum('raw') };
}

export function printSizes(s) {
  console.log(s.files.map((r) => `  ${r.file.padEnd(20)} ${String(r.raw).padStart(8)} B  gzip ${String(r.gzip).padStart(7)} B  brotli ${String(r.brotli).padStart(7)} B`).join('\n'));
  console.log(`  first visit: gzip ${s.gzip_total} B (what the budget counts), brotli ${s.brotli_total} B (what the demo server sends a browser that takes it)`);
}
