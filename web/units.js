// Unit conversions of a quantity question (docs/trial-format.md: `factor`
// multiplies, `divisor` divides into the canonical unit) and the plausibility
// hint that names a likely unit slip: Hb 8.5 "g/L" is implausible, 8.5 g/dL is
// not, so the hint asks "did you mean g/dL?".

export function toCanonical(value, conversion) {
  if (!conversion) return value;
  if (typeof conversion.factor === 'number') return value * conversion.factor;
  if (typeof conversion.divisor === 'number' && conversion.divisor !== 0) return value / conversion.divisor;
  return value;
}

export function fromCanonical(value, conversion) {
  if (!conversion) return value;
  if (typeof conversion.factor === 'number' && conversion.factor !== 0) return value / conversion.factor;
  if (typeof conversion.divisor === 'number') return value * conversion.divisor;
  return value;
}

// Rounded like the core (12 significant digits) so 8.5 g/dL is exactly 85 g/L.
const round12 = (value) => Number(value.toPrecision(12));

/** The accepted units of a question, canonical first when it is listed. */
export function acceptedUnits(question) {
  const units = Object.keys(question.units ?? {});
  if (question.unit && !units.includes(question.unit)) units.unshift(question.unit);
  return units;
}

/** The plausible range in `unit`, or null when the question has none. */
export function rangeIn(question, unit) {
  const range = question.range;
  if (!range || typeof range.min !== 'number' || typeof range.max !== 'number') return null;
  const conversion = question.units?.[unit];
  const [a, b] = [round12(fromCanonical(range.min, conversion)), round12(fromCanonical(range.max, conversion))];
  return { min: Math.min(a, b), max: Math.max(a, b) };
}

function plausibleIn(question, value, unit) {
  const range = question.range;
  const canonical = round12(toCanonical(value, question.units?.[unit]));
  return canonical >= range.min && canonical <= range.max;
}

/**
 * The accepted unit in which `value` would be plausible when it is not
 * plausible in `unit`; null when there is no such unit or nothing to say.
 */
export function likelyUnitSlip(question, value, unit) {
  if (typeof value !== 'number' || !Number.isFinite(value) || !question.range || !question.units) return null;
  if (plausibleIn(question, value, unit)) return null;
  return acceptedUnits(question).find((other) => other !== unit && plausibleIn(question, value, other)) ?? null;
}
