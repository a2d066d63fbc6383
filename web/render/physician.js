// The physician's view: every question by section, scores as a total or item
// by item with the running value, and beside it the checklist of every
// criterion with its live status, the values it read and its protocol line.
// The checklist is also the printable referral summary.
import { h } from '../dom.js';
import { formatAnswer, formatDate, formatQuantity, varsOf } from '../texts.js';

/**
 * Scores that can be entered as a total or item by item: a question with the
 * id of a derived score (unit "{score}") and the questions of its section
 * that the derived rule adds up (the items). Other derived values, such as a
 * creatinine clearance, only show their computed value.
 */
export function scoreGroups(definition) {
  const derivedById = new Map((definition.derived ?? []).filter((d) => d.unit === '{score}').map((d) => [d.id, d]));
  const groups = [];
  for (const question of definition.questions ?? []) {
    const derived = derivedById.get(question.id);
    if (!derived) continue;
    const inputs = varsOf(derived.rule);
    const items = definition.questions
      .filter((q) => q.section === question.section && q.id !== question.id && inputs.has(q.id))
      .map((q) => q.id);
    if (items.length > 0) groups.push({ section: question.section, scoreId: question.id, derived, items });
  }
  return groups;
}

/** The fields an entry mode hides (and that are left out of the evaluation). */
export function fieldsHiddenByMode(groups, modeOf) {
  const hidden = new Set();
  for (const group of groups) {
    if (modeOf(group) === 'items') hidden.add(group.scoreId);
    else for (const item of group.items) hidden.add(item);
  }
  return hidden;
}

export function physicianView(ctx) {
  const { t, definition } = ctx;
  const questionsById = new Map(definition.questions.map((q) => [q.id, q]));
  const derivedById = new Map((definition.derived ?? []).map((d) => [d.id, d]));
  const criteriaById = new Map(definition.criteria.map((c) => [c.id, c]));
  const criterionVars = new Map(definition.criteria.map((c) => {
    const vars = varsOf(c.appliesIf, varsOf(c.rule));
    vars.delete('as_of');
    return [c.id, [...vars]];
  }));

  // The questionnaire, one <section> per trial section.
  const form = h('form', { class: 'questions', part: 'form', novalidate: true, onsubmit: (event) => event.preventDefault() });
  const runningValues = [];  // [{derived, node}]
  for (const section of definition.sections) {
    const questions = definition.questions.filter((q) => q.section === section.id);
    if (questions.length === 0) continue;
    const headingId = `section-${section.id}`;
    const block = h('section', { class: 'section', part: 'section', 'aria-labelledby': headingId },
      h('h3', { id: headingId, text: ctx.text(section.title) }));
    for (const question of questions) {
      const group = ctx.scoreGroups.find((g) => g.scoreId === question.id);
      if (group) block.append(entryModeSwitch(group, ctx));
      const derived = derivedById.get(question.id);
      if (derived) {
        const node = h('p', { class: 'running', part: 'running' });
        runningValues.push({ derived, node });
        block.append(node);
      }
      block.append(ctx.control(question).element);
    }
    form.append(block);
  }

  // The checklist and referral summary.
  const verdict = h('p', { class: 'verdict', part: 'verdict', role: 'status' });
  const meta = h('dl', { class: 'meta' });
  const derivedList = h('dl', { class: 'derived' });
  const lists = { inclusion: h('ul', { class: 'checklist', part: 'checklist' }), exclusion: h('ul', { class: 'checklist', part: 'checklist' }) };
  const warnings = h('div', { class: 'warnings' });
  const actions = h('div', { class: 'actions', part: 'actions' },
    h('button', { type: 'button', 'data-key': 'print', onclick: () => window.print(), text: t.print }),
    h('button', { type: 'button', 'data-key': 'download', onclick: () => ctx.download(), text: t.download }),
    h('button', { type: 'button', 'data-key': 'start-over', class: 'secondary', onclick: () => ctx.reset(), text: t.startOver }));
  const summary = h('section', { class: 'summary', part: 'result', 'aria-labelledby': 'summary-title' },
    h('h3', { id: 'summary-title', text: t.summaryTitle }),
    verdict, meta,
    h('h4', { text: t.derivedValues }), derivedList,
    h('h4', { text: t.inclusion }), lists.inclusion,
    h('h4', { text: t.exclusion }), lists.exclusion,
    warnings, actions);

  const element = h('div', { class: 'physician' }, form, summary);

  // A derived value as the core decided it; a score entered item by item
  // that is not decided yet shows its running value, the items answered so
  // far (unanswered ones count as absent), as a lower bound.
  function derivedText(id, result) {
    const derived = derivedById.get(id);
    const value = result.derived?.[id];
    if (value != null) return formatQuantity(value, derived?.unit, t, 1);
    const group = ctx.scoreGroups.find((g) => g.scoreId === id);
    if (group && ctx.entryMode(group) === 'items') {
      const soFar = ctx.partialScore(group);
      if (typeof soFar === 'number') return t.atLeast(formatQuantity(soFar, derived?.unit, t, 1));
    }
    return t.notDecided;
  }

  function valuesOf(criterion, result) {
    const shown = [];
    for (const field of criterionVars.get(criterion.id) ?? []) {
      if (derivedById.has(field)) {
        shown.push(t.labelled(ctx.text(derivedById.get(field).label), derivedText(field, result)));
      } else if (questionsById.has(field)) {
        const value = formatAnswer(questionsById.get(field), ctx.answer(field), ctx);
        if (value) shown.push(t.labelled(ctx.text(questionsById.get(field).text), value));
      }
    }
    return shown;
  }

  function criterionItem(status, result) {
    const definitionOf = criteriaById.get(status.id) ?? {};
    const statusText = t.status[status.kind]?.[status.status] ?? t.status[status.status] ?? status.status;
    const item = h('li', { class: 'criterion', part: 'criterion', 'data-criterion': status.id, 'data-status': status.status },
      h('p', { class: 'criterion-head' },
        h('span', { class: 'cid', text: status.id }), ' ',
        h('span', { class: 'label', text: ctx.text(definitionOf.label) }), ' ',
        h('span', { class: 'status', part: 'status', text: statusText })));
    const values = valuesOf(status, result);
    if (values.length) item.append(h('p', { class: 'values', text: t.labelled(t.values, values.join(t.separator)) }));
    if ((status.status === 'fail' || status.status === 'unknown') && status.reason && status.reason !== ctx.text(definitionOf.label)) {
      item.append(h('p', { class: 'reason', text: status.reason }));
    }
    if (status.waitingOn?.length) {
      const names = status.waitingOn.map((field) => ctx.text(questionsById.get(field)?.text) || field);
      item.append(h('p', { class: 'waiting', text: t.labelled(t.waitingOn, names.join(t.separator)) }));
    }
    if (status.clearsOn) item.append(h('p', { class: 'clears', text: t.passesFrom(formatDate(status.clearsOn, t)) }));
    if (definitionOf.source) {
      item.append(h('p', { class: 'source' }, h('span', { class: 'source-label', text: t.labelled(t.source, '') }), h('q', { text: definitionOf.source, lang: definition.sourceLanguage })));
    }
    return item;
  }

  return {
    element,
    update(result) {
      // Rewritten only when it changes, so the live region speaks once per change.
      const verdictText = t.verdict[result.verdict] ?? result.verdict;
      if (verdict.textContent !== verdictText) verdict.textContent = verdictText;
      verdict.dataset.verdict = result.verdict;
      const trial = result.trial ?? {};
      const rows = [
        [t.trialId, `${trial.id ?? definition.id} · ${ctx.text(definition.title)}`],
        [t.version, trial.version ?? definition.version],
        [t.sha256, trial.sha256],
        [t.screeningDate, formatDate(ctx.asOf, t)],
        [t.engine, result.engine?.version],
      ].filter(([, value]) => value);
      meta.replaceChildren(...rows.flatMap(([term, value]) => [h('dt', { text: term }), h('dd', { text: value })]));
      derivedList.replaceChildren(...(definition.derived ?? []).flatMap((d) => [
        h('dt', { text: ctx.text(d.label) }), h('dd', { text: derivedText(d.id, result) }),
      ]));
      for (const { derived, node } of runningValues) node.textContent = t.labelled(ctx.text(derived.label), derivedText(derived.id, result));
      for (const kind of ['inclusion', 'exclusion']) {
        lists[kind].replaceChildren(...result.criteria.filter((c) => c.kind === kind).map((c) => criterionItem(c, result)));
      }
      if (result.warnings?.length) {
        warnings.replaceChildren(h('h4', { text: t.warnings }), h('ul', {},
          result.warnings.map((w) => {
            const message = ctx.text(w.message) || w.code;
            return h('li', { text: w.criteria?.length ? t.labelled(w.criteria.join(t.separator), message) : message });
          })));
      } else {
        warnings.replaceChildren();
      }
      // Questions whose askIf is false are hidden unless answered (so they can be cleared).
      for (const question of definition.questions) {
        const control = ctx.control(question);
        const hiddenByMode = ctx.hiddenByMode().has(question.id);
        control.element.hidden = hiddenByMode || (!ctx.isAsked(question) && ctx.answer(question.id) == null);
      }
    },
  };
}

function entryModeSwitch(group, ctx) {
  const { t } = ctx;
  const label = ctx.text(group.derived.label);
  const name = `mode-${group.scoreId}`;
  const radio = (mode, text) => {
    const input = h('input', {
      type: 'radio', name, 'data-key': `${name}:${mode}`, checked: ctx.entryMode(group) === mode,
      onchange: () => input.checked && ctx.setEntryMode(group, mode),
    });
    return h('label', { class: 'choice' }, input, h('span', { text }));
  };
  return h('fieldset', { class: 'entry-mode', part: 'entry-mode' },
    h('legend', { text: t.entryMode(label) }),
    h('div', { class: 'choices' }, radio('total', t.entryTotal), radio('items', t.entryItems)));
}

