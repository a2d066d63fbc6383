// The demo pages' own chrome: shows the page texts in the widget's language
// (data-lang blocks), follows the widget's language switch, and honours
// ?lang=zh-Hans in the address. No storage, no requests.
const LANGUAGES = ['en', 'zh-Hans'];
const widget = document.querySelector('trial-screener');
const englishTitle = document.title;

function showLanguage(lang) {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-lang]')) node.hidden = node.dataset.lang !== lang;
  document.title = lang === 'zh-Hans' ? document.body.dataset.titleZhHans ?? englishTitle : englishTitle;
}

const wanted = new URLSearchParams(window.location.search).get('lang');
if (widget && LANGUAGES.includes(wanted)) widget.setAttribute('lang', wanted);
widget?.addEventListener('language-change', (event) => showLanguage(event.detail.lang));
showLanguage(widget?.getAttribute('lang') ?? 'en');
