import type { Headers } from '../records';
import { header } from './content-coding';

/*
 * A request's Content-Type lines beyond the one Node keeps: repeated lines are relayed as sent,
 * so a backend reading another line reads the body as that type, and the body is redacted as
 * each line would have it read (see `Redactor.request`).
 */

/** `headers` with its Content-Type (in any case) replaced by `type`. */
export function withContentType(headers: Headers, type: string): Headers {
  const out: Headers = {};
  for (const k of Object.keys(headers)) if (k.length !== 12 || k.toLowerCase() !== 'content-type') out[k] = headers[k];
  out['content-type'] = type;
  return out;
}

/**
 * Distinct extra Content-Type values a request body is redacted under, at most. Each is one
 * more redaction pass over the whole body on the proxy's thread (Node accepts 2,000 header
 * lines: a client sending hundreds of distinct values with a 1 MB body would hold the event
 * loop for seconds); past it the body is withheld (size and fingerprint only), as a body
 * holding more than `MAX_SECRET_VALUES` secrets is. Real clients send one or two.
 */
export const MAX_EXTRA_CONTENT_TYPES = 4;

/**
 * The values of a request's Content-Type lines other than the header map's (Node keeps the
 * first line), each once; none for the usual request (one line, or no lines kept). Stops
 * collecting at `MAX_EXTRA_CONTENT_TYPES + 1` values: a longer answer means "too many".
 *
 * @example
 * otherContentTypes(['Content-Type', 'text/plain', 'content-type', 'application/json'], { 'content-type': 'text/plain' }); // ['application/json']
 */
export function otherContentTypes(lines: readonly string[] | undefined, headers: Headers): string[] {
  let out: string[] | null = null;
  if (!lines) return [];
  const first = header(headers, 'content-type');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const name = lines[i];
    if (name.length !== 12 || name.toLowerCase() !== 'content-type') continue;
    const v = lines[i + 1];
    if (v !== first && !(out ??= []).includes(v) && out.push(v) > MAX_EXTRA_CONTENT_TYPES) break;
  }
  return out ?? [];
}
