// Paths and loaders shared by the node:test suites.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const distDir = process.env.TRIALSCREEN_DIST ?? `${repoRoot}build/wasm-release/dist/`;

/** The built ES-module wrapper (build it with `scripts/build wasm`). */
export function importWrapper() {
  return import(`${distDir}trialscreen.js`);
}

/**
 * The wrapper over the browsers' module (dist/, built for size), reached the
 * way a copy of the wrapper without node/ beside it reaches it; Node's own
 * import takes the module built for speed (dist/node). Gives the wrapper's
 * exports to `use`, then removes the copy.
 */
export async function withBrowsersWrapper(use) {
  const webOnly = mkdtempSync(join(tmpdir(), 'trialscreen-web-'));
  try {
    for (const file of ['trialscreen.js', 'trialscreen-core.mjs', 'trialscreen-core.wasm']) {
      copyFileSync(`${distDir}${file}`, join(webOnly, file));
    }
    return await use(await import(pathToFileURL(join(webOnly, 'trialscreen.js')).href));
  } finally {
    rmSync(webOnly, { recursive: true, force: true });
  }
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
