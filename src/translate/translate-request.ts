import {
  codedTransfer,
  decodeBody,
  encodeBody,
  parseQuery,
  rewriteRawQuery,
  serialiseQuery,
  type Headers,
  type Query,
  type RequestRecord,
} from '../records';
import { encodeBodyValue, parseTranslatableBody } from './body-codec';
import { bodyUnchanged } from './body-change';
import { decodeContent } from './content-decoding';
import { decodeTransfer } from './transfer-decoding';
import { TranslationFailure } from './errors';
import { checkRequestOutput } from './check-output';
import { checked, invokeTranslator } from './invoke';
import type { TranslatableRequest, TranslateOptions, Translator } from './types';

/** Headers that describe the old bytes; the sender writes them from the bytes it sends. */
const STALE_HEADERS = ['content-length', 'transfer-encoding'];

/**
 * A request record as translators see it: raw URL and query, a parsed query view
 * (null prototype), headers copied (translators may mutate them), body with its transfer
 * codings besides chunked undone (`Transfer-Encoding: gzip, chunked`; the header is then
 * left out, see `decodeTransfer`), decompressed (gzip, deflate, br content-encoding) and
 * parsed by content type (see `parseTranslatableBody`). A truncated body is given as
 * `undefined`; one whose transfer codings do not decode, as the bytes held (`translateRequest`
 * refuses it).
 *
 * @example
 * toTranslatableRequest(exchange.request, { id: '42' }).body; // { name: 'Ada' }
 */
export function toTranslatableRequest(
  req: RequestRecord,
  params: Record<string, string> = {},
  maxDecodedBytes?: number,
): TranslatableRequest {
  const { bytes, headers } = decodedBody(req, maxDecodedBytes);
  const rawQuery = rawQueryOf(req);
  return {
    method: req.method,
    url: `${req.path}${rawQuery}`,
    path: req.path,
    rawQuery,
    query: copyQuery(req.rawQuery !== undefined ? parseQuery(req.rawQuery) : req.query),
    headers,
    body: parseTranslatableBody(bytes, headers),
    params: { ...params },
  };
}

/**
 * Translate a legacy request for the candidate within the translator's budget.
 * Without a `request` function the record itself is returned (nothing parsed).
 * Otherwise only what the translator changed is rebuilt: an unchanged query keeps
 * the client's raw bytes (a changed `query` is serialised, a changed `rawQuery` sent
 * as given, see `changedRaw`), an unchanged body keeps the client's bytes (see `bodyUnchanged`; a
 * changed one is re-encoded, see `encodeBodyValue`), unchanged headers keep their
 * names' casing and order. content-length and transfer-encoding are dropped so the
 * sender writes them, except a transfer-encoding of codings besides chunked on a body
 * left alone (the client's bytes, still in them, are sent). Rejects with a
 * `TranslationFailure` (stage `request`) on a throw, a timeout, invalid output, a truncated
 * body, or a body whose transfer codings are unknown, do not decode or decode past the cap
 * (`untranslatable_input`).
 *
 * @example
 * const candidateRequest = await translateRequest(t, exchange.request, { id: '42' }, { timeoutMs: 50 });
 */
export async function translateRequest(
  t: Translator,
  req: RequestRecord,
  params: Record<string, string> = {},
  opts: TranslateOptions = {},
): Promise<RequestRecord> {
  if (typeof t.request !== 'function') return req;
  if (req.body?.truncated) {
    throw new TranslationFailure(
      'request',
      t.name,
      'untranslatable_input',
      `translator "${t.name}" cannot translate a body over the capture cap (${req.body.size} bytes)`,
    );
  }
  const transfer =
    codedTransfer(req.headers) === undefined ? undefined : decodeTransfer(decodeBody(req.body), req.headers, opts.maxDecodedBytes);
  if (transfer && !transfer.ok)
    throw new TranslationFailure(
      'request',
      t.name,
      'untranslatable_input',
      `translator "${t.name}" cannot be given the body: ${transfer.reason}`,
    );
  const input = toTranslatableRequest(req, params, opts.maxDecodedBytes);
  const given = { rawQuery: input.rawQuery, query: copyQuery(input.query), headers: { ...input.headers } };
  const out = await invokeTranslator('request', t, () => t.request!(input), checkRequestOutput, opts);
  const headers = out.headers;
  for (const name of STALE_HEADERS) delete headers[name];
  let body = req.body;
  // A changed body's trailers are left out: a checksum or signature over the client's bytes is false for the translator's.
  let trailers: string[] | undefined;
  const decoded = decodedBody(req, opts.maxDecodedBytes);
  if (bodyUnchanged(out.body, decoded.bytes, given.headers, headers)) {
    // The client's bytes go as they came (not the decoded ones the translator saw), with the content-encoding that describes them.
    if (decoded.decoded && req.headers['content-encoding'] !== undefined) headers['content-encoding'] = req.headers['content-encoding'];
    // ...and in the transfer codings besides chunked they came in (`gzip, chunked`), which `outgoing` relays as sent.
    const te = codedTransfer(req.headers);
    if (te !== undefined) headers['transfer-encoding'] = te;
    // ...and chunked with its trailers, when it had some (`outgoing` relays both lines as sent).
    else if (req.trailerLines?.length && req.headers['transfer-encoding'] !== undefined) {
      headers['transfer-encoding'] = req.headers['transfer-encoding'];
      if (req.headers.trailer !== undefined) headers.trailer = req.headers.trailer;
    }
    trailers = req.trailerLines;
  } else {
    const { bytes, contentType } = checked('request', t, () => encodeBodyValue(out.body, out.headers));
    if (contentType) headers['content-type'] = contentType;
    body = bytes ? encodeBody(bytes) : null;
  }
  const rawQuery =
    out.rawQuery !== given.rawQuery
      ? changedRaw(out, given.query)
      : sameQuery(out.query, given.query)
        ? given.rawQuery
        : serialiseQuery(out.query);
  return {
    method: out.method,
    path: out.path,
    query: rawQuery === given.rawQuery ? out.query : parseQuery(rawQuery),
    rawQuery,
    headers,
    headerNames: req.headerNames,
    headerLines: req.headerLines,
    body,
    ...(trailers?.length ? { trailerLines: trailers } : {}),
  };
}

/** The raw query of a record (`query` serialised for records stored without one). */
function rawQueryOf(req: RequestRecord): string {
  return req.rawQuery ?? serialiseQuery(req.query);
}

/**
 * Body bytes and headers as translators see them: transfer codings besides chunked undone
 * (left as held when they do not decode), then decompressed when a known content-encoding
 * decodes; `decoded` tells the content-encoding was undone.
 */
function decodedBody(req: RequestRecord, maxDecodedBytes?: number): { bytes: Buffer; headers: Headers; decoded: boolean } {
  const held = req.body && !req.body.truncated ? decodeBody(req.body) : Buffer.alloc(0);
  const transfer = decodeTransfer(held, copy(req.headers), maxDecodedBytes);
  const { bytes, headers } = transfer.ok ? transfer : { bytes: held, headers: copy(req.headers) };
  const d = decodeContent(bytes, headers, maxDecodedBytes);
  return d ? { bytes: d.bytes, headers: d.headers, decoded: true } : { bytes, headers, decoded: false };
}

/**
 * The raw query of a translator that set `rawQuery`: sent as given, unless `query`
 * was changed too and no longer is what that raw query says (a kit step rewrote the
 * raw query, then the translator changed `query` again): then the raw query with only
 * those changes rewritten (see `rewriteRawQuery`).
 */
function changedRaw(out: { rawQuery: string; query: Query }, given: Query): string {
  if (sameQuery(out.query, given)) return out.rawQuery;
  const view = parseQuery(out.rawQuery);
  return sameQuery(sorted(out.query), sorted(view)) ? out.rawQuery : rewriteRawQuery(out.rawQuery, view, out.query);
}

function sorted(q: Query): Query {
  const out = Object.create(null) as Query;
  for (const k of Object.keys(q).sort()) out[k] = q[k];
  return out;
}

/** Same names in the same order with the same values. */
function sameQuery(a: Query, b: Query): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => k === kb[i] && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

function copyQuery(q: Query): Query {
  const out = Object.create(null) as Query;
  for (const k of Object.keys(q)) out[k] = Array.isArray(q[k]) ? [...q[k]] : q[k];
  return out;
}

function copy<T extends Record<string, string | string[] | undefined>>(o: T): T {
  const out = {} as Record<string, string | string[] | undefined>;
  for (const [k, v] of Object.entries(o)) out[k] = Array.isArray(v) ? [...v] : v;
  return out as T;
}
