import type { PathSegment } from '../compare';
import type { Fingerprint } from './fingerprint';
import { canonicalJsonValue } from './canonical-value';
import { MAX_JSON_DEPTH, nonString } from './redact-json';

/**
 * A parsed body (a translator's output) with the values at secret paths replaced by
 * fingerprints: a copy, the input untouched. Strings are fingerprinted by their text,
 * other values by their canonical JSON (`canonicalJsonValue`) marked as not a string
 * (`nonString`), as `redactJsonText` does. Depth is bounded: anything
 * nested deeper than `MAX_JSON_DEPTH` is fingerprinted whole. `strings`, when given, sees
 * every other string and its path and returns its replacement (undefined keeps it): JSON
 * or forms inside strings.
 *
 * @example
 * redactValue({ user: { Password: 'x' } }, names.field, fp); // { user: { Password: '[REDACTED:...]' } }
 */
export function redactValue(
  value: unknown,
  isSecret: (path: readonly PathSegment[]) => boolean,
  fp: Fingerprint,
  strings?: (value: string, path: readonly PathSegment[]) => string | undefined,
): unknown {
  const path: PathSegment[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return (strings && strings(node, path)) ?? node;
    if (node === null || typeof node !== 'object') return node;
    if (path.length >= MAX_JSON_DEPTH) return fp(nonString(safeJson(node)));
    const entries: [PathSegment, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    let copy: Record<string | number, unknown> | unknown[] | null = null;
    for (const [key, child] of entries) {
      path.push(key);
      const next = isSecret(path) ? (typeof child === 'string' ? fp(child) : fp(nonString(safeJson(child)))) : walk(child);
      path.pop();
      if (next === child) continue;
      copy ??= Array.isArray(node) ? [...node] : { ...(node as Record<string, unknown>) };
      (copy as Record<string | number, unknown>)[key as string | number] = next;
    }
    return copy ?? node;
  };
  return walk(value);
}

/** The canonical JSON of a value (see `canonicalJsonValue`), else its JSON, else its text. */
function safeJson(v: unknown): string {
  const canonical = canonicalJsonValue(v);
  if (canonical !== undefined) return canonical;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
