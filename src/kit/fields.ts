/** Split and merged fields: `name` ↔ `firstName` + `lastName`, at one object's level. */

import { isRecord, type BodyStep } from './compose';

/**
 * Replace `from` by the fields `split` returns, at its position. `split` may be a list of
 * names: the value (a string, trimmed) is cut at whitespace into that many parts, the last
 * taking the rest; missing parts are null; null gives all null. A value that is neither a
 * string nor null throws. Objects without `from` and non-objects pass untouched.
 *
 * @example
 * splitField('name', ['firstName', 'lastName'])({ id: 1, name: 'Ada King Lovelace' });
 * // { id: 1, firstName: 'Ada', lastName: 'King Lovelace' }
 */
export function splitField(from: string, split: string[] | ((value: unknown) => Record<string, unknown>)): BodyStep {
  const fn = typeof split === 'function' ? split : splitWords(from, split);
  return (body) => {
    if (!isRecord(body) || !Object.hasOwn(body, from)) return body;
    const parts = fn(body[from]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) {
      if (k === from) Object.assign(out, parts);
      else if (!Object.hasOwn(parts, k)) out[k] = v;
    }
    return out;
  };
}

/**
 * Replace the fields `from` by one field `into`, at the position of the first of them
 * present (an existing `into` is replaced). `join` gets the parts (missing ones absent);
 * by default the non-null parts, trimmed, are joined by one space, empty ones left out;
 * all null or missing gives null. Objects with none of `from` pass untouched.
 *
 * @example
 * joinFields(['firstName', 'lastName'], 'name')({ id: 1, firstName: 'Ada', lastName: null }); // { id: 1, name: 'Ada' }
 */
export function joinFields(from: string[], into: string, join: (parts: Record<string, unknown>) => unknown = joinWords(from)): BodyStep {
  return (body) => {
    if (!isRecord(body) || !from.some((k) => Object.hasOwn(body, k))) return body;
    const parts = Object.fromEntries(from.filter((k) => Object.hasOwn(body, k)).map((k) => [k, body[k]]));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) {
      if (from.includes(k)) {
        if (!Object.hasOwn(out, into)) out[into] = join(parts);
      } else if (k !== into) out[k] = v;
    }
    return out;
  };
}

function splitWords(from: string, names: string[]): (v: unknown) => Record<string, unknown> {
  return (v) => {
    if (v !== null && v !== undefined && typeof v !== 'string') throw new Error(`${from} must be a string or null, got ${typeof v}`);
    const words = typeof v === 'string' ? v.trim().split(/\s+/) : [];
    return Object.fromEntries(
      names.map((n, i) => [
        n,
        i < names.length - 1 ? (words[i] ?? (typeof v === 'string' && i === 0 ? '' : null)) : words.slice(i).join(' ') || null,
      ]),
    );
  };
}

function joinWords(from: string[]): (parts: Record<string, unknown>) => unknown {
  return (parts) => {
    const vs = from
      .map((k) => parts[k])
      .filter((v) => v !== null && v !== undefined)
      .map(String);
    return vs.length
      ? vs
          .map((v) => v.trim())
          .filter(Boolean)
          .join(' ')
      : null;
  };
}
