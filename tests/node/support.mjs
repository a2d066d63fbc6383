// Paths and loaders shared by the node:test suites.
import { readFileSync } from 'node:fs';
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
