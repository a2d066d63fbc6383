// The scenario matcher of tests/fixtures/bh002/README.md, for the node:test
// runner: the same rules as tests/core/trial_fixture_match.cpp, so that both
// runtimes are held to exactly the same expectations.

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

// Absent in the result is the same as null or an empty array.
const meansAbsent = (expected) => expected === null || (Array.isArray(expected) && expected.length === 0);

function numbersEqual(a, b) {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function mismatch(path, expected, actual, out) {
  out.push(`${path}: expected ${JSON.stringify(expected)}, got ${actual === undefined ? 'nothing' : JSON.stringify(actual)}`);
}

function matchObject(expected, actual, path, out) {
  if (!isObject(actual)) return mismatch(path, expected, actual, out);
  for (const [key, value] of Object.entries(expected)) {
    const at = `${path}/${key}`;
    if (!(key in actual)) {
      if (!meansAbsent(value)) mismatch(at, value, undefined, out);
      continue;
    }
    matchValue(value, actual[key], at, out);
  }
}

// Lists of objects: same length, each expected entry matching a different entry, any order.
function matchEntries(expected, actual, path, out) {
  if (!Array.isArray(actual) || actual.length !== expected.length) return mismatch(path, expected, actual, out);
  const used = new Array(actual.length).fill(false);
  for (const entry of expected) {
    const index = actual.findIndex((candidate, i) => {
      if (used[i]) return false;
      const problems = [];
      matchValue(entry, candidate, path, problems);
      return problems.length === 0;
    });
    if (index < 0) out.push(`${path}: no entry matches ${JSON.stringify(entry)} in ${JSON.stringify(actual)}`);
    else used[index] = true;
  }
}

function matchValue(expected, actual, path, out) {
  if (isObject(expected)) return matchObject(expected, actual, path, out);
  if (Array.isArray(expected)) {
    if (expected.length > 0 && expected.every(isObject)) return matchEntries(expected, actual, path, out);
    if (!Array.isArray(actual) || actual.length !== expected.length) return mismatch(path, expected, actual, out);
    const problems = [];
    expected.forEach((item, i) => matchValue(item, actual[i], path, problems));
    if (problems.length > 0) mismatch(path, expected, actual, out);
    return;
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (!numbersEqual(expected, actual)) mismatch(path, expected, actual, out);
    return;
  }
  if (expected !== actual) mismatch(path, expected, actual, out);
}

/** Mismatches of a result against a scenario's `expect`, as "/path: expected X, got Y". */
export function matchExpected(expected, actual) {
  const out = [];
  if (!isObject(expected)) return ['expect must be an object'];
  const { criteria, ...rest } = expected;
  matchObject(rest, actual, '', out);
  if (criteria === undefined) return out;
  if (!isObject(criteria)) return [...out, '/criteria: expect.criteria must be an object keyed by criterion id'];
  for (const [id, expectedCriterion] of Object.entries(criteria)) {
    const found = (actual.criteria ?? []).find((entry) => entry.id === id);
    if (!found) out.push(`/criteria/${id}: no such criterion in the result`);
    else matchValue(expectedCriterion, found, `/criteria/${id}`, out);
  }
  return out;
}
