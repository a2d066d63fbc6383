// The patient page with the widget's first screen already in its HTML, as a
// declarative shadow root: the first question shows when the page is parsed,
// before the widget's script, the WebAssembly module and the first screening
// (docs/performance.md, "Start-up"). The element adopts that root, keeps it on
// screen, inert (nothing on it can be clicked or typed into, so nothing
// entered is lost), until its first live render replaces it.
//
// The screen is the widget's own: this script serves the demo, lets the
// widget render the page in Chromium, and copies its shadow root's DOM as
// HTML (so trial text stays escaped text). Each page is made again on every
// build; the server serves a made page in place of its source
// (server.mjs, defaultMounts), and the element drops a pre-rendered screen
// of another language or audience than its own.
//
//   node examples/site/prerender.mjs [OUT_DIR]   (default build/site)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './chromium.mjs';
import { INLINE_STYLESHEETS, createDemoServer, defaultMounts } from './server.mjs';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
// The pages a patient opens first (the others load the widget as it is):
// each page's source file and the path the server serves it at.
const PAGES = [{ source: join(repo, 'examples/site/public/index.html'), path: '/index.html' }];
const HOST = /<trial-screener\b[^>]*>/g;

/**
 * The widget's shadow root on the loaded page, as the inner HTML of a
 * declarative shadow root: marked as pre-rendered and loading, the screen
 * inert, led by the widget's own loading notice (`loadingNotice`, its HTML;
 * the stylesheet hides it from sight, a screen reader still hears it), with
 * the state Chromium keeps only in properties written into attributes.
 */
function serializeFirstScreen(loadingNotice) {
  const host = document.querySelector('trial-screener');
  const root = host.shadowRoot;
  for (const option of root.querySelectorAll('option')) option.toggleAttribute('selected', option.selected);
  for (const input of root.querySelectorAll('input')) {
    if (input.checked || (input.value && input.type !== 'radio' && input.type !== 'checkbox')) throw new Error('the first screen holds an answer');
  }
  const copy = document.createElement('div');
  copy.append(...[...root.children].map((child) => child.cloneNode(true)));
  // The widget names its stylesheet by absolute URL: this server's origin.
  for (const link of copy.querySelectorAll('link[href]')) {
    const url = new URL(link.href);
    if (url.origin === window.location.origin) link.setAttribute('href', url.pathname);
  }
  const frame = copy.querySelector(':scope > div.widget');
  frame.dataset.prerendered = '';
  frame.dataset.state = 'loading';
  frame.setAttribute('aria-busy', 'true');
  for (const part of frame.children) part.setAttribute('inert', '');
  frame.insertAdjacentHTML('afterbegin', loadingNotice);
  return copy.innerHTML;
}

/**
 * `html` with each stylesheet link to one of `stylesheets` ({path: text}), in
 * the head or in the first screen, replaced by a <style> holding that text as
 * the server serves it (whose policy allows it by its hash), and a preload of
 * it dropped: the page's first frame then waits for no file. Measured in
 * docs/performance.md, "Eighth session".
 */
export function inlineStylesheets(html, stylesheets) {
  const LINK = /[ \t]*<link\b[^>]*>\n?/g;
  const attribute = (tag, name) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
  return html.replace(LINK, (tag) => {
    const text = stylesheets[attribute(tag, 'href')];
    if (text === undefined) return tag;
    if (attribute(tag, 'rel') === 'preload' && attribute(tag, 'as') === 'style') return '';
    if (attribute(tag, 'rel') !== 'stylesheet') return tag;
    if (/<\/style/i.test(text)) throw new Error(`${attribute(tag, 'href')}: a stylesheet that closes its own <style>`);
    return tag.replace(/<link\b[^>]*>/, `<style>${text}</style>`);
  });
}

/**
 * Writes each page of `pages` ({source, path}) to OUT_DIR under the name of
 * its path, as the demo server (its default mounts after `mounts`) serves it.
 * Returns [{name, firstScreenBytes}].
 */
export async function prerenderPages({ outDir = join(repo, 'build/site'), distDir, pages = PAGES, mounts = [] } = {}) {
  // The pages' sources, not an earlier made page: the mounts leave OUT_DIR out.
  const server = createDemoServer({ mounts: [...mounts, ...defaultMounts(distDir, null)] });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await launchBrowser();
  mkdirSync(outDir, { recursive: true });
  const written = [];
  try {
    for (const { source: file, path } of pages) {
      const name = basename(path);
      const source = readFileSync(file, 'utf8');
      const hosts = source.match(HOST) ?? [];
      if (hosts.length !== 1) throw new Error(`${name}: expected one <trial-screener>, found ${hosts.length}`);
      const context = await browser.newContext();
      const page = await context.newPage();
      const failures = [];
      page.on('pageerror', (error) => failures.push(error.message));
      page.on('console', (message) => { if (message.type() === 'error') failures.push(message.text()); });
      // The loading notice, as the widget shows it while its module loads.
      let releaseModule;
      const moduleHeld = new Promise((resolve) => { releaseModule = resolve; });
      await page.route('**/*.wasm', async (route) => {
        await moduleHeld;
        await route.continue();
      });
      await page.goto(`${origin}${path}`, { waitUntil: 'commit' });
      const notice = page.locator('trial-screener .widget[data-state="loading"] > [role="status"]');
      await notice.waitFor({ timeout: 30_000 });
      const loadingNotice = await notice.evaluate((element) => element.outerHTML);
      releaseModule();
      await page.locator('trial-screener .widget[data-state="ready"] fieldset.question').first().waitFor({ timeout: 30_000 });
      const html = await page.evaluate(serializeFirstScreen, loadingNotice);
      await context.close();
      if (failures.length) throw new Error(`${name}: ${failures.join('; ')}`);
      const stylesheets = {};
      for (const stylesheet of INLINE_STYLESHEETS) {
        const response = await fetch(`${origin}${stylesheet}`);
        if (response.ok) stylesheets[stylesheet] = await response.text();
      }
      const withScreen = source.replace(HOST, (tag) => `${tag}<template shadowrootmode="open">${html}</template>`);
      const made = inlineStylesheets(withScreen, stylesheets);
      writeFileSync(join(outDir, name), made);
      written.push({ name, firstScreenBytes: withScreen.length - source.length });
    }
  } finally {
    await browser.close();
    server.close();
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await prerenderPages({ outDir: process.argv[2] ? resolve(process.argv[2]) : undefined });
  for (const { name, firstScreenBytes } of written) console.log(`prerender: ${name} (${firstScreenBytes} bytes of first screen)`);
}
