// The one-file widget leaves the modules' comments out (stripComments in
// examples/site/bundle.mjs): an exact tokenizer, so nothing inside a string, a
// template or a regular expression is taken for a comment, line breaks stay
// where automatic semicolon insertion needs them, the compile hint and license
// comments stay, and what it cannot classify for sure stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWidget, stripComments } from '../../examples/site/bundle.mjs';
import { assertValidModule, distDir, repoRoot } from './support.mjs';

const webDir = join(repoRoot, 'web');

test('comment markers inside strings, templates and regular expressions are code', () => {
  for (const code of [
    `const a = '// not a comment', b = "/* nor this */", c = 'it\\'s // still';`,
    'const t = `a // ${`b /* ${"}"} */ ${{ x: 1 }.x}`} // c ${`d`}`;',
    'const u = `two\n\nblank   \n\n\nlines // kept as written`;',
    'const v = `an escaped \\` and \\${ are text, /* not a comment */ ${"`"}`;',
    'const r = /\\/\\/ x [/*] y/g, s = /[/]/, t = /a\\/*b/;',
    'const q = a / b / c, p = (a) / 2, o = x[1] / 2 / y.return / 3, n = 10 / 2 / /3/.source.length;',
    "const m = y.return / 2, l = 'a/b', k = f(x) / 2 + 'c/d';",
    "if (a) /'/.test(b);",
    'while (c) /"/.exec(d);',
    'for (;;) /`/g;',
  ]) {
    assert.equal(stripComments(code), code);
  }
});

test('a / after a value divides; after return, ( , = and other operators it begins a regular expression', () => {
  const code = [
    'function f(a, b, c) {',
    '  if (a) /x/.test(b); // after an if condition',
    '  const d = a / b / c; // division',
    '  const e = /=+/g, g = [/a/, /b/]; // after = , [',
    '  h(/[)]/.source, c /* between */ / 2);',
    '  return /\\/\\//.test(c) ? typeof /a/ : void /b/; // after return, ? : typeof, void',
    '}',
  ].join('\n');
  assert.equal(stripComments(code), [
    'function f(a, b, c) {',
    'if (a) /x/.test(b);',
    'const d = a / b / c;',
    'const e = /=+/g, g = [/a/, /b/];',
    'h(/[)]/.source, c / 2);',
    'return /\\/\\//.test(c) ? typeof /a/ : void /b/;',
    '}',
  ].join('\n'));
});

test('a block comment within a line leaves a space; one that spans lines leaves a line break', () => {
  assert.equal(stripComments('let/* a */x = a/* b */+/* c */b;'), 'let x = a + b;');
  // Automatic semicolon insertion: `return` then a line break returns undefined.
  const code = 'return /* a comment\n that spans lines */ 42;';
  assert.equal(stripComments(code), 'return\n42;');
  assert.equal(new Function(code)(), undefined);
  assert.equal(new Function(stripComments(code))(), undefined);
  assert.equal(stripComments('x = 1 /* a\n b */ -1'), 'x = 1\n-1');
});

test('lines of comments go, and so do blank lines, trailing spaces and indentation; a template keeps its own', () => {
  const code = [
    '// A file comment.',
    '',
    'function f() {   ',
    '  // Why.',
    '  g(); // What.',
    '  /*',
    '   * More.',
    '   */',
    '  h();',
    '',
    '',
    '',
    '  return `a',
    '    b`;',
    '}',
    '',
  ].join('\n');
  assert.equal(stripComments(code), 'function f() {\ng();\nh();\nreturn `a\n    b`;\n}\n');
});

test('the compile hint, /*! */ and @license comments are kept', () => {
  const code = [
    '//# allFunctionsCalledOnLoad',
    '// dropped',
    '/*! kept */',
    'const a = 1; // @license MIT',
    '/* dropped */ const b = 2; /* also @license */',
    '',
  ].join('\n');
  assert.equal(stripComments(code), [
    '//# allFunctionsCalledOnLoad',
    '/*! kept */',
    'const a = 1; // @license MIT',
    'const b = 2; /* also @license */',
    '',
  ].join('\n'));
});

test('what the tokenizer cannot classify for sure stops it, naming the place', () => {
  for (const [code, error] of [
    ['function f() {}\n/x/.test(y)', /input:2:1: a \/ after } could divide or begin a regular expression/],
    ['a++ / 2', /a \/ after \+\+ could divide/],
    ["const a = 'open;\n", /input:1:11: unterminated string literal/],
    ['const a = `open ${b}', /unterminated template literal/],
    ['const a = /open\n/', /unterminated regular expression/],
    ['a(); /* open', /unterminated comment/],
    ['f(a));', /unbalanced \)/],
    ['{ a', /unbalanced \{/],
    ['a \u0000 b', /a character the tokenizer does not know/],
  ]) {
    assert.throws(() => stripComments(code), error, code);
  }
  const dir = mkdtempSync(join(tmpdir(), 'trialscreen-bundle-'));
  try {
    const web = join(dir, 'web');
    mkdirSync(web);
    writeFileSync(join(web, 'define.js'), "const a = 'open;\n");
    assert.throws(() => bundleWidget({ webDir: web, wasmDir: join(dir, 'wasm') }), /define\.js:1:11: unterminated string literal/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the real bundle: no module comments, the compile hint first, the same code, smaller, a valid ES module', (t) => {
  if (!existsSync(join(distDir, 'trialscreen-core.mjs'))) {
    t.skip(`no WebAssembly build in ${distDir} (scripts/build wasm makes it)`);
    return;
  }
  const kept = bundleWidget({ webDir, wasmDir: distDir, keepComments: true }).text;
  const { text } = bundleWidget({ webDir, wasmDir: distDir });
  assert.equal(text.split('\n')[0], '//# allFunctionsCalledOnLoad');
  const commentLines = text.split('\n').filter((line) => line.trimStart().startsWith('//') || line.trimStart().startsWith('/*'));
  assert.deepEqual(commentLines.slice(0, 3).map((line) => line.slice(0, 20)), ['//# allFunctionsCall', '// <trial-screener> ', '// module it imports']);
  for (const line of commentLines.slice(3)) assert.match(line, /^\/\/ \.\.?\/[\w/.-]+\.m?js$/, 'only the bundler\'s own module markers');
  assert.ok(kept.split('\n').filter((line) => line.trimStart().startsWith('//')).length > commentLines.length + 50, 'the sources have comments');
  // The same tokens and line breaks as the bundle made with the comments and then stripped as a whole.
  const layout = (code) => stripComments(code).replace(/[ \t]*\n\s*/g, '\n').replace(/[ \t]+/g, ' ');
  assert.equal(layout(text), layout(kept));
  assert.ok(text.length < kept.length * 0.95, `${text.length} bytes with the comments removed, ${kept.length} with them`);
  assertValidModule(text);
});
