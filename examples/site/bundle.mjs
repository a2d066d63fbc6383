// The widget as one file: web/define.js and every module it imports statically
// (the element, its renderers and dictionaries, wasm/trialscreen.js and the
// generated trialscreen-core.mjs), each in its own function scope, in the
// order the browser would evaluate them. The patient page loads this instead
// of thirteen modules: with six connections per origin, the files of a module
// graph queue behind one another, and one file arrives much sooner
// (docs/performance.md, "Start-up").
//
// Only the import and export forms this project writes are understood; any
// other form stops the bundling with an error rather than guess. Relative
// dynamic imports (the physician view) and import.meta.url keep resolving
// against each module's own place (a bare import such as node:fs is left as
// it is), so the bundle must be served from the web/ folder, with wasm/ beside
// it, as the modules themselves are (docs/embedding.md).
//
//   node examples/site/bundle.mjs WEB_DIR WASM_DIR > trial-screener.bundle.js
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMPORT_DEFAULT = /^import (\w+) from '([^']+)';$/;
const IMPORT_NAMED = /^import \{([^}]*)\} from '([^']+)';$/;
const EXPORT_DECLARATION = /^export (async function|function|class|const) (\w+)/;
const EXPORT_DEFAULT_VALUE = /^export default ([\w$]+);$/;
const EXPORT_DEFAULT_OBJECT = /^export default \{$/;
const EXPORT_LIST = /^export \{([^}]*)\};$/;
const DYNAMIC_IMPORT = /\bimport\('([^']+)'\)/g;

/**
 * Returns { text, modules }: the bundle's source for a bundle placed in
 * `webDir` (as `webDir/NAME.js`), and the files it holds in evaluation order.
 * `wasmDir` is the folder served as ../wasm/ beside web/.
 */
export function bundleWidget({ webDir, wasmDir }) {
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
    const source = readFileSync(file, 'utf8');
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
    // Chromium's compile hint: compile every function of this file on a
    // background thread while it downloads, not each on the main thread at
    // its first call (nearly all of them run while the widget loads).
    '//# allFunctionsCalledOnLoad',
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
  return { text: parts.join('\n'), modules: order.map(({ file }) => fromBundle(file)) };
}

// Run directly: the bundle on stdout.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [webDir, wasmDir] = process.argv.slice(2);
  if (!webDir || !wasmDir) {
    console.error('usage: node examples/site/bundle.mjs WEB_DIR WASM_DIR > trial-screener.bundle.js');
    process.exit(2);
  }
  process.stdout.write(bundleWidget({ webDir, wasmDir }).text);
}
