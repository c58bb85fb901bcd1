/**
 * HTTP/1.1 on the wire for the candidate's connection pool: a strict, bounded response reader
 * (`ResponseReader`); the request bytes are `requestBytes` (request-bytes.ts).
 */
import { lowerName } from '../records';
/** Largest response head (status line and headers) read, in bytes: Node's default `maxHeaderSize`. */
export const MAX_HEAD_BYTES = 16 * 1024;

/**
 * Largest sum of the interim (1xx) heads read before a response's own head, in bytes: a
 * hostile upstream that streams `103 Early Hints` without end would otherwise be parsed
 * on the proxy's event loop until the timeout, as nothing else bounds them.
 */
export const MAX_INTERIM_BYTES = MAX_HEAD_BYTES;

/**
 * Chunked framing (size lines, extensions, CRLFs, trailers) a response may carry beyond
 * its data, in bytes: `MAX_HEAD_BYTES` plus one byte per data byte. Legitimate chunks
 * carry a few bytes of framing each (`400\r\n…\r\n`); a body of 1-byte chunks with
 * 1 KB extensions costs the reader a thousand times its data, which no body cap counts.
 */
export const MAX_FRAMING_SLACK = MAX_HEAD_BYTES;

/** A response head as read from the wire. */
export interface RawHead {
  status: number;
  /** The status line's reason phrase as sent (`''` when there was none). */
  statusMessage: string;
  /** `[name, value, name, value, ...]` as sent (Node's `rawHeaders`): casing, order and repeats kept, values trimmed. */
  rawHeaders: string[];
}

/**
 * What one request on a pooled connection reports, in order: `head` once, `body` for each
 * piece of the body (slices of what the socket read; no copy), then exactly one of `end`
 * (the whole response arrived) or `fail` (an error with a Node-style `code`: the socket's
 * own, `ECONNRESET` for a connection closed early, `HPE_*` for a response that is not
 * well-formed HTTP/1.x). Nothing is reported after `end`, `fail` or `cancel`.
 */
export interface RawCallbacks {
  head(h: RawHead): void;
  body(chunk: Buffer): void;
  end(): void;
  /**
   * An interim (1xx, not 101) head, as sent, before `head` (RFC 9110 section 15.2: `103 Early
   * Hints`, a `100 Continue`), each once it is read, all within `MAX_INTERIM_BYTES`.
   */
  interim?(h: RawHead): void;
  /** A trailer line after a chunked body's last chunk, as sent (value without its surrounding blanks); before `end`. */
  trailer?(name: string, value: string): void;
  fail(e: Error & { code?: string }): void;
}

/** A request in flight: `cancel` stops it (its connection is closed), reporting nothing more. */
export interface RawRequest {
  cancel(): void;
}

export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
export const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;

const isBlank = (c: number) => c === 0x20 || c === 0x09;

export function httpError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** How the body of a response is delimited. */
type Framing = { kind: 'none' } | { kind: 'length'; left: number } | { kind: 'chunked' } | { kind: 'close' };

/**
 * Reads one HTTP/1.x response from a byte stream, strictly: a CRLF-terminated head of at
 * most `MAX_HEAD_BYTES`, header names that are tokens and values without control
 * characters, one Content-Length (never beside Transfer-Encoding), chunked bodies with
 * bounded size lines and trailers, and framing at most `MAX_FRAMING_SLACK` bytes beyond
 * the data. Interim (1xx) responses are reported (`RawCallbacks.interim`) and skipped, up to `MAX_INTERIM_BYTES` of them. Bytes past the end
 * of the response are `extra` (the connection is then not reused).
 */
export class ResponseReader {
  private pending: Buffer | null = null;
  private framing: Framing | null = null;
  /** Chunked state: reading a size line, chunk data (`left` bytes), the CRLF after it, or trailers. */
  private chunk: 'size' | 'data' | 'crlf' | 'trailers' = 'size';
  private left = 0;
  /** Bytes of interim heads and of chunked framing read for this response, against their bounds. */
  private interim = 0;
  private framingBytes = 0;
  private dataBytes = 0;
  keepAlive = true;
  /**
   * How long the server keeps this connection open when idle, in ms, from its `Keep-Alive: timeout=<s>`
   * (RFC 9112 appendix C.2.2; null without one): reused only well within it, as Node's agent does.
   */
  keepAliveMs: number | null = null;
  done = false;
  extra = false;
  headSeen = false;
  private noBody = false;
  private cb: RawCallbacks | null = null;

  /** Ready for the next response on the connection (one reader per connection, not per request). */
  reset(noBody: boolean, cb: RawCallbacks): this {
    this.pending = null;
    this.framing = null;
    this.chunk = 'size';
    this.left = 0;
    this.interim = 0;
    this.framingBytes = 0;
    this.dataBytes = 0;
    this.keepAlive = true;
    this.keepAliveMs = null;
    this.done = false;
    this.extra = false;
    this.headSeen = false;
    this.noBody = noBody;
    this.cb = cb;
    return this;
  }

  /** Feed bytes; throws an `HPE_*` error for a malformed response. */
  push(data: Buffer): void {
    let buf = this.pending ? Buffer.concat([this.pending, data]) : data;
    this.pending = null;
    while (buf.length && !this.done) {
      if (!this.framing) {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) {
          if (buf.length > MAX_HEAD_BYTES) throw httpError('HPE_HEADER_OVERFLOW', 'Header overflow');
          this.pending = buf;
          return;
        }
        if (end + 4 > MAX_HEAD_BYTES) throw httpError('HPE_HEADER_OVERFLOW', 'Header overflow');
        this.head(buf.toString('latin1', 0, end));
        buf = buf.subarray(end + 4);
        continue;
      }
      buf = this.body(buf);
    }
    if (buf.length && this.done) this.extra = true;
  }

  /** The socket ended: completes a body delimited by the close, else throws. */
  closed(): void {
    if (this.framing?.kind === 'close') {
      this.done = true;
      return;
    }
    throw httpError('ECONNRESET', this.headSeen ? 'response aborted' : 'socket hang up');
  }

  private head(text: string): void {
    // Line by line (lines end in CRLF) by index: each name and value sliced once from the text, no array of lines.
    let eol = text.indexOf('\r\n');
    const m = STATUS_LINE.exec(eol === -1 ? text : text.slice(0, eol));
    if (!m) throw httpError('HPE_INVALID_CONSTANT', 'Expected HTTP/');
    const status = Number(m[2]);
    const rawHeaders: string[] = [];
    let length: number | null = null;
    let te: string | null = null;
    let connection = '';
    while (eol !== -1) {
      const start = eol + 2;
      eol = text.indexOf('\r\n', start);
      const end = eol === -1 ? text.length : eol;
      const colon = text.indexOf(':', start);
      const name = colon === -1 || colon >= end ? '' : text.slice(start, colon);
      if (!TOKEN.test(name)) throw httpError('HPE_INVALID_HEADER_TOKEN', 'Invalid header token');
      // The value without the spaces and tabs at its ends (RFC 9110 section 5.5: OWS).
      let from = colon + 1;
      let to = end;
      while (from < to && isBlank(text.charCodeAt(from))) from++;
      while (to > from && isBlank(text.charCodeAt(to - 1))) to--;
      const value = text.slice(from, to);
      if (BAD_VALUE.test(value)) throw httpError('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
      rawHeaders.push(name, value);
      const lower = name.length === 14 || name.length === 17 || name.length === 10 ? lowerName(name) : '';
      if (lower === 'content-length') {
        if (length !== null || !/^\d+$/.test(value))
          throw httpError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Invalid or duplicate Content-Length');
        length = Number(value);
      } else if (lower === 'transfer-encoding') te = te === null ? value : `${te}, ${value}`;
      else if (lower === 'connection') connection += `,${value.toLowerCase()}`;
      else if (lower === 'keep-alive') {
        const hint = /^timeout=(\d+)/i.exec(value);
        if (hint) this.keepAliveMs = Number(hint[1]) * 1000;
      }
    }
    if (te !== null && length !== null)
      throw httpError('HPE_UNEXPECTED_CONTENT_LENGTH', "Transfer-Encoding can't be present with Content-Length");
    // An interim answer (103 Early Hints, 100 Continue): the real one follows on the same connection.
    if (status >= 100 && status < 200 && status !== 101) {
      if ((this.interim += text.length + 4) > MAX_INTERIM_BYTES)
        throw httpError('HPE_HEADER_OVERFLOW', `Interim (1xx) responses over ${MAX_INTERIM_BYTES} bytes`);
      this.cb!.interim?.({ status, statusMessage: m[3] ?? '', rawHeaders });
      return;
    }
    if (status === 101) throw httpError('HPE_UNEXPECTED_UPGRADE', 'unexpected 101 Switching Protocols');
    this.headSeen = true;
    if (m[1] === '0' || /(^|,)\s*close\s*(,|$)/.test(connection)) this.keepAlive = false;
    if (this.noBody || status === 204 || status === 304) this.framing = { kind: 'none' };
    else if (te !== null) {
      const codings = te.toLowerCase().split(',');
      this.framing = codings[codings.length - 1].trim() === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
    } else if (length !== null) this.framing = { kind: 'length', left: length };
    else this.framing = { kind: 'close' };
    if (this.framing.kind === 'close') this.keepAlive = false;
    this.cb!.head({ status, statusMessage: m[3] ?? '', rawHeaders });
    if (this.framing.kind === 'none' || (this.framing.kind === 'length' && this.framing.left === 0)) this.done = true;
  }

  /** Consume body bytes; returns what is left after the response's end. */
  private body(buf: Buffer): Buffer {
    const f = this.framing!;
    if (f.kind === 'close') {
      this.cb!.body(buf);
      return buf.subarray(buf.length);
    }
    if (f.kind === 'length') {
      const n = Math.min(f.left, buf.length);
      this.cb!.body(n === buf.length ? buf : buf.subarray(0, n));
      f.left -= n;
      if (f.left === 0) this.done = true;
      return buf.subarray(n);
    }
    return this.chunked(buf);
  }

  private chunked(buf: Buffer): Buffer {
    while (buf.length && !this.done) {
      if (this.chunk === 'data') {
        const n = Math.min(this.left, buf.length);
        this.cb!.body(n === buf.length ? buf : buf.subarray(0, n));
        this.left -= n;
        this.dataBytes += n;
        buf = buf.subarray(n);
        if (this.left === 0) this.chunk = 'crlf';
        continue;
      }
      const eol = buf.indexOf('\r\n');
      if (eol === -1) {
        if (buf.length > 1024) throw httpError('HPE_INVALID_CHUNK_SIZE', 'Chunk size line too long');
        this.pending = buf;
        return buf.subarray(buf.length);
      }
      const line = buf.toString('latin1', 0, eol);
      buf = buf.subarray(eol + 2);
      if ((this.framingBytes += eol + 2) > this.dataBytes + MAX_FRAMING_SLACK)
        throw httpError('HPE_CHUNK_EXTENSIONS_OVERFLOW', 'Chunked framing larger than the body it carries');
      if (this.chunk === 'crlf') {
        if (line !== '') throw httpError('HPE_STRICT', 'Expected CRLF after chunk');
        this.chunk = 'size';
      } else if (this.chunk === 'size') {
        const m = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
        if (!m) throw httpError('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
        this.left = parseInt(m[1], 16);
        this.chunk = this.left === 0 ? 'trailers' : 'data';
      } else if (line === '') this.done = true;
      else if ((this.left += line.length) > MAX_HEAD_BYTES) throw httpError('HPE_HEADER_OVERFLOW', 'Trailers overflow');
      else if (this.cb!.trailer) {
        const colon = line.indexOf(':');
        if (colon > 0) this.cb!.trailer(line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, ''));
      }
    }
    return buf;
  }
}
