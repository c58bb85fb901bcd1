import { join, resolve } from 'node:path';
import { createTranslatorRegistry, loadTranslatorModules, translateRequest, TranslatorError, type Translator } from '../../src/translate';
import { createTranslatorsFor as loadTranslators } from '../../src/runtime';
import { request } from './fixtures';
import { thrownBy } from '../support/thrown';
import { tempDir } from '../support/processes';

const defineTranslatorPath = JSON.stringify(resolve(__dirname, '../../src/translate/define-translator'));

const dir = (files: Record<string, string>): string => tempDir('translators', files).path;

const loadError = (fn: () => unknown) => thrownBy(TranslatorError, fn);

describe('loadTranslatorModules', () => {
  it('transpiles a TypeScript module with types, a default export and a sibling .ts import', async () => {
    const d = dir({
      'orders.ts': `
        import { defineTranslator } from ${defineTranslatorPath};
        import { prefix } from './helper';
        interface Shape { path: string }
        const withPrefix = (r: Shape): string => prefix + r.path;
        export default defineTranslator({ name: 'ts-orders', request: (req) => ({ ...req, path: withPrefix(req) }) });
      `,
      'helper.ts': `export const prefix: string = '/v9';`,
    });
    const [t, ...rest] = loadTranslatorModules(['./orders.ts'], d);
    expect(rest).toHaveLength(0);
    expect(t.name).toBe('ts-orders');
    const out = await translateRequest(t, request('GET', '/orders'));
    expect(out.path).toBe('/v9/orders');
  });

  it('loads named exports and arrays from .js/.cjs, once per translator', () => {
    const d = dir({
      'many.js': `module.exports = [{ name: 'one', request: (r) => r }, { name: 'two', response: (r) => r }];`,
      'named.cjs': `
        const three = { name: 'three', request: (r) => r };
        exports.three = three; exports.default = three; exports.helper = () => 1; exports.config = { name: 'not-a-translator' };`,
    });
    expect(loadTranslatorModules(['./many.js', './named.cjs'], d).map((t) => t.name)).toEqual(['one', 'two', 'three']);
  });

  it('names both modules when two define the same translator name', () => {
    const d = dir({
      'a.js': `module.exports = { name: 'dup', request: (r) => r };`,
      'b.js': `module.exports = { name: 'dup', request: (r) => r };`,
    });
    const e = loadError(() => createTranslatorRegistry(loadTranslatorModules(['./a.js', './b.js'], d), []));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_CONFLICT');
    expect(e.message).toBe('two translators are named "dup": "dup" (from ./a.js) and "dup" (from ./b.js); names must be unique');
  });

  it('rejects a module that exports nothing translator-shaped', () => {
    const d = dir({ 'empty.js': `exports.helper = () => 1; exports.settings = { name: 'x' };` });
    const e = loadError(() => loadTranslatorModules(['./empty.js'], d));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_INVALID');
    expect(e.message).toBe(
      'translator module "./empty.js" exports nothing translator-shaped (exports: helper, settings); ' +
        'export default defineTranslator({ name, request?, response? }), an array of translators, or translators as named exports',
    );
  });

  it('rejects a malformed default export', () => {
    const d = dir({ 'bad.ts': `export default { name: 'bad', request: 'nope' };` });
    const e = loadError(() => loadTranslatorModules(['./bad.ts'], d));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_INVALID');
    expect(e.message).toBe('module "./bad.ts" default export is not a valid translator: request must be a function, got string');
  });

  it('reports missing modules, modules that throw and TypeScript syntax errors', () => {
    const d = dir({ 'throws.js': `throw new Error('kaboom');`, 'broken.ts': `export default {\n  name: 'x',,\n};` });
    const missing = loadError(() => loadTranslatorModules(['./nope.js'], d));
    expect(missing.code).toBe('ERR_TANDEM_TRANSLATOR_LOAD');
    expect(missing.message).toBe(`translator module "./nope.js" not found (resolved to ${join(d, 'nope.js')})`);
    expect(loadError(() => loadTranslatorModules(['./throws.js'], d)).message).toBe(
      `translator module "./throws.js" failed to load: ${join(d, 'throws.js')}:1:7: kaboom`,
    );
    const syntax = loadError(() => loadTranslatorModules(['./broken.ts'], d));
    expect(syntax.code).toBe('ERR_TANDEM_TRANSLATOR_LOAD');
    expect(syntax.message).toContain(`${join(d, 'broken.ts')}:2:13: `);
    expect(syntax.message).not.toContain('\n');
  });

  // A JavaScript translator's syntax error said only "Unexpected token ';'": no file, no line.
  it('names the line and column of a JavaScript syntax error, as of a TypeScript one', () => {
    const d = dir({ 'typo.js': `module.exports = {\n  name: 'typo',\n  request(req) {\n    return req +;\n  },\n};\n` });
    const e = loadError(() => loadTranslatorModules(['./typo.js'], d));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_LOAD');
    expect(e.message).toBe(`translator module "./typo.js" failed to load: ${join(d, 'typo.js')}:4:17: Unexpected token ';'`);
  });

  it('says to compile with tsc when the typescript package is missing', () => {
    const d = dir({ 'x.ts': `export default { name: 'x', request: (r: unknown) => r };` });
    const e = loadError(() => loadTranslatorModules(['./x.ts'], d, { resolveTypeScript: () => undefined }));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_LOAD');
    expect(e.message).toBe(
      `cannot load TypeScript translator ${join(d, 'x.ts')}: the "typescript" package is not installed. ` +
        'For development, install TypeScript 5 (npm install --save-dev typescript@5); for production, ' +
        'compile translators with tsc and list the .js files in "translators".',
    );
  });

  it('says which TypeScript to install when the installed one has no transpileModule (TypeScript 7 ships no JavaScript API)', () => {
    // `npm install -D typescript` installs 7.x today: its main export is only { version }
    const d = dir({ 'y.ts': `export default { name: 'y', request: (r: unknown) => r };` });
    const ts7 = { version: '7.0.2' } as never;
    const e = loadError(() => loadTranslatorModules(['./y.ts'], d, { resolveTypeScript: () => ts7 }));
    expect(e.code).toBe('ERR_TANDEM_TRANSLATOR_LOAD');
    expect(e.message).toBe(
      `cannot load TypeScript translator ${join(d, 'y.ts')}: the installed "typescript" package (7.0.2) has no ` +
        'transpileModule (TypeScript 7 ships no JavaScript API). For development, install TypeScript 5 ' +
        '(npm install --save-dev typescript@5); for production, compile translators with tsc and list the .js files in "translators".',
    );
  });
});

describe('loadTranslators', () => {
  it('combines builtins and config modules and checks routes', () => {
    const d = dir({ 'mine.js': `module.exports = { name: 'mine', routes: ['claimed'], request: (r) => r };` });
    const registry = loadTranslators(
      { translators: ['./mine.js'], routes: [{ name: 'p', translator: 'products-v2' }, { name: 'claimed' }] },
      d,
    );
    expect(registry.forRoute('p').name).toBe('products-v2');
    expect((registry.forRoute('claimed') as Translator).name).toBe('mine');
    expect(loadError(() => loadTranslators({ translators: [], routes: [{ name: 'p', translator: 'mine' }] }, d)).code).toBe(
      'ERR_TANDEM_TRANSLATOR_UNKNOWN',
    );
  });
});
