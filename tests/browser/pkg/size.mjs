// The size of a package's .wasm (pkg/dist/<target>/yibao_bg.wasm): raw, gzip -9 and brotli (quality 11), in bytes.
// `node size.mjs <file> [--budget=N] [--target=N] [--json]` fails when gzip exceeds the budget (the
// size guard, `GZIP_BUDGET` in xtask/src/pkg.rs); --json also prints the three sizes as one JSON
// line (for `cargo xtask bench`).
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--"));
const opt = (name) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.split("=")[1]) : undefined;
};
const bytes = readFileSync(file);
const gz = gzipSync(bytes, { level: 9 }).length;
const br = brotliCompressSync(bytes, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
}).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`${relative(process.cwd(), file)}: raw ${bytes.length} B (${kb(bytes.length)}), gzip ${gz} B (${kb(gz)}), brotli ${br} B (${kb(br)})`);
if (args.includes("--json")) console.log(JSON.stringify({ raw: bytes.length, gzip: gz, brotli: br }));
const budget = opt("budget");
const target = opt("target");
if (target !== undefined) {
  console.log(`issue 4 target: gzip ≤ ${target} B (${kb(target)}) — ${gz <= target ? "met" : `over by ${gz - target} B`}`);
}
if (budget !== undefined) {
  if (gz > budget) {
    console.error(`size test FAILED: gzip ${gz} B > budget ${budget} B`);
    process.exit(1);
  }
  console.log(`size test passed: gzip ${gz} B ≤ budget ${budget} B`);
}
