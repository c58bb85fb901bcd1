/** The request bytes Node's client would write, for the candidate's connection pool (see `requestBytes`). */
import { BAD_VALUE, httpError, TOKEN } from './http1-wire';

const BAD_PATH = /[^\u0021-\u00ff]/;
/** Methods Node's client does not frame as chunked when they have no length (`useChunkedEncodingByDefault` false). */
const NO_DEFAULT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/**
 * The bytes Node's `http.request` writes for `headers` given as an array of lines through
 * a keep-alive agent, then `end(body)`: the request line, the lines as given (no Host
 * added), `Connection: keep-alive` unless a Connection line is given, and, for a method
 * that may carry a body (POST, PUT, PATCH...) sent without a Content-Length line,
 * `Transfer-Encoding: chunked` with the body in one chunk (or none) and the last chunk.
 * `body` is what goes after the head (null when nothing does). `trailers` (`[name, value, ...]`)
 * go after the last chunk of a chunked body, as given, as Node's `addTrailers` writes them
 * (ignored for a body that is not chunked, as Node does). Throws what Node throws
 * (`ERR_INVALID_HTTP_TOKEN`, `ERR_INVALID_CHAR`, `ERR_UNESCAPED_CHARACTERS`) for a method,
 * name, value or path it would refuse: nothing that could split the head is ever written.
 *
 * The head is built as bytes (every byte it may hold is Latin-1, checked above: one byte per
 * character), written in place into one Buffer: no string per line, no flattening on write.
 *
 * @example
 * requestBytes('GET', '/p?a=1', ['Host', 'shop.example'], null).head.toString('latin1');
 * // 'GET /p?a=1 HTTP/1.1\r\nHost: shop.example\r\nConnection: keep-alive\r\n\r\n'
 */
export function requestBytes(
  method: string,
  path: string,
  lines: readonly string[],
  body: Buffer | null,
  trailers?: readonly string[],
): { head: Buffer; body: Buffer | null } {
  if (!TOKEN.test(method)) throw httpError('ERR_INVALID_HTTP_TOKEN', `Method must be a valid HTTP token ["${method}"]`);
  if (BAD_PATH.test(path)) throw httpError('ERR_UNESCAPED_CHARACTERS', 'Request path contains unescaped characters');
  // First pass: check every line and count the head's bytes; second: write them.
  let size = method.length + path.length + 12; // 'M P HTTP/1.1\r\n'
  let connection = false;
  let length = false;
  let chunked = false;
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const name = lines[i];
    const value = String(lines[i + 1]);
    if (!TOKEN.test(name)) throw httpError('ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token ["${name}"]`);
    if (BAD_VALUE.test(value)) throw httpError('ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`);
    if (name.length === 10 && name.toLowerCase() === 'connection') connection = true;
    else if (name.length === 14 && name.toLowerCase() === 'content-length') length = true;
    else if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') {
      length = true;
      chunked ||= /(^|,)\s*chunked\s*$/i.test(value);
    }
    size += name.length + value.length + 4;
  }
  const addKeepAlive = !connection;
  const addChunked = !length && !NO_DEFAULT_BODY.has(method);
  if (addChunked) chunked = true;
  const lastChunk = !chunked ? '' : trailers?.length ? `0\r\n${trailerText(trailers)}\r\n` : '0\r\n\r\n';
  // Without a body, a chunked message's last chunk ends the head's bytes.
  const lastInHead = chunked && !body?.length;
  size += (addKeepAlive ? KEEP_ALIVE.length : 0) + (addChunked ? CHUNKED.length : 0) + 2 + (lastInHead ? lastChunk.length : 0);
  const head = Buffer.allocUnsafe(size);
  let at = put(head, method, 0);
  at += put(head, ' ', at);
  at += put(head, path, at);
  at += put(head, ' HTTP/1.1\r\n', at);
  for (let i = 0; i + 1 < lines.length; i += 2) {
    at += put(head, lines[i], at);
    at += put(head, ': ', at);
    at += put(head, String(lines[i + 1]), at);
    at += put(head, '\r\n', at);
  }
  if (addKeepAlive) at += put(head, KEEP_ALIVE, at);
  if (addChunked) at += put(head, CHUNKED, at);
  at += put(head, '\r\n', at);
  if (lastInHead) put(head, lastChunk, at);
  if (!chunked) return { head, body: body?.length ? body : null };
  if (lastInHead) return { head, body: null };
  return { head, body: Buffer.concat([Buffer.from(`${body!.length.toString(16)}\r\n`), body!, Buffer.from(`\r\n${lastChunk}`)]) };
}

/** Write Latin-1 text (checked: one byte per character) at `at`; its length. A loop, not a native call per piece. */
function put(buf: Buffer, text: string, at: number): number {
  for (let i = 0; i < text.length; i++) buf[at + i] = text.charCodeAt(i);
  return text.length;
}

const KEEP_ALIVE = 'Connection: keep-alive\r\n';
const CHUNKED = 'Transfer-Encoding: chunked\r\n';

/** Trailer lines as written after the last chunk, each checked as a header line is (see `requestBytes`). */
function trailerText(lines: readonly string[]): string {
  let out = '';
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const name = lines[i];
    const value = String(lines[i + 1]);
    if (!TOKEN.test(name)) throw httpError('ERR_INVALID_HTTP_TOKEN', `Trailer name must be a valid HTTP token ["${name}"]`);
    if (BAD_VALUE.test(value)) throw httpError('ERR_INVALID_CHAR', `Invalid character in trailer content ["${name}"]`);
    out += `${name}: ${value}\r\n`;
  }
  return out;
}
