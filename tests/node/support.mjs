// Paths and loaders shared by the node:test suites.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const distDir = process.env.TRIALSCREEN_DIST ?? `${repoRoot}build/wasm-release/dist/`;

/** The built ES-module wrapper (build it with `scripts/build wasm`). */
export function importWrapper() {
  return import(`${distDir}trialscreen.js`);
}

export function readRepoFile(path) {
  return readFileSync(`${repoRoot}${path}`, 'utf8');
}

// Throws unless `text` is a valid ES module (Node's --check reads it as one,
// from a file of its own).
export function assertValidModule(text) {
  const dir = mkdtempSync(join(tmpdir(), 'trialscreen-module-'));
  try {
    const file = join(dir, 'module.mjs');
    writeFileSync(file, text);
    execFileSync(process.execPath, ['--check', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
