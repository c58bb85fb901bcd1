import { encodeBody, type ExchangeRecord, type ResponseRecord } from '../../src/records';
import { createTranslatorRegistry } from '../../src/translate';
import type { ProcessDeps } from '../../src/worker';

/** A JSON response record. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): ResponseRecord {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: encodeBody(Buffer.from(JSON.stringify(body))),
    durationMs: 1,
  };
}

/** A shadowed GET exchange of `route` with legacy and candidate JSON bodies. */
export function exchange(
  id: string,
  legacy: unknown,
  candidate: unknown,
  o: { route?: string; at?: number; repeat?: unknown; legacyHeaders?: Record<string, string> } = {},
): ExchangeRecord {
  return {
    id,
    route: o.route ?? 'product',
    customer: 'anonymous',
    at: o.at ?? Date.now(),
    requestId: id,
    request: { method: 'GET', path: `/products/${id}`, query: {}, headers: {}, body: null },
    params: { id },
    legacy: jsonResponse(legacy, 200, o.legacyHeaders),
    candidateRequest: { method: 'GET', path: `/products/${id}`, query: {}, headers: {}, body: null },
    candidate: jsonResponse(candidate),
    ...(o.repeat !== undefined ? { legacyRepeat: jsonResponse(o.repeat) } : {}),
  };
}

/** Process deps with identity translators and fixed rules. */
export function processDeps(rules: ProcessDeps['rulesFor'] = () => ({})): ProcessDeps {
  return { translators: createTranslatorRegistry([], []), rulesFor: rules, maxDecompressedBytes: 1 << 20 };
}

/** The retention the store tests use. */
export const RETENTION = { mismatchesPerRoute: 100, exchangesPerRoute: 100, ttlSeconds: 3600 };

/**
 * An exchange record around `parts` (request, legacy, and whatever else the test sets) with
 * the fixed identity the unit suites give it: id and requestId 'e1', route 'r', customer
 * 'anonymous', at 1 (ms), no params. Fields in `parts` win.
 *
 * @example
 * const ex = exchangeRecord({ request, legacy: res, candidate: res });
 * ex.id; // 'e1'
 */
export function exchangeRecord(
  parts: Omit<ExchangeRecord, 'id' | 'route' | 'customer' | 'at' | 'requestId' | 'params'> & Partial<ExchangeRecord>,
): ExchangeRecord {
  return { id: 'e1', route: 'r', customer: 'anonymous', at: 1, requestId: 'e1', params: {}, ...parts };
}
