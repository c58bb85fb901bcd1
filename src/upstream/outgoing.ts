import { codedTransfer, requestHeaderLines, serialiseQuery, type RequestRecord } from '../records';
import type { Upstream } from './create-upstream';
import { dropListed, KEEP_TE_DROP, KEEP_TE_TRAILER_DROP, REQUEST_DROP } from './hop-by-hop';

/**
 * The request line target and the header lines a record is sent with: path plus the
 * raw query as recorded (`query` serialised only when the record has no `rawQuery`),
 * the recorded header lines one by one (repeated lines apart) where their value is
 * unchanged, names in their recorded casing and order (see `requestHeaderLines`),
 * hop-by-hop headers, the fields `Connection` lists (RFC 9110 section 7.6.1) and `expect` left out, `content-length` written from the body at its place, the record's Host
 * (or the upstream's when the record has none). A body in transfer codings besides `chunked`, or chunked with
 * trailers (`trailerLines`), keeps its `Transfer-Encoding` line (and `Trailer`, with trailers) as sent and gets no
 * Content-Length: it is chunked again, `trailers` after its last chunk.
 *
 * @example
 * outgoing(candidate, record).headers; // ['Host', 'shop.example', 'Accept', '*\/*', ...]
 */
export function outgoing(
  up: Pick<Upstream, 'url'>,
  req: RequestRecord,
  body: Buffer | null,
): { path: string; headers: string[]; trailers?: string[] } {
  const query = req.rawQuery ?? serialiseQuery(req.query);
  const path = `${basePath(up.url)}${req.path}${query}`;
  const trailers = req.trailerLines?.length && req.headers['transfer-encoding'] !== undefined ? req.trailerLines : undefined;
  if (trailers)
    return {
      path,
      headers: hostFirst(
        up,
        requestHeaderLines(req.headers, req.headerLines, req.headerNames, dropListed(KEEP_TE_TRAILER_DROP, req.headers)),
        req,
      ),
      trailers,
    };
  if (codedTransfer(req.headers) !== undefined)
    return {
      path,
      headers: hostFirst(up, requestHeaderLines(req.headers, req.headerLines, req.headerNames, dropListed(KEEP_TE_DROP, req.headers)), req),
    };
  // The body's length goes where the client had its content-length (or transfer-encoding).
  // The map is copied only when that changes it (a GET without a body leaves it as it is).
  const had = req.headers['content-length'];
  const length = body ? String(body.length) : had === '0' ? '0' : undefined;
  let map = req.headers;
  if (had !== length || (length === undefined && 'content-length' in map)) {
    map = { ...req.headers, 'content-length': length };
    if (length === undefined) delete map['content-length'];
  }
  const names = chunkedAsLength(req.headerNames, 1);
  const lines = chunkedAsLength(req.headerLines, 2);
  return { path, headers: hostFirst(up, requestHeaderLines(map, lines, names, dropListed(REQUEST_DROP, map)), req, lines, names) };
}

/**
 * The header lines (flat, `[name, value, ...]`), the Host line first when the record had
 * none of its own (`lines`/`names`: the record's, as possibly renamed). Moves the lines in place.
 */
function hostFirst(
  up: Pick<Upstream, 'url'>,
  flat: string[],
  req: RequestRecord,
  lines: readonly string[] | undefined = req.headerLines,
  names: readonly string[] | undefined = req.headerNames,
): string[] {
  // A record without a Host line of its own (a request read from a file) gets it first, as Node's client writes it.
  let at = -1;
  for (let i = 0; i + 1 < flat.length && at === -1; i += 2) if (isHost(flat[i])) at = i;
  let sentHost = false;
  if (lines) for (let i = 0; i < lines.length && !sentHost; i += 2) sentHost = isHost(lines[i]);
  else if (names) sentHost = names.some(isHost);
  if (at !== -1 && sentHost) return flat;
  const name = at === -1 ? 'host' : flat[at];
  const value = at === -1 ? up.url.host : flat[at + 1];
  if (at !== -1) flat.splice(at, 2);
  flat.unshift(name, value);
  return flat;
}

const isHost = (n: string) => n.length === 4 && n.toLowerCase() === 'host';

/** The upstream URL's path prefix without its trailing slash, worked out once per URL. */
const basePaths = new WeakMap<URL, string>();
function basePath(url: URL): string {
  let p = basePaths.get(url);
  if (p === undefined) basePaths.set(url, (p = url.pathname.replace(/\/$/, '')));
  return p;
}

/**
 * Names (`step` 1) or header lines (`step` 2, names at even places) with a
 * `transfer-encoding` name replaced by `Content-Length`; the same array when there is none.
 */
function chunkedAsLength(list: readonly string[] | undefined, step: 1 | 2): readonly string[] | undefined {
  if (!list) return list;
  let out: string[] | null = null;
  for (let i = 0; i < list.length; i += step) {
    const n = list[i];
    if (n.length !== 17 || n.toLowerCase() !== 'transfer-encoding') continue;
    out ??= [...list];
    out[i] = 'Content-Length';
  }
  return out ?? list;
}
