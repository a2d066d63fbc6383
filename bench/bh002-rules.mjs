// The JsonLogic rules every engine runs in the comparisons: BH002's 34
// criterion rules, taken from the trial file, in plain JsonLogic. Every read of
// a derived value (crcl, the two scores) becomes "the answer if given, else its
// formula", which is what the core does, so all engines do the same work over
// the same canonical answers. Apart from engines.mjs (which needs the engines'
// npm packages) so that generate.mjs runs with Node alone: the profile-guided
// build trains on its referrals (scripts/build native-pgo).
import { readFileSync } from 'node:fs';

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
