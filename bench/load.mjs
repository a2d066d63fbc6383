#!/usr/bin/env node
// Creating a trial session (loadScreener of examples/bh002/trial.json) in a
// fresh Node process, as a page does at start-up. Prints one JSON object.
//   node bench/load.mjs DIST_DIR [DIST_DIR...] [--runs N] [--trial PATH]
//     runs N fresh processes per dist directory, interleaved (A B A B ...),
//     and prints per directory the median milliseconds of: instantiating the
//     core (prepareEngine), the first, second and third loadScreener(text),
//     reading the first screener's definition (its texts, parsed),
//     as wall time and as the process's CPU time (all threads: V8 compiles
//     WebAssembly in the background; CPU time drifts less on a shared machine).
//     --node-flags "..." passes V8 flags to each process, e.g.
//     "--no-wasm-dynamic-tiering" (baseline code only, as a cold page runs
//     first) or "--no-liftoff" (optimised code only), which drift far less.
//   node bench/load.mjs --child DIST_DIR [--trial PATH]   one process's figures
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return value;
};
const trialPath = option('--trial', fileURLToPath(new URL('../examples/bh002/trial.json', import.meta.url)));
const runs = Number(option('--runs', '7'));
const nodeFlags = option('--node-flags', '').split(' ').filter(Boolean);
const child = args[0] === '--child';
const dirs = child ? args.slice(1) : args;
if (dirs.length === 0) {
  console.error('usage: node bench/load.mjs DIST_DIR [DIST_DIR...] [--runs N] [--trial PATH]');
  process.exit(2);
}

async function once(distDir) {
  const text = readFileSync(trialPath, 'utf8');
  const { prepareEngine, loadScreener } = await import(pathToFileURL(join(resolve(distDir), 'trialscreen.js')).href);
  let start = performance.now();
  await prepareEngine();
  const out = { coreMs: performance.now() - start, loadMs: [], loadCpuMs: [] };
  for (let k = 0; k < 3; ++k) {
    const cpu = process.cpuUsage();
    start = performance.now();
    const screener = await loadScreener(text);
    out.loadMs.push(performance.now() - start);
    const { user, system } = process.cpuUsage(cpu);
    out.loadCpuMs.push((user + system) / 1000);
    if (k === 0) {
      // The definition the widget reads once, right after the session (its texts).
      start = performance.now();
      if (!screener.definition) throw new Error('no definition');
      out.definitionMs = performance.now() - start;
    }
    screener.dispose();
  }
  return out;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (x) => Math.round(x * 100) / 100;

if (child) {
  console.log(JSON.stringify(await once(dirs[0])));
} else {
  const samples = dirs.map(() => []);
  for (let run = 0; run < runs; ++run) {
    // Alternate which directory goes first, so neither always runs warm.
    const order = dirs.map((_, i) => i);
    if (run % 2) order.reverse();
    for (const i of order) {
      const line = execFileSync(process.execPath,
        [...nodeFlags, fileURLToPath(import.meta.url), '--child', dirs[i], '--trial', trialPath]);
      samples[i].push(JSON.parse(line));
    }
  }
  const result = { trial: trialPath, runs, nodeFlags: nodeFlags.join(' '), dists: {} };
  dirs.forEach((dir, i) => {
    const s = samples[i];
    result.dists[dir] = {
      coreMs: round(median(s.map((x) => x.coreMs))),
      firstLoadMs: round(median(s.map((x) => x.loadMs[0]))),
      secondLoadMs: round(median(s.map((x) => x.loadMs[1]))),
      thirdLoadMs: round(median(s.map((x) => x.loadMs[2]))),
      firstLoadCpuMs: round(median(s.map((x) => x.loadCpuMs[0]))),
      definitionMs: round(median(s.map((x) => x.definitionMs))),
      secondLoadCpuMs: round(median(s.map((x) => x.loadCpuMs[1]))),
      firstLoadEach: s.map((x) => round(x.loadMs[0])),
      secondLoadEach: s.map((x) => round(x.loadMs[1])),
    };
  });
  if (dirs.length === 2) {
    // Runs in which the second directory was faster than the first (same run, same conditions).
    const faster = (k) => samples[1].filter((x, run) => x.loadMs[k] < samples[0][run].loadMs[k]).length;
    result.secondFasterIn = { firstLoad: faster(0), secondLoad: faster(1), of: runs };
  }
  console.log(JSON.stringify(result, null, 1));
}
