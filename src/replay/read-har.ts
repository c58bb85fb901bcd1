import { z } from 'zod';
import { cleanHeaders, splitRecordedUrl, type ReplayItem } from './replay-request';

const nameValue = z.object({ name: z.string(), value: z.string() });
const harRequest = z.object({
  method: z.string().min(1),
  url: z.string().min(1),
  headers: z.array(nameValue).default([]),
  postData: z
    .object({
      mimeType: z.string().optional(),
      text: z.string().optional(),
      encoding: z.string().optional(),
      params: z.array(z.object({ name: z.string(), value: z.string().optional() })).optional(),
    })
    .optional(),
});
const harFile = z.object({ log: z.object({ entries: z.array(z.object({ request: z.unknown() })) }) });

/**
 * Read the requests of a HAR 1.2 file (as browsers and proxies export it). A file that
 * is not HAR throws; an entry that cannot be used becomes an item with an `error`.
 * The URL's query is sent as recorded and header lines one by one (see `splitRecordedUrl`,
 * `cleanHeaders`). Responses recorded in the file are ignored: legacy is asked again.
 *
 * @example
 * const items = parseHar(readFileSync('yesterday.har', 'utf8'));
 * items[0].request?.path; // '/api/v1/products/1'
 */
export function parseHar(text: string): ReplayItem[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`not valid JSON: ${(e as Error).message}`);
  }
  const file = harFile.safeParse(raw);
  if (!file.success) throw new Error('not a HAR file: expected { "log": { "entries": [ { "request": … } ] } }');
  return file.data.log.entries.map((e, i): ReplayItem => {
    const entry = i + 1;
    const r = harRequest.safeParse(e.request);
    if (!r.success) return { entry, error: r.error.issues.map((x) => `request.${x.path.join('.')}: ${x.message}`).join('; ') };
    const { method, url, headers, postData } = r.data;
    try {
      const { path, rawQuery, query } = splitRecordedUrl(url);
      const h = cleanHeaders(headers.map((x) => [x.name, x.value]));
      return { entry, request: { method: method.toUpperCase(), path, rawQuery, query, ...h, body: harBody(postData) } };
    } catch (err) {
      return { entry, error: `request.url: ${(err as Error).message}` };
    }
  });
}

function harBody(p: z.output<typeof harRequest>['postData']): Buffer | null {
  if (!p) return null;
  if (p.text !== undefined && p.text !== '') return Buffer.from(p.text, p.encoding === 'base64' ? 'base64' : 'utf8');
  if (p.params?.length) return Buffer.from(new URLSearchParams(p.params.map((x): [string, string] => [x.name, x.value ?? ''])).toString());
  return null;
}
