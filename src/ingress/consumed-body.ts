import type { IncomingMessage } from 'node:http';
import { isJsonMediaType, mediaType } from '../records';

/** A request whose body a body parser in front of Tandem (e.g. `express.json()`) already read. */
type Parsed = IncomingMessage & { body?: unknown; rawBody?: unknown };

/**
 * The body to send for a request whose stream was already read to its end by a
 * body parser mounted before `tandem()` (`app.use(express.json())`), as
 * http-proxy-middleware's `fixRequestBody` does: the parser's raw bytes when it kept
 * them (`req.rawBody`), a Buffer or string body as is, a JSON body
 * `JSON.stringify`-ed, a urlencoded body form-encoded. Returns `undefined` when the
 * stream is intact (relay it), an empty Buffer when there was no body, and an
 * `error` when the body cannot be rebuilt (e.g. multipart read by multer): mount
 * `tandem()` before body parsers.
 *
 * @example
 * const b = consumedBody(req); // Buffer '{"a":1}' after express.json() read {"a": 1}
 */
export function consumedBody(req: Parsed): Buffer | { error: string } | undefined {
  if (!req.readableEnded) return undefined;
  const declared = req.headers['content-length'];
  if (declared === '0' || (declared === undefined && req.headers['transfer-encoding'] === undefined)) return Buffer.alloc(0);
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  const body = req.body;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  const type = req.headers['content-type'];
  if (body !== undefined && isJsonMediaType(type)) return Buffer.from(JSON.stringify(body), 'utf8');
  if (body && typeof body === 'object' && mediaType(type) === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body))
      for (const one of Array.isArray(v) ? v : [v]) form.append(k, typeof one === 'object' ? JSON.stringify(one) : String(one));
    return Buffer.from(form.toString(), 'utf8');
  }
  return {
    error: `the request body (${mediaType(type) || 'no content type'}) was already read by a body parser mounted before tandem() and cannot be rebuilt; mount tandem() before body parsers (app.use(tandem(...)) first, or express.json() only on your own routes)`,
  };
}
