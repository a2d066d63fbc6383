// One control per question type. Each returns {element, sync(problems)}:
// `element` is built once (so focus and caret survive live updates) and
// `sync` reflects the current answer and its problems. Every control is a
// fieldset whose legend is the question, with "I don't know" on each.
import { h } from '../dom.js';
import { formatNumber, unitLabel } from '../texts.js';
import { acceptedUnits, likelyUnitSlip, rangeIn } from '../units.js';

export function questionControl(question, ctx) {
  const { t } = ctx;
  switch (question.type) {
    case 'boolean':
      return choiceControl(question, ctx, [{ value: true, label: t.yes, key: 'yes' }, { value: false, label: t.no, key: 'no' }]);
    case 'choice':
      return choiceControl(question, ctx, (question.options ?? []).map((option, index) => ({
        value: option.value, label: ctx.text(option.text), key: `o${index}`,
      })));
    case 'date-or-none':
      return dateOrNoneControl(question, ctx);
    default:
      return entryControl(question, ctx);
  }
}

// The frame every control shares: fieldset, legend, optional help, and the
// problem line that inputs point at with aria-describedby.
function frame(question, ctx, extraClass = '') {
  const base = `q-${question.id}`;
  const ids = { legend: `${base}-legend`, help: `${base}-help`, problem: `${base}-problem` };
  const helpText = ctx.text(question.help);
  const problem = h('div', { id: ids.problem, class: 'problem', part: 'problem' });
  const fieldset = h('fieldset', {
    class: `question ${extraClass}`.trim(), part: 'question', 'data-field': question.id,
    'aria-describedby': helpText ? ids.help : undefined,
  }, h('legend', { id: ids.legend, text: ctx.text(question.text) }),
  helpText ? h('p', { id: ids.help, class: 'help', text: helpText }) : null);
  const describedBy = helpText ? `${ids.help} ${ids.problem}` : ids.problem;
  return { base, ids, fieldset, problem, describedBy };
}

// Shows the problems of the latest evaluation; rebuilt only when they change
// so a focused "Use g/dL" button is not pulled from under the keyboard.
function problemRenderer(problem, question, ctx, onUseUnit) {
  let shown = '';
  return ({ errors = [], slip = null, unit = null } = {}) => {
    const lines = errors.map((error) => errorText(error, question, ctx, unit));
    const signature = JSON.stringify([lines, slip]);
    if (signature === shown) return errors.length > 0 || slip != null;
    shown = signature;
    const children = lines.map((line) => h('p', { class: 'error', text: line }));
    if (slip) {
      const label = unitLabel(slip, ctx.t);
      children.push(h('p', { class: 'hint' }, h('span', { text: ctx.t.didYouMean(label) }), ' ',
        h('button', { type: 'button', class: 'link', 'data-key': `${question.id}:use-unit`, onclick: () => onUseUnit(slip), text: ctx.t.useUnit(label) })));
    }
    problem.replaceChildren(...children);
    return errors.length > 0 || slip != null;
  };
}

function errorText(error, question, ctx, unit) {
  const messages = ctx.t.answerErrors;
  if (error.code === 'implausible') {
    const shownUnit = unit ?? question.unit;
    const range = rangeIn(question, shownUnit);
    return messages.implausible(range
      ? ctx.t.rangeText(formatNumber(range.min, ctx.t), formatNumber(range.max, ctx.t), shownUnit ? unitLabel(shownUnit, ctx.t) : '')
      : null);
  }
  return typeof messages[error.code] === 'string' ? messages[error.code] : messages.other;
}

function unknownChoice(question, ctx, name, onChoose) {
  const input = h('input', { type: 'radio', name, 'data-key': `${question.id}:unknown`, onchange: () => input.checked && onChoose() });
  return { input, label: h('label', { class: 'choice' }, input, h('span', { text: ctx.t.unknown })) };
}

function choiceControl(question, ctx, choices) {
  const { base, fieldset, problem, describedBy } = frame(question, ctx);
  fieldset.setAttribute('aria-describedby', describedBy);
  const radios = choices.map(({ value, label, key }) => {
    const input = h('input', {
      type: 'radio', name: base, 'data-key': `${question.id}:${key}`,
      onchange: () => input.checked && ctx.setAnswer(question.id, value),
    });
    return { value, input, label: h('label', { class: 'choice' }, input, h('span', { text: label })) };
  });
  const unknown = unknownChoice(question, ctx, base, () => ctx.setAnswer(question.id, null, { unknown: true }));
  fieldset.append(h('div', { class: 'choices', part: 'choices' }, radios.map((r) => r.label), unknown.label), problem);
  const showProblems = problemRenderer(problem, question, ctx, () => {});
  return {
    element: fieldset,
    sync(problems) {
      const answer = ctx.answer(question.id);
      for (const radio of radios) radio.input.checked = answer === radio.value;
      unknown.input.checked = answer == null && ctx.unknownChosen(question.id);
      showProblems(problems);
    },
  };
}

function dateOrNoneControl(question, ctx) {
  const { base, ids, fieldset, problem, describedBy } = frame(question, ctx);
  fieldset.setAttribute('aria-describedby', describedBy);
  const dateLabelId = `${base}-date-label`;
  const dateInput = h('input', {
    type: 'date', id: `${base}-date`, 'data-key': `${question.id}:date`, max: question.past ? ctx.asOf : undefined,
    'aria-labelledby': `${ids.legend} ${dateLabelId}`, 'aria-describedby': ids.problem,
    oninput: () => ctx.setAnswer(question.id, dateInput.value || null),
  });
  const initial = ctx.answer(question.id);
  const dateEntry = h('div', { class: 'entry', hidden: !(typeof initial === 'string' && initial !== 'none') }, h('label', { id: dateLabelId, for: dateInput.id, text: ctx.t.date }), dateInput);
  const radio = (key, label, onChoose) => {
    const input = h('input', { type: 'radio', name: base, 'data-key': `${question.id}:${key}`, onchange: () => input.checked && onChoose() });
    return { input, label: h('label', { class: 'choice' }, input, h('span', { text: label })) };
  };
  const none = radio('none', ctx.text(question.noneText) || ctx.t.none, () => ctx.setAnswer(question.id, 'none'));
  const onDate = radio('on-date', ctx.t.onThisDate, () => {
    dateEntry.hidden = false;
    ctx.setAnswer(question.id, dateInput.value || null, { keepMode: true });
  });
  const unknown = unknownChoice(question, ctx, base, () => ctx.setAnswer(question.id, null, { unknown: true }));
  if (typeof initial === 'string' && initial !== 'none') dateInput.value = initial;
  fieldset.append(h('div', { class: 'choices', part: 'choices' }, none.label, onDate.label, unknown.label), dateEntry, problem);
  const showProblems = problemRenderer(problem, question, ctx, () => {});
  return {
    element: fieldset,
    sync(problems) {
      const answer = ctx.answer(question.id);
      none.input.checked = answer === 'none';
      if (typeof answer === 'string' && answer !== 'none') onDate.input.checked = true;
      else if (answer === 'none' || ctx.unknownChosen(question.id)) onDate.input.checked = false;
      unknown.input.checked = answer == null && ctx.unknownChosen(question.id);
      dateEntry.hidden = !onDate.input.checked;
      dateInput.setAttribute('aria-invalid', String(showProblems(problems)));
    },
  };
}

// integer, number, quantity and date: a text (or date) entry, the unit (a
// selector of the accepted units for a quantity) and "I don't know".
function entryControl(question, ctx) {
  const { base, ids, fieldset, problem, describedBy } = frame(question, ctx);
  const isQuantity = question.type === 'quantity';
  const isDate = question.type === 'date';
  const units = isQuantity ? acceptedUnits(question) : [];
  const unitId = `${base}-unit`;
  const unitLabelId = `${base}-unit-label`;
  const initial = ctx.answer(question.id);
  const initialUnit = initial && typeof initial === 'object' && units.includes(initial.unit) ? initial.unit : question.unit ?? units[0];
  const initialValue = initial && typeof initial === 'object' ? initial.value : initial;

  let unitSelect = null;
  let unitText = null;
  if (isQuantity && units.length > 1) {
    unitSelect = h('select', {
      id: unitId, 'data-key': `${question.id}:unit`, 'aria-labelledby': `${ids.legend} ${unitLabelId}`,
      onchange: () => commit(),
    }, units.map((unit) => h('option', { value: unit, text: unitLabel(unit, ctx.t) })));
    unitSelect.value = initialUnit;
  } else if (question.unit) {
    unitText = h('span', { id: unitLabelId, class: 'unit', text: unitLabel(question.unit, ctx.t) });
  }
  const input = h('input', {
    id: `${base}-value`, 'data-key': `${question.id}:value`,
    type: isDate ? 'date' : 'text',
    inputmode: isDate ? undefined : question.type === 'integer' ? 'numeric' : 'decimal',
    autocomplete: 'off',
    max: isDate && question.past ? ctx.asOf : undefined,
    value: initialValue == null ? '' : String(initialValue),
    'aria-labelledby': unitText ? `${ids.legend} ${unitLabelId}` : ids.legend,
    'aria-describedby': describedBy,
    oninput: () => {
      unknown.checked = false;
      commit();
    },
  });
  const unknown = h('input', {
    type: 'checkbox', 'data-key': `${question.id}:unknown`,
    onchange: () => {
      if (unknown.checked) input.value = '';
      ctx.setAnswer(question.id, null, { unknown: unknown.checked });
    },
  });

  function commit() {
    const value = isDate ? input.value || null : parseNumber(input.value);
    if (value == null) ctx.setAnswer(question.id, null);
    else if (isQuantity) ctx.setAnswer(question.id, { value, unit: unitSelect ? unitSelect.value : question.unit });
    else ctx.setAnswer(question.id, value);
  }

  const entry = h('div', { class: 'entry' }, input, unitText);
  if (unitSelect) entry.append(h('label', { id: unitLabelId, for: unitId, class: 'unit-label', text: ctx.t.unit }), unitSelect);
  fieldset.append(entry, h('label', { class: 'choice idk' }, unknown, h('span', { text: ctx.t.unknown })), problem);

  const showProblems = problemRenderer(problem, question, ctx, (unit) => {
    unitSelect.value = unit;
    commit();
    unitSelect.focus();
  });
  return {
    element: fieldset,
    sync({ errors = [], suggestedUnit = null } = {}) {
      unknown.checked = ctx.answer(question.id) == null && ctx.unknownChosen(question.id);
      const unit = unitSelect ? unitSelect.value : question.unit;
      const value = parseNumber(input.value);
      const slip = unitSelect && typeof value === 'number'
        ? suggestedUnit ?? likelyUnitSlip(question, value, unit)
        : null;
      input.setAttribute('aria-invalid', String(showProblems({ errors, slip: slip && units.includes(slip) ? slip : null, unit })));
    },
  };
}

// A typed number; text that is not a number is passed on as text so that the
// core reports it (code "type") instead of it silently counting as unknown.
export function parseNumber(text) {
  const trimmed = String(text).trim();
  if (trimmed === '') return null;
  const number = Number(trimmed.replace(',', '.'));
  return Number.isFinite(number) ? number : trimmed;
}
