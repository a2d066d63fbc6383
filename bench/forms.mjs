// Forms filled in one answer at a time, as the widget screens them while a
// person answers: each of the first `people` records' answers given in the
// record's order, one answers object per step. Consecutive steps differ in
// one answer (the first step of each person in all).
export function oneAnswerAtATime(records, people = 50) {
  const steps = [];
  for (const record of records.slice(0, people)) {
    const given = {};
    for (const [field, value] of Object.entries(record)) {
      given[field] = value;
      steps.push({ ...given });
    }
  }
  return steps;
}
