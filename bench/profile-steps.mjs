// Reads `perf script -F ip,sym` (samples with call stacks, inlined frames
// included) on stdin and prints how the samples divide among a screening's
// steps: each sample goes to the innermost step on its stack. The steps are
// the ones "Nineteenth session" timed with a build that stopped after each
// (docs/performance.md); here they come from one run of the real CLI.
import { createInterface } from 'node:readline';

// The innermost frame that names one of these gives the sample's step (the
// order breaks ties within a frame only). Inlined frames are named without
// their class ("write (inlined)" is ResultWriter::write), and an optimised
// build leaves some out: a criterion's rules are told by what they call.
const steps = [
  ['read: the line', /LineReader::next|CsvReader::next/],
  ['read: placing the answers', /AnswerSet::place|read_cell|write_cell|parse_json_members|start_over|clear_for_reuse|is_blank/],
  ['normalise the answers', /normalise_answers/],
  ['derived values', /compute_derived|DerivedValues::(record|share|set)/],
  ['criteria', /screen_criterion|work_out|state_entry|KeptByValues<trialscreen::KeptLine>::find|pick_words/],
  ['next questions', /next_questions/],
  ['warnings', /add_warnings/],
  ['derived values for people', /derived_values/],
  ['write: criterion lines', /write_criteria/],
  ['write: the rest of the result', /ResultWriter|write_member|write_derived|write_ids|^write \(inlined\)/],
  ['write: CSV row', /csv_row/],
  ['write: the output', /Run::flush|row_done/],
  ['start: loading the trial', /Trial::load|_dl_start/],
];
// Within the criteria: a line kept by its answers, or its rules evaluated.
const criteria = [
  ['criteria: lines kept by their answers', /state_entry|KeptByValues<trialscreen::KeptLine>::find|pick_words/],
  ['criteria: rules evaluated', /work_out|Screening::evaluate|Rule::evaluate/],
];
// For a sample whose stack names none of the steps: the first of these that
// it names (rules evaluated with no step's frame left are a criterion's).
const fallbacks = [
  ['criteria: rules evaluated', /Screening::evaluate|Rule::evaluate/],
  ['screening: the rest', /Screening::run|Screening \(inlined\)|Trial::screen_text|Trial::screen_summary/],
  // The record loops are outer frames of every step: a sample in one with
  // no step inside is the loop's own, going over a record's cells.
  ['read: placing the answers', /^(csv|json_lines) \(inlined\)|Run::(csv|json_lines)/],
];

const counts = new Map();
let total = 0;
let stack = [];

function take() {
  if (stack.length === 0) return;
  total += 1;
  let step = 'elsewhere';
  const innermost = (table) => {
    for (const frame of stack) {
      const found = table.find(([, pattern]) => pattern.test(frame));
      if (found) return found[0];
    }
    return undefined;
  };
  step = innermost(steps) ?? innermost(fallbacks) ?? step;
  if (step === 'criteria') step = innermost(criteria) ?? 'criteria: the rest';
  counts.set(step, (counts.get(step) ?? 0) + 1);
  stack = [];
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const trimmed = line.trim();
  if (trimmed === '') {
    take();
  } else if (/^[0-9a-f]+ /.test(trimmed)) {
    stack.push(trimmed.slice(trimmed.indexOf(' ') + 1));
  } else {
    take();  // a sample's header line
  }
}
take();

console.log('| step | share of samples |');
console.log('|---|---:|');
// In a referral's order, then what is not a step.
const names = [
  ...steps.slice(0, 4).map(([name]) => name),
  ...criteria.map(([name]) => name),
  'criteria: the rest',
  ...steps.slice(5).map(([name]) => name),
  'screening: the rest',
  'elsewhere',
];
for (const name of names) {
  const n = counts.get(name) ?? 0;
  if (n > 0) console.log(`| ${name} | ${((100 * n) / total).toFixed(1)} % |`);
}
console.log(`| all (${total} samples) | 100 % |`);
