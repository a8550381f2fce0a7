// replay-worker.js — the county office's replay (提标测算) in a module worker, started by the
// workbench (office.html) only when the user starts a replay: `new Worker(url, { type: 'module' })`.
// It loads its own small module (`yibao_replay`: core's replay and the CLI's CSV reader, built
// from web/worker/), runs the claims file the page read from disk (never uploaded) through the
// policy compared with and the draft, and posts
//   { type: 'progress', policy, done, total }   between persons, every couple of thousand claims,
//   { type: 'done', json }                      the report (or its problems) as JSON text,
//   { type: 'failed', message }                 if the engine trapped (a bug: never bad input).
import init, { replay } from './yibao_replay.js';

const ready = init({ module_or_path: new URL('yibao_replay_bg.wasm', import.meta.url) });

// Called by the module between persons (its import `yibaoReplayProgress`).
self.yibaoReplayProgress = (policy, done, total) => self.postMessage({ type: 'progress', policy, done, total });

self.onmessage = async (e) => {
  const { csv, current, draft, top } = e.data;
  try {
    await ready;
    self.postMessage({ type: 'done', json: replay(new Uint8Array(csv), current, draft, top) });
  } catch (err) {
    self.postMessage({ type: 'failed', message: String(err && err.message || err) });
  }
};
