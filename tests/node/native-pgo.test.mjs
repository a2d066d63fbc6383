// The profile-guided CLI (scripts/build native-pgo) is the one a site screens
// big lists with, and the one bench/run times: it must screen exactly as the
// release build every other test runs. Referrals from a seed neither the
// training (7) nor the benchmark uses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support.mjs';

const release = `${repoRoot}build/native-release/bin/trialscreen`;
const guided = `${repoRoot}build/native-pgo/bin/trialscreen`;
const bh002 = `${repoRoot}examples/bh002/trial.json`;
let dir;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trialscreen-pgo-'));
  const made = spawnSync('node', [`${repoRoot}bench/generate.mjs`, '--count', '3000', '--seed', '11', '--out', dir],
    { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function screen(cli, input, args) {
  const { status, stdout, stderr } = spawnSync(cli, ['batch', '--trial', bh002, '--as-of', '2026-11-25', '--quiet', ...args],
    { input: readFileSync(join(dir, `referrals.${input}`)), maxBuffer: 1 << 30, timeout: 120_000 });
  assert.equal(status, 0, String(stderr));
  return stdout;
}

test('the profile-guided build exists (scripts/build native-pgo)', () => {
  assert.ok(existsSync(guided), `${guided} is missing`);
});

for (const [input, args] of [
  ['jsonl', []],
  ['csv', []],
  ['csv', ['--output', 'csv']],
  ['jsonl', ['--audience', 'patient', '--lang', 'zh-Hans']],
]) {
  test(`profile-guided and release builds screen 3,000 referrals alike: ${input} in, ${args.join(' ') || 'JSON Lines out'}`, () => {
    const expected = screen(release, input, args);
    const actual = screen(guided, input, args);
    assert.ok(expected.length > 100_000, 'the release build wrote the results');
    assert.ok(actual.equals(expected), 'the two builds wrote different bytes');
  });
}
