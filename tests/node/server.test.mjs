// The demo server sends the strict CSP and correct MIME types, serves only
// its mounts, and accepts nothing but GET and HEAD.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CONTENT_SECURITY_POLICY, INLINE_STYLESHEETS, createDemoServer, styleHash } from '../../examples/site/server.mjs';

let server;
let origin;
before(async () => {
  server = createDemoServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));

test('every response carries the strict Content-Security-Policy, which allows inline only the exact text of the widget\'s and the site\'s stylesheets', async () => {
  const hashes = [];
  for (const path of INLINE_STYLESHEETS) {
    const text = await (await fetch(origin + path)).text();
    hashes.push(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
  }
  assert.deepEqual(INLINE_STYLESHEETS, ['/site.css', '/web/trial-screener.css']);
  const expected = CONTENT_SECURITY_POLICY.replace("style-src 'self'", `style-src 'self' ${hashes.join(' ')}`);
  assert.notEqual(expected, CONTENT_SECURITY_POLICY);
  for (const path of ['/', '/physician.html', '/missing', '/web/trial-screener.bundle.js']) {
    const response = await fetch(origin + path);
    assert.equal(response.headers.get('content-security-policy'), expected, path);
  }
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(CONTENT_SECURITY_POLICY, /style-src 'self'(;|$)/);
  assert.doesNotMatch(expected, /'unsafe-eval'|'unsafe-inline'/);
});

test('an edited stylesheet changes the policy: the old text is no longer allowed inline', async () => {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const site = await mkdtemp(join(tmpdir(), 'trialscreen-css-'));
  const own = createDemoServer({ mounts: [['/', site]] });
  await new Promise((resolve) => own.listen(0, '127.0.0.1', resolve));
  const at = `http://127.0.0.1:${own.address().port}`;
  const styleSources = async () => (await fetch(`${at}/`)).headers.get('content-security-policy').match(/style-src ([^;]*)/)[1];
  try {
    assert.equal(await styleSources(), "'self'", 'no stylesheet, no hash');
    await writeFile(join(site, 'site.css'), 'body { color: red }\n');
    // The hash is of the text as served (compacted), which a page carries inline.
    const served = async () => (await fetch(`${at}/site.css`)).text();
    const first = await styleSources();
    assert.equal(await served(), 'body{color: red}');
    assert.equal(first, `'self' '${styleHash('body{color: red}')}'`);
    await writeFile(join(site, 'site.css'), 'body { color: blue; margin: 0 }\n');
    assert.equal(await styleSources(), `'self' '${styleHash(await served())}'`);
    assert.notEqual(await styleSources(), first);
  } finally {
    await new Promise((resolve) => own.close(resolve));
    await rm(site, { recursive: true, force: true });
  }
});

test('files are served with their MIME types, WebAssembly as application/wasm', async () => {
  const cases = {
    '/': 'text/html',
    '/web/define.js': 'text/javascript',
    '/web/trial-screener.bundle.js': 'text/javascript',
    '/web/trial-screener.css': 'text/css',
    '/bh002/trial.json': 'application/json',
    '/wasm/trialscreen-core.wasm': 'application/wasm',
    '/wasm/trialscreen.js': 'text/javascript',
  };
  for (const [path, type] of Object.entries(cases)) {
    const response = await fetch(origin + path);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers.get('content-type').split(';')[0], type, path);
  }
});

test('a trial file is served without the whitespace between its tokens and its reviewers\' notes, every other value and text exactly as written', async () => {
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(new URL('../../examples/bh002/trial.json', import.meta.url), 'utf8');
  const served = await (await fetch(`${origin}/bh002/trial.json`)).text();
  assert.ok(served.length < source.length * 0.8, `${served.length} of ${source.length} characters`);
  const withoutNotes = (value) =>
    Array.isArray(value) ? value.map(withoutNotes)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value)
          .filter(([key, member]) => !(key === '$comment' && typeof member === 'string'))
          .map(([key, member]) => [key, withoutNotes(member)]))
        : value;
  assert.match(source, /"\$comment"/, 'the source has notes to drop');
  assert.doesNotMatch(served, /"\$comment"/);
  assert.deepEqual(JSON.parse(served), withoutNotes(JSON.parse(source)));
  // Spaces, escapes and non-ASCII text inside strings keep their bytes: the
  // served strings, in order, are the source's strings but the notes (each
  // "$comment" and the string after it); outside them, no space.
  const STRING = /"(?:[^"\\]|\\[^])*"/g;
  const sourceStrings = source.match(STRING).filter((string, i, all) => string !== '"$comment"' && all[i - 1] !== '"$comment"');
  assert.deepEqual(served.match(STRING), sourceStrings);
  assert.doesNotMatch(served.replace(STRING, '""'), /\s/);
});

test('JSON compaction drops only the space between tokens, and leaves text that is not JSON as it is', async () => {
  const { compactJson } = await import('../../examples/site/server.mjs');
  assert.equal(compactJson('{ "a b" :\t[ 1.50 ,\r\n "x\\" , y" , true , null ] }\n'), '{"a b":[1.50,"x\\" , y",true,null]}');
  assert.equal(compactJson(' "\\\\" '), '"\\\\"', 'an escaped backslash ends before the closing quote');
  assert.equal(compactJson('{ "a": 1,, }'), '{ "a": 1,, }', 'not JSON: unchanged, so its error points where the file does');
  assert.equal(compactJson('\ufeff{ "a": 1 }'), '\ufeff{ "a": 1 }');
});

test('JSON compaction drops "$comment" members that hold a string, wherever they stand, and nothing that only looks like one', async () => {
  const { compactJson } = await import('../../examples/site/server.mjs');
  assert.equal(compactJson('{"$comment": "first", "a": 1}'), '{"a":1}');
  assert.equal(compactJson('{"a": 1, "$comment": "last"}'), '{"a":1}');
  assert.equal(compactJson('{"a": 1, "$comment": "between \\"quoted\\" \\\\", "b": 2}'), '{"a":1,"b":2}');
  assert.equal(compactJson('{"$comment": "alone"}'), '{}');
  assert.equal(compactJson('[{"x": [{"$comment": "deep", "y": null}]}]'), '[{"x":[{"y":null}]}]');
  assert.equal(compactJson('{"list": ["$comment", "x"]}'), '{"list":["$comment","x"]}', 'a string value, not a member');
  assert.equal(compactJson('{"s": "{\\"$comment\\":\\"x\\"}"}'), '{"s":"{\\"$comment\\":\\"x\\"}"}', 'inside a string');
  assert.equal(compactJson('{"$comment": {"kept": 1}}'), '{"$comment":{"kept":1}}', 'not a string: kept');
});

test('CSS compaction drops comments and the space that delimiters make needless, and keeps every space that can mean something', async () => {
  const { compactCss } = await import('../../examples/site/server.mjs');
  assert.equal(compactCss('/* head */\n.a ,\n.b > .c {\n  color : red ;\n  margin: 0 auto;\n}\n'), '.a , .b > .c{color : red;margin: 0 auto;}');
  // A descendant's pseudo-class, arithmetic and a comment between two values keep a space.
  assert.equal(compactCss('a :hover { width: calc(1px + 2px); margin: 1px/**/2px }'), 'a :hover{width: calc(1px + 2px);margin: 1px 2px}');
  // Strings and escapes keep their bytes, comment-like text in a string included.
  assert.equal(compactCss('p::after { content: "a  /* b */ ;" ; } .x\\ y { z: \'}\' }'), 'p::after{content: "a  /* b */ ;";}.x\\ y{z: \'}\'}');
  // Left open: served as written, so the browser reports it where the file has it.
  assert.equal(compactCss('a { color: red } /* open'), 'a { color: red } /* open');
  assert.equal(compactCss('a { content: "open }'), 'a { content: "open }');
});

test('paths cannot escape the mounted folders', async () => {
  for (const path of ['/web/..%2f..%2fCMakeLists.txt', '/bh002/%2e%2e/%2e%2e/README.md', '/..%2f..%2fetc/passwd']) {
    const response = await fetch(origin + path);
    assert.equal(response.status, 404, path);
  }
});

test('only GET and HEAD are accepted, so no answer can be posted', async () => {
  const response = await fetch(origin + '/', { method: 'POST', body: '{"age": 45}' });
  assert.equal(response.status, 405);
});

test('the widget bundle is made again when a module it holds changes, and reused otherwise', async () => {
  const { cp, mkdtemp, rm, appendFile, utimes } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { defaultMounts } = await import('../../examples/site/server.mjs');
  const scratch = await mkdtemp(join(tmpdir(), 'trialscreen-bundle-'));
  const mounts = defaultMounts().map(([prefix, dir]) => [prefix, prefix === '/web/' ? join(scratch, 'web') : dir]);
  await cp(defaultMounts().find(([prefix]) => prefix === '/web/')[1], join(scratch, 'web'), { recursive: true });
  const local = createDemoServer({ mounts });
  await new Promise((resolve) => local.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${local.address().port}/web/trial-screener.bundle.js`;
  try {
    const first = await (await fetch(url)).text();
    assert.equal(await (await fetch(url)).text(), first, 'nothing changed: the same bundle');
    const changed = join(scratch, 'web', 'dom.js');
    // A change that shows in the compacted bundle (an unused constant would be left out).
    await appendFile(changed, '\nglobalThis.bundleFreshnessProbe = 1;\n');
    const later = new Date(Date.now() + 5000);
    await utimes(changed, later, later);  // a new modification time even on a coarse clock
    const second = await (await fetch(url)).text();
    assert.notEqual(second, first);
    assert.match(second, /bundleFreshnessProbe/);
  } finally {
    await new Promise((resolve) => local.close(resolve));
    await rm(scratch, { recursive: true, force: true });
  }
});

test('a page made with its first screen (build/site) is served in place of its source; other paths fall through', async () => {
  const { mkdtemp, rm, writeFile, mkdir } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { defaultMounts } = await import('../../examples/site/server.mjs');
  const made = await mkdtemp(join(tmpdir(), 'trialscreen-site-'));
  await writeFile(join(made, 'index.html'), '<!doctype html><title>made</title>');
  await mkdir(join(made, 'sub'));
  await writeFile(join(made, 'sub', 'index.html'), 'made sub');
  const own = createDemoServer({ mounts: defaultMounts(undefined, made) });
  await new Promise((resolve) => own.listen(0, '127.0.0.1', resolve));
  const at = `http://127.0.0.1:${own.address().port}`;
  try {
    assert.equal(await (await fetch(`${at}/`)).text(), '<!doctype html><title>made</title>', 'the made page, for /');
    assert.equal(await (await fetch(`${at}/index.html`)).text(), '<!doctype html><title>made</title>');
    assert.equal(await (await fetch(`${at}/sub/`)).text(), 'made sub', 'a folder in the made pages serves its index.html');
    const source = await fetch(`${at}/physician.html`);
    assert.equal(source.status, 200, 'a page not made is served from its source');
    assert.match(await source.text(), /<trial-screener/);
    assert.equal((await fetch(`${at}/..%2fpackage.json`)).status, 404, 'no escaping either mount');
    const withoutMade = createDemoServer({ mounts: defaultMounts(undefined, null) });
    await new Promise((resolve) => withoutMade.listen(0, '127.0.0.1', resolve));
    const text = await (await fetch(`http://127.0.0.1:${withoutMade.address().port}/`)).text();
    await new Promise((resolve) => withoutMade.close(resolve));
    assert.ok(text.includes('<trial-screener') && !text.includes('<title>made</title>'), 'null leaves the made pages out');
  } finally {
    await new Promise((resolve) => own.close(resolve));
    await rm(made, { recursive: true, force: true });
  }
});
