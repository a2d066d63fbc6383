// The patient page's one-file widget (examples/site/bundle.mjs): it holds
// every module of web/define.js's static graph in evaluation order, is a valid
// ES module, keeps URLs resolving against each module's own place, and refuses
// an import or export form it does not know instead of guessing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWidget, compactBundle } from '../../examples/site/bundle.mjs';
import { assertValidModule, distDir, repoRoot } from './support.mjs';

const webDir = join(repoRoot, 'web');

test('the bundle holds define.js and every module it imports statically, dependencies first', () => {
  const { text, modules } = bundleWidget({ webDir, wasmDir: distDir });
  assert.deepEqual([...modules].sort(), [
    '../wasm/trialscreen-core.mjs', '../wasm/trialscreen.js', './define.js', './dom.js', './i18n/en.js', './i18n/index.js',
    './i18n/zh-Hans.js', './render/patient.js', './render/questions.js', './texts.js', './trial-screener.js', './units.js',
  ]);
  assert.equal(modules.at(-1), './define.js');
  assert.ok(modules.indexOf('./dom.js') < modules.indexOf('./render/patient.js'));
  assert.ok(modules.indexOf('../wasm/trialscreen-core.mjs') < modules.indexOf('../wasm/trialscreen.js'));
  assert.ok(!modules.includes('./render/physician.js'), 'the physician view stays a separate, dynamic import');
  assert.match(text, /import\("\.\/render\/physician\.js"\)/);
  assert.match(text, /new URL\("\.\.\/wasm\/trialscreen\.js", import\.meta\.url\)\.href/, 'the module finds its .wasm beside itself');
  assert.match(text, /^export const \{ TrialScreenerElement \} = __module\d+;$/m);
});

test('the bundle is a valid ES module', () => {
  assertValidModule(bundleWidget({ webDir, wasmDir: distDir }).text);
});

test('the compacted bundle, as the patient page gets it, is a valid ES module that keeps what the page relies on', async () => {
  const { text } = bundleWidget({ webDir, wasmDir: distDir });
  const compact = await compactBundle(text);
  const [first] = compact.split('\n');
  assert.equal(first, '//# allFunctionsCalledOnLoad', "Chromium's compile hint stays the first line");
  assert.match(compact, /import\("\.\/render\/physician\.js"\)/, 'the physician view is still loaded from its own place');
  assert.match(compact, /new URL\("\.\.\/wasm\/trialscreen\.js",import\.meta\.url\)\.href/);
  assert.match(compact, /customElements\.define\("trial-screener",/);
  assert.match(compact, /export const\{TrialScreenerElement\}=/);
  assert.ok(compact.length < text.length * 0.7, `compacted ${compact.length} of ${text.length} characters`);
  assertValidModule(compact);
});

test('an import or export form the bundler does not know stops it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trialscreen-bundle-'));
  try {
    const web = join(dir, 'web');
    mkdirSync(web);
    mkdirSync(join(dir, 'wasm'));
    writeFileSync(join(web, 'define.js'), "export * from './other.js';\n");
    assert.throws(() => bundleWidget({ webDir: web, wasmDir: join(dir, 'wasm') }), /does not know/);
    writeFileSync(join(web, 'define.js'), "import {\n  a,\n} from './other.js';\n");
    assert.throws(() => bundleWidget({ webDir: web, wasmDir: join(dir, 'wasm') }), /does not know/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
