#!/usr/bin/env node
// Writes the libFuzzer seed corpora from the repository's own test data into
// build/fuzz-corpus/{logic,trial,screen}/ (generated, never committed):
//   logic   every rule and data pair of the JsonLogic conformance suites, as
//           compact RULE "\n" DATA
//   trial   BH002, the small test trial of tests/core, the e2e fixture trials
//           and one-criterion cuts of BH002 (small inputs mutate faster)
//   screen  the answers and options of every BH002 scenario fixture, as
//           compact ANSWERS "\n" OPTIONS
// Usage: node tests/fuzz/make-corpus.mjs [OUT_DIR]
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = process.argv[2] ?? join(root, 'build', 'fuzz-corpus');

function filesUnder(dir, suffix) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path, suffix);
    return name.endsWith(suffix) ? [path] : [];
  });
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

function writeSeeds(kind, seeds) {
  const dir = join(out, kind);
  mkdirSync(dir, { recursive: true });
  const unique = new Set(seeds);
  for (const seed of unique) {
    writeFileSync(join(dir, createHash('sha1').update(seed).digest('hex')), seed);
  }
  console.log(`${dir}: ${unique.size} seeds`);
}

// JsonLogic: the current suites (objects with rule/data) and the legacy file
// ([rule, data, result] triples); strings are comments.
const logicSeeds = [];
for (const file of filesUnder(join(root, 'tests/conformance/jsonlogic'), '.json')) {
  const cases = readJson(file);
  if (!Array.isArray(cases)) continue;
  for (const c of cases) {
    if (Array.isArray(c) && c.length >= 2) logicSeeds.push(`${JSON.stringify(c[0])}\n${JSON.stringify(c[1])}`);
    else if (c && typeof c === 'object' && 'rule' in c) {
      logicSeeds.push(`${JSON.stringify(c.rule)}\n${JSON.stringify(c.data ?? null)}`);
    }
  }
}
writeSeeds('logic', logicSeeds);

// Trials.
const bh002Text = readFileSync(join(root, 'examples/bh002/trial.json'), 'utf8');
const trialSeeds = [bh002Text];
const supportHeader = readFileSync(join(root, 'tests/core/trial_test_support.hpp'), 'utf8');
for (const [, text] of supportHeader.matchAll(/R"json\(([\s\S]*?)\)json"/g)) trialSeeds.push(text);
for (const file of filesUnder(join(root, 'tests/e2e/fixtures'), '.json')) trialSeeds.push(readFileSync(file, 'utf8'));
const bh002 = JSON.parse(bh002Text);
// One criterion with only what it reads (derived values, then questions).
const mentions = (value, id) => JSON.stringify(value).includes(`"${id}"`);
for (const criterion of bh002.criteria) {
  const derived = (bh002.derived ?? []).filter((d) => mentions(criterion, d.id));
  const questions = bh002.questions.filter((q) => mentions([criterion, derived], q.id));
  trialSeeds.push(JSON.stringify({ ...bh002, questions, derived, criteria: [criterion], warnings: [] }));
}
writeSeeds('trial', trialSeeds);

// BH002 answers.
const screenSeeds = [];
for (const file of filesUnder(join(root, 'tests/fixtures/bh002'), '.json')) {
  const f = readJson(file);
  if (!f.answers) continue;
  const options = { asOf: f.asOf, audience: f.audience, lang: f.lang };
  screenSeeds.push(`${JSON.stringify(f.answers)}\n${JSON.stringify(options)}`);
}
writeSeeds('screen', screenSeeds);
