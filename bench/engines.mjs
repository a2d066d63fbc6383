// The JsonLogic rules every engine runs in the comparisons, and the two
// JavaScript engines set up to run them.
//
// The rules are BH002's 34 criterion rules, taken from the trial file, in plain
// JsonLogic: every read of a derived value (crcl, the two scores) becomes
// "the answer if given, else its formula", which is what the core does, so
// all engines do the same work over the same canonical answers.
import { readFileSync } from 'node:fs';
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';

export function bh002Rules(trialPath) {
  const trial = JSON.parse(readFileSync(trialPath, 'utf8'));
  const derived = new Map((trial.derived ?? []).map((d) => [d.id, d.rule]));
  const inline = (rule) => {
    if (Array.isArray(rule)) return rule.map(inline);
    if (rule === null || typeof rule !== 'object') return rule;
    const [op] = Object.keys(rule);
    if (op === 'var' && typeof rule.var === 'string' && derived.has(rule.var)) {
      return { if: [{ '!=': [{ var: rule.var }, null] }, { var: rule.var }, inline(derived.get(rule.var))] };
    }
    return { [op]: inline(rule[op]) };
  };
  return trial.criteria.map((c) => ({ id: c.id, rule: inline(c.rule) }));
}

// date_add as docs/logic.md defines it: ISO date + whole days/months/years,
// month steps clamped to the month's end; anything else is null.
export function dateAdd(date, amount, unit) {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isInteger(amount)) return null;
  const [y, m, d] = date.split('-').map(Number);
  let when;
  if (unit === 'day') {
    when = new Date(Date.UTC(y, m - 1, d + amount));
  } else if (unit === 'month' || unit === 'year') {
    const months = (y * 12 + m - 1) + (unit === 'month' ? amount : amount * 12);
    const year = Math.floor(months / 12), month = months % 12;
    const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    when = new Date(Date.UTC(year, month, Math.min(d, last)));
  } else {
    return null;
  }
  return when.toISOString().slice(0, 10);
}

jsonLogic.add_operation('date_add', dateAdd);

const engine = new LogicEngine();
engine.addMethod('date_add', ([date, amount, unit]) => dateAdd(date, amount, unit), { deterministic: true });

// name -> compile(rule) -> (data) => value
export const jsEngines = {
  'json-logic-js': (rule) => (data) => jsonLogic.apply(rule, data),
  'json-logic-engine': (rule) => engine.build(rule),
};
