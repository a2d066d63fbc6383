import en from './en.js';
import zhHans from './zh-Hans.js';

// Interface dictionaries by BCP 47 tag; the trial file supplies its own texts.
export const dictionaries = { en, 'zh-Hans': zhHans };

export function dictionaryFor(lang) {
  return dictionaries[lang] ?? dictionaries[matchLanguage(lang, Object.keys(dictionaries))] ?? dictionaries.en;
}

/** The tag in `available` that best serves `wanted` ("zh" -> "zh-Hans", "en-US" -> "en"), or null. */
export function matchLanguage(wanted, available) {
  if (!wanted) return null;
  if (available.includes(wanted)) return wanted;
  const base = String(wanted).toLowerCase().split('-')[0];
  return available.find((tag) => tag.toLowerCase().split('-')[0] === base) ?? null;
}
