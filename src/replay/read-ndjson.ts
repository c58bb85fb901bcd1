import { createReadStream } from 'node:fs';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { editRawQuery, parseQuery, serialiseQuery, type Query } from '../records';
import { cleanHeaders, splitRecordedUrl, type ReplayItem, type ReplayRequest } from './replay-request';

const value = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const lineSchema = z
  .object({
    method: z.string().min(1).default('GET'),
    /** Absolute URL or path with query string (the query is sent as written here). */
    url: z.string().min(1).optional(),
    /** Path (with `query` beside it), instead of `url`. */
    path: z.string().startsWith('/', 'must start with "/"').optional(),
    query: z.record(z.string(), z.union([value, z.array(value)])).optional(),
    headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).default({}),
    /** Trailer lines after a chunked body, as `headers` (an array for repeated lines); the request then goes chunked. */
    trailers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    /** A string is sent as it is; any other JSON value is sent as JSON. */
    body: z.unknown().optional(),
    bodyBase64: z.string().optional(),
  })
  .refine((l) => l.url || l.path, { message: 'needs "url" or "path"' });

/**
 * Parse one NDJSON line into a request, or say what is wrong with it.
 *
 * @example
 * parseNdjsonLine('{"method":"GET","url":"/products/1"}', 1).request?.path; // '/products/1'
 */
export function parseNdjsonLine(line: string, entry: number): ReplayItem {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return { entry, error: `not valid JSON: ${(e as Error).message}` };
  }
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) return { entry, error: parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ') };
  const l = parsed.data;
  let target: { path: string; rawQuery: string };
  try {
    target = splitRecordedUrl((l.url ?? l.path)!);
  } catch (e) {
    return { entry, error: `${l.url ? 'url' : 'path'}: ${(e as Error).message}` };
  }
  // The recorded query is sent as it is; parameters given in `query` replace those of the same name, at the end.
  let rawQuery = target.rawQuery;
  if (l.query) {
    const given = Object.fromEntries(Object.entries(l.query));
    const kept = editRawQuery(rawQuery, (name) => (Object.hasOwn(given, name) ? null : undefined));
    const added = serialiseQuery(given as Query).slice(1);
    rawQuery = added ? `${kept || '?'}${kept.length > 1 ? '&' : ''}${added}` : kept;
  }
  const { headers, headerLines } = cleanHeaders(Object.entries(l.headers));
  let trailerLines: string[] | undefined;
  if (l.trailers && Object.keys(l.trailers).length) {
    try {
      trailerLines = trailerLinesOf(l.trailers);
    } catch (e) {
      return { entry, error: `trailers: ${(e as Error).message}` };
    }
    // Trailers follow the last chunk of a chunked body: the request goes chunked, as the recorded one did.
    headers['transfer-encoding'] = 'chunked';
    headerLines.push('Transfer-Encoding', 'chunked');
  }
  let body: Buffer | null = null;
  if (l.bodyBase64 !== undefined) body = Buffer.from(l.bodyBase64, 'base64');
  else if (typeof l.body === 'string') body = Buffer.from(l.body, 'utf8');
  else if (l.body !== undefined && l.body !== null) {
    body = Buffer.from(JSON.stringify(l.body), 'utf8');
    if (headers['content-type'] === undefined)
      ((headers['content-type'] = 'application/json'), headerLines.push('content-type', 'application/json'));
  }
  const request: ReplayRequest = {
    method: l.method.toUpperCase(),
    path: target.path,
    query: parseQuery(rawQuery),
    rawQuery,
    headers,
    headerLines,
    body,
    ...(trailerLines ? { trailerLines } : {}),
  };
  return { entry, request };
}

/**
 * A line's `trailers` as `[name, value, ...]` lines, in order, an array's values one line
 * each; throws on a name that is not an HTTP token or a value with a character a header
 * line cannot hold (CR, LF, NUL), naming it.
 */
function trailerLinesOf(trailers: Record<string, string | string[]>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(trailers)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      validateHeaderName(name);
      validateHeaderValue(name, v);
      out.push(name, v);
    }
  }
  return out;
}

/**
 * Stream the requests of an NDJSON file, one JSON object a line (blank lines skipped):
 * `{ "method": "GET", "url": "/products/1?x=2", "headers": {…}, "body": …, "trailers": {…} }`.
 *
 * @example
 * for await (const item of readNdjson('requests.ndjson')) if (item.request) send(item.request);
 */
export async function* readNdjson(file: string): AsyncGenerator<ReplayItem> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    yield parseNdjsonLine(line, n);
  }
}

/**
 * Count the non-blank lines of a file without holding it in memory (the progress bar's total).
 *
 * @example
 * await countLines('requests.ndjson'); // 1200
 */
export async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line.trim() !== '') n++;
  return n;
}
