// The demo server: static files only, under the strict Content-Security-Policy
// a partner host would use, on the loopback interface. No request body is ever
// read and nothing is logged but the address: answers never reach a server.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWidget, compactBundle } from './bundle.mjs';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

// The policy a partner host would use. `inlineStyleHashes` ('sha256-…'
// sources) allow those exact inline stylesheets and no other inline style.
export function contentSecurityPolicy(inlineStyleHashes = []) {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    ["style-src 'self'", ...inlineStyleHashes.map((hash) => `'${hash}'`)].join(' '),
    "connect-src 'self'",
    "img-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

// The stylesheets a page may carry inline: the pre-rendered patient page does
// (prerender.mjs), so that its first frame waits for no file
// (docs/performance.md, "Eighth session"). The served policy allows each one's
// text as this server serves it, by its hash.
export const INLINE_STYLESHEETS = ['/site.css', '/web/trial-screener.css'];

export const styleHash = (text) => `sha256-${createHash('sha256').update(text).digest('base64')}`;

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// URL prefix -> folder, in order: a path is served from the first folder
// that has the file. The widget (web/) and the module (wasm dist) are
// siblings, as they are when a partner deploys them. Pages made with the
// widget's first screen in them (prerender.mjs, build/site) come before
// their sources; `prerenderedDir` null leaves them out.
export function defaultMounts(distDir = join(repo, 'build/wasm-release/dist'), prerenderedDir = join(repo, 'build/site')) {
  return [
    ['/web/', join(repo, 'web')],
    ['/wasm/', distDir],
    ['/bh002/', join(repo, 'examples/bh002')],
    ...(prerenderedDir ? [['/', prerenderedDir]] : []),
    ['/', join(repo, 'examples/site/public')],
  ];
}

// The widget in one file (bundle.mjs), for the patient page: made from the
// mounted web/ and wasm/ folders, and made again whenever one of the modules
// it holds has changed (size or modification time), so it is never older
// than they are; otherwise the last one is served. Compacting it takes about
// a second, so the server starts making it as it starts, and requests that
// come meanwhile wait for that one.
export const BUNDLE_PATH = '/web/trial-screener.bundle.js';

// What tells whether any of `files` has changed (or another file is meant):
// each one's path, size and modification time.
async function filesStamp(files) {
  return (await Promise.all(files.map((file) => stat(file))))
    .map(({ size, mtimeMs }, i) => `${files[i]}:${size}:${mtimeMs}`).join(',');
}

// A JSON file (a trial definition) as served: without the whitespace between
// its tokens, and without its "$comment" members that hold a string (notes
// for the people who review a definition, which the core skips). The sources
// stay indented and annotated for people to read; the indentation is about a
// tenth of the trial file's gzipped bytes, the notes another 2 %, and the
// patient page's payload budget is 150 KiB (docs/performance.md, "Twelfth
// session", "Fourteenth session"). Every other string, number and literal
// keeps its exact bytes. A file that is not valid JSON (a broken definition a
// test serves on purpose) is served as it is, so its error still points where
// the file does.
const JSON_TOKEN_OR_SPACE = /"(?:[^"\\]|\\[^])*"|[ \t\n\r]+/g;
// In the compacted text a `"` inside a string is escaped, so `{"$comment":"`
// or `,"$comment":"` with bare quotes is a member's key and its string value.
const COMMENT_MEMBER = /([{,])"\$comment":"(?:[^"\\]|\\[^])*"(,?)/g;
export function compactJson(text) {
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  const compact = text.replace(JSON_TOKEN_OR_SPACE, (token) => (token[0] === '"' ? token : ''));
  // One comma stays between the members around it; none after `{` or before `}`.
  return compact.replace(COMMENT_MEMBER, (member, before, after) => (before === '{' ? '{' : after));
}

// A stylesheet as served: without its comments and the whitespace CSS does
// not need, for the same budget (the patient page carries both stylesheets
// inline: docs/performance.md, "Thirteenth session"). A run of whitespace or
// comments becomes one space, and none at all next to `{`, `}` or `;`, which
// end what comes before them; everywhere else a space stays, since it can
// mean something there (`a :hover`, `calc(1px + 2px)`, and a `var()`
// fallback, kept as written). Strings and escapes keep their bytes. A comment
// or string left open is served as it is.
const CSS_SPACE = /[ \t\n\r\f]/;
const CSS_DELIMITER = /[{};]/;
export function compactCss(text) {
  let out = '';
  let spaced = false;  // whitespace or a comment since the last thing kept
  let at = 0;
  const keep = (piece) => {
    if (spaced && out !== '' && !CSS_DELIMITER.test(out.at(-1)) && !CSS_DELIMITER.test(piece[0])) out += ' ';
    out += piece;
    spaced = false;
  };
  while (at < text.length) {
    const c = text[at];
    if (CSS_SPACE.test(c)) {
      spaced = true;
      at += 1;
    } else if (c === '/' && text[at + 1] === '*') {
      const end = text.indexOf('*/', at + 2);
      if (end < 0) return text;
      spaced = true;
      at = end + 2;
    } else if (c === '"' || c === "'") {
      let end = at + 1;
      while (end < text.length && text[end] !== c && text[end] !== '\n') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length || text[end] !== c) return text;
      keep(text.slice(at, end + 1));
      at = end + 1;
    } else {
      // Anything else up to the next space, quote or comment, an escaped
      // character (`\ ` in a name) included.
      let end = at;
      while (end < text.length && !CSS_SPACE.test(text[end]) && text[end] !== '"' && text[end] !== "'" &&
             !(text[end] === '/' && text[end + 1] === '*')) {
        end += text[end] === '\\' ? 2 : 1;
      }
      keep(text.slice(at, Math.min(end, text.length)));
      at = end;
    }
  }
  return out;
}

// What is served for a file: JSON and CSS compacted (compactJson,
// compactCss), anything else as it is; made again whenever the file changes.
const COMPACTORS = { '.json': compactJson, '.css': compactCss };
async function servedFile(file, cache) {
  const compact = COMPACTORS[extname(file)];
  if (!compact) return readFile(file);
  const stamp = await filesStamp([file]);
  const kept = cache.compacted.get(file);
  if (kept?.stamp === stamp) return kept.body;
  const body = Buffer.from(compact(await readFile(file, 'utf8')));
  cache.compacted.set(file, { stamp, body });
  return body;
}

async function bundleFile(mounts, cache) {
  const dirOf = (prefix) => mounts.find(([mounted]) => mounted === prefix)?.[1];
  const [webDir, wasmDir] = [dirOf('/web/'), dirOf('/wasm/')];
  if (!webDir || !wasmDir) return null;
  const file = join(webDir, 'trial-screener.bundle.js');
  if (cache.bundle && cache.bundle.webDir === webDir && cache.bundle.wasmDir === wasmDir) {
    const current = await filesStamp(cache.bundle.modules).catch(() => null);
    if (current === cache.bundle.stamp) return { file, body: await cache.bundle.body };
  }
  const { text, files } = bundleWidget({ webDir, wasmDir });
  const stamp = await filesStamp(files);
  cache.bundle = { webDir, wasmDir, modules: files, stamp, body: compactBundle(text).then((code) => Buffer.from(code)) };
  return { file, body: await cache.bundle.body };
}

// The policy for these mounts: the inline stylesheets' hashes, worked out
// again whenever one of the files has changed (size or modification time).
async function policyFor(mounts, cache) {
  const files = (await Promise.all(INLINE_STYLESHEETS.map((path) => resolvePath(mounts, path)))).filter(Boolean);
  const stamp = await filesStamp(files);
  if (cache.policy?.stamp !== stamp) {
    const hashes = await Promise.all(files.map(async (file) => styleHash(await servedFile(file, cache))));
    cache.policy = { stamp, text: contentSecurityPolicy(hashes) };
  }
  return cache.policy.text;
}

// The file a path names in the first mount that has it (a folder's
// index.html for a folder), or null.
async function resolvePath(mounts, pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const relative = normalize(decodeURIComponent(pathname.slice(prefix.length)));
    const file = resolve(dir, relative === '.' || relative === '' ? 'index.html' : relative);
    if (file !== dir && !file.startsWith(dir + sep)) return null;  // no escaping the mount
    const found = await stat(file).catch(() => null);
    if (found?.isFile()) return file;
    const index = join(file, 'index.html');
    if (found?.isDirectory() && (await stat(index).catch(() => null))?.isFile()) return index;
  }
  return null;
}

export function createDemoServer({ mounts = defaultMounts() } = {}) {
  // The last widget bundle made (bundleFile), policy worked out (policyFor)
  // and files compacted (servedFile).
  const cache = { bundle: null, policy: null, compacted: new Map() };
  bundleFile(mounts, cache).catch(() => {});  // a failure shows when the bundle is asked for
  return createServer(async (request, response) => {
    const headers = {
      'Content-Security-Policy': await policyFor(mounts, cache).catch(() => CONTENT_SECURITY_POLICY),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    let file;
    try {
      const pathname = new URL(request.url, 'http://localhost').pathname;
      let body = null;
      if (pathname === BUNDLE_PATH) {
        ({ file, body } = (await bundleFile(mounts, cache)) ?? {});
      } else {
        file = await resolvePath(mounts, pathname);
        if (file) body = await servedFile(file, cache);
      }
      if (!body) throw new Error('not found');
      const type = MIME_TYPES[extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': body.length });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    }
  });
}

// Run directly: serve until stopped.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  createDemoServer().listen(port, host, () => {
    console.log(`trialscreen demo: http://${host}:${port}/`);
  });
}
