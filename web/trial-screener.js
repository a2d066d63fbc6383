// <trial-screener>: the screening widget. The element class lives here; the
// tag is registered by define.js so that hosts can register it under another
// name. Everything runs in the page: answers live only in this object's
// memory, are never sent and never stored.
import { compileLogic, loadScreener, localToday, prepareEngine } from '../wasm/trialscreen.js';
import { h } from './dom.js';
import { dictionaryFor, matchLanguage } from './i18n/index.js';
import { prepareFormats, textFor } from './texts.js';
import { questionControl } from './render/questions.js';
import { newFlow, patientView } from './render/patient.js';

const STYLESHEET = new URL('./trial-screener.css', import.meta.url).href;
// The element's one link to its stylesheet: re-renders never refetch it.
const stylesheetLink = () => h('link', { rel: 'stylesheet', href: STYLESHEET });

// User Timing marks of the load's steps (names only, never an answer), so a
// page or bench/browser.mjs can see where start-up time goes.
const mark = (step) => performance.mark(`trial-screener:${step}`);

const whenIdle = typeof requestIdleCallback === 'function' ? (task) => requestIdleCallback(task) : (task) => setTimeout(task, 0);

// The physician's view is imported the first time an element shows it, so a
// patient page never downloads it.
let physician = null;
function importPhysicianView() {
  return import('./render/physician.js').then((module) => {
    physician = module;
    return module;
  });
}

export class TrialScreenerElement extends HTMLElement {
  static observedAttributes = ['src', 'audience', 'lang', 'as-of'];

  #root;
  #frame;
  #screener = null;
  #definition = null;
  #askIf = new Map();        // question id -> compiled askIf rule (the physician view's; the patient's follows `next`)
  #scoreRules = new Map();   // score id -> its derived rule, for the running value
  #groups = null;            // score sections (total or item by item); the physician view's, once prepared
  #preparing = null;         // the physician view being prepared after an audience switch
  #answers = {};
  #unknownChosen = new Set();  // questions answered "I don't know" explicitly
  #entryModes = new Map();
  #flow = newFlow();
  #result = null;
  #view = null;
  #controls = new Map();
  #alert = null;
  #loadToken = 0;
  #connected = false;       // between connectedCallback and disconnectedCallback

  constructor() {
    super();
    // A page may hold the first screen already rendered, as an open
    // declarative shadow root (examples/site/prerender.mjs): it shows before
    // any script runs, inert, and stays until the first live render replaces
    // it. (Read as this.shadowRoot, not through attachInternals(), which a
    // subclass may want to call itself.)
    const prerendered = this.shadowRoot;
    this.#root = prerendered ?? this.attachShadow({ mode: 'open' });
    this.#frame = [...(prerendered?.children ?? [])].find((child) => child.matches('div.widget[data-prerendered]')) ?? null;
    if (this.#frame) {
      // Its stylesheet may be inline (examples/site/prerender.mjs). Under a
      // policy that does not allow that text's hash the browser blocks it
      // (and reports so): link the file instead, so the widget is styled.
      const styled = [...prerendered.children].some((child) => (child.localName === 'style' && child.sheet) || child.matches('link[rel="stylesheet"]'));
      if (!styled) prerendered.prepend(stylesheetLink());
      return;
    }
    this.#root.replaceChildren();  // a declarative root that is not our pre-rendered screen
    this.#frame = h('div', { class: 'widget', part: 'widget' });
    this.#root.append(stylesheetLink(), this.#frame);
  }

  get audience() {
    return this.getAttribute('audience') === 'patient' ? 'patient' : 'physician';
  }

  set audience(value) {
    this.setAttribute('audience', value);
  }

  /** The screening date, YYYY-MM-DD (attribute `as-of`, default today). */
  get asOf() {
    const value = this.getAttribute('as-of');
    return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : localToday();
  }

  set asOf(value) {
    this.setAttribute('as-of', value);
  }

  /** The answers entered so far (a copy). Setting it pre-fills the form. */
  get answers() {
    return structuredClone(this.#answers);
  }

  set answers(value) {
    this.#answers = value && typeof value === 'object' && !Array.isArray(value) ? structuredClone(value) : {};
    this.#unknownChosen.clear();
    this.#entryModes.clear();
    this.#flow = newFlow();
    if (this.#screener) this.#render();
  }

  /** The latest screening result (the contract's object), or null. */
  get result() {
    return this.#result;
  }

  /** Forgets everything entered and starts again from the first question. */
  reset() {
    const hadFocus = this.#root.activeElement != null;
    this.#answers = {};
    this.#unknownChosen.clear();
    this.#entryModes.clear();
    this.#flow = newFlow();
    this.#result = null;
    if (!this.#screener) return;
    this.#screener.forget();  // nor does the module keep outcomes worked out from the answers
    this.#render({ keepFocus: false });
    if (hadFocus) this.#root.getElementById('title')?.focus();
  }

  connectedCallback() {
    this.#connected = true;
    this.#load();
  }

  disconnectedCallback() {
    this.#connected = false;
    this.#loadToken += 1;
    this.#release();
  }

  // Calls before connectedCallback (an upgrade reports every attribute the
  // element already has) are its starting values, which connectedCallback
  // loads with: no change to show, no language-change to announce, and no
  // second loading notice built before the first question.
  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue || !this.#connected) return;
    if (name === 'src') {
      this.#load();
      return;
    }
    if (name === 'audience') this.#flow = newFlow();
    if (this.#screener) this.#render();
    else if (name === 'lang') this.#showLoadState(this.#frame.dataset.state ?? 'loading');
    if (name === 'lang') this.dispatchEvent(new CustomEvent('language-change', { bubbles: true, detail: { lang: this.#language() } }));
  }

  // The trial language serving the `lang` attribute.
  #language() {
    const available = this.#definition?.languages ?? ['en', 'zh-Hans'];
    return matchLanguage(this.getAttribute('lang'), available) ?? available[0] ?? 'en';
  }

  #release() {
    this.#screener?.dispose();
    this.#screener = null;
    this.#definition = null;
    for (const rule of [...this.#askIf.values(), ...this.#scoreRules.values()]) rule.dispose();
    this.#askIf.clear();
    this.#scoreRules.clear();
    this.#groups = null;
    this.#preparing = null;
  }

  // Whether the pre-rendered first screen is still shown and is this
  // element's (same audience and language): it then stands in for the
  // loading notice.
  #showsPrerendered() {
    const { dataset, lang } = this.#frame;
    return dataset.prerendered !== undefined && dataset.audience === this.audience && lang === this.#language();
  }

  // Live from here on: the pre-rendered screen, if any, is being replaced.
  #leavePrerendered() {
    if (this.#frame.dataset.prerendered === undefined) return;
    delete this.#frame.dataset.prerendered;
    this.#frame.removeAttribute('aria-busy');
  }

  #showLoadState(state) {
    if (state === 'loading' && this.#showsPrerendered()) return;
    this.#leavePrerendered();
    const t = dictionaryFor(this.#language());
    this.#frame.dataset.state = state;
    this.#frame.replaceChildren(state === 'failed'
      ? h('p', { class: 'error load-error', role: 'alert', part: 'error', text: t.loadFailed })
      : h('p', { class: 'notice loading', role: 'status', part: 'loading' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { text: t.loading })));
  }

  async #load() {
    const token = ++this.#loadToken;
    this.#release();
    this.#result = null;
    this.#showLoadState('loading');
    // The module downloads and compiles while the trial file is fetched; a
    // failure is reported below, once, when the load waits for it.
    const engine = prepareEngine();
    engine.catch(() => {});
    if (this.audience === 'physician') importPhysicianView().catch(() => {});
    try {
      const src = this.getAttribute('src');
      if (!src) throw Object.assign(new Error('no src attribute'), { code: 'src' });
      const url = new URL(src, document.baseURI);
      // The contract: a same-origin trial file. Nothing else is ever fetched.
      if (url.origin !== window.location.origin) throw Object.assign(new Error('src is not same-origin'), { code: 'src' });
      const response = await fetch(url, { credentials: 'same-origin' });
      if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { code: 'http' });
      const text = await response.text();
      mark('trial-downloaded');
      await engine;
      mark('engine-ready');
      const screener = await loadScreener(text);
      mark('session-ready');
      // The trial's own key order (the core's copy has its keys sorted), so
      // units are offered in the order the file lists them.
      const definition = JSON.parse(text);
      // The patient's view asks what the core's `next` says and reads no
      // rule itself: its first question does not wait for the physician's.
      const physicianRules = this.audience === 'physician' ? await preparePhysicianView(definition) : null;
      mark('rules-compiled');
      if (token !== this.#loadToken) {
        screener.dispose();
        disposeRules(physicianRules);
        return;
      }
      this.#screener = screener;
      this.#definition = definition;
      if (physicianRules) this.#usePhysicianRules(physicianRules);
      this.#frame.dataset.state = 'ready';
      this.#render({ keepFocus: false });
      mark('first-render');
      // The first Intl object of a page costs tens of ms (locale data): made
      // while the person reads the first question, not at a first answer.
      whenIdle(() => prepareFormats(dictionaryFor(this.#language())));
      this.dispatchEvent(new CustomEvent('screening-ready', { bubbles: true }));
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.#showLoadState('failed');
      this.dispatchEvent(new CustomEvent('screening-error', { bubbles: true, detail: { code: error.code ?? 'load', message: error.message } }));
    }
  }

  #usePhysicianRules({ groups, scoreRules, askIf }) {
    [this.#groups, this.#scoreRules, this.#askIf] = [groups, scoreRules, askIf];
  }

  // A switch to the physician view once loaded: its module, score and askIf
  // rules are prepared first (the loading notice shows meanwhile, answers are
  // kept).
  async #switchToPhysician() {
    if (this.#preparing) return;
    const token = this.#loadToken;
    const definition = this.#definition;
    this.#preparing = preparePhysicianView(definition);
    this.#showLoadState('loading');
    try {
      const physicianRules = await this.#preparing;
      if (token !== this.#loadToken || this.#definition !== definition) {
        disposeRules(physicianRules);
        return;
      }
      this.#usePhysicianRules(physicianRules);
      this.#preparing = null;
      this.#render({ keepFocus: false });
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.#preparing = null;
      if (this.audience !== 'physician') return;  // switched back meanwhile: nothing is missing
      this.#showLoadState('failed');
      this.dispatchEvent(new CustomEvent('screening-error', { bubbles: true, detail: { code: error.code ?? 'load', message: error.message } }));
    }
  }

  #context() {
    const lang = this.#language();
    const { audience } = this;
    const t = dictionaryFor(lang);
    const definition = this.#definition;
    const controls = this.#controls;
    const ctx = {
      t, lang, audience, definition, asOf: this.asOf, flow: this.#flow, scoreGroups: this.#groups,
      text: (text) => textFor(text, audience, lang),
      answer: (id) => this.#answers[id] ?? null,
      unknownChosen: (id) => this.#unknownChosen.has(id),
      setAnswer: (id, value, options) => this.#setAnswer(id, value, options),
      latest: () => this.#result,
      refresh: () => this.#update(),
      reset: () => this.reset(),
      download: () => this.#download(),
      isAsked: (question) => this.#isAsked(question),
      entryMode: (group) => this.#entryMode(group),
      setEntryMode: (group, mode) => {
        this.#entryModes.set(group.scoreId, mode);
        this.#update();
      },
      hiddenByMode: () => this.#hiddenByMode(),
      partialScore: (group) => this.#applyRule(this.#scoreRules.get(group.scoreId), null),
      control(question) {
        if (!controls.has(question.id)) controls.set(question.id, questionControl(question, ctx));
        return controls.get(question.id);
      },
    };
    return ctx;
  }

  // Builds everything for the current language and audience, keeping the
  // focus on the same control (a language switch must not lose one's place).
  #render({ keepFocus = true } = {}) {
    if (this.audience === 'physician' && !this.#groups) {
      this.#switchToPhysician();
      return;
    }
    this.#leavePrerendered();
    this.#frame.dataset.state = 'ready';
    const focusKey = keepFocus ? this.#root.activeElement?.dataset?.key : null;
    this.#controls = new Map();
    const ctx = this.#context();
    const { t, definition } = ctx;
    this.#frame.lang = ctx.lang;
    this.#alert = h('p', { class: 'error eval-error', role: 'alert', part: 'error' });
    const languages = definition.languages ?? [ctx.lang];
    const header = h('header', { class: 'header', part: 'header' },
      h('h2', { id: 'title', part: 'title', tabindex: '-1', text: ctx.text(definition.title) }),
      languages.length > 1 ? h('p', { class: 'language', part: 'language' },
        // Named in every language, so anyone can find the switch.
        h('label', { for: 'language', text: [...new Set([t.language, ...languages.map((tag) => dictionaryFor(tag).language)])].join(' / ') }), ' ',
        h('select', {
          id: 'language', 'data-key': 'language',
          onchange: (event) => this.setAttribute('lang', event.target.value),
        }, languages.map((tag) => h('option', { value: tag, lang: tag, selected: tag === ctx.lang, text: dictionaryFor(tag).languageName })))) : null,
      ctx.audience === 'patient' ? h('p', { class: 'privacy', text: t.privacy }) : null);
    this.#view = ctx.audience === 'patient' ? patientView(ctx) : physician.physicianView(ctx);
    this.#frame.dataset.audience = ctx.audience;
    this.#frame.replaceChildren(header, this.#alert, this.#view.element);
    this.#update();
    if (focusKey) this.#root.querySelector(`[data-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  // Each change makes a new answers object by spreading the last: V8 keeps an
  // object that is added to key by key past a dozen keys, or loses a key, as
  // a dictionary, which JSON.stringify writes slower, about a fifth of an
  // evaluation (docs/performance.md, "Twenty-seventh session").
  #setAnswer(id, value, { unknown = false } = {}) {
    if (value === null || value === undefined || value === '') {
      const { [id]: _removed, ...others } = this.#answers;
      this.#answers = others;
    } else {
      this.#answers = { ...this.#answers, [id]: value };
    }
    if (unknown) this.#unknownChosen.add(id);
    else this.#unknownChosen.delete(id);
    this.#update();
  }

  // Evaluates and shows the result. An evaluation that fails keeps every
  // answer and the form as they are and says so.
  #update() {
    const lang = this.#language();
    let result;
    try {
      result = this.#screener.evaluate(this.#evaluatedAnswers(), { asOf: this.asOf, audience: this.audience, lang });
    } catch (error) {
      this.#alert.textContent = dictionaryFor(lang).evaluateFailed;
      this.dispatchEvent(new CustomEvent('screening-error', { bubbles: true, detail: { code: error.code ?? 'evaluate', message: error.message } }));
      return;
    }
    this.#alert.textContent = '';
    this.#result = result;
    this.#view.update(result);
    const errorsByField = new Map();
    for (const error of result.answerErrors ?? []) {
      if (!errorsByField.has(error.field)) errorsByField.set(error.field, []);
      errorsByField.get(error.field).push(error);
    }
    for (const [id, control] of this.#controls) {
      const errors = errorsByField.get(id) ?? [];
      control.sync({ errors, suggestedUnit: errors.find((e) => typeof e.suggestedUnit === 'string')?.suggestedUnit ?? null });
    }
    this.dispatchEvent(new CustomEvent('screening-change', { bubbles: true, detail: result }));
  }

  // The physician's entry mode hides either a score's total or its items;
  // the hidden side is kept in memory but left out of the evaluation.
  #evaluatedAnswers() {
    if (this.audience !== 'physician' || !this.#groups?.length) return this.#answers;
    const hidden = this.#hiddenByMode();
    return Object.fromEntries(Object.entries(this.#answers).filter(([id]) => !hidden.has(id)));
  }

  #hiddenByMode() {
    return physician.fieldsHiddenByMode(this.#groups, (group) => this.#entryMode(group));
  }

  #entryMode(group) {
    if (!this.#entryModes.has(group.scoreId)) {
      const itemsAnswered = group.items.some((id) => this.#answers[id] != null);
      this.#entryModes.set(group.scoreId, itemsAnswered && this.#answers[group.scoreId] == null ? 'items' : 'total');
    }
    return this.#entryModes.get(group.scoreId);
  }

  // Whether a question is currently asked (its askIf over the answers); a
  // rule that cannot be applied shows the question rather than hide it.
  #isAsked(question) {
    const rule = this.#askIf.get(question.id);
    if (!rule) return true;
    const asked = this.#applyRule(rule, true);
    return Array.isArray(asked) ? asked.length > 0 : Boolean(asked);  // JsonLogic truthiness
  }

  // Plain JsonLogic over the answers as entered (unanswered = absent).
  #applyRule(rule, fallback) {
    if (!rule) return fallback;
    try {
      return rule.apply({ ...this.#answers, as_of: this.asOf });
    } catch {
      return fallback;
    }
  }

  // "Download JSON": a Blob and an object URL, so nothing goes over the network.
  #download() {
    if (!this.#result) return;
    const blob = new Blob([`${JSON.stringify(this.#result, null, 2)}\n`], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const id = this.#result.trial?.id ?? 'trial';
    const link = h('a', { href: url, download: `${id}-screening-${this.asOf}.json`, hidden: true });
    this.#root.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

// What the physician view reads besides the core's result: its score
// sections with their compiled running-score rules, and the questions' askIf
// rules (it shows every question that is asked, not only the next ones).
async function preparePhysicianView(definition) {
  const { scoreGroups } = await importPhysicianView();
  const groups = scoreGroups(definition);
  return {
    groups,
    scoreRules: await compileRules(groups.map((g) => [g.scoreId, g.derived.rule])),
    askIf: await compileRules(definition.questions.map((q) => [q.id, q.askIf])),
  };
}

function disposeRules(physicianRules) {
  if (!physicianRules) return;
  for (const rule of [...physicianRules.scoreRules.values(), ...physicianRules.askIf.values()]) rule.dispose();
}

// Compiles [id, rule] pairs; a rule that does not compile is left out (its
// question is then always shown; the core still decides what counts).
async function compileRules(pairs) {
  const rules = new Map();
  for (const [id, rule] of pairs) {
    if (rule === undefined) continue;
    try {
      rules.set(id, await compileLogic(rule));
    } catch {
      // left out on purpose
    }
  }
  return rules;
}
