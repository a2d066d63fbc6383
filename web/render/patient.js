// The patient's view: one short section at a time, only the questions that
// can still matter (the result's `next`), then a kind ending. It stops as
// soon as a section's answers make the verdict "not_eligible", saying why in
// plain words, and never says "eligible" without "the study team decides".
import { h, reconcile } from '../dom.js';
import { formatDate } from '../texts.js';

/** The flow's state, kept by the element so it survives a language switch. */
export function newFlow() {
  return { asked: new Set(), history: [], current: null, outcome: null };
}

export function patientView(ctx) {
  const { t, definition, flow } = ctx;
  const questionsById = new Map(definition.questions.map((q) => [q.id, q]));
  const sectionsById = new Map(definition.sections.map((s) => [s.id, s]));
  const criteriaById = new Map(definition.criteria.map((c) => [c.id, c]));

  const questionList = h('div', { class: 'step-questions' });
  const progress = h('p', { class: 'progress', part: 'progress' });
  const stepTitle = h('h3', { id: 'step-title', tabindex: '-1' });
  const backButton = h('button', { type: 'button', class: 'secondary', 'data-key': 'back', onclick: () => goBack(), text: t.back });
  const stepForm = h('form', { novalidate: true, part: 'form', onsubmit: (event) => { event.preventDefault(); goOn(); } },
    questionList,
    h('div', { class: 'actions', part: 'actions' },
      h('button', { type: 'submit', 'data-key': 'continue', text: t.continue }),
      backButton,
      // On a shared device, anyone can wipe what was entered at any point.
      h('button', { type: 'button', class: 'secondary', 'data-key': 'start-over', onclick: () => ctx.reset(), text: t.startOver })));
  const step = h('section', { class: 'step', part: 'step', 'aria-labelledby': 'step-title' }, progress, stepTitle, stepForm);
  const outcome = h('section', { class: 'outcome', part: 'result', 'aria-live': 'polite', 'aria-label': t.result });
  const element = h('div', { class: 'patient' }, step, outcome);

  // Questions on screen in the current step: those it started with, plus any
  // that became relevant in the same section while answering (e.g. a question
  // asked only of women), which stay once answered.
  function shownIds(result) {
    const { current } = flow;
    const next = new Set(result.next);
    return definition.questions.filter((q) => {
      if (q.section !== current.section) return false;
      if (current.ids.includes(q.id)) return true;
      if (next.has(q.id) && !flow.asked.has(q.id)) {
        current.added.add(q.id);
        return true;
      }
      return current.added.has(q.id) && ctx.answer(q.id) != null;
    }).map((q) => q.id);
  }

  function plan(result) {
    flow.current = null;
    flow.outcome = null;
    if (result.verdict === 'not_eligible') {
      flow.outcome = 'stop';
      return;
    }
    const candidates = result.next.filter((id) => !flow.asked.has(id) && questionsById.has(id));
    if (candidates.length === 0) {
      flow.outcome = 'end';
      return;
    }
    const section = questionsById.get(candidates[0]).section;
    flow.current = { section, ids: candidates.filter((id) => questionsById.get(id).section === section), added: new Set() };
  }

  function goOn() {
    const result = ctx.latest();
    if (!result) return;
    for (const id of shownIds(result)) flow.asked.add(id);
    flow.history.push(flow.current);
    plan(result);
    ctx.refresh();
    focusHeading();
  }

  function goBack() {
    const previous = flow.history.pop();
    if (!previous) return;
    for (const id of [...previous.ids, ...previous.added]) flow.asked.delete(id);
    flow.current = previous;
    flow.outcome = null;
    ctx.refresh();
    focusHeading();
  }

  function focusHeading() {
    (flow.outcome ? outcome.querySelector('h3') : stepTitle)?.focus();
  }

  function criterionLine(status) {
    const criterion = criteriaById.get(status.id) ?? {};
    const why = status.reason || ctx.text(criterion.failText) || ctx.text(criterion.label) || status.id;
    const item = h('li', { 'data-criterion': status.id }, h('span', { text: why }));
    if (status.clearsOn) item.append(h('p', { class: 'clears', text: t.clearsOn(formatDate(status.clearsOn, t)) }));
    return item;
  }

  function labelLine(status) {
    const criterion = criteriaById.get(status.id) ?? {};
    const item = h('li', { 'data-criterion': status.id, text: ctx.text(criterion.label) || status.id });
    if (status.clearsOn) item.append(h('p', { class: 'clears', text: t.clearsOn(formatDate(status.clearsOn, t)) }));
    return item;
  }

  function outcomeActions() {
    return h('div', { class: 'actions', part: 'actions' },
      flow.history.length ? h('button', { type: 'button', 'data-key': 'change', onclick: () => goBack(), text: t.changeAnswers }) : null,
      h('button', { type: 'button', class: 'secondary', 'data-key': 'start-over', onclick: () => ctx.reset(), text: t.startOver }));
  }

  function renderOutcome(result) {
    const title = (text) => h('h3', { id: 'outcome-title', tabindex: '-1', text });
    const byStatus = (status) => result.criteria.filter((c) => c.status === status);
    if (flow.outcome === 'stop') {
      outcome.replaceChildren(title(t.stopTitle), h('p', { text: t.stopIntro }),
        h('ul', { class: 'reasons' }, byStatus('fail').map(criterionLine)),
        h('p', { text: t.stopOutro }), outcomeActions());
      return;
    }
    const eligible = result.verdict === 'eligible';
    const parts = [title(eligible ? t.eligibleTitle : t.incompleteTitle), h('p', { class: 'lead', text: eligible ? t.eligibleIntro : t.incompleteIntro })];
    const open = byStatus('unknown');
    if (open.length) parts.push(h('p', { text: t.stillOpen }), h('ul', { class: 'open' }, open.map(labelLine)));
    const deferred = byStatus('deferred');
    if (deferred.length) parts.push(h('p', { text: t.stillToCheck }), h('ul', { class: 'deferred' }, deferred.map(labelLine)));
    outcome.replaceChildren(...parts, outcomeActions());
  }

  function show(result) {
    if (!result) return;
    if (!flow.current && !flow.outcome) plan(result);
    if (flow.outcome) {
      step.hidden = true;
      renderOutcome(result);
      return;
    }
    step.hidden = false;
    outcome.replaceChildren();
    // A small whole number the dictionary writes itself: an Intl object here
    // would cost the first screen tens of ms (see whenIdle in the element).
    progress.textContent = t.step(flow.history.length + 1);
    stepTitle.textContent = ctx.text(sectionsById.get(flow.current.section)?.title);
    backButton.hidden = flow.history.length === 0;
    reconcile(questionList, shownIds(result).map((id) => ctx.control(questionsById.get(id)).element));
  }

  return {
    element,
    update: show,
  };
}
