// The demo server: static files only, under the strict Content-Security-Policy
// a partner host would use, on the loopback interface. No request body is ever
// read and nothing is logged but the address: answers never reach a server.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWidget } from './bundle.mjs';

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
// than they are; otherwise the last one is served (making it, comments
// stripped, takes milliseconds that would delay every page load).
export const BUNDLE_PATH = '/web/trial-screener.bundle.js';

// What tells whether any of `files` has changed (or another file is meant):
// each one's path, size and modification time.
async function filesStamp(files) {
  return (await Promise.all(files.map((file) => stat(file))))
    .map(({ size, mtimeMs }, i) => `${files[i]}:${size}:${mtimeMs}`).join(',');
}

// A JSON file (a trial definition) as served: without the whitespace between
// its tokens. The sources stay indented for people to read and review; the
// indentation is about a tenth of the trial file's gzipped bytes, and the
// patient page's payload budget is 150 KiB (docs/performance.md, "Twelfth
// session"). Only the whitespace JSON allows between tokens goes: every
// string, number and literal keeps its exact bytes. A file that is not valid
// JSON (a broken definition a test serves on purpose) is served as it is, so
// its error still points where the file does.
const JSON_TOKEN_OR_SPACE = /"(?:[^"\\]|\\[^])*"|[ \t\n\r]+/g;
export function compactJson(text) {
  try {
    JSON.parse(text);
  } catch {
    return text;
  }
  return text.replace(JSON_TOKEN_OR_SPACE, (token) => (token[0] === '"' ? token : ''));
}

// compactJson of a served file, made again whenever the file changes.
async function compactJsonFile(file, cache) {
  const stamp = await filesStamp([file]);
  const kept = cache.json.get(file);
  if (kept?.stamp === stamp) return kept.body;
  const body = Buffer.from(compactJson(await readFile(file, 'utf8')));
  cache.json.set(file, { stamp, body });
  return body;
}

async function bundleFile(mounts, cache) {
  const dirOf = (prefix) => mounts.find(([mounted]) => mounted === prefix)?.[1];
  const [webDir, wasmDir] = [dirOf('/web/'), dirOf('/wasm/')];
  if (!webDir || !wasmDir) return null;
  const file = join(webDir, 'trial-screener.bundle.js');
  if (cache.bundle && cache.bundle.webDir === webDir && cache.bundle.wasmDir === wasmDir) {
    const current = await filesStamp(cache.bundle.modules).catch(() => null);
    if (current === cache.bundle.stamp) return { file, body: cache.bundle.body };
  }
  const { text, files } = bundleWidget({ webDir, wasmDir });
  cache.bundle = { webDir, wasmDir, modules: files, stamp: await filesStamp(files), body: Buffer.from(text) };
  return { file, body: cache.bundle.body };
}

// The policy for these mounts: the inline stylesheets' hashes, worked out
// again whenever one of the files has changed (size or modification time).
async function policyFor(mounts, cache) {
  const files = (await Promise.all(INLINE_STYLESHEETS.map((path) => resolvePath(mounts, path)))).filter(Boolean);
  const stamp = await filesStamp(files);
  if (cache.policy?.stamp !== stamp) {
    const hashes = await Promise.all(files.map(async (file) => styleHash(await readFile(file))));
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
  // and JSON files compacted (compactJsonFile).
  const cache = { bundle: null, policy: null, json: new Map() };
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
        if (file) body = extname(file) === '.json' ? await compactJsonFile(file, cache) : await readFile(file);
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
