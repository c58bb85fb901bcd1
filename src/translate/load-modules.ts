import { existsSync, readdirSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { closest } from '../config/describe-issues';
import { TRANSLATOR_ERRORS, TranslatorError } from './errors';
import { enableTypeScript, resolveTypeScript } from './typescript-hook';
import type { Translator } from './types';
import { assertTranslator, looksLikeTranslator, setTranslatorOrigin } from './validate-translator';

/**
 * Test seam: how the `typescript` package is found.
 *
 * @example
 * loadTranslatorModules(['./x.ts'], dir, { resolveTypeScript: () => undefined }); // throws: compile with tsc
 */
export interface LoadOptions {
  resolveTypeScript?: typeof resolveTypeScript;
}

/**
 * Require user translator modules (the config's `translators`), relative paths
 * from `baseDir` (`./x.js`, or `translators/x.js` when that file exists there),
 * other bare names as packages. `.js`/`.cjs` are required directly,
 * `.ts`/`.cts` transpiled in development (see `typescript-hook.ts`). A module may
 * export a translator as default (`module.exports = t`; a translator with neither
 * function, `{ name: 'id' }`, is one too), an array of them, or translators as named
 * exports. Every module is tried; throws a `TranslatorError` (`TranslatorError.of`, so
 * `e.all` names each bad module): LOAD when a module is missing, does not compile or
 * throws; INVALID when it exports nothing translator-shaped or a malformed default export.
 *
 * @example
 * const loaded = loadTranslatorModules(config.translators, dirname(configFile));
 */
export function loadTranslatorModules(paths: readonly string[], baseDir: string = process.cwd(), opts: LoadOptions = {}): Translator[] {
  const { translators, errors } = loadEachTranslatorModule(paths, baseDir, opts);
  if (errors.length) throw TranslatorError.of(errors);
  return translators;
}

/**
 * Like `loadTranslatorModules`, but every module is tried: the translators of those that
 * load, and one `TranslatorError` per module that does not (so a first bad module never
 * hides the others).
 *
 * @example
 * const { translators, errors } = loadEachTranslatorModule(['nonexistent-pkg', './also-missing.js'], dir);
 * errors.length; // 2
 */
export function loadEachTranslatorModule(
  paths: readonly string[],
  baseDir: string = process.cwd(),
  opts: LoadOptions = {},
): { translators: Translator[]; errors: TranslatorError[] } {
  const seen = new Set<Translator>();
  const translators: Translator[] = [];
  const errors: TranslatorError[] = [];
  for (const path of paths) {
    let found: Translator[];
    try {
      found = translatorsOf(requireModule(path, baseDir, opts), path);
    } catch (e) {
      if (!(e instanceof TranslatorError)) throw e;
      errors.push(e);
      continue;
    }
    for (const t of found) {
      if (seen.has(t)) continue;
      seen.add(t);
      setTranslatorOrigin(t, path);
      translators.push(t);
    }
  }
  return { translators, errors };
}

function requireModule(path: string, baseDir: string, opts: LoadOptions): unknown {
  // `./x.js`, an absolute path, or `translators/x.js` when that file exists under baseDir; else a package name.
  const local = path.startsWith('.') || isAbsolute(path) || existsSync(resolve(baseDir, path));
  const target = local ? resolve(baseDir, path) : path;
  let file: string | undefined;
  try {
    file = local ? target : createRequire(join(resolve(baseDir), 'noop.js')).resolve(path);
    if (['.ts', '.cts'].includes(extname(file))) enableTypeScript(file, opts.resolveTypeScript);
    // Node's own loader (not a bundler's or test runner's require), so the .ts hook applies.
    return new Module(file).require(file);
  } catch (e) {
    if (e instanceof TranslatorError) throw e;
    const err = e as NodeJS.ErrnoException;
    const notFound = err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${target}'`);
    const message = notFound
      ? `translator module "${path}" not found${local ? notFoundLocally(path, target) : ` from ${baseDir}`}`
      : `translator module "${path}" failed to load: ${file ? whereIn(e, file) : ''}${err.message}`;
    throw new TranslatorError(TRANSLATOR_ERRORS.LOAD, message, { cause: e });
  }
}

/**
 * `file:line:column: ` of an error the module raised while loading, as a TypeScript syntax
 * error is named: a JavaScript syntax error's from the header Node puts on its stack
 * (`file:line`, the source line, a caret under the column), a throw's from the first frame
 * in the module. Empty when the stack names no place in it (thrown from elsewhere).
 *
 * @example
 * whereIn(e, '/srv/tr/items.js'); // '/srv/tr/items.js:4:16: '
 */
function whereIn(e: unknown, file: string): string {
  // not `instanceof Error`: the module runs in Node's own realm, whose Error may not be ours
  const raw = typeof e === 'object' && e !== null ? (e as { stack?: unknown }).stack : undefined;
  const stack = typeof raw === 'string' ? raw.slice(0, 4096) : '';
  if (!stack.includes(file)) return '';
  if (stack.startsWith(`${file}:`)) {
    const [head, , caret] = stack.split('\n', 3);
    const line = /:(\d+)$/.exec(head)?.[1];
    const column = caret?.indexOf('^') ?? -1;
    if (line) return `${file}:${line}${column >= 0 ? `:${column + 1}` : ''}: `;
  }
  const i = stack.indexOf(`${file}:`);
  const at = /^:(\d+):(\d+)/.exec(stack.slice(i + file.length));
  return at ? `${file}:${at[1]}:${at[2]}: ` : '';
}

/**
 * What follows "not found" for a local module: where it was looked for (unless that is the
 * path as given: the config hands its modules over already resolved from its folder), and
 * the file of that folder whose name is nearest (`items-v2.js` for `items-v2.ts`).
 */
function notFoundLocally(path: string, target: string): string {
  const where = path === target ? '' : ` (resolved to ${target})`;
  let names: string[] = [];
  try {
    names = readdirSync(dirname(target));
  } catch {
    return `${where}: no folder ${dirname(target)}`;
  }
  const name = basename(target);
  const stem = name.slice(0, name.length - extname(name).length);
  const near = names.find((n) => n !== name && n.slice(0, n.length - extname(n).length) === stem) ?? closest(name, names);
  return `${where}${near ? ` (did you mean ${join(dirname(target), near)}?)` : ''}`;
}

function translatorsOf(exports: unknown, path: string): Translator[] {
  const found: Translator[] = [];
  const add = (v: unknown, where: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => add(x, `${where}[${i}]`));
    else {
      assertTranslator(v, where);
      found.push(v);
    }
  };
  if (Array.isArray(exports) || looksLikeTranslator(exports) || isTranslatorObject(exports)) add(exports, `module "${path}"`);
  else if (typeof exports === 'object' && exports !== null) {
    for (const [key, value] of Object.entries(exports)) {
      if (key === 'default' && value !== undefined) add(value, `module "${path}" default export`);
      else if (looksLikeTranslator(value) || (Array.isArray(value) && value.length > 0 && value.every(looksLikeTranslator))) {
        add(value, `module "${path}" export "${key}"`);
      }
    }
  }
  if (!found.length) {
    const keys = typeof exports === 'object' && exports !== null ? Object.keys(exports) : [];
    throw new TranslatorError(
      TRANSLATOR_ERRORS.INVALID,
      `translator module "${path}" exports nothing translator-shaped (exports: ${keys.length ? keys.join(', ') : 'none'}); ` +
        'export default defineTranslator({ name, request?, response? }), an array of translators, or translators as named exports',
    );
  }
  return found;
}

/** Translator fields; an object with a string `name` and only these is a translator even without functions. */
const TRANSLATOR_KEYS = new Set(['name', 'routes', 'timeoutMs', 'request', 'response']);

/** `module.exports = { name: 'id' }` (or with `routes`): a translator with no functions, not a namespace. */
function isTranslatorObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return typeof (v as { name?: unknown }).name === 'string' && keys.every((k) => TRANSLATOR_KEYS.has(k));
}
