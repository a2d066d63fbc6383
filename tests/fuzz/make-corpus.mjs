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

// Referral lists for the batch: the same answers, a few to a list, as JSON
// Lines (with ids, a blank line and a broken record among them) and as CSV
// (booleans as yes/no, quantities in a cell of their own unit).
const fixtureAnswers = filesUnder(join(root, 'tests/fixtures/bh002'), '.json')
  .map((file) => readJson(file).answers)
  .filter((answers) => answers && typeof answers === 'object');
const csvCell = (value) => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object' && 'value' in value) return `${value.value} ${value.unit}`;
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};
const batchSeeds = [];
for (let i = 0; i < fixtureAnswers.length; i += 3) {
  const group = fixtureAnswers.slice(i, i + 3);
  const lines = group.map((answers, k) => JSON.stringify({ id: `R${i + k}`, ...answers }));
  batchSeeds.push(`${lines.join('\n')}\n`);
  batchSeeds.push(`${lines[0]}\n\n{"age": 4\n${lines.slice(1).join('\n')}\n`);
  const fields = [...new Set(group.flatMap((answers) => Object.keys(answers)))];
  const rows = group.map((answers, k) => [`R${i + k}`, ...fields.map((f) => csvCell(answers[f]))].join(','));
  batchSeeds.push(`${['id', ...fields].join(',')}\r\n${rows.join('\r\n')}\r\n`);
}
writeSeeds('batch', batchSeeds);
