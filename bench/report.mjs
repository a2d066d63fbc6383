#!/usr/bin/env node
// Turns the raw results of one bench/run into the markdown of docs/performance.md.
// Usage: node bench/report.mjs RESULTS_DIR
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'build/bench-results';
const read = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
const machine = read('machine.json');
const native = read('native.json');
const browser = read('browser.json');
const logicNode = read('logic-node.json');
const answerNode = read('answer-node.json');
const loadAfter = read('load-after.json');

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const us = (value) => (value >= 1000 ? `${(value / 1000).toFixed(2)} ms` : `${value.toFixed(1)} µs`);
const rate = (perSecond) => `${Math.round(perSecond).toLocaleString('en-US')}/s`;
const met = (ok) => (ok ? 'yes' : '**no**');
const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

// Google Benchmark: CPU time per item, in µs.
const cpuUs = (results) => Object.fromEntries(results.benchmarks.map((b) => [b.name, b.cpu_time / 1000 * (b.time_unit === 'ms' ? 1000 : 1)]));
const nativeUs = cpuUs(native);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
// The 34 rules measured in rounds, natively then in Node (bench/run): each
// round's figures side by side, so that a slow spell weighs on both.
const logicRounds = [];
while (existsSync(join(dir, `logic-round-${logicRounds.length + 1}-node.json`))) {
  const round = logicRounds.length + 1;
  logicRounds.push({ native: cpuUs(read(`logic-round-${round}-native.json`)), node: read(`logic-round-${round}-node.json`).usPerRecord });
}

// /usr/bin/time -v of one batch run.
function timeV(run, kind = 'batch') {
  const text = readFileSync(join(dir, `${kind}-${run}.time`), 'utf8');
  const field = (label) => text.split('\n').find((line) => line.includes(label))?.split(': ').pop().trim();
  const clock = field('Elapsed (wall clock)').split(':').map(Number);
  const wall = clock.reduce((total, part) => total * 60 + part, 0);
  const cpu = Number(field('User time')) + Number(field('System time'));
  // `wc -lc`: rows and bytes (older results: rows alone).
  const [rows, bytes] = readFileSync(join(dir, `${kind}-${run}.rows`), 'utf8').trim().split(/\s+/).map(Number);
  const records = machine.batchCount;
  return { wall, cpu, rows, bytes, records, perCpuSecond: records / cpu, perWallSecond: records / wall, maxRssMiB: Number(field('Maximum resident set size')) / 1024 };
}
// One run, or null for older results that have none.
function maybeTimeV(run, kind = 'batch') {
  try {
    return timeV(run, kind);
  } catch {
    return null;
  }
}
// The runs of one kind, or null for older results that have none (JSON Lines
// in with CSV rows out: null when only that one is missing).
function runsOf(kind, prefix = '') {
  try {
    return {
      jsonl: timeV(`${prefix}jsonl`, kind),
      csv: timeV(`${prefix}csv`, kind),
      jsonlToCsv: maybeTimeV(`${prefix}jsonl-csv`, kind),
      csvToCsv: timeV(`${prefix}csv-csv`, kind),
    };
  } catch {
    return null;
  }
}
// The same pipelines with bench/io_floor in the CLI's place: reading and
// writing alone.
const floor = runsOf('floor');
const batchJsonl = timeV('jsonl');
const batchCsv = timeV('csv');
const batchJsonlToCsv = maybeTimeV('jsonl-csv');
const batchCsvToCsv = timeV('csv-csv');
// The same runs with the release build (no profile).
const release = runsOf('batch', 'release-');
const batchJs = Object.fromEntries(['json-logic-js', 'json-logic-engine'].map((e) => [e, read(`batch-${e}.json`)]));

const payload = browser.payload;
const lines = [];
const out = (line = '') => lines.push(line);

out(`Measured ${machine.date} on ${machine.nproc} × ${machine.cpu} (nproc ${machine.nproc}); load average ${machine.loadBefore} before, ${loadAfter} after`);
out(`(the machine was shared: CPU-time figures are the fair ones, wall-clock figures include waiting for a core).`);
out(`Data: ${machine.count.toLocaleString('en-US')} synthetic BH002 referrals, seed ${machine.seed} (bench/generate.mjs); batch runs read the first ${machine.batchCount.toLocaleString('en-US')}.`);
out();
out('| figure | goal | measured | met |');
out('|---|---|---|---|');
out(`| payload of the patient page, gzip -9, all ${payload.files.length} responses | ≤ 150 KiB | ${kib(payload.totalGzipBytes)} (${kib(payload.totalBytes)} raw) | ${met(payload.totalGzipBytes <= 150 * 1024)} |`);
out(`| start-up: navigation to first question visible, Chromium, median of ${browser.startUp.loads} | ≤ 150 ms | ${browser.startUp.msMedian.toFixed(0)} ms (min ${browser.startUp.msMin.toFixed(0)}, max ${browser.startUp.msMax.toFixed(0)}) | ${met(browser.startUp.msMedian <= 150)} |`);
const ready = browser.startUp.stepMedians?.['widget ready (screening-ready)'];
out(`| the same page: navigation to the widget ready to take an answer (the pre-rendered question goes live), median | – | ${Number.isFinite(ready) ? `${ready.toFixed(0)} ms` : 'n/a'} | – |`);
out(`| per answer: one BH002 re-evaluation, JS API in Chromium, median (wall) | ≤ 20 µs | ${us(browser.perAnswer.usMedian)} | ${met(browser.perAnswer.usMedian <= 20)} |`);
if (browser.perAnswer.dictionaryAnswersUs) out(`| the same in Chromium, answers objects V8 keeps as dictionaries (as Playwright builds its arguments, key by key) | – | ${us(browser.perAnswer.dictionaryAnswersUs)} | – |`);
if (browser.perAnswer.oneMoreAnswerUs) out(`| the same in Chromium, a form filled in one answer at a time, screened after each | – | ${us(browser.perAnswer.oneMoreAnswerUs)} | – |`);
out(`| per answer: the same in Node, median (CPU) | ≤ 20 µs | ${us(answerNode.usMedian)} | ${met(answerNode.usMedian <= 20)} |`);
if (answerNode.oneMoreAnswerUs) out(`| the same in Node, a form filled in one answer at a time, screened after each | – | ${us(answerNode.oneMoreAnswerUs)} | – |`);
if (answerNode.answersTextUs) out(`| of which writing the answers as JSON text, Node | – | ${us(answerNode.answersTextUs)} | – |`);
if (answerNode.wholeResultParseUs) out(`| parsing a whole result (median ${answerNode.resultBytesMedian.toLocaleString('en-US')} B), Node: no longer done per evaluation (criteria seen before come by number) | – | ${us(answerNode.wholeResultParseUs)} | – |`);
// A batch run against its goal, records per CPU second (none: no row).
const batchGoalRow = (label, r, goal) => {
  if (r) out(`| ${label} | ≥ ${goal.toLocaleString('en-US')}/s | ${rate(r.perCpuSecond)} (wall ${rate(r.perWallSecond)}), max RSS ${r.maxRssMiB.toFixed(1)} MiB | ${met(r.perCpuSecond >= goal)} |`);
};
batchGoalRow('batch from JSON Lines, one core (records per CPU second; the profile-guided CLI, `scripts/build native-pgo`)', batchJsonl, 250000);
batchGoalRow('the same from JSON Lines with CSV rows out (`--output csv`: verdict and statuses, the other output the issue names)', batchJsonlToCsv, 250000);
batchGoalRow('batch from CSV, one core (records per CPU second)', batchCsv, 500000);
batchGoalRow('the same from CSV with CSV rows out', batchCsvToCsv, 500000);
const fastestJs = Math.min(logicNode.usPerRecord['json-logic-js'], logicNode.usPerRecord['json-logic-engine']);
// Each engine as its users would run 34 rules over a record: trialscreen's
// rules compiled as one set where the results have it (older results: one
// rule at a time), the JS engines' compiled rules in turn.
const nativeSet = nativeUs.BM_LogicRuleSet !== undefined;
const wasmSet = logicNode.usPerRecord.wasmRuleSet !== undefined;
const nativeLogic = nativeSet ? nativeUs.BM_LogicRuleSet : nativeUs.BM_LogicRules;
const wasmLogic = wasmSet ? logicNode.usPerRecord.wasmRuleSet : logicNode.usPerRecord.wasm;
if (logicRounds.length > 0 && nativeSet && wasmSet) {
  // Met when the median of the rounds' ratios is: the figures shown are each
  // engine's median over the rounds.
  const roundsRow = (label, goal, ours, theirs, holds) => {
    const ratios = logicRounds.map((round) => ours(round) / theirs(round));
    const held = ratios.filter(holds).length;
    const shown = `${us(median(logicRounds.map(ours)))} vs ${us(median(logicRounds.map(theirs)))} per record (medians of ${logicRounds.length} rounds in turn; ratio ${median(ratios).toFixed(2)}, held in ${held} of ${logicRounds.length})`;
    out(`| ${label} | ${goal} | ${shown} | ${met(holds(median(ratios)))} |`);
  };
  roundsRow('34 rules natively vs the fastest JS engine (the rules as one set)', 'faster',
    (round) => round.native.BM_LogicRuleSet, (round) => Math.min(round.node['json-logic-js'], round.node['json-logic-engine']), (ratio) => ratio < 1);
  roundsRow('34 rules in WebAssembly vs json-logic-js (the rules as one set)', 'not slower',
    (round) => round.node.wasmRuleSet, (round) => round.node['json-logic-js'], (ratio) => ratio <= 1);
} else {
  out(`| 34 rules natively vs the fastest JS engine${nativeSet ? ' (the rules as one set)' : ''} | faster | ${us(nativeLogic)} vs ${us(fastestJs)} per record | ${met(nativeLogic < fastestJs)} |`);
  out(`| 34 rules in WebAssembly vs json-logic-js${wasmSet ? ' (the rules as one set)' : ''} | not slower | ${us(wasmLogic)} vs ${us(logicNode.usPerRecord['json-logic-js'])} per record | ${met(wasmLogic <= logicNode.usPerRecord['json-logic-js'])} |`);
}
out();
out('### Payload, per file (as the patient page loads it)');
out();
out('| file | bytes | gzip -9 |');
out('|---|---:|---:|');
for (const f of payload.files) out(`| \`${f.path}\` | ${f.bytes.toLocaleString('en-US')} | ${f.gzipBytes.toLocaleString('en-US')} |`);
out(`| **total** | ${payload.totalBytes.toLocaleString('en-US')} | ${payload.totalGzipBytes.toLocaleString('en-US')} |`);
out();
out(`### Start-up, step by step (median over ${browser.startUp.loads} loads, ms since navigation start)`);
out();
out('Each step\'s median on its own (the medians of different loads need not add up). Files: when the response ended; the widget\'s steps: its User Timing marks.');
out();
out('| step ended | at |');
out('|---|---:|');
for (const [step, ms] of Object.entries(browser.startUp.stepMedians ?? {})) out(`| ${step} | ${Number.isFinite(ms) ? `${ms.toFixed(0)} ms` : 'n/a'} |`);
out(`| first question visible | ${browser.startUp.msMedian.toFixed(0)} ms |`);
out();
out('### Where one screening spends its time (native, Google Benchmark, CPU time per record)');
out();
out('| step | time |');
out('|---|---:|');
const steps = {
  BM_ParseAnswers: 'parse one record\'s answers (JSON text)',
  BM_Screen: 'core `Trial::screen` (answers → result object)',
  BM_DumpResult: 'serialise the result (JSON text)',
  BM_SessionScreenText: 'the JSON-text façade the browser calls (all of the above, patient audience)',
  BM_LogicRules: 'the 34 criterion rules alone, plain JsonLogic, canonical answers',
  BM_LogicRuleSet: 'the same 34 rules compiled as one set (`logic::RuleSet`)',
};
for (const [name, label] of Object.entries(steps)) if (nativeUs[name] !== undefined) out(`| ${label} | ${us(nativeUs[name])} |`);
out();
out('### The 34 BH002 criterion rules per record, one run (issue 3)');
out();
out(`Plain JsonLogic, derived values inlined, the same ${logicNode.records} canonical records; CPU time per record (34 evaluations).`);
out();
out('| engine | per record | speed relative to json-logic-js |');
out('|---|---:|---:|');
const logicRows = [
  ['trialscreen, native (Google Benchmark), a rule at a time (`Rule::evaluate`)', nativeUs.BM_LogicRules],
  ['trialscreen, native, the rules as one set (`RuleSet::evaluate`)', nativeUs.BM_LogicRuleSet],
  ['trialscreen, WebAssembly in Node, a rule at a time (`compileLogic(rule).apply(data)`)', logicNode.usPerRecord.wasm],
  ['trialscreen, WebAssembly in Node, the rules as one set (`compileRuleSet(rules).apply(data)`)', logicNode.usPerRecord.wasmRuleSet],
  ['json-logic-js', logicNode.usPerRecord['json-logic-js']],
  ['json-logic-engine (`build`)', logicNode.usPerRecord['json-logic-engine']],
];
for (const [label, value] of logicRows.filter(([, value]) => value !== undefined)) out(`| ${label} | ${us(value)} | ${ratio(logicNode.usPerRecord["json-logic-js"], value)} |`);
out();
out('### Batch, one core, one run');
out();
out(`The first ${machine.batchCount.toLocaleString('en-US')} referrals. trialscreen does the full screening (answer checks, units, three-valued rules, reasons, next questions, one result object per line); the JS engines run the 34 plain rules on pre-converted canonical answers and write a verdict and the statuses per line.`);
out();
out('| run | records per CPU second | wall | max RSS | rows out |');
out('|---|---:|---:|---:|---:|');
// One run's row of the batch table (none: no row).
const batchRow = (label, r) => {
  if (r) out(`| ${label} | ${rate(r.perCpuSecond)} | ${r.wall.toFixed(1)} s | ${r.maxRssMiB.toFixed(1)} MiB | ${r.rows} |`);
};
batchRow('`trialscreen batch` from JSON Lines (profile-guided build)', batchJsonl);
batchRow('`trialscreen batch` from CSV (profile-guided)', batchCsv);
batchRow('`trialscreen batch --output csv` from JSON Lines (profile-guided)', batchJsonlToCsv);
batchRow('`trialscreen batch --output csv` from CSV (profile-guided)', batchCsvToCsv);
if (release) {
  for (const [label, r] of [['from JSON Lines', release.jsonl], ['from CSV', release.csv], ['`--output csv` from JSON Lines', release.jsonlToCsv], ['`--output csv` from CSV', release.csvToCsv]]) {
    batchRow(`the same ${label}, release build (\`native-release\`, no profile)`, r);
  }
}
if (floor) {
  for (const [label, r, run] of [['JSON Lines', floor.jsonl, batchJsonl], ['CSV', floor.csv, batchCsv], ['JSON Lines, CSV rows out', floor.jsonlToCsv, batchJsonlToCsv], ['CSV, CSV rows out', floor.csvToCsv, batchCsvToCsv]]) {
    if (run) batchRow(`floor, ${label}: the same list read and ${Math.ceil(run.bytes / run.records).toLocaleString('en-US')} bytes a record written through the same pipe, nothing screened (\`bench/io_floor.cpp\`)`, r);
  }
}
for (const [engine, r] of Object.entries(batchJs)) {
  out(`| ${engine} in Node, JSON Lines | ${rate(r.perCpuSecond)} | ${r.seconds.toFixed(1)} s | ${r.maxRssMiB.toFixed(1)} MiB | ${r.records} |`);
}
out();
out(`Ratios (records per CPU second): trialscreen JSON Lines / json-logic-js = ${ratio(batchJsonl.perCpuSecond, batchJs['json-logic-js'].perCpuSecond)}, ` +
    `/ json-logic-engine = ${ratio(batchJsonl.perCpuSecond, batchJs['json-logic-engine'].perCpuSecond)}; ` +
    `CSV / json-logic-js = ${ratio(batchCsv.perCpuSecond, batchJs['json-logic-js'].perCpuSecond)}.`);
if (floor) {
  // CPU seconds per million records: the floor's, and what the goal leaves above it.
  const perMillion = (r) => (r.cpu / r.records) * 1e6;
  out();
  out('The floor in CPU seconds per million records, against the batch run and the goal (seconds per million that a rate allows):');
  out();
  out('| run | floor | batch run | goal |');
  out('|---|---:|---:|---:|');
  out(`| JSON Lines in | ${perMillion(floor.jsonl).toFixed(2)} s | ${perMillion(batchJsonl).toFixed(2)} s | ${(1e6 / 250000).toFixed(2)} s (250,000/s) |`);
  out(`| CSV in | ${perMillion(floor.csv).toFixed(2)} s | ${perMillion(batchCsv).toFixed(2)} s | ${(1e6 / 500000).toFixed(2)} s (500,000/s) |`);
  if (floor.jsonlToCsv && batchJsonlToCsv) {
    out(`| JSON Lines in, CSV rows out | ${perMillion(floor.jsonlToCsv).toFixed(2)} s | ${perMillion(batchJsonlToCsv).toFixed(2)} s | ${(1e6 / 250000).toFixed(2)} s (250,000/s) |`);
  }
  out(`| CSV in, CSV rows out | ${perMillion(floor.csvToCsv).toFixed(2)} s | ${perMillion(batchCsvToCsv).toFixed(2)} s | ${(1e6 / 500000).toFixed(2)} s (500,000/s) |`);
}
console.log(lines.join('\n'));
