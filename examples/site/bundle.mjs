// The widget as one file: web/define.js and every module it imports statically
// (the element, its renderers and dictionaries, wasm/trialscreen.js and the
// generated trialscreen-core.mjs), each in its own function scope, in the
// order the browser would evaluate them. The patient page loads this instead
// of thirteen modules: with six connections per origin, the files of a module
// graph queue behind one another, and one file arrives much sooner
// (docs/performance.md, "Start-up").
//
// The modules' comments, indentation and blank lines are left out
// (stripComments below, an exact tokenizer; Chromium's compile hint and
// license comments stay): the comments made up a seventh of the gzipped
// bundle, the indentation another 1 %, and the patient page's payload budget
// is 150 KiB (docs/performance.md).
//
// Only the import and export forms this project writes are understood; any
// other form stops the bundling with an error rather than guess. Relative
// dynamic imports (the physician view) and import.meta.url keep resolving
// against each module's own place (a bare import such as node:fs is left as
// it is), so the bundle must be served from the web/ folder, with wasm/ beside
// it, as the modules themselves are (docs/embedding.md).
//
//   node examples/site/bundle.mjs [--keep-comments] WEB_DIR WASM_DIR > trial-screener.bundle.js
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const IMPORT_DEFAULT = /^import (\w+) from '([^']+)';$/;
const IMPORT_NAMED = /^import \{([^}]*)\} from '([^']+)';$/;
const EXPORT_DECLARATION = /^export (async function|function|class|const) (\w+)/;
const EXPORT_DEFAULT_VALUE = /^export default ([\w$]+);$/;
const EXPORT_DEFAULT_OBJECT = /^export default \{$/;
const EXPORT_LIST = /^export \{([^}]*)\};$/;
const DYNAMIC_IMPORT = /\bimport\('([^']+)'\)/g;
// Chromium's compile hint: compile every function of this file on a
// background thread while it downloads, not each on the main thread at its
// first call (nearly all of them run while the widget loads).
const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

/**
 * Returns { text, modules, files }: the bundle's source for a bundle placed
 * in `webDir` (as `webDir/NAME.js`), and the files it holds in evaluation
 * order, as the bundle names them (`modules`) and as paths (`files`).
 * `wasmDir` is the folder served as ../wasm/ beside web/. The modules'
 * comments are removed unless `keepComments`.
 */
export function bundleWidget({ webDir, wasmDir, keepComments = false }) {
  webDir = resolve(webDir);
  wasmDir = resolve(wasmDir);
  const servedWasm = resolve(webDir, '../wasm');  // where the browser sees wasm/
  const order = [];
  const visiting = new Set();
  const ids = new Map();

  // The file a specifier names: ../wasm/ is the wasm build folder.
  const locate = (from, specifier) => {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) throw new Error(`${from}: only relative imports can be bundled: '${specifier}'`);
    const served = resolve(dirname(servedPath(from)), specifier);
    return served.startsWith(servedWasm + sep) ? join(wasmDir, relative(servedWasm, served)) : served;
  };
  // Where a file is seen by the browser, relative to web/.
  function servedPath(file) {
    return file.startsWith(wasmDir + sep) ? join(servedWasm, relative(wasmDir, file)) : file;
  }
  const fromBundle = (file) => {
    const path = relative(webDir, servedPath(file)).split(sep).join('/');
    return path.startsWith('.') ? path : `./${path}`;
  };

  function visit(file) {
    if (ids.has(file)) return;
    if (visiting.has(file)) throw new Error(`import cycle through ${file}`);
    visiting.add(file);
    const text = readFileSync(file, 'utf8');
    const source = keepComments ? text : stripComments(text, file);
    for (const line of source.split('\n')) {
      const match = line.match(IMPORT_DEFAULT) ?? line.match(IMPORT_NAMED);
      if (match) visit(locate(file, match[2]));
    }
    visiting.delete(file);
    ids.set(file, `__module${ids.size}`);
    order.push({ file, source });
  }
  visit(join(webDir, 'define.js'));

  const parts = [
    COMPILE_HINT,
    '// <trial-screener> in one file, made by examples/site/bundle.mjs from web/define.js and every',
    '// module it imports statically: do not edit, edit those files. Each module keeps its own scope.',
  ];
  let entryExports = [];
  for (const { file, source } of order) {
    const exported = [];
    const lines = source.split('\n').map((line) => {
      let match;
      if ((match = line.match(IMPORT_DEFAULT))) return `const ${match[1]} = ${ids.get(locate(file, match[2]))}.default;`;
      if ((match = line.match(IMPORT_NAMED))) {
        const names = match[1].split(',').map((name) => name.trim()).filter(Boolean).map((name) => name.replace(/^(\w+) as (\w+)$/, '$1: $2'));
        return `const { ${names.join(', ')} } = ${ids.get(locate(file, match[2]))};`;
      }
      if ((match = line.match(EXPORT_DECLARATION))) {
        exported.push(match[2]);
        return line.replace(/^export /, '');
      }
      if ((match = line.match(EXPORT_DEFAULT_VALUE))) {
        exported.push(`default: ${match[1]}`);
        return '';
      }
      if (EXPORT_DEFAULT_OBJECT.test(line)) {
        exported.push('default: __default');
        return 'const __default = {';
      }
      if ((match = line.match(EXPORT_LIST))) {
        exported.push(...match[1].split(',').map((name) => name.trim()).filter(Boolean).map((name) => name.replace(/^(\w+) as (\w+)$/, '$2: $1')));
        return '';
      }
      if (/^\s*(import|export)\b(?!\s*\()/.test(line) || /\bimport\s*\*|\bexport\s*\*|import\.meta(?!\.url)|\bimport\(\s*[^'\s]/.test(line)) {
        throw new Error(`${file}: an import or export form the bundler does not know: ${line.trim().slice(0, 80)}`);
      }
      return line
        .replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle(file))}, import.meta.url).href`)
        .replace(DYNAMIC_IMPORT, (call, specifier) => (specifier.startsWith('.') ? `import(${JSON.stringify(fromBundle(locate(file, specifier)))})` : call));
    });
    parts.push(`// ${fromBundle(file)}`, `const ${ids.get(file)} = (() => {`, ...lines, `return { ${exported.join(', ')} };`, '})();');
    entryExports = exported.map((entry) => entry.split(':')[0].trim());
  }
  const entry = ids.get(order.at(-1).file);
  parts.push(`export const { ${entryExports.filter((name) => name !== 'default').join(', ')} } = ${entry};`);
  if (entryExports.includes('default')) parts.push(`export default ${entry}.default;`);
  parts.push('');
  return { text: parts.join('\n'), modules: order.map(({ file }) => fromBundle(file)), files: order.map(({ file }) => file) };
}

// ---- Compacting ---------------------------------------------------------------
//
// compactBundle(text) is the bundle as the patient page downloads it: terser
// shortens the names local to each module and compacts the code, which took
// a quarter off the gzipped bundle, about 6.8 KiB of the page's 150 KiB
// budget (docs/performance.md, "Twenty-sixth session"). Property names, the
// strings the element and the core look each other up by, and the exported
// names are left as they are. Chromium's compile hint goes first, as in the
// readable bundle; `/*!` and `@license` comments stay.

export async function compactBundle(text) {
  const { code } = await minify(text.replace(`${COMPILE_HINT}\n`, ''), {
    module: true,
    ecma: 2020,
    format: {
      preamble: `${COMPILE_HINT}\n// <trial-screener>, compacted by examples/site/bundle.mjs: do not edit, edit web/ and wasm/.`,
      comments: 'some',
    },
  });
  return `${code}\n`;
}

// ---- Comments ----------------------------------------------------------------
//
// stripComments(source) removes the comments of a JavaScript module with an
// exact tokenizer, so that no `//` or `/*` inside a string, a template or a
// regular expression is taken for one. It keeps Chromium's compile hint
// (`//# allFunctionsCalledOnLoad`) and any `/*! … */` or `@license` comment.
// Only the whitespace between tokens changes: a removed comment that spanned
// lines leaves one line break (automatic semicolon insertion sees the same line
// breaks), a removed comment within a line leaves a space, and trailing
// spaces, indentation and blank lines go (a template's text is a token: it
// keeps every space and line). A `/`
// it cannot classify for sure (after `}` or `++`: division or regular
// expression?) stops it with an error rather than a guess.

const LINE_TERMINATOR = /\r\n|[\n\r\u2028\u2029]/;
const SPACE = /(?:[\t\v\f \u00a0\ufeff\p{Zs}]|\r\n|[\n\r\u2028\u2029])+/uy;
const IDENTIFIER = /#?(?:[\p{ID_Start}$_]|\\u[\da-fA-F]{4}|\\u\{[\da-fA-F]+\})(?:[\p{ID_Continue}$\u200c\u200d]|\\u[\da-fA-F]{4}|\\u\{[\da-fA-F]+\})*/uy;
const NUMBER = /(?:0[xX][\da-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)n?(?![\p{ID_Continue}$\\])/uy;
const REGEX_FLAGS = /[\p{ID_Continue}$]*/uy;
const REST_OF_LINE = /[^\n\r\u2028\u2029]*/y;
// After these words an expression begins, so a `/` begins a regular expression.
const BEFORE_EXPRESSION = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void',
  'throw', 'instanceof', 'yield', 'await', 'default', 'extends']);
// `( … )` after these is a condition, not a value: a `/` after its `)` begins a regular expression.
const CONDITION = new Set(['if', 'while', 'for', 'with']);

const isKept = (comment) => comment.startsWith('/*!') || comment.includes('@license') ||
  comment.trimEnd() === '//# allFunctionsCalledOnLoad';

/**
 * Returns `source` without its comments (but those kept, above). Throws an
 * Error naming `name`, line and column if the text is not tokenizable
 * JavaScript or has a `/` that could be either a division or a regular
 * expression.
 */
export function stripComments(source, name = 'input') {
  let out = '';
  let at = 0;
  // What a `/` after the previous significant token is: 'divide', 'regex' or
  // 'unsure' (an error).
  let slash = 'regex';
  const last = ['', ''];    // the texts of the two previous significant tokens
  const braces = [];        // for each open brace: '{' or '${'
  const parens = [];        // for each open `(`: whether it holds a condition
  let gap = [];             // whitespace and comments since the last token: [text, isComment]

  const fail = (what, where = at) => {
    const lines = source.slice(0, where).split(LINE_TERMINATOR);
    throw new Error(`${name}:${lines.length}:${lines.at(-1).length + 1}: ${what} (removing comments)`);
  };
  const match = (pattern, from = at) => {
    pattern.lastIndex = from;
    return pattern.exec(source)?.[0] ?? null;
  };
  const token = (end, then) => {
    out += renderGap(gap, out === '', false) + source.slice(at, end);
    last[0] = last[1];
    last[1] = source.slice(at, end);
    gap = [];
    at = end;
    slash = then;
  };
  // A template's text from `from` (after its ` or a }) through its closing ` or the next ${.
  const template = (from) => {
    for (let i = from; i < source.length; i += 1) {
      if (source[i] === '\\') i += 1;
      else if (source[i] === '`') return token(i + 1, 'divide');
      else if (source[i] === '$' && source[i + 1] === '{') {
        braces.push('${');
        return token(i + 2, 'regex');
      }
    }
    fail('unterminated template literal');
  };

  if (source.startsWith('#!')) {  // a hashbang line is kept
    out = match(REST_OF_LINE);
    at = out.length;
  }
  while (at < source.length) {
    const c = source[at];
    let text;
    if ((text = match(SPACE))) {
      gap.push([text, false]);
      at += text.length;
    } else if (c === '/' && source[at + 1] === '/') {
      text = match(REST_OF_LINE);
      gap.push([text, true]);
      at += text.length;
    } else if (c === '/' && source[at + 1] === '*') {
      const end = source.indexOf('*/', at + 2);
      if (end < 0) fail('unterminated comment');
      gap.push([source.slice(at, end + 2), true]);
      at = end + 2;
    } else if (c === '/') {
      if (slash === 'unsure') fail(`a / after ${last[1]} could divide or begin a regular expression`);
      if (slash === 'divide') {
        token(at + 1, 'regex');
        continue;
      }
      let i = at + 1;
      const unterminated = () => i >= source.length || LINE_TERMINATOR.test(source[i]);
      for (let inClass = false; ; i += 1) {
        if (unterminated()) fail('unterminated regular expression');
        if (source[i] === '\\') {
          i += 1;
          if (unterminated()) fail('unterminated regular expression');
        } else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        else if (source[i] === '/' && !inClass) break;
      }
      token(i + 1 + match(REGEX_FLAGS, i + 1).length, 'divide');
    } else if (c === "'" || c === '"') {
      let i = at + 1;
      for (; source[i] !== c; i += 1) {
        if (source[i] === '\\') i += source[i + 1] === '\r' && source[i + 2] === '\n' ? 2 : 1;
        else if (i >= source.length || source[i] === '\n' || source[i] === '\r') fail('unterminated string literal');
      }
      token(i + 1, 'divide');
    } else if (c === '`') {
      template(at + 1);
    } else if ((text = match(NUMBER))) {
      token(at + text.length, 'divide');
    } else if ((text = match(IDENTIFIER))) {
      // A keyword is a property name after a dot: `a.return / 2` divides.
      token(at + text.length, BEFORE_EXPRESSION.has(text) && last[1] !== '.' ? 'regex' : 'divide');
    } else if (c === '{') {
      braces.push('{');
      token(at + 1, 'regex');
    } else if (c === '}') {
      const open = braces.pop();
      if (!open) fail('unbalanced }');
      // After the end of a block a `/` begins a regular expression, after the
      // end of an object literal it divides: only a parser could tell.
      if (open === '${') template(at + 1);
      else token(at + 1, 'unsure');
    } else if (c === '(') {
      parens.push((CONDITION.has(last[1]) && last[0] !== '.') || (last[1] === 'await' && last[0] === 'for'));
      token(at + 1, 'regex');
    } else if (c === ')') {
      if (parens.length === 0) fail('unbalanced )');
      token(at + 1, parens.pop() ? 'regex' : 'divide');
    } else if (c === ']') {
      token(at + 1, 'divide');
    } else if ((c === '+' || c === '-') && source[at + 1] === c) {
      token(at + 2, 'unsure');  // `a++ / 2` divides, `++/a/.lastIndex` does not
    } else if ('[;,<>=!+-*%&|^~?:.'.includes(c)) {
      token(at + 1, 'regex');
    } else {
      fail(`a character the tokenizer does not know: ${JSON.stringify(c)}`);
    }
  }
  if (braces.length) fail(braces.at(-1) === '${' ? 'unterminated template literal' : 'unbalanced {');
  if (parens.length) fail('unbalanced (');
  return out + renderGap(gap, out === '', true);
}

// The whitespace that replaces a gap between two tokens (or the file's start
// or end): kept comments as they are, and around them only what whitespace
// must stay.
function renderGap(gap, atStart, atEnd) {
  if (gap.length === 0) return '';
  // The common case, as the slow path below would give it: spaces, or a line break (its indentation dropped).
  if (gap.length === 1 && !atStart && !atEnd && /^\n?[ \t]*$/.test(gap[0][0])) return gap[0][0][0] === '\n' ? '\n' : gap[0][0];
  let text = '';
  let lines = [{ lead: '', comment: false }];  // the part of the gap on each line
  const flush = (beforeToken) => {
    const fileStart = atStart && text === '';
    if (lines.length === 1) {
      // Within one line: as it was, or one space where a comment was.
      const [line] = lines;
      if (!fileStart && !(atEnd && beforeToken)) text += line.comment ? ' ' : line.lead;
    } else {
      if (!fileStart) text += '\n';
    }
    lines = [{ lead: '', comment: false }];
  };
  for (const [piece, isComment] of gap) {
    if (isComment && isKept(piece)) {
      flush(false);
      text += piece;
    } else if (isComment) {
      lines.at(-1).comment = true;
      // A comment that spans lines counts as one line break.
      if (LINE_TERMINATOR.test(piece)) lines.push({ lead: '', comment: true });
    } else {
      const [first, ...rest] = piece.split(LINE_TERMINATOR);
      const line = lines.at(-1);
      if (!line.comment) line.lead += first;
      for (const lead of rest) lines.push({ lead, comment: false });
    }
  }
  flush(true);
  return text;
}

// Run directly: the bundle on stdout.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const keepComments = args[0] === '--keep-comments';
  const readable = keepComments || args[0] === '--readable';
  const [webDir, wasmDir, extra] = readable ? args.slice(1) : args;
  if (!webDir || !wasmDir || extra) {
    console.error('usage: node examples/site/bundle.mjs [--readable | --keep-comments] WEB_DIR WASM_DIR > trial-screener.bundle.js');
    process.exit(2);
  }
  const { text } = bundleWidget({ webDir, wasmDir, keepComments });
  process.stdout.write(readable ? text : await compactBundle(text));
}
