// trialscreen: the friendly JavaScript API over the WebAssembly core.
// Runs in browsers and in Node 20. JSON strings cross the boundary; failures
// come back as values and are turned into Error subclasses here.
import createTrialscreenCore from './trialscreen-core.mjs';

/** A trial definition that cannot be loaded: `code` is a stable id, `path` a JSON pointer. */
export class TrialError extends Error {
  constructor(error) {
    super(`[${error.code}] (${error.path}) ${error.message}`);
    this.name = 'TrialError';
    this.code = error.code;
    this.path = error.path;
    this.errors = error.errors ?? [error];
  }
}

/** A JsonLogic rule that cannot compile or that fails on evaluation. */
export class LogicError extends Error {
  constructor(error) {
    super(error.message ?? error.type);
    this.name = 'LogicError';
    this.type = error.type ?? error.code;  // the suites' error type, e.g. "NaN"
    this.code = error.code ?? error.type;
    this.path = error.path ?? '';
    if ('thrown' in error) this.thrown = error.thrown;
  }
}

/** Input the core could not read (e.g. answers that are not a JSON object). */
export class InputError extends Error {
  constructor(error) {
    super(`[${error.code}] (${error.path}) ${error.message}`);
    this.name = 'InputError';
    this.code = error.code;
    this.path = error.path;
  }
}

const isNode = typeof process !== 'undefined' && process.versions != null && process.versions.node != null;

// The compiled module is code, not state: it is instantiated once per page (or
// Node process) and shared by every screener, each of which owns one handle.
let corePromise = null;

async function instantiateCore() {
  const wasmUrl = new URL('./trialscreen-core.wasm', import.meta.url);
  if (isNode) {
    // Node downloads nothing, so it takes the module built for speed
    // (node/, -O2) when it is there, the browsers' one otherwise. Node 20's
    // global fetch cannot load file: URLs, so hand the bytes over.
    const { readFile } = await import('node:fs/promises');
    const forNode = new URL('./node/trialscreen-core.wasm', import.meta.url);
    let wasmBinary;
    try {
      wasmBinary = await readFile(forNode);
    } catch {
      return createTrialscreenCore({ wasmBinary: await readFile(wasmUrl) });
    }
    const { default: createForNode } = await import('./node/trialscreen-core.mjs');
    return createForNode({ wasmBinary });
  }
  return createTrialscreenCore({ locateFile: (file) => new URL(file, import.meta.url).href });
}

function core() {
  corePromise ??= instantiateCore().catch((error) => {
    corePromise = null;  // allow a retry after, say, a network failure
    throw error;
  });
  return corePromise;
}

/**
 * Starts fetching and compiling the WebAssembly core now, before any trial is
 * at hand, so a page can overlap it with fetching its trial file. Resolves once
 * the core is ready; loadScreener and compileLogic then reuse it.
 */
export async function prepareEngine() {
  await core();
}

// JSON text for the core. A value JSON cannot represent (a cycle, a BigInt)
// is the caller's bad input, reported like any other: an InputError.
function jsonText(value, what, names = null) {
  try {
    return JSON.stringify(names ? named(value, names) : value);
  } catch (error) {
    throw new InputError({
      code: "input.unserialisable", path: '', message: `${what} cannot be written as JSON: ${error.message}`,
    });
  }
}

// Trials, rules and answers may be given as JSON text or as values.
const toText = (value, what) => (typeof value === 'string' ? value : jsonText(value, what));
// Results come out of the module as UTF-8 bytes (TrialSession.screenView).
const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** The screening date for "today" in the local calendar, as YYYY-MM-DD. */
export function localToday(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// A criterion object as handed out: frozen, with everything in it, because
// the screener hands the same object out again in every result whose
// criterion reads the same.
function frozen(value) {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) frozen(member);
    Object.freeze(value);
  }
  return value;
}

// A block of `size` bytes of the module's memory (InputError when there is no room).
function allocate(module, size, what) {
  const address = module._malloc(size);
  if (!address) throw new InputError({ code: 'input.too-large', path: '', message: `${what} do not fit in memory` });
  return address;
}

// Where a text's UTF-8 bytes are written for the core: a block of the
// module's memory kept from call to call, grown when too small, and a view
// of it (a new one after the memory grows). Its bytes stay (a shorter text
// overwrites only its own length): wiped when a person starts over and
// before the block is freed.
class InputBlock {
  #module;
  #what;
  address = 0;
  #size = 0;
  #view = null;

  constructor(module, what) {
    this.#module = module;
    this.#what = what;
  }

  // Writes the text's UTF-8 bytes into the block; returns how many.
  write(text) {
    const module = this.#module;
    const most = text.length * 3;  // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (most > this.#size) {
      this.free();
      const size = Math.max(most, 4096);
      this.address = allocate(module, size, `${this.#what} of ${text.length} characters`);
      this.#size = size;
    }
    if (this.#view?.buffer !== module.HEAPU8.buffer) {
      this.#view = module.HEAPU8.subarray(this.address, this.address + this.#size);
    }
    return utf8Encoder.encodeInto(text, this.#view).written;
  }

  wipe() {
    this.#module.HEAPU8.fill(0, this.address, this.address + this.#size);
  }

  free() {
    if (this.address) {
      this.wipe();
      this.#module._free(this.address);
    }
    this.address = 0;
    this.#size = 0;
    this.#view = null;
  }
}

class Screener {
  #module;
  #session;
  #definition = null;
  // Where the answers' UTF-8 bytes are written for the core.
  #input;
  // The last options, and their JSON text's UTF-8 bytes in a block of their
  // own, written again only when they change (most calls repeat them).
  #options = { asOf: null, audience: null, lang: null, address: 0, size: 0 };
  // The criterion objects the core has handed out, by their number
  // (TrialSession::screen_numbered in the core): a result names each of its
  // criteria by number, and sends only those not seen before, so an
  // evaluation parses a few hundred bytes instead of the whole 4 KB result.
  #criteria = [];

  constructor(module, session) {
    this.#module = module;
    this.#session = session;
    this.#input = new InputBlock(module, 'answers');
  }

  /** The loaded trial definition (texts, questions, criteria), parsed once. */
  get definition() {
    this.#definition ??= JSON.parse(utf8.decode(this.#live().definitionView()));
    return this.#definition;
  }

  /**
   * Screens one person; returns the contract's result object. Its criterion
   * objects are frozen: one that reads the same in a later result is the
   * same object.
   */
  evaluate(answers = {}, { asOf = localToday(), audience = 'physician', lang = 'en' } = {}) {
    const session = this.#live();
    const size = this.#input.write(toText(answers ?? {}, 'answers'));
    const options = this.#optionsBytes(asOf, audience, lang);
    // Decoded at once: the view is valid until the next call.
    const text = utf8.decode(session.screenView(this.#input.address, size, options.address, options.size));
    const newCriteria = text.indexOf('\n');
    const reply = JSON.parse(newCriteria < 0 ? text : text.slice(0, newCriteria));
    if (reply.error) throw new InputError(reply.error);
    if (newCriteria >= 0) {
      const [first, ...objects] = text.slice(newCriteria + 1).split('\n');
      this.#criteria.length = Number(first);  // 0: the core numbers them over again
      for (const object of objects) this.#criteria.push(frozen(JSON.parse(object)));
    }
    const { criteria } = reply;
    for (let i = 0; i < criteria.length; ++i) criteria[i] = this.#criteria[criteria[i]];
    return reply;
  }

  /**
   * Forgets what earlier evaluations left in the module and in this screener:
   * the rule outcomes it keeps to answer the next evaluation sooner (keyed by
   * the answers they came from), the criterion objects it handed out and the
   * last result. For a person starting over.
   */
  forget() {
    this.#live().forget();
    this.#criteria = [];
    this.#input.wipe();
  }

  /** Coverage problems of the definition: [{code, path, message}]. */
  lint() {
    return JSON.parse(this.#live().lint());
  }

  dispose() {
    this.#session?.delete();
    this.#session = null;
    this.#criteria = [];
    this.#input.free();
    if (this.#options.address) this.#module._free(this.#options.address);
    this.#options = { asOf: null, audience: null, lang: null, address: 0, size: 0 };
  }

  #live() {
    if (!this.#session) throw new Error('this screener was disposed');
    return this.#session;
  }

  // The options' JSON text as UTF-8 bytes in the module's memory.
  #optionsBytes(asOf, audience, lang) {
    const last = this.#options;
    if (last.address && last.asOf === asOf && last.audience === audience && last.lang === lang) return last;
    const bytes = utf8Encoder.encode(jsonText({ asOf, audience, lang }, 'options'));
    const address = allocate(this.#module, Math.max(bytes.length, 1), 'options');
    this.#module.HEAPU8.set(bytes, address);
    if (last.address) this.#module._free(last.address);
    this.#options = { asOf, audience, lang, address, size: bytes.length };
    return this.#options;
  }
}

// A trial session from the definition's text. The text goes in as UTF-8
// bytes copied into the module's memory at once (TextEncoder, HEAPU8.set):
// Embind's conversion of a string argument is a JavaScript loop over every
// character, the slowest part of a cold page load for a 100 KB trial.
function newTrialSession(module, text) {
  const bytes = utf8Encoder.encode(text);
  const address = module._malloc(Math.max(bytes.length, 1));
  if (!address) return new module.TrialSession(text);  // out of memory: let Embind try
  try {
    module.HEAPU8.set(bytes, address);
    return new module.TrialSession(address, bytes.length);
  } finally {
    module._free(address);
  }
}

/** Loads a trial definition (JSON text or object). Throws TrialError. */
export async function loadScreener(trial) {
  const module = await core();
  const session = newTrialSession(module, toText(trial, 'trial'));
  if (!session.ok()) {
    const { error } = JSON.parse(session.loadError());
    session.delete();
    throw new TrialError(error);
  }
  return new Screener(module, session);
}

// An object JSON.stringify writes as its own members, each on its own: no
// array, no class's instance, no toJSON.
function plainObject(value) {
  if (value === null || typeof value !== 'object' || 'toJSON' in value) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// The members of a plain object that JSON.stringify would write, of those
// named. In a plain object, which JSON.stringify writes several times faster
// than one without a prototype, unless a name is "__proto__" (which would set
// a plain object's prototype instead).
function named(data, names) {
  const kept = names.includes('__proto__') ? Object.create(null) : {};
  // hasOwn first: propertyIsEnumerable alone is slow on a name that is absent.
  for (const name of names) {
    if (Object.hasOwn(data, name) && Object.prototype.propertyIsEnumerable.call(data, name)) kept[name] = data[name];
  }
  return kept;
}

class CompiledLogic {
  #session;
  // The top-level names the rule reads, or null when it may read more
  // (LogicSession::data_names): a rule on one field of a record is given that
  // field, not the record's whole text written, copied and parsed again.
  #names;

  constructor(session) {
    this.#session = session;
    this.#names = JSON.parse(session.dataNames());
  }

  /** Plain JsonLogic evaluation of a JS value; returns a JS value, throws LogicError. */
  apply(data = null) {
    if (!this.#session) throw new Error('this rule was disposed');
    const names = plainObject(data) ? this.#names : null;
    const reply = JSON.parse(this.#session.apply(jsonText(data ?? null, 'data', names)));
    if (reply.error) throw new LogicError(reply.error);
    return reply.result;
  }

  dispose() {
    this.#session?.delete();
    this.#session = null;
  }
}

// A session of the core's made by `open`, handed to `Wrap` (with the
// module, for a wrapper that writes into its memory), or the LogicError its
// compile error names.
async function compiled(open, Wrap) {
  const module = await core();
  const session = open(module);
  if (!session.ok()) {
    const { error } = JSON.parse(session.compileError());
    session.delete();
    throw new LogicError(error);
  }
  return new Wrap(session, module);
}

/** Compiles a JsonLogic rule (JSON text or value) once. Throws LogicError. */
export async function compileLogic(rule) {
  return compiled((module) => new module.LogicSession(toText(rule, 'rule')), CompiledLogic);
}

class CompiledRuleSet {
  #session;
  #names;  // as CompiledLogic's, for all of the rules
  #input;  // where the data's UTF-8 bytes are written for the core

  constructor(session, module) {
    this.#session = session;
    this.#names = JSON.parse(session.dataNames());
    this.#input = new InputBlock(module, 'data');
  }

  /**
   * Every rule over one JS value (the data crosses into the core once): an
   * array holding, per rule in order, its value, or the LogicError that
   * compileLogic(rule).apply(data) would throw. Throws only for data that
   * cannot be written as JSON.
   */
  apply(data = null) {
    if (!this.#session) throw new Error('these rules were disposed');
    const names = plainObject(data) ? this.#names : null;
    const size = this.#input.write(jsonText(data ?? null, 'data', names));
    const reply = JSON.parse(utf8.decode(this.#session.applyView(this.#input.address, size)));
    if (reply.error) throw new LogicError(reply.error);
    const { results, errors } = reply;
    if (errors) {
      // Handed back, not thrown: a stack would point here and cost more than
      // the rule (V8 writes it on construction), so none is taken.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        for (const at of Object.keys(errors)) results[at] = new LogicError(errors[at]);
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
    }
    return results;
  }

  dispose() {
    this.#session?.delete();
    this.#session = null;
    this.#input.free();
  }
}

/**
 * Compiles a list of JsonLogic rules (JSON text or an array) once, to apply
 * together to one document at a time. Throws LogicError; its path starts
 * with the failing rule's index ("/3/if").
 */
export async function compileRuleSet(rules) {
  return compiled((module) => new module.RuleSetSession(toText(rules, 'rules')), CompiledRuleSet);
}

/** The core's version string. */
export async function engineVersion() {
  return (await core()).engineVersion();
}
