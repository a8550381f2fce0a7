// `vite build` of the bundler consumer (run by `cargo xtask pkg test`, from the workspace root,
// hence the explicit root and output directory).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import wasm from "vite-plugin-wasm";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  // wasm-pack's bundler build imports its .wasm as an ES module (the WebAssembly/ESM
  // integration that webpack implements); vite-plugin-wasm does that for Vite.
  plugins: [wasm()],
  build: {
    // The glue instantiates the module with a top-level await.
    target: "es2022",
    outDir: fileURLToPath(new URL("../../../../target/pkg-vite", import.meta.url)),
    emptyOutDir: true,
  },
  logLevel: "warn",
});
