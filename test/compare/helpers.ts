import { encodeBody, type Headers, type ResponseRecord } from '../../src/records';
import { normaliseResponse, type NormalisedResponse } from '../../src/compare';

export const MB = 1024 * 1024;

/** A recorded response; `body` undefined means no body at all. */
export function record(status: number, headers: Headers, body?: string | Buffer): ResponseRecord {
  return { status, headers, body: body === undefined ? null : encodeBody(Buffer.isBuffer(body) ? body : Buffer.from(body)), durationMs: 1 };
}

export function normalise(rec: ResponseRecord, maxDecompressedBytes = MB): NormalisedResponse {
  return normaliseResponse(rec, { maxDecompressedBytes });
}

/** A normalised JSON response. */
export function json(value: unknown, status = 200, headers: Headers = {}): NormalisedResponse {
  return normalise(record(status, { 'content-type': 'application/json', ...headers }, JSON.stringify(value)));
}

/** A normalised response with a given content type. */
export function typed(contentType: string, body: string | Buffer, status = 200): NormalisedResponse {
  return normalise(record(status, { 'content-type': contentType }, body));
}
