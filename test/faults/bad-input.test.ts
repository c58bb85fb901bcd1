import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request, type TestTandem } from '../support/tandem';
import { tandemFor } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { waitUntil } from './helpers/load';

/** How one backend answers a path: status, headers (arrays repeat a header), body chunks (several = chunked). */
interface Answer {
  status?: number;
  headers?: Record<string, string | string[]>;
  chunks?: (string | Buffer)[];
}

/** Each case: a route of its own, what legacy and the candidate answer, and the class it must get. */
const CASES: { name: string; legacy: Answer; candidate: Answer; expected: string; reqHeaders?: Record<string, string | string[]> }[] = [
  {
    name: 'malformed-json',
    legacy: { chunks: ['{"id": 1, "price":'] },
    candidate: { chunks: ['{"id":1,"price":10}'] },
    expected: 'unparseable',
  },
  { name: 'malformed-json-both-same', legacy: { chunks: ['{"id": 1,'] }, candidate: { chunks: ['{"id": 1,'] }, expected: 'match' },
  {
    name: 'invalid-utf8-json',
    legacy: { chunks: ['{"id":1}'] },
    candidate: { chunks: [Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])] },
    expected: 'unparseable',
  },
  {
    name: 'invalid-utf8-text',
    legacy: { headers: { 'content-type': 'text/plain' }, chunks: [Buffer.from([0x61, 0xff, 0x62])] },
    candidate: { headers: { 'content-type': 'text/plain' }, chunks: [Buffer.from([0x61, 0xfe, 0x62])] },
    expected: 'mismatch',
  },
  {
    name: 'wrong-content-type',
    legacy: { headers: { 'content-type': 'text/html' }, chunks: ['{"id":1}'] },
    candidate: { chunks: ['{"id":1}'] },
    expected: 'mismatch',
  },
  { name: 'empty-204', legacy: { status: 204, chunks: [] }, candidate: { status: 204, chunks: [] }, expected: 'match' },
  {
    name: 'empty-304',
    legacy: { status: 304, chunks: [] },
    candidate: { status: 304, chunks: [] },
    expected: 'match',
    reqHeaders: { 'if-none-match': '"v1"' },
  },
  { name: 'empty-200-json', legacy: { chunks: ['{"id":1}'] }, candidate: { chunks: [] }, expected: 'mismatch' },
  {
    name: 'chunked',
    legacy: { chunks: ['{"items":[1,', '2,3],', '"total":3}'] },
    candidate: { chunks: ['{"items":[1,2,3],"total":3}'] },
    expected: 'match',
  },
  {
    name: 'duplicated-headers',
    legacy: { headers: { 'set-cookie': ['a=1', 'b=2'], 'x-dup': ['one', 'two'] }, chunks: ['{"id":1}'] },
    candidate: { headers: { 'set-cookie': ['a=1', 'b=2'], 'x-dup': ['one', 'two'] }, chunks: ['{"id":1}'] },
    expected: 'match',
    reqHeaders: { 'x-dup-req': ['first', 'second'], accept: 'application/json' },
  },
  {
    name: 'oversized-candidate-headers',
    legacy: { chunks: ['{"id":1}'] },
    candidate: { headers: { 'x-huge': 'h'.repeat(20_000) }, chunks: ['{"id":1}'] },
    expected: 'candidate_error',
  },
];

/** A backend answering `/case/<name>` from the table, for one side. */
async function startTableBackend(side: 'legacy' | 'candidate'): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const c = CASES.find((x) => req.url === `/case/${x.name}`);
      if (!c) return void res.writeHead(404).end();
      const a = c[side];
      const chunks = a.chunks ?? [];
      const headers: Record<string, string | string[]> = { 'content-type': 'application/json', ...a.headers };
      if (chunks.length <= 1) headers['content-length'] = String(chunks.reduce((n, x) => n + Buffer.byteLength(x), 0));
      res.writeHead(a.status ?? 200, headers);
      for (const x of chunks) res.write(x);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** A raw HTTP/1.1 GET, so repeated request headers go out as written. */
function rawGet(
  url: string,
  headers: Record<string, string | string[]> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', fail);
  });
}

describe('bad input: handled and classified, clients get legacy untouched', () => {
  let legacy: { url: string; close(): Promise<void> };
  let candidate: { url: string; close(): Promise<void> };
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startTableBackend('legacy');
    candidate = await startTableBackend('candidate');
    t = await tandemFor(legacy.url, candidate.url, {
      routes: CASES.map((c) => ({ name: c.name, match: `GET /case/${c.name}` })),
      compare: { headers: ['content-type', 'x-dup'] },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    const direct = await rawGet(`${legacy.url}/case/${name}`, c.reqHeaders);
    const via = await rawGet(`${t.url}/case/${name}`, c.reqHeaders);
    expect(via.status).toBe(direct.status);
    expect(via.body.equals(direct.body)).toBe(true);
    expect(via.headers['content-type']).toBe(direct.headers['content-type']);
    expect(via.headers['set-cookie']).toEqual(direct.headers['set-cookie']);
    expect(via.headers['x-dup']).toBe(direct.headers['x-dup']);
    const counters = await waitUntil(
      () => t.counters(name),
      (x) => x.compared === 1,
    );
    recordFigures(`bad-input-${name}`, { status: via.status, counters });
    expect(counters).toMatchObject({ seen: 1, compared: 1, [c.expected]: 1 });
  });

  it('answers an oversized request header with 431, as Node does, before anything is proxied', async () => {
    const res = await request(`${t.url}/case/chunked`, { headers: { 'x-huge': 'h'.repeat(20_000) } }).catch((e: Error) => ({
      status: 0,
      error: e.message,
    }));
    expect(res.status).toBe(431);
  });
});
