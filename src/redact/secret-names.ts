import { anyPattern, tokenisePath, type PathSegment } from '../compare';

/** Headers always redacted before anything is stored (the report token included). */
export const DEFAULT_REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-tandem-token', 'x-api-key'];

/**
 * Field names always redacted (any case): the common names of credentials (passwords,
 * OAuth and API tokens, API keys, client secrets, private keys), in both the `_` and `-`
 * spellings, as query parameters and in forms, multipart fields and JSON bodies at any
 * depth. Only a whole name counts: `token` is a secret, `next_page_token` is not.
 */
export const DEFAULT_REDACTED_QUERY = [
  'password',
  'passwd',
  'secret',
  'client_secret',
  'client-secret',
  'token',
  'access_token',
  'access-token',
  'refresh_token',
  'refresh-token',
  'id_token',
  'id-token',
  'auth_token',
  'auth-token',
  'session_token',
  'session-token',
  'api_key',
  'api-key',
  'apikey',
  'x-api-key',
  'x_api_key',
  'private_key',
  'private-key',
];

/**
 * What counts as a secret, all names compared in lower case.
 *
 * @example
 * const s = secretNames({ headers: ['X-Api-Key'], query: [], bodyPaths: ['**.PIN'] });
 * s.header('x-api-key'); // true
 * s.field(['user', 'pin']); // true
 */
export interface SecretNames {
  /** A header name (any case). */
  header(name: string): boolean;
  /** A query parameter name as sent (`password`, `password[]`, `user[password]`). */
  query(name: string): boolean;
  /** A body field by its path (object keys and indices): configured body paths, or an always-redacted leaf name. */
  field(segments: readonly PathSegment[]): boolean;
  /**
   * A case-insensitive test of decoded body text: false means no configured secret can be
   * in it (every pattern ends in a literal name and no name occurs), so nothing needs parsing.
   */
  mayOccurIn(text: string): boolean;
}

export interface SecretNameOptions {
  headers: readonly string[];
  query?: readonly string[];
  bodyPaths: readonly string[];
}

/**
 * Compile the configured names once.
 *
 * @example
 * secretNames({ headers: [], bodyPaths: [] }).query('password[]'); // true
 */
export function secretNames(o: SecretNameOptions): SecretNames {
  const headers = lowerSet([...DEFAULT_REDACTED_HEADERS, ...o.headers]);
  const names = lowerSet([...DEFAULT_REDACTED_QUERY, ...(o.query ?? [])]);
  const patterns = o.bodyPaths.map((p) => p.toLowerCase());
  const matches = anyPattern(patterns);
  const leaves = [...names];
  let anyLeaf = false;
  for (const p of patterns) {
    const key = [...tokenisePath(p)].reverse().find((t) => t.t === 'key');
    if (key && key.t === 'key') leaves.push(key.v);
    else anyLeaf = true;
  }
  // A name holding another (`access_token` holds `token`) adds nothing to the probe.
  const lowerLeaves = [...new Set(leaves.map((l) => l.toLowerCase()))];
  const needed = lowerLeaves.filter((l) => !lowerLeaves.some((o) => o !== l && l.includes(o)));
  const probe = new RegExp(needed.map(escapeRegExp).join('|') + '|\\\\u', 'i');
  const field = (segments: readonly PathSegment[]) => {
    const lower = segments.map((s) => (typeof s === 'string' ? s.toLowerCase() : s));
    const leaf = [...lower].reverse().find((s): s is string => typeof s === 'string');
    return (leaf !== undefined && names.has(leaf)) || matches(lower);
  };
  return {
    header: (name) => headers.has(name.toLowerCase()),
    query: (name) => field(bracketSegments(name)),
    field,
    mayOccurIn: (text) => anyLeaf || probe.test(text),
  };
}

/**
 * The path a form or query field name stands for in the bracket convention (PHP, Rails,
 * qs): `user[password]` is `user.password`, `password[]` is `password`, `a[0][b]` is `a[0].b`.
 *
 * @example
 * bracketSegments('user[card][0][number]'); // ['user', 'card', 0, 'number']
 */
export function bracketSegments(name: string): PathSegment[] {
  const m = /^([^[]*)((?:\[[^\]]*\])*)$/.exec(name);
  if (!m || !m[2]) return [name];
  const out: PathSegment[] = m[1] ? [m[1]] : [];
  for (const [, inner] of m[2].matchAll(/\[([^\]]*)\]/g)) if (inner !== '') out.push(/^\d{1,9}$/.test(inner) ? Number(inner) : inner);
  return out;
}

const lowerSet = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
