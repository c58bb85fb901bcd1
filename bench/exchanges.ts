import { bytesBody, type ExchangeRecord, type ResponseRecord } from '../src/records';
import { jsonDocument, pathFor, SIZES, type SizeName } from './payloads';

/** One kind of comparison the worker benchmarks measure. */
export interface CompareCase {
  size: SizeName;
  /** Equal pairs take the byte-equality fast path; differing ones the full JSON diff. */
  differ: boolean;
}

/**
 * The four cases: equal and differing pairs of 2 KB and 20 KB JSON.
 *
 * @example
 * COMPARE_CASES.map(caseName); // ['2k equal', '2k differing', '20k equal', '20k differing']
 */
export const COMPARE_CASES: readonly CompareCase[] = [
  { size: '2k', differ: false },
  { size: '2k', differ: true },
  { size: '20k', differ: false },
  { size: '20k', differ: true },
];

/**
 * A case's name in tables and JSON.
 *
 * @example
 * caseName({ size: '2k', differ: true }); // '2k differing'
 */
export function caseName(c: CompareCase): string {
  return `${c.size} ${c.differ ? 'differing' : 'equal'}`;
}

/**
 * A shadowed exchange as the ingress queues it: a GET, legacy's JSON answer and the
 * candidate's (equal, or with three fields changed), bodies holding their bytes as captured.
 *
 * @example
 * const ex = benchExchange('ex-1', { size: '2k', differ: false });
 * ex.candidate!.body!.data === ex.legacy.body!.data; // true
 */
export function benchExchange(id: string, c: CompareCase, route = 'items'): ExchangeRecord {
  const request = {
    method: 'GET',
    path: pathFor(c.size),
    query: {},
    headers: { host: '127.0.0.1:8080', accept: 'application/json', 'user-agent': 'bench', 'x-request-id': id },
    body: null,
  };
  const response = (differ: boolean): ResponseRecord => {
    const body = documentOf(c.size, differ);
    return {
      status: 200,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      body: bytesBody(body),
      durationMs: 1,
    };
  };
  return {
    id,
    route,
    customer: 'anonymous',
    at: Date.now(),
    requestId: id,
    params: { size: c.size, id: '1' },
    request,
    legacy: response(false),
    candidateRequest: { ...request, headers: { ...request.headers, 'x-tandem-shadow': '1' } },
    candidate: response(c.differ),
  };
}

const documents = new Map<string, Buffer>();

/**
 * `jsonDocument` of a size, built once per size and side: building one grows it item by
 * item, serialising it each time (a 20 KB one about 2 MB of JSON), which made queueing the
 * worker bench's 10,000 exchanges of 20 KB take minutes. Every exchange gets the same bytes
 * (in a body record of its own), as before.
 */
function documentOf(size: SizeName, differ: boolean): Buffer {
  const name = `${size}:${differ}`;
  let doc = documents.get(name);
  if (!doc) documents.set(name, (doc = jsonDocument(SIZES[size], { differ })));
  return doc;
}
