import { decodeBody, encodeBody, type Headers, type Query, type RequestRecord } from '../../src/records';
import { toTranslatableRequest, TranslationFailure, type TranslatableResponse, type TranslationContext } from '../../src/translate';

/** A request record as the ingress records it; an object body is sent as JSON. */
export function request(method: string, path: string, o: { query?: Query; headers?: Headers; body?: unknown } = {}): RequestRecord {
  const headers: Headers = { host: 'legacy.test', ...o.headers };
  let body: RequestRecord['body'] = null;
  if (o.body !== undefined) {
    const raw = Buffer.isBuffer(o.body) ? o.body : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
    if (!Buffer.isBuffer(o.body) && typeof o.body !== 'string') headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(raw.length);
    body = encodeBody(raw);
  }
  return { method, path, query: o.query ?? {}, headers, body };
}

/** The body of a translated request, as text. */
export function bodyText(rec: RequestRecord): string {
  return decodeBody(rec.body).toString('utf8');
}

/** A JSON response as a translator receives it. */
export function jsonResponse(status: number, body: unknown, headers: Headers = {}): TranslatableResponse {
  return { status, headers: { 'content-type': 'application/json', 'content-length': '99', ...headers }, body };
}

/** The context of a response translation. */
export function ctxFor(req: RequestRecord, params: Record<string, string> = {}, route = 'test-route'): TranslationContext {
  return { request: toTranslatableRequest(req, params), route };
}

/** What `p` rejects with, asserted to be a TranslationFailure (fails the test when `p` resolves or rejects with anything else). */
export async function failure(p: Promise<unknown>): Promise<TranslationFailure> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TranslationFailure);
  return e as TranslationFailure;
}
