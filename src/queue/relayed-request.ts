import type { ExchangeRecord, Headers, RequestRecord } from '../records';

/**
 * How a queued exchange says its candidate got the client's request as relayed to legacy,
 * instead of repeating it: the header values the candidate's request had that the client's
 * had not (its Host under the candidate's policy, the shadow marker), in its map's order.
 */
export interface CandidateRelayed {
  headers: Headers;
}

/** An exchange as queued: `candidateRequest` may be given as `candidateRelayed` (see `compactCandidateRequest`). */
export type QueuedExchange = ExchangeRecord & { candidateRelayed?: CandidateRelayed };

const REQUEST_KEYS = ['method', 'path', 'query', 'rawQuery', 'headerNames', 'headerLines', 'body', 'trailerLines'] as const;

/**
 * The exchange with its `candidateRequest` given as `candidateRelayed` (at its place) when
 * that request is the client's (`request`) with only header values set or added (no
 * translator changed it: the usual shadow copy): the same method, path, query, raw query,
 * header names, header lines, body and trailer lines (the same values), the client's header names in their
 * order with their values except those set, then the added ones. The queued JSON then does
 * not repeat the request; `expandCandidateRequest` gives the same record back. Anything else
 * comes back as it is.
 *
 * @example
 * compactCandidateRequest(ex).candidateRelayed; // { headers: { host: 'candidate:8080', 'x-tandem-shadow': '1' } }
 */
export function compactCandidateRequest(ex: ExchangeRecord): QueuedExchange {
  const set = relayedHeaders(ex.request, ex.candidateRequest);
  if (!set) return ex;
  const out: Record<string, unknown> = {};
  for (const key in ex) {
    if (!Object.hasOwn(ex, key)) continue;
    if (key === 'candidateRequest') out.candidateRelayed = { headers: set } satisfies CandidateRelayed;
    else out[key] = ex[key as keyof ExchangeRecord];
  }
  return out as unknown as QueuedExchange;
}

/**
 * The exchange as it was before `compactCandidateRequest`: `candidateRelayed` becomes the
 * `candidateRequest` it stood for, at its place (the client's request with the header values
 * set). An exchange without it comes back as it is. Throws nothing; a malformed
 * `candidateRelayed` (not an object with a `headers` object) is left out.
 *
 * @example
 * expandCandidateRequest(compactCandidateRequest(ex)); // deep-equal to ex
 */
export function expandCandidateRequest(ex: QueuedExchange): ExchangeRecord {
  if (!ex || typeof ex !== 'object' || !('candidateRelayed' in ex)) return ex;
  const relayed = ex.candidateRelayed;
  const headers = relayed && typeof relayed === 'object' ? relayed.headers : undefined;
  const request = ex.request;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ex)) {
    if (key !== 'candidateRelayed') out[key] = ex[key as keyof QueuedExchange];
    else if (headers && typeof headers === 'object' && request && typeof request === 'object')
      out.candidateRequest = { ...request, headers: mergedHeaders(request.headers, headers) } satisfies RequestRecord;
  }
  return out as unknown as ExchangeRecord;
}

/**
 * `{ ...a, ...b }` (`b`'s values over `a`'s, `a`'s names first, then `b`'s new ones; a name such
 * as `__proto__` an own property like any other), built by copying: on Node 20 a spread given
 * names its source did not hold builds a new object map each time (~2 µs per exchange).
 */
function mergedHeaders(a: Headers | undefined, b: Headers): Headers {
  const out: Headers = {};
  const put = (from: Headers) => {
    for (const name of Object.keys(from)) {
      if (name === '__proto__')
        Object.defineProperty(out, name, { value: from[name], enumerable: true, writable: true, configurable: true });
      else out[name] = from[name];
    }
  };
  // whatever a spread copies of a value that is no object (malformed data): nothing of null, a string's characters
  if (a !== null && a !== undefined) put(Object(a) as Headers);
  put(b);
  return out;
}

/** The header values `candidate` sets over `request`'s, when it is `request` with only those; else null. */
function relayedHeaders(request: RequestRecord, candidate: RequestRecord | undefined): Headers | null {
  if (!candidate || candidate === request) return null;
  for (const key of REQUEST_KEYS) if (candidate[key] !== request[key]) return null;
  // The same keys in the same order: the record is rebuilt as `{ ...request, headers }`.
  // (Own names by `for...in` into a reused array, not `Object.keys` arrays: once per queued exchange.)
  const own = ownKeys(request, OWN);
  let i = 0;
  for (const key in candidate) if (Object.hasOwn(candidate, key) && (i >= own.length || key !== own[i++])) return null;
  if (i !== own.length) return null;
  const theirs = request.headers;
  const mine = candidate.headers;
  const names = ownKeys(theirs, NAMES);
  const set: Headers = {};
  i = 0;
  for (const name in mine) {
    if (!Object.hasOwn(mine, name)) continue;
    // The client's names first, in their order (none removed), then the added ones.
    const client = i < names.length;
    if (client ? name !== names[i] || theirs[name] === undefined : Object.hasOwn(theirs, name)) return null;
    i++;
    if (name === '__proto__') return null;
    const value = mine[name];
    if (value === undefined) return null;
    if (!client || value !== theirs[name]) set[name] = value;
  }
  if (i < names.length) return null;
  return set;
}

/** `o`'s own enumerable names (`Object.keys`), into `into` (emptied first). */
function ownKeys(o: object, into: string[]): string[] {
  into.length = 0;
  for (const k in o) if (Object.hasOwn(o, k)) into.push(k);
  return into;
}
const OWN: string[] = [];
const NAMES: string[] = [];
