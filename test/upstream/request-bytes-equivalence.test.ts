import fc from 'fast-check';
import { httpError } from '../../src/upstream/http1-wire';
import { requestBytes } from '../../src/upstream/request-bytes';

/**
 * `requestBytes` as it was before it wrote the head into a Buffer (a string built line by
 * line, written as Latin-1): the reference the Buffer version must match byte for byte,
 * and error for error, whatever the method, path, lines, body and trailers.
 */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const BAD_PATH = /[^\u0021-\u00ff]/;
const NO_DEFAULT_BODY = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

function textTrailers(lines: readonly string[]): string {
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

function requestText(method: string, path: string, lines: readonly string[], body: Buffer | null, trailers?: readonly string[]) {
  if (!TOKEN.test(method)) throw httpError('ERR_INVALID_HTTP_TOKEN', `Method must be a valid HTTP token ["${method}"]`);
  if (BAD_PATH.test(path)) throw httpError('ERR_UNESCAPED_CHARACTERS', 'Request path contains unescaped characters');
  let head = `${method} ${path} HTTP/1.1\r\n`;
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
    head += `${name}: ${value}\r\n`;
  }
  if (!connection) head += 'Connection: keep-alive\r\n';
  if (!length && !NO_DEFAULT_BODY.has(method)) {
    head += 'Transfer-Encoding: chunked\r\n';
    chunked = true;
  }
  head += '\r\n';
  if (!chunked) return { head, body: body?.length ? body : null };
  const last = trailers?.length ? `0\r\n${textTrailers(trailers)}\r\n` : '0\r\n\r\n';
  if (!body?.length) return { head: `${head}${last}`, body: null };
  return { head, body: Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from(`\r\n${last}`)]) };
}

const outcome = (f: () => { head: string | Buffer; body: Buffer | null }) => {
  try {
    const { head, body } = f();
    return {
      head: typeof head === 'string' ? Buffer.from(head, 'latin1').toString('hex') : head.toString('hex'),
      body: body?.toString('hex'),
    };
  } catch (e) {
    return { error: (e as Error & { code?: string }).code, message: (e as Error).message };
  }
};

const text = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1ff }).map((c) => String.fromCharCode(c)), maxLength: 24 }),
);
const name = fc.oneof(
  fc.constantFrom(
    'Host',
    'Connection',
    'connection',
    'Content-Length',
    'content-length',
    'Transfer-Encoding',
    'TRANSFER-ENCODING',
    'X-A',
    'X Bad',
    '',
  ),
  fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/),
  text,
);
const value = fc.oneof(fc.constantFrom('chunked', 'gzip, chunked', 'chunked, gzip', ' Chunked ', 'close', '0', '12'), text);
const lines = fc.array(fc.tuple(name, value), { maxLength: 6 }).map((ps) => ps.flat());
const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'get', 'BAD METHOD'),
  text,
);
const path = fc.oneof(fc.constantFrom('/', '/p?a=1', '/é', '/a b', '*'), text);
const body = fc.oneof(
  fc.constant(null),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
);
const trailers = fc.option(
  fc.array(fc.tuple(name, value), { maxLength: 3 }).map((ps) => ps.flat()),
  { nil: undefined },
);

describe('requestBytes (head written into a Buffer)', () => {
  it('writes the bytes, and throws the errors, the line-by-line string version did', () => {
    fc.assert(
      fc.property(method, path, lines, body, trailers, (m, p, ls, b, t) => {
        expect(outcome(() => requestBytes(m, p, ls, b, t))).toEqual(outcome(() => requestText(m, p, ls, b, t)));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes a usual shadowed GET as Node would', () => {
    const out = requestBytes('GET', '/api/2k/1?x=%20', ['Host', 'shop.example', 'Accept', '*/*', 'x-request-id', 'r1'], null);
    expect(out.head.toString('latin1')).toBe(
      'GET /api/2k/1?x=%20 HTTP/1.1\r\nHost: shop.example\r\nAccept: */*\r\nx-request-id: r1\r\nConnection: keep-alive\r\n\r\n',
    );
    expect(out.body).toBeNull();
  });
});
