import { TRANSLATOR_ERRORS, TranslatorError } from './errors';
import type { Translator } from './types';

const origins = new WeakMap<object, string>();

/**
 * Remember where a translator came from (a module path), for error messages.
 *
 * @example
 * setTranslatorOrigin(t, './translators/orders.ts');
 */
export function setTranslatorOrigin(t: object, origin: string): void {
  if (!origins.has(t)) origins.set(t, origin);
}

/**
 * `"name"`, plus ` (from <module>)` when the loader recorded where it came from.
 *
 * @example
 * describeTranslator(t); // '"orders" (from ./translators/orders.ts)'
 */
export function describeTranslator(t: { name?: unknown }): string {
  const origin = origins.get(t);
  return `"${String(t.name)}"${origin ? ` (from ${origin})` : ''}`;
}

/**
 * Loose test used to pick translators out of a module's named exports: an object
 * with a non-empty string `name` and a `request` and/or `response` function.
 *
 * @example
 * looksLikeTranslator({ name: 'x', request: (r) => r }); // true
 * looksLikeTranslator({ name: 'x' }); // false
 */
export function looksLikeTranslator(value: unknown): value is Translator {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && v.name !== '' && (typeof v.request === 'function' || typeof v.response === 'function');
}

/**
 * Strict check of one translator; throws a `TranslatorError` (INVALID) naming
 * every problem. `where` says where it was found, e.g. `./orders.ts default export`.
 *
 * @example
 * assertTranslator({ name: '' }, 'translators[0]'); // throws: name must be a non-empty string
 */
export function assertTranslator(value: unknown, where: string): asserts value is Translator {
  const problems = translatorProblems(value);
  if (problems.length) {
    throw new TranslatorError(TRANSLATOR_ERRORS.INVALID, `${where} is not a valid translator: ${problems.join('; ')}`);
  }
}

function translatorProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [
      `expected an object like defineTranslator({ name, request?, response? }), got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
    ];
  }
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof v.name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(v.name)) {
    problems.push(`name must be a non-empty string of letters, digits, "_", "." or "-", got ${JSON.stringify(v.name)}`);
  }
  for (const fn of ['request', 'response'] as const) {
    if (v[fn] !== undefined && typeof v[fn] !== 'function') problems.push(`${fn} must be a function, got ${typeof v[fn]}`);
  }
  if (v.routes !== undefined && !(Array.isArray(v.routes) && v.routes.every((r) => typeof r === 'string' && r !== ''))) {
    problems.push('routes must be an array of route names');
  }
  if (v.timeoutMs !== undefined && !(typeof v.timeoutMs === 'number' && Number.isFinite(v.timeoutMs) && v.timeoutMs > 0)) {
    problems.push(`timeoutMs must be a positive number, got ${JSON.stringify(v.timeoutMs)}`);
  }
  return problems;
}
