// <trial-screener>: the screening widget. The element class lives here; the
// tag is registered by define.js so that hosts can register it under another
// name. Everything runs in the page: answers are never sent or stored.
import { loadScreener, localToday } from '../wasm/trialscreen.js';
import { dictionaryFor } from './i18n/index.js';

const STYLESHEET = new URL('./trial-screener.css', import.meta.url).href;

// Builds an element; text is always set as text, never parsed as HTML.
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.filter((child) => child != null));
  return node;
}

// Picks the audience's and language's words from a trial text.
export function textFor(text, audience, lang) {
  if (text == null) return '';
  const forAudience = text.patient || text.physician ? text[audience] ?? text.physician ?? text.patient : text;
  return forAudience?.[lang] ?? forAudience?.en ?? '';
}

export class TrialScreenerElement extends HTMLElement {
  static observedAttributes = ['src', 'audience', 'lang', 'as-of'];

  #screener = null;
  #answers = {};
  #result = null;
  #loadToken = 0;
  #root;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
  }

  get audience() {
    return this.getAttribute('audience') === 'patient' ? 'patient' : 'physician';
  }

  get lang() {
    return this.getAttribute('lang') || 'en';
  }

  get asOf() {
    return this.getAttribute('as-of') || localToday();
  }

  /** The answers entered so far (a copy). Setting it pre-fills the form. */
  get answers() {
    return structuredClone(this.#answers);
  }

  set answers(value) {
    this.#answers = value && typeof value === 'object' ? structuredClone(value) : {};
    if (this.#screener) this.#renderForm();
  }

  /** The latest screening result, or null before the first evaluation. */
  get result() {
    return this.#result;
  }

  /** Forgets everything entered. */
  reset() {
    this.#answers = {};
    if (this.#screener) this.#renderForm();
  }

  connectedCallback() {
    if (!this.#screener) this.#load();
  }

  disconnectedCallback() {
    this.#loadToken += 1;
    this.#screener?.dispose();
    this.#screener = null;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.isConnected) return;
    if (name === 'src') this.#load();
    else if (this.#screener) this.#renderForm();
  }

  async #load() {
    const token = ++this.#loadToken;
    const t = dictionaryFor(this.lang);
    this.#root.replaceChildren(this.#stylesheet(), h('p', { class: 'notice', role: 'status', text: t.loading }));
    try {
      const response = await fetch(new URL(this.getAttribute('src'), document.baseURI), { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const screener = await loadScreener(await response.text());
      if (token !== this.#loadToken) {
        screener.dispose();
        return;
      }
      this.#screener?.dispose();
      this.#screener = screener;
      this.#renderForm();
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.#root.replaceChildren(this.#stylesheet(), h('p', { class: 'error', role: 'alert', text: t.loadFailed }));
      this.dispatchEvent(new CustomEvent('screening-error', { detail: { code: error.code ?? 'load' } }));
    }
  }

  #stylesheet() {
    return h('link', { rel: 'stylesheet', href: STYLESHEET });
  }

  #renderForm() {
    const { audience, lang } = this;
    const trial = this.#screener.definition;
    const t = dictionaryFor(lang);
    const form = h('form', { part: 'form', onsubmit: (event) => event.preventDefault() });
    for (const question of trial.questions) {
      if (audience === 'patient' && question.who !== 'patient') continue;
      form.append(this.#questionControl(question, audience, lang, t));
    }
    this.#statusRegion = h('section', { part: 'result', 'aria-labelledby': 'result-heading' });
    this.#root.replaceChildren(
      this.#stylesheet(),
      h('h2', { part: 'title', text: textFor(trial.title, audience, lang) }),
      form,
      this.#statusRegion,
    );
    this.#evaluate();
  }

  #statusRegion = null;

  #questionControl(question, audience, lang, t) {
    const id = `q-${question.id}`;
    const label = textFor(question.text, audience, lang);
    const value = this.#answers[question.id];
    if (question.type === 'boolean') {
      const choice = (answer, text) =>
        h('label', {},
          h('input', {
            type: 'radio', name: id, checked: value === answer,
            onchange: () => this.#setAnswer(question.id, answer),
          }),
          text);
      return h('fieldset', { class: 'question', 'data-field': question.id },
        h('legend', { text: label }),
        choice(true, t.yes), choice(false, t.no), choice(null, t.unknown));
    }
    const input = h('input', {
      id, type: question.type === 'date' ? 'date' : 'text',
      inputmode: question.type === 'integer' || question.type === 'number' ? 'decimal' : undefined,
      value: typeof value === 'number' || typeof value === 'string' ? String(value) : '',
      oninput: (event) => this.#setAnswer(question.id, parseEntry(question, event.target.value)),
    });
    return h('div', { class: 'question', 'data-field': question.id }, h('label', { for: id, text: label }), input);
  }

  #setAnswer(field, value) {
    if (value === null || value === undefined) delete this.#answers[field];
    else this.#answers[field] = value;
    this.#evaluate();
  }

  #evaluate() {
    const { audience, lang } = this;
    const t = dictionaryFor(lang);
    const result = this.#screener.evaluate(this.#answers, { asOf: this.asOf, audience, lang });
    this.#result = result;
    const trial = this.#screener.definition;
    const labels = new Map(trial.criteria.map((c) => [c.id, textFor(c.label, audience, lang)]));
    const list = h('ul', { 'aria-label': t.criteria });
    for (const criterion of result.criteria) {
      list.append(h('li', { 'data-criterion': criterion.id, 'data-status': criterion.status,
        text: `${criterion.id} ${labels.get(criterion.id) ?? ''}: ${t.status[criterion.status]}` }));
    }
    this.#statusRegion.replaceChildren(
      h('h3', { id: 'result-heading', text: t.result }),
      h('p', { role: 'status', 'aria-live': 'polite', 'aria-label': t.result, text: t.verdict[result.verdict] }),
      list,
    );
    this.dispatchEvent(new CustomEvent('screening-change', { detail: result }));
  }
}

// A typed entry as the answer value; empty or unreadable means unanswered.
function parseEntry(question, text) {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (question.type === 'integer' || question.type === 'number' || question.type === 'quantity') {
    const number = Number(trimmed.replace(',', '.'));
    return Number.isFinite(number) ? number : trimmed;
  }
  return trimmed;
}
