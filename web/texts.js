// Picking trial texts and formatting values for people, with Intl for the
// language: dates, numbers and units never go through string concatenation of
// raw codes.

/** The words for `audience` and `lang` from a text or an audience text. */
export function textFor(text, audience, lang) {
  if (text == null) return '';
  if (typeof text === 'string') return text;
  const forAudience = 'patient' in text || 'physician' in text ? text[audience] ?? text.physician ?? text.patient : text;
  if (forAudience == null || typeof forAudience !== 'object') return '';
  return forAudience[lang] ?? forAudience.en ?? Object.values(forAudience)[0] ?? '';
}

const dateFormats = new Map();
const numberFormats = new Map();
const DEFAULT_DIGITS = 6;  // entered values keep their decimals

function dateFormat(locale) {
  if (!dateFormats.has(locale)) {
    dateFormats.set(locale, new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }));
  }
  return dateFormats.get(locale);
}

function numberFormat(locale, digits) {
  const key = `${locale} ${digits}`;
  if (!numberFormats.has(key)) numberFormats.set(key, new Intl.NumberFormat(locale, { maximumFractionDigits: digits }));
  return numberFormats.get(key);
}

/**
 * Creates the number and date formats of a language ahead of their first use:
 * the first Intl object of a page loads locale data (tens of ms).
 */
export function prepareFormats(t) {
  numberFormat(t.intlLocale, DEFAULT_DIGITS);
  dateFormat(t.intlLocale);
}

/** "2026-11-29" as "29 November 2026" / "2026年11月29日"; anything else unchanged. */
export function formatDate(iso, t) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(iso));
  if (!match) return String(iso);
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? String(iso) : dateFormat(t.intlLocale).format(date);
}

/** A number for people, with at most `digits` decimals (entered values keep theirs). */
export function formatNumber(value, t, digits = DEFAULT_DIGITS) {
  return typeof value === 'number' ? numberFormat(t.intlLocale, digits).format(value) : String(value);
}

/** A UCUM code as people write it ("10*9/L" -> "×10⁹/L"). */
export function unitLabel(code, t) {
  return t.units[code] ?? code;
}

export function formatQuantity(value, unit, t, digits) {
  const number = formatNumber(value, t, digits);
  return unit ? `${number} ${unitLabel(unit, t)}` : number;
}

/** Every variable a JsonLogic rule reads (the `var` names), as a Set. */
export function varsOf(rule, into = new Set()) {
  if (Array.isArray(rule)) {
    for (const item of rule) varsOf(item, into);
  } else if (rule && typeof rule === 'object') {
    for (const [operator, args] of Object.entries(rule)) {
      if (operator === 'var') {
        const name = Array.isArray(args) ? args[0] : args;
        if (typeof name === 'string' && name !== '') into.add(name.split('.')[0]);
        else varsOf(args, into);
      } else {
        varsOf(args, into);
      }
    }
  }
  return into;
}

/** An answer as people read it, or '' when unanswered. */
export function formatAnswer(question, answer, { t, audience, lang }) {
  if (answer === undefined || answer === null || answer === '') return '';
  switch (question.type) {
    case 'boolean':
      return answer === true ? t.yes : answer === false ? t.no : String(answer);
    case 'choice': {
      const option = question.options?.find((o) => o.value === answer);
      return option ? textFor(option.text, audience, lang) : String(answer);
    }
    case 'date':
      return formatDate(answer, t);
    case 'date-or-none':
      return answer === 'none' ? textFor(question.noneText, audience, lang) || t.none : formatDate(answer, t);
    case 'quantity':
      if (answer && typeof answer === 'object') return formatQuantity(answer.value, answer.unit, t);
      return formatQuantity(answer, question.unit, t);
    default:
      return formatQuantity(answer, question.unit, t);
  }
}
