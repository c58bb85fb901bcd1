import { bodyBytes, type Difference } from '../records';
import type { CompiledRules } from './compile-rules';
import { deepEqual } from './deep-equal';
import { diffJson } from './diff-json';
import { diffBudget, type DiffBudget } from './diff-context';
import { diffText } from './diff-text';
import type { FoundDifference } from './found-difference';
import type { NormalisedBody, NormalisedResponse } from './types';

/** Path segments of a whole-body difference (`$body`). */
const BODY: readonly string[] = ['$body'];

/**
 * True when two responses carry the same raw body bytes under the same content-encoding,
 * media type and declared charset: compared by data when kept whole, by sha256 when truncated.
 *
 * @example
 * sameRawBody(legacy, candidate); // true when both recorded the same bytes
 */
export function sameRawBody(a: NormalisedResponse, b: NormalisedResponse): boolean {
  const x = a.raw;
  const y = b.raw;
  if (!x || !y || x.contentEncoding !== y.contentEncoding || x.mediaType !== y.mediaType || x.charset !== y.charset) return false;
  const r = x.record;
  const s = y.record;
  if (r.size !== s.size || r.truncated !== s.truncated) return false;
  if (r.withheld || s.withheld) return r.withheld === s.withheld;
  if (r.truncated) return r.sha256 !== undefined && r.sha256 === s.sha256;
  if (r.encoding !== s.encoding) return false;
  // records holding their bytes compare them: reading `data` would decode both (see `bytesBodyAs`)
  const rb = bodyBytes(r);
  const sb = bodyBytes(s);
  if (rb && sb) return rb === sb || rb.equals(sb);
  return r.data === s.data;
}

/**
 * Cheap equality of two normalised bodies: the same raw bytes, or equal parsed values
 * (deep-equal, no diff work). Refused bodies (too_large, unparseable) are equal only
 * when their raw bytes are.
 *
 * @example
 * bodiesEqual({ body: { kind: 'json', value: [1] } } as NormalisedResponse, { body: { kind: 'json', value: [1] } } as NormalisedResponse); // true
 */
export function bodiesEqual(a: NormalisedResponse, b: NormalisedResponse): boolean {
  if (sameRawBody(a, b)) return true;
  const x = a.body;
  const y = b.body;
  if (x.kind !== y.kind) return false;
  switch (x.kind) {
    case 'empty':
      return true;
    case 'json':
    case 'form':
      return deepEqual(x.value, (y as typeof x).value);
    case 'text':
      return x.value === (y as typeof x).value;
    case 'binary':
      return x.sha256 === (y as typeof x).sha256 && x.size === (y as typeof x).size;
    default:
      return false;
  }
}

/**
 * Differences between two comparable bodies (neither unparseable nor too_large), within
 * `budget` (see diffJson: kept differences, the rest counted, an operation limit).
 * JSON and forms diff field by field; text gives one `$body` difference summarising
 * the line diff; binary one `$body` difference with size and sha256; a different body
 * kind is a `$body` type change (a body only on the candidate side is `added`).
 *
 * @example
 * diffBodies({ kind: 'text', value: 'a\nb' }, { kind: 'text', value: 'a\nc' }, compileRules({}));
 * // [{ path: '$body', kind: 'changed', legacy: { lines: 2, differing: 1, firstDifferingLines: [2] }, ... }]
 */
export function diffBodies(
  a: NormalisedBody,
  b: NormalisedBody,
  rules: CompiledRules,
  budget: DiffBudget = diffBudget(),
): FoundDifference[] {
  if (a.kind !== b.kind) {
    if (a.kind === 'empty') return whole(rules, 'added', undefined, b.kind);
    if (b.kind === 'empty') return whole(rules, 'removed', a.kind, undefined);
    return whole(rules, 'type_changed', a.kind, b.kind);
  }
  switch (a.kind) {
    case 'json':
      return diffJson(a.value, (b as typeof a).value, rules, budget);
    case 'form':
      return diffJson(...alignForms(a.value, (b as typeof a).value), rules, budget);
    case 'text': {
      const d = diffText(a.value, (b as typeof a).value);
      if (!d) return [];
      const { approximate, ...sides } = d;
      return whole(rules, 'changed', approximate ? { ...sides.legacy, approximate } : sides.legacy, sides.candidate);
    }
    case 'binary': {
      const y = b as typeof a;
      if (a.sha256 === y.sha256 && a.size === y.size) return [];
      return whole(rules, 'changed', { size: a.size, sha256: a.sha256 }, { size: y.size, sha256: y.sha256 });
    }
    default:
      return [];
  }
}

function whole(rules: CompiledRules, kind: Difference['kind'], legacy: unknown, candidate: unknown): FoundDifference[] {
  if ((kind === 'added' && rules.allowAdded) || rules.ignored(BODY)) return [];
  const d: FoundDifference = { area: 'body', segments: BODY, path: '$body', kind };
  if (legacy !== undefined) d.legacy = legacy;
  if (candidate !== undefined) d.candidate = candidate;
  return [d];
}

type Form = Record<string, string | string[]>;

/** A field sent once on one side and repeated on the other compares as a list on both. */
function alignForms(a: Form, b: Form): [Form, Form] {
  let x = a;
  let y = b;
  for (const k of Object.keys(a)) {
    if (!Object.hasOwn(b, k)) continue;
    const av = a[k];
    const bv = b[k];
    if (Array.isArray(av) === Array.isArray(bv)) continue;
    if (x === a) x = Object.assign(Object.create(null) as Form, a);
    if (y === b) y = Object.assign(Object.create(null) as Form, b);
    x[k] = Array.isArray(av) ? av : [av];
    y[k] = Array.isArray(bv) ? bv : [bv];
  }
  return [x, y];
}
