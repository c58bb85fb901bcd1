/**
 * Deep key mapping: rename, move, drop and coerce values at any depth of a JSON body,
 * addressed with the path patterns of the compare rules (`items[*].price`, `**.id`).
 * A bare key name (`title`) means that key at any depth. Returns new values; the input
 * is not changed; key order is kept; lossless-json numbers and Buffers are leaves.
 */

import { compilePathPattern, type PathMatcher } from '../compare/path-pattern';
import type { PathSegment } from '../compare/path';
import type { BodyStep } from './compose';
import { isRecord } from './compose';
import { getPath, setPath, deletePath } from './object-path';

/** Deeper values are returned as they are (bounded recursion over outside data). */
const MAX_DEPTH = 200;

/**
 * What `mapKeys` does; every part optional.
 *
 * @example
 * const spec: KeyMapSpec = { rename: { title: 'name' }, coerce: { '**.id': toStringValue }, move: { 'price.amount': 'price' }, drop: ['internal'] };
 */
export interface KeyMapSpec {
  /** Pattern of a key → its new name (the value stays where it is, key order kept; it replaces a key that has the new name). */
  rename?: Record<string, string>;
  /** Dot path → dot path, from the root: the value moves (applied after renames and drops). */
  move?: Record<string, string>;
  /** Patterns whose keys are removed. */
  drop?: string[];
  /** Pattern → function of the value (see `toStringValue`, `toNumberValue`, `stringly`). */
  coerce?: Record<string, (value: unknown) => unknown>;
}

/**
 * Build a body step from a key mapping.
 *
 * @example
 * mapKeys({ rename: { title: 'name' }, coerce: { '**.id': toStringValue } })({ items: [{ id: 1, title: 'Mug' }] });
 * // { items: [{ id: '1', name: 'Mug' }] }
 */
export function mapKeys(spec: KeyMapSpec): BodyStep {
  const renames = Object.entries(spec.rename ?? {}).map(([p, to]) => ({ m: matcher(p), to }));
  const drops = (spec.drop ?? []).map(matcher);
  const coercions = Object.entries(spec.coerce ?? {}).map(([p, fn]) => ({ m: matcher(p), fn }));
  const walk = (v: unknown, path: PathSegment[]): unknown => {
    let out = v;
    if (path.length < MAX_DEPTH) {
      if (Array.isArray(v)) out = v.map((x, i) => walk(x, [...path, i]));
      else if (isRecord(v)) {
        const kept = Object.entries(v)
          .map(([k, x]) => ({ k, x, p: [...path, k] }))
          .filter((e) => !drops.some((m) => m(e.p)))
          .map((e) => ({ ...e, to: renames.find((r) => r.m(e.p))?.to }));
        // A renamed key replaces a key that already has the new name.
        const targets = new Set(kept.filter((e) => e.to !== undefined).map((e) => e.to));
        const o: Record<string, unknown> = {};
        for (const e of kept) if (e.to !== undefined || !targets.has(e.k)) o[e.to ?? e.k] = walk(e.x, e.p);
        out = o;
      }
    }
    for (const c of coercions) if (c.m(path)) out = c.fn(out);
    return out;
  };
  return (body) => {
    let out = walk(body, []);
    for (const [from, to] of Object.entries(spec.move ?? {})) out = moveValue(out, from, to);
    return out;
  };
}

/**
 * Apply a body step to every value whose path matches `pattern` (e.g. each element of a list).
 *
 * @example
 * atPath('items[*]', (item) => ({ ...(item as object), seen: true }))({ items: [{ id: 1 }] }); // { items: [{ id: 1, seen: true }] }
 */
export function atPath(pattern: string, step: BodyStep): BodyStep {
  return mapKeys({ coerce: { [pattern]: step } });
}

/**
 * Move a value from one dot path to another (creating objects on the way); absent source: unchanged.
 *
 * @example
 * moveValue({ price: { amount: 5 } }, 'price.amount', 'price'); // { price: 5 }
 */
export function moveValue(body: unknown, from: string, to: string): unknown {
  const found = getPath(body, from);
  if (!found.present) return body;
  return setPath(deletePath(body, from), to, found.value);
}

function matcher(pattern: string): PathMatcher {
  return compilePathPattern(/^[\w$-]+$/.test(pattern) ? `**.${pattern}` : pattern);
}
