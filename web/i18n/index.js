import en from './en.js';
import zhHans from './zh-Hans.js';

// Interface dictionaries by BCP 47 tag; the trial file supplies its own texts.
export const dictionaries = { en, 'zh-Hans': zhHans };

export function dictionaryFor(lang) {
  return dictionaries[lang] ?? dictionaries.en;
}
