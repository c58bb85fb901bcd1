import type { z } from 'zod';

/**
 * One configuration problem: where (`path`, as in the file: `candidate.timeoutMs`,
 * `routes.0.match`) and what is wrong.
 *
 * @example
 * const i: ConfigIssue = { path: ['candidate', 'timeoutMs'], message: 'Too small: expected number to be >0' };
 */
export interface ConfigIssue {
  path: (string | number)[];
  message: string;
  /** The `ERR_TANDEM_*` code of this problem (default: the ConfigError's own code). */
  code?: string;
}

/**
 * Zod's issues as config problems. An unknown key becomes one problem per key, with
 * "did you mean ...?" when a known key of the same object is close (edit distance, case).
 *
 * @example
 * describeIssues(configSchema, result.error.issues);
 * // [{ path: ['candidate', 'timeoutMS'], message: 'unknown key (did you mean "timeoutMs"?)' }]
 */
export function describeIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  at: readonly (string | number)[] = [],
): ConfigIssue[] {
  return issues.flatMap((i): ConfigIssue[] => {
    const path = [...at, ...i.path.filter((p): p is string | number => typeof p !== 'symbol')];
    if (i.code === 'invalid_union' && i.errors.length) return unionIssues(schema, path, i.errors);
    if (i.code !== 'unrecognized_keys') return [{ path, message: i.message + gotText(i, path) }];
    const known = keysAt(schema, path);
    return i.keys.map((key) => {
      const near = closest(key, known);
      return {
        path: [...path, key],
        message: `unknown key${near ? ` (did you mean "${near}"?)` : known.length ? ` (known keys: ${known.join(', ')})` : ''}`,
      };
    });
  });
}

/**
 * A value that fits none of a union's forms (`customer`, `report.listen`): zod says only
 * "Invalid input". The problems of the form it comes nearest to are named instead (a wrong
 * type or value at the union's own place weighs most, unknown keys there less, anything
 * deeper least), so `customer: { from: haeder, name: x }` is `customer.from: Invalid option:
 * expected one of ...`. When forms tie on a wrong type or value at that place (`listen:
 * prxy`), what each form expects is named in one problem.
 */
function unionIssues(schema: z.ZodType, path: (string | number)[], branches: readonly (readonly z.core.$ZodIssue[])[]): ConfigIssue[] {
  const weight = (i: z.core.$ZodIssue) => (i.path.length ? 1 : i.code === 'unrecognized_keys' ? 5 : 10);
  const scores = branches.map((b) => b.reduce((sum, i) => sum + weight(i), 0));
  const best = Math.min(...scores);
  const nearest = branches.filter((_, k) => scores[k] === best);
  if (nearest.length === 1 || nearest.some((b) => b.some((i) => i.path.length || i.code === 'unrecognized_keys')))
    return describeIssues(schema, nearest[0], path);
  const messages = nearest.flatMap((b) => b.map((i) => i.message.replace(/^Invalid input: /, '')));
  const expected = [...new Set(messages.map((m) => m.replace(/, received \w+$/, '').replace(/^expected /, '')))];
  const received = messages.map((m) => /, received \w+$/.exec(m)?.[0]).find(Boolean) ?? '';
  const got = nearest.flatMap((b) => b.map((i) => gotText(i, path))).find(Boolean) ?? '';
  return [{ path, message: `Invalid input: expected ${expected.join(' or ')}${received}${got}` }];
}

/** Issue codes about a value itself (its type, range, choice or form), where the value helps. */
const VALUE_CODES = new Set(['invalid_type', 'too_big', 'too_small', 'invalid_value', 'invalid_format', 'not_multiple_of', 'custom']);
/** Keys whose values are secrets (tokens, keys, passwords, header maps): never echoed. */
const SECRET_PATH = /token|key|secret|passw|auth|header|cookie|credential/i;

/**
 * ` (got "abc")`: the value a problem is about, as the file wrote it (the issue's input,
 * from `safeParse(..., { reportInput: true })`), so a newcomer sees what was read. Only
 * plain values, at most 60 characters; never a secret's (by key name) nor a URL with
 * credentials in it.
 */
function gotText(i: z.core.$ZodIssue, path: readonly (string | number)[]): string {
  if (!VALUE_CODES.has(i.code) || !('input' in i)) return '';
  const v: unknown = i.input;
  // null is a key written with no value (`legacy:`): missing, as an absent key, so nothing to echo
  if (v === null || v === undefined || typeof v === 'object' || typeof v === 'function' || typeof v === 'symbol') return '';
  if (path.some((p) => typeof p === 'string' && SECRET_PATH.test(p))) return '';
  if (typeof v === 'string' && /\/\/[^/]*@/.test(v)) return '';
  const text = typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v) : String(v);
  return ` (got ${text})`;
}

/** `a.b.0.c: message`, `(root)` for the top level. */
export function issueText(i: ConfigIssue): string {
  return `${i.path.join('.') || '(root)'}: ${i.message}`;
}

/** The keys an object schema allows at `path` (through optional/default wrappers, arrays and a union's object forms). */
function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let s: Internal | undefined = unwrap(schema as unknown as Internal);
  for (const seg of path) {
    s = objectForm(s, seg);
    if (!s) return [];
    const def = s._zod.def;
    if (def.type === 'object' && typeof seg === 'string') s = unwrap(def.shape?.[seg]);
    else if (def.type === 'array') s = unwrap(def.element);
    else if (def.type === 'record') s = unwrap(def.valueType);
    else return [];
  }
  s = objectForm(s);
  return s && s._zod.def.type === 'object' ? Object.keys(s._zod.def.shape ?? {}) : [];
}

/** A union's first object form (that has `key`, when given); any other schema as it is. */
function objectForm(s: Internal | undefined, key?: string | number): Internal | undefined {
  if (s?._zod.def.type !== 'union') return s;
  const forms = (s._zod.def.options ?? []).map(unwrap).filter((o) => o?._zod.def.type === 'object');
  return typeof key === 'string' ? forms.find((o) => o?._zod.def.shape?.[key] !== undefined) : forms[0];
}

interface Internal {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, Internal>;
      element?: Internal;
      valueType?: Internal;
      innerType?: Internal;
      in?: Internal;
      options?: Internal[];
    };
  };
}

function unwrap(s: Internal | undefined): Internal | undefined {
  for (let n = 0; s && n < 10; n++) {
    const d = s._zod.def;
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else break;
  }
  return s;
}

/** The known key nearest to `key`, if near enough to be a typo (at most 2 edits, and under half its length). */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0.5 : distance(key, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= Math.min(2, Math.floor(key.length / 2)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
