import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_INTERIM_BYTES } from '../upstream';

/** An interim (1xx) response head as a backend wrote it: status, reason phrase, header lines `[name, value, ...]`. */
export interface InterimHead {
  status: number;
  statusMessage: string;
  rawHeaders: readonly string[];
}

/** Bytes of interim heads written to each response so far, against `MAX_INTERIM_BYTES`. */
const relayed = new WeakMap<ServerResponse, number>();

/**
 * Write a backend's interim (1xx) response head to the client, status line and header lines
 * as the backend wrote them (RFC 9110 section 15.2: a proxy forwards them), before the final
 * head: `103 Early Hints` lets the client preload while the backend works. The one way for
 * legacy's heads and for those of a candidate serving the client. Not to an HTTP/1.0 client
 * (which cannot read them), not `100 Continue` (Node's server answers the client's own
 * `Expect` itself, and the candidate is never sent one), nor once the final head is out, nor
 * on a pipelined connection whose current response is another's, nor past `MAX_INTERIM_BYTES`
 * (16 KB) of them for one response (the candidate's reader fails its answer there; legacy's
 * further heads are dropped).
 *
 * @example
 * relayInterim(req, res, { status: 103, statusMessage: 'Early Hints', rawHeaders: ['Link', '</a.css>; rel=preload'] });
 */
export function relayInterim(req: IncomingMessage, res: ServerResponse, h: InterimHead): void {
  const socket = res.socket as (NodeJS.WritableStream & { _httpMessage?: unknown }) | null;
  if (h.status === 100 || req.httpVersion === '1.0' || res.headersSent || !socket || socket._httpMessage !== res) return;
  let head = `HTTP/1.1 ${h.status} ${h.statusMessage}\r\n`;
  for (let i = 0; i + 1 < h.rawHeaders.length; i += 2) head += `${h.rawHeaders[i]}: ${h.rawHeaders[i + 1]}\r\n`;
  head += '\r\n';
  const total = (relayed.get(res) ?? 0) + head.length;
  if (total > MAX_INTERIM_BYTES) return;
  relayed.set(res, total);
  // Node's own way to write an interim head (as for 100 Continue), latin1 as it reads header bytes.
  (res as unknown as { _writeRaw(data: string, encoding: BufferEncoding): void })._writeRaw(head, 'latin1');
}
