import type { BodyRecord, ExchangeRecord, Headers, Query, RequestRecord, ResponseRecord } from '../records';
import { decodeBody, encodeBody, headerValue } from '../records';
import { matchesPathPattern } from '../compare';

export const REDACTED = '[REDACTED]';

/** Headers always redacted before anything is stored. */
export const DEFAULT_REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Query parameters always redacted: credentials that APIs commonly accept in the URL. */
export const DEFAULT_REDACTED_QUERY = ['access_token', 'api_key', 'apikey', 'client_secret', 'password'];

export interface RedactOptions {
  /** Extra header names (any case). */
  headers: readonly string[];
  /** Extra query parameter names (any case). */
  query?: readonly string[];
  /** JSON body paths, `*` one segment, `**` any depth: `**.password`, `card.number`. */
  bodyPaths: readonly string[];
}

/**
 * A redactor for exchanges: secret headers, credential query parameters and configured
 * JSON body paths are replaced by `[REDACTED]` in every request and response of the
 * exchange, before it is queued or stored (the backends got the real values).
 *
 * @example
 * const redact = createRedactor({ headers: ['x-api-key'], bodyPaths: ['**.password'] });
 * queue(redact(exchange));
 */
export function createRedactor(o: RedactOptions): (ex: ExchangeRecord) => ExchangeRecord {
  const headerNames = lowerSet([...DEFAULT_REDACTED_HEADERS, ...o.headers]);
  const queryNames = lowerSet([...DEFAULT_REDACTED_QUERY, ...(o.query ?? [])]);
  const redactBody = (headers: Headers, body: BodyRecord | null): BodyRecord | null => {
    if (!o.bodyPaths.length || !body || body.truncated || !/json/i.test(headerValue(headers, 'content-type') ?? '')) return body;
    let value: unknown;
    try {
      value = JSON.parse(decodeBody(body).toString('utf8'));
    } catch {
      return body;
    }
    return redactPaths(value, '', o.bodyPaths) ? encodeBody(Buffer.from(JSON.stringify(value))) : body;
  };
  const msg = <T extends RequestRecord | ResponseRecord>(m: T | undefined): T | undefined =>
    m && {
      ...m,
      headers: redactNamed(m.headers, headerNames),
      body: redactBody(m.headers, m.body),
      ...('query' in m ? { query: redactNamed(m.query, queryNames) } : {}),
    };
  return (ex) => ({
    ...ex,
    request: msg(ex.request)!,
    legacy: msg(ex.legacy)!,
    candidateRequest: msg(ex.candidateRequest),
    candidate: msg(ex.candidate),
    legacyRepeat: msg(ex.legacyRepeat),
  });
}

const lowerSet = (names: readonly string[]) => new Set(names.map((n) => n.toLowerCase()));

/** A copy of `values` with the entries named in `names` (any case) redacted; `values` itself when none is there. */
function redactNamed<T extends Headers | Query>(values: T, names: Set<string>): T {
  let out: Record<string, unknown> | null = null;
  for (const name of Object.keys(values)) {
    if (!names.has(name.toLowerCase())) continue;
    out ??= { ...values };
    out[name] = REDACTED;
  }
  return (out ?? values) as T;
}

/** Replace matching values in place; true when anything was replaced. */
function redactPaths(node: unknown, path: string, patterns: readonly string[]): boolean {
  if (node === null || typeof node !== 'object') return false;
  let changed = false;
  const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [key, value] of entries) {
    const child = typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (patterns.some((p) => matchesPathPattern(p, child))) {
      (node as Record<string | number, unknown>)[key] = REDACTED;
      changed = true;
    } else if (redactPaths(value, child, patterns)) changed = true;
  }
  return changed;
}
