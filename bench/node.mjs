#!/usr/bin/env node
// The Node side of bench/run. Prints one JSON object on stdout.
//   node bench/node.mjs logic   DATA_DIR DIST_DIR   the 34 rules per record: wasm compileLogic().apply() and
//                                                  compileRuleSet().apply(), json-logic-js, json-logic-engine
//                                                  (one run, same data)
//   node bench/node.mjs answer  DATA_DIR DIST_DIR   one full BH002 re-evaluation through loadScreener().evaluate():
//                                                  200 referrals in turn, and forms filled in one answer at a time
//   node bench/node.mjs batch   DATA_DIR ENGINE [N] json-logic-js or json-logic-engine over referrals-canonical.jsonl:
//                                                  parse, 34 rules, a verdict, one output line per record
import { createReadStream, createWriteStream, readFileSync, openSync, readSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { oneAnswerAtATime } from './forms.mjs';
import { jsEngines } from './engines.mjs';

const AS_OF = '2026-11-25';
const SAMPLE = 1000;
const [mode, dataDir, third, fourth] = process.argv.slice(2);
const trialPath = new URL('../examples/bh002/trial.json', import.meta.url);

function sampleLines(path, count) {
  // The sample sits at the start of a file that may be a gigabyte: read only its first 4 MiB.
  const buffer = Buffer.alloc(4 << 20);
  const fd = openSync(path, 'r');
  const size = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  const text = buffer.subarray(0, size).toString('utf8');
  const lines = [];
  for (const line of text.split('\n')) {
    if (lines.length === count) break;
    if (line) lines.push(line);
  }
  return lines;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

// CPU time of this process in microseconds. The machine may be shared, so
// figures are CPU time (user + system), not wall time.
const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

// Runs `once` (which does `per` units of work) in rounds for about `seconds`
// of CPU time; returns the median CPU time per unit in microseconds.
function timeRounds(once, per, seconds = 2) {
  once();  // warm up
  const rounds = [];
  const until = cpuMicros() + seconds * 1e6;
  while (cpuMicros() < until || rounds.length < 5) {
    const start = cpuMicros();
    once();
    rounds.push((cpuMicros() - start) / per);
  }
  return median(rounds);
}

async function wasmModule(distDir) {
  return import(pathToFileURL(join(resolve(distDir), 'trialscreen.js')).href);
}

async function logic(distDir) {
  const rules = JSON.parse(readFileSync(join(dataDir, 'bh002-rules.json'), 'utf8'));
  const records = sampleLines(join(dataDir, 'referrals-canonical.jsonl'), SAMPLE).map((line) => {
    const record = JSON.parse(line);
    delete record.id;
    record.as_of = AS_OF;
    return record;
  });
  const out = { records: records.length, rules: rules.length, usPerRecord: {} };
  const run = (name, compiled) => {
    let sink = 0;
    out.usPerRecord[name] = timeRounds(() => {
      for (const record of records) for (const apply of compiled) if (apply(record)) ++sink;
    }, records.length);
    return sink;
  };
  const { compileLogic, compileRuleSet } = await wasmModule(distDir);
  const wasmRules = [];
  for (const { rule } of rules) wasmRules.push(await compileLogic(rule));
  run('wasm', wasmRules.map((r) => (data) => {
    try { return r.apply(data); } catch { return null; }  // plain JsonLogic errors count as work done
  }));
  // The same rules compiled as one set: the record crosses into the module
  // once, and each rule's value (or its LogicError) comes back in one array.
  const wasmSet = await compileRuleSet(rules.map(({ rule }) => rule));
  run('wasmRuleSet', [(data) => wasmSet.apply(data).length]);
  wasmSet.dispose();
  for (const [name, compile] of Object.entries(jsEngines)) {
    run(name, rules.map(({ rule }) => {
      const f = compile(rule);
      return (data) => {
        try { return f(data); } catch { return null; }
      };
    }));
  }
  for (const r of wasmRules) r.dispose();
  return out;
}

async function answer(distDir) {
  const { loadScreener } = await wasmModule(distDir);
  const screener = await loadScreener(readFileSync(trialPath, 'utf8'));
  const answers = sampleLines(join(dataDir, 'referrals.jsonl'), 200).map((line) => {
    const record = JSON.parse(line);
    delete record.id;
    return record;
  });
  const options = { asOf: AS_OF, audience: 'patient', lang: 'en' };
  // Rounds of 20 evaluations (one per answer set), CPU time per evaluation.
  let next = 0;
  const usMedian = timeRounds(() => {
    for (let k = 0; k < 20; ++k) screener.evaluate(answers[next++ % answers.length], options);
  }, 20, 3);
  // Filling in the form: 50 referrals' answers given one at a time, the form
  // screened again after each one.
  const steps = oneAnswerAtATime(answers);
  let step = 0;
  const oneMoreAnswerUs = timeRounds(() => {
    for (let k = 0; k < 20; ++k) screener.evaluate(steps[step++ % steps.length], options);
  }, 20, 3);
  // What JSON text costs each evaluation in JavaScript, with no engine: the
  // answers written (the wrapper does this every call), and a whole result
  // parsed (it no longer does: the core names the criterion objects it has
  // sent before by number, and the wrapper parses only the rest).
  const results = answers.map((record) => JSON.stringify(screener.evaluate(record, options)));
  screener.dispose();
  let sink = 0;
  const answersTextUs = timeRounds(() => {
    for (let k = 0; k < 20; ++k, ++next) sink += JSON.stringify(answers[next % answers.length]).length;
  }, 20, 2);
  const wholeResultParseUs = timeRounds(() => {
    for (let k = 0; k < 20; ++k, ++next) sink += JSON.parse(results[next % results.length]).criteria.length;
  }, 20, 2);
  const resultBytes = median(results.map((text) => text.length));
  return { evaluations: next, usMedian, oneMoreAnswerUs, answersTextUs, wholeResultParseUs, resultBytesMedian: resultBytes, sink };
}

// A referral list through a plain JavaScript engine, as close to the batch
// command's work as plain JsonLogic allows: parse the line, run the 34 rules,
// a verdict from their truthiness, one output line.
async function batch(engineName, limit) {
  const compile = jsEngines[engineName];
  if (!compile) throw new Error(`unknown engine ${engineName}`);
  const rules = JSON.parse(readFileSync(join(dataDir, 'bh002-rules.json'), 'utf8'));
  const compiled = rules.map(({ id, rule }) => ({ id, inclusion: id.startsWith('I'), apply: compile(rule) }));
  const output = createWriteStream('/dev/null');
  const max = limit ? Number(limit) : Infinity;
  let records = 0;
  let rest = '';
  const pending = [];
  const started = performance.now();
  const startedCpu = cpuMicros();
  const handle = (line) => {
    if (!line || records >= max) return;
    ++records;
    const data = JSON.parse(line);
    const id = data.id;
    delete data.id;
    data.as_of = AS_OF;
    const statuses = {};
    let verdict = 'eligible';
    for (const c of compiled) {
      let status;
      try {
        status = Boolean(c.apply(data)) === c.inclusion ? 'pass' : 'fail';
      } catch {
        status = 'unknown';
      }
      statuses[c.id] = status;
      if (status === 'fail') verdict = 'not_eligible';
    }
    pending.push(JSON.stringify({ record: records, id, verdict, statuses }));
    if (pending.length >= 1000) output.write(`${pending.splice(0).join('\n')}\n`);
  };
  for await (const chunk of createReadStream(join(dataDir, 'referrals-canonical.jsonl'), { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) handle(line);
    if (records >= max) break;
  }
  handle(rest);
  output.write(`${pending.join('\n')}\n`);
  await new Promise((done) => output.end(done));
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (cpuMicros() - startedCpu) / 1e6;
  return { engine: engineName, records, seconds, cpuSeconds, perCpuSecond: records / cpuSeconds,
           maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

const result = mode === 'logic' ? await logic(third)
  : mode === 'answer' ? await answer(third)
  : mode === 'batch' ? await batch(third, fourth)
  : null;
if (!result) {
  console.error('usage: node bench/node.mjs logic|answer DATA_DIR DIST_DIR | batch DATA_DIR ENGINE [N]');
  process.exit(2);
}
console.log(JSON.stringify(result));
