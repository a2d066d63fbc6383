#!/usr/bin/env node
// Writes a seeded synthetic referral list for BH002 in three forms, the same
// people in each:
//   referrals.jsonl            what a site would send: JSON Lines, answered fields only, quantities as
//                              numbers in the canonical unit or {"value", "unit"} in another accepted unit
//   referrals.csv              the same as CSV: a header of field ids (quantities as `field[unit]`),
//                              empty cell = unanswered, booleans as yes/no/true/false/1/0, and some
//                              cells carrying their own unit ("8.5 g/dL")
//   referrals-canonical.jsonl  the same answers already in canonical units, for the JavaScript engines
//   bh002-rules.json           the 34 criterion rules in plain JsonLogic that every engine runs (bh002-rules.mjs)
// Usage: node bench/generate.mjs [--count N] [--seed S] [--out DIR] [--trial TRIAL.json]
// The same seed and count always give the same bytes.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bh002Rules } from './bh002-rules.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at >= 0 && at + 1 < argv.length ? argv[at + 1] : fallback;
};
const count = Number(option('--count', '1000000'));
const seed = Number(option('--seed', '20261125'));
const outDir = option('--out', 'build/bench-data');
const trialPath = option('--trial', new URL('../examples/bh002/trial.json', import.meta.url).pathname);
if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
  console.error('usage: node bench/generate.mjs [--count N] [--seed S] [--out DIR]');
  process.exit(2);
}

// mulberry32: tiny, fast and the same on every platform.
function prng(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(seed);
const chance = (p) => random() < p;
const pick = (items) => items[Math.floor(random() * items.length)];
const uniform = (lo, hi, decimals) => Number((lo + random() * (hi - lo)).toFixed(decimals));
const round12 = (x) => Number(x.toPrecision(12));

export const AS_OF = '2026-11-25';
const asOfDay = Date.UTC(2026, 10, 25) / 86400000;
const isoDay = (day) => new Date(day * 86400000).toISOString().slice(0, 10);
const daysBefore = (lo, hi) => isoDay(asOfDay - lo - Math.floor(random() * (hi - lo + 1)));

// Every column of the list: id, type, how often it is answered, a generator of
// the canonical value, and for quantities the header unit and the other
// accepted units with their factor into the canonical unit.
const yesMostly = (p) => () => chance(p);
const columns = [
  { id: 'age', type: 'integer', answered: 0.98, value: () => Math.floor(12 + random() * 85) },
  { id: 'sex', type: 'choice', answered: 0.99, value: () => (chance(0.88) ? 'female' : 'male') },
  { id: 'childbearing_potential', type: 'boolean', answered: 0.7, value: yesMostly(0.6) },
  { id: 'weight', type: 'quantity', unit: 'kg', answered: 0.85, value: () => uniform(42, 115, 1) },
  { id: 'eular_acr_2019_score', type: 'integer', answered: 0.75, value: () => Math.floor(random() * 30) },
  { id: 'ana_positive', type: 'boolean', answered: 0.85, value: yesMostly(0.93) },
  { id: 'sledai_score', type: 'integer', answered: 0.75, value: () => Math.floor(random() * 24) },
  { id: 'cd19_b_cells', type: 'boolean', answered: 0.55, value: yesMostly(0.9) },
  { id: 'hemoglobin', type: 'quantity', unit: 'g/L', answered: 0.9, value: () => uniform(70, 160, 0),
    other: { 'g/dL': 10 } },
  { id: 'wbc', type: 'quantity', unit: '10*9/L', answered: 0.9, value: () => uniform(1.5, 12, 1),
    other: { '10*3/uL': 1, '/uL': 0.001 } },
  { id: 'neutrophils', type: 'quantity', unit: '10*9/L', answered: 0.85, value: () => uniform(0.6, 8, 1),
    other: { '10*3/uL': 1 } },
  { id: 'platelets', type: 'quantity', unit: '10*9/L', answered: 0.88, value: () => uniform(30, 420, 0),
    other: { '10*3/uL': 1 } },
  { id: 'ast', type: 'quantity', unit: 'U/L', answered: 0.8, value: () => uniform(10, 120, 0) },
  { id: 'ast_uln', type: 'quantity', unit: 'U/L', answered: 0.7, value: () => pick([35, 40, 45]) },
  { id: 'alt', type: 'quantity', unit: 'U/L', answered: 0.8, value: () => uniform(8, 130, 0) },
  { id: 'alt_uln', type: 'quantity', unit: 'U/L', answered: 0.7, value: () => pick([35, 40, 45, 50]) },
  { id: 'creatinine', type: 'quantity', unit: 'mg/dL', answered: 0.85, value: () => uniform(0.5, 3.2, 2),
    other: { 'umol/L': 1 / 88.4 } },
  { id: 'crcl', type: 'quantity', unit: 'mL/min', answered: 0.2, value: () => uniform(20, 140, 0) },
  { id: 'bilirubin', type: 'quantity', unit: 'mg/dL', answered: 0.75, value: () => uniform(0.2, 2.6, 1),
    other: { 'umol/L': 1 / 17.1 } },
  { id: 'lvef', type: 'quantity', unit: '%', answered: 0.5, value: () => uniform(40, 72, 0) },
  { id: 'venous_access', type: 'boolean', answered: 0.5, value: yesMostly(0.95) },
  { id: 'pregnancy_test_negative', type: 'boolean', answered: 0.3, value: yesMostly(0.97) },
  { id: 'hemodialysis', type: 'boolean', answered: 0.85, value: yesMostly(0.03) },
  { id: 'cns_disease', type: 'boolean', answered: 0.8, value: yesMostly(0.06) },
  { id: 'psychiatric_depression_or_suicidal', type: 'boolean', answered: 0.75, value: yesMostly(0.08) },
  { id: 'serious_organ_disease', type: 'boolean', answered: 0.7, value: yesMostly(0.07) },
  { id: 'immunodeficiency', type: 'boolean', answered: 0.7, value: yesMostly(0.03) },
  { id: 'uncontrolled_infection', type: 'boolean', answered: 0.75, value: yesMostly(0.04) },
  { id: 'peptic_ulcer', type: 'boolean', answered: 0.6, value: yesMostly(0.04) },
  { id: 'hiv', type: 'boolean', answered: 0.7, value: yesMostly(0.01) },
  { id: 'hbv_active', type: 'boolean', answered: 0.7, value: yesMostly(0.02) },
  { id: 'hcv_active', type: 'boolean', answered: 0.7, value: yesMostly(0.01) },
  { id: 'syphilis', type: 'boolean', answered: 0.6, value: yesMostly(0.01) },
  { id: 'severe_allergy', type: 'boolean', answered: 0.6, value: yesMostly(0.04) },
  { id: 'drainage_tube', type: 'boolean', answered: 0.6, value: yesMostly(0.02) },
  { id: 'malignancy', type: 'choice', answered: 0.7,
    value: () => (chance(0.9) ? 'none' : pick(['nmsc_pfs_over_5y', 'cervical_in_situ', 'bladder', 'breast', 'other'])) },
  { id: 'immunosuppressant_last_dose', type: 'date', answered: 0.7, value: () => (chance(0.3) ? 'none' : daysBefore(0, 60)) },
  { id: 'leukapheresis_date', type: 'date', answered: 0.15, value: () => isoDay(asOfDay + Math.floor(random() * 30)) },
  { id: 'cy_flu_contraindication', type: 'boolean', answered: 0.4, value: yesMostly(0.03) },
  { id: 'live_vaccine_date', type: 'date', answered: 0.6, value: () => (chance(0.8) ? 'none' : daysBefore(0, 200)) },
  { id: 'major_surgery_date', type: 'date', answered: 0.6, value: () => (chance(0.8) ? 'none' : daysBefore(0, 300)) },
  { id: 'surgery_planned', type: 'boolean', answered: 0.55, value: yesMostly(0.05) },
  { id: 'prior_cd19_bcma_therapy', type: 'boolean', answered: 0.8, value: yesMostly(0.02) },
  { id: 'last_trial_date', type: 'date', answered: 0.6, value: () => (chance(0.85) ? 'none' : daysBefore(0, 400)) },
  { id: 'pregnant', type: 'boolean', answered: 0.6, value: yesMostly(0.02), femaleOnly: true },
  { id: 'lactating', type: 'boolean', answered: 0.55, value: yesMostly(0.03), femaleOnly: true },
  { id: 'plans_children_1y', type: 'boolean', answered: 0.6, value: yesMostly(0.08) },
  { id: 'agrees_contraception', type: 'boolean', answered: 0.5, value: yesMostly(0.9) },
  { id: 'agrees_follow_up', type: 'boolean', answered: 0.6, value: yesMostly(0.95) },
  { id: 'informed_consent', type: 'boolean', answered: 0.5, value: yesMostly(0.9) },
];

const csvBoolean = (value) => {
  const words = value ? ['yes', 'true', '1', 'yes', 'yes'] : ['no', 'false', '0', 'no', 'no'];
  return pick(words);
};

// One person: canonical answers, plus how each quantity is written.
function person(index) {
  const canonical = { id: `R${String(index + 1).padStart(7, '0')}` };
  const raw = { id: canonical.id };
  const cells = [canonical.id];
  let female = true;
  for (const column of columns) {
    let cell = '';
    if (!(column.femaleOnly && !female) && chance(column.answered)) {
      let value = column.value();
      if (column.id === 'sex') female = value === 'female';
      // About 1 in 200 answers is implausible (a typo): an answer error, the rest still counts.
      if (column.type === 'quantity' && chance(0.005)) value *= 1000;
      canonical[column.id] = value;
      raw[column.id] = value;
      cell = column.type === 'boolean' ? csvBoolean(value) : String(value);
      if (column.type === 'quantity' && column.other && chance(0.3)) {
        const unit = pick(Object.keys(column.other));
        const written = round12(value / column.other[unit]);
        raw[column.id] = { value: written, unit };
        cell = `${written} ${unit}`;
        canonical[column.id] = round12(written * column.other[unit]);
      }
    } else if (chance(0.1)) {
      raw[column.id] = null;  // said "I don't know" explicitly
    }
    cells.push(cell);
  }
  return { canonical, raw, csv: cells.join(',') };
}

const header = ['id', ...columns.map((c) => (c.type === 'quantity' ? `${c.id}[${c.unit}]` : c.id))].join(',');

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'bh002-rules.json'), `${JSON.stringify(bh002Rules(trialPath), null, 1)}\n`);
const outputs = {
  jsonl: createWriteStream(join(outDir, 'referrals.jsonl')),
  csv: createWriteStream(join(outDir, 'referrals.csv')),
  canonical: createWriteStream(join(outDir, 'referrals-canonical.jsonl')),
};
const write = (stream, text) => new Promise((resolve, reject) => {
  stream.write(text, (error) => (error ? reject(error) : resolve()));
});

await write(outputs.csv, `${header}\r\n`);
const chunk = 10000;
for (let start = 0; start < count; start += chunk) {
  const jsonl = [], csv = [], canonical = [];
  for (let i = start; i < Math.min(count, start + chunk); ++i) {
    const p = person(i);
    jsonl.push(JSON.stringify(p.raw));
    csv.push(p.csv);
    canonical.push(JSON.stringify(p.canonical));
  }
  await Promise.all([
    write(outputs.jsonl, `${jsonl.join('\n')}\n`),
    write(outputs.csv, `${csv.join('\r\n')}\r\n`),
    write(outputs.canonical, `${canonical.join('\n')}\n`),
  ]);
}
await Promise.all(Object.values(outputs).map((s) => new Promise((resolve) => s.end(resolve))));
console.error(`generate: ${count} referrals (seed ${seed}) in ${outDir}`);
