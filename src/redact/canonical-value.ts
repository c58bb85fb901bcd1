import { isJsonNumber, numberKey, parseJsonExact } from '../records';

/** Nesting deeper than this is not canonicalised (the value's compact JSON is used as it is). */
export const MAX_CANONICAL_DEPTH = 512;

/**
 * The text a redacted value other than a string is fingerprinted by: one form per value
 * as the comparison sees it, so values the comparison calls equal get one fingerprint.
 * Numbers by exact decimal value (`numberKey`: `1.0`, `1` and `1e0` are one number;
 * `9007199254740993` and `9007199254740992` two), object keys sorted (a repeated key: the
 * last wins, as the comparison reads it), strings re-escaped one way (`"\u00e9"` is `"é"`),
 * no spacing. For integers, `true`, `false`, `null`, and arrays and sorted objects of those
 * and of strings without escapes it is the compact JSON (the form fingerprinted before).
 *
 * Bounded: nesting deeper than `MAX_CANONICAL_DEPTH` gives undefined (the caller then
 * uses the value's compact text as it came). Linear in the text, plus the key sorts.
 *
 * @example
 * canonicalJsonText('{"b":2, "a":1.0}'); // '{"a":1,"b":2}'
 */
export function canonicalJsonText(raw: string): string | undefined {
  let value: unknown;
  try {
    value = parseJsonExact(raw);
  } catch {
    return undefined;
  }
  return canonicalJsonValue(value);
}

/**
 * `canonicalJsonText` of a parsed value (a translator's output: plain values, `LosslessNumber`s,
 * bigints); undefined when it nests deeper than `MAX_CANONICAL_DEPTH` or holds something JSON
 * cannot write (a function, a cycle: it is then deeper than any bound).
 *
 * @example
 * canonicalJsonValue({ b: new LosslessNumber('2.50'), a: [true] }); // '{"a":[true],"b":2.5e0}'
 */
export function canonicalJsonValue(value: unknown, depth = 0): string | undefined {
  if (value === null) return 'null';
  if (isJsonNumber(value)) return numberKey(value);
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (depth >= MAX_CANONICAL_DEPTH) return undefined;
      const parts: string[] = [];
      if (Array.isArray(value)) {
        for (const item of value) {
          const c = item === undefined ? 'null' : canonicalJsonValue(item, depth + 1);
          if (c === undefined) return undefined;
          parts.push(c);
        }
        return `[${parts.join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record).sort()) {
        if (record[key] === undefined) continue;
        const c = canonicalJsonValue(record[key], depth + 1);
        if (c === undefined) return undefined;
        parts.push(`${JSON.stringify(key)}:${c}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return undefined;
  }
}
