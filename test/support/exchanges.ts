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
