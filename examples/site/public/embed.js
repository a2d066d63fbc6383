// The iframe page for partner portals. Each result goes, with postMessage, to
// the parent origin named in the address (?parentOrigin=https://portal.example)
// and to no other: never "*". Without a valid origin nothing is posted.
// Optional ?audience=patient|physician and ?lang=en|zh-Hans.
import { parentOriginFrom } from '/embed-origin.js';

const params = new URLSearchParams(window.location.search);
const widget = document.querySelector('trial-screener');
const audience = params.get('audience');
const lang = params.get('lang');
if (audience === 'patient' || audience === 'physician') widget.setAttribute('audience', audience);
if (lang === 'en' || lang === 'zh-Hans') widget.setAttribute('lang', lang);

const parentOrigin = parentOriginFrom(params.get('parentOrigin'));
if (parentOrigin) {
  widget.addEventListener('screening-change', (event) => {
    window.parent.postMessage({ type: 'trialscreen:result', result: event.detail }, parentOrigin);
  });
} else {
  console.warn('embed: no valid parentOrigin in the address, so no result is posted');
}
