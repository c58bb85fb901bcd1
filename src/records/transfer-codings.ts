import type { Headers } from './types';

/**
 * The request's `Transfer-Encoding` when it names transfer codings besides `chunked`
 * (`gzip, chunked`), else undefined (none, or plain `chunked`). A body held from such a
 * request is the de-chunked bytes, still in those codings: it is relayed with the line as
 * sent (and chunked again), never with a Content-Length that would have the receiver read
 * gzip bytes as plain. The one test of it, for the upstream client and the translator.
 *
 * @example
 * codedTransfer({ 'transfer-encoding': 'gzip, chunked' }); // 'gzip, chunked'
 * codedTransfer({ 'transfer-encoding': 'chunked' }); // undefined
 */
export function codedTransfer(headers: Headers): string | string[] | undefined {
  const te = headers['transfer-encoding'];
  if (te === undefined || /^[ \t]*chunked[ \t]*$/i.test(Array.isArray(te) ? te.join(',') : String(te))) return undefined;
  return te;
}

/**
 * The transfer codings a held request body is still in, in the order they were applied:
 * those of `codedTransfer` less the final `chunked` (Node undoes only that one; RFC 9112
 * section 6.1), trimmed and lower-cased; undefined when there are none besides chunked.
 * A `chunked` before the last is kept, so a decoder refuses it.
 *
 * @example
 * transferCodings({ 'transfer-encoding': 'gzip, chunked' }); // ['gzip']
 * transferCodings({ 'transfer-encoding': 'chunked' }); // undefined
 */
export function transferCodings(headers: Headers): string[] | undefined {
  const te = codedTransfer(headers);
  if (te === undefined) return undefined;
  const codings = (Array.isArray(te) ? te.join(',') : String(te))
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
  if (codings[codings.length - 1] === 'chunked') codings.pop();
  return codings;
}
