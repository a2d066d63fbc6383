// The two JavaScript engines set up to run the comparisons' rules
// (bh002-rules.mjs).
import jsonLogic from 'json-logic-js';
import { LogicEngine } from 'json-logic-engine';

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
