import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { encode } from 'iconv-lite';
import pino from 'pino';
import type { TandemServer } from '../../src/ingress';
import { startBackend, type TestBackend } from '../support/backends';
import { startWorkerProcess, tempDir, writeConfig } from '../support/processes';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { request } from '../support/tandem';
import { waitUntil } from '../faults/helpers/load';
import { readState } from '../faults/helpers/store-state';
import { FAULTS_TOKEN, stopWorkerRig, workerFaultConfig } from '../faults/helpers/worker-rig';
import { startServer } from '../../src/ingress';
import { findSecrets, scanRedis } from './secret-scan';

/** Every secret carries this marker; one search finds any of them, in any encoding. */
const SECRET = /SECRET-[A-Za-z0-9-]+/g;

type Answer = { status?: number; headers?: Record<string, string>; body?: Buffer | string };
const json = (v: unknown) => JSON.stringify(v);

/** What legacy (L) and the candidate (C) answer per path: every encoding Tandem reads, secrets in odd case. */
function answer(side: 'L' | 'C', path: string): Answer {
  const body = json({ user: 'u', Password: `SECRET-${path}-${side}`, n: side === 'L' ? 1 : 2, visible: `V-${path}` });
  switch (path) {
    case 'gzip':
      return { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(body) };
    case 'br':
      return { headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: brotliCompressSync(body) };
    case 'deflate':
      return { headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' }, body: deflateSync(body) };
    case 'form':
      return {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `ACCESS_TOKEN=SECRET-form-${side}&expires=${side === 'L' ? 3600 : 60}&visible=V-form`,
      };
    case 'text':
      return {
        headers: { 'content-type': 'text/plain' },
        body: json({ Client_Secret: `SECRET-text-${side}`, n: side === 'L' ? 1 : 2, visible: 'V-text' }),
      };
    case 'none':
      return { headers: {}, body: json({ data: { PIN: `SECRET-none-${side}` }, n: side === 'L' ? 1 : 2, visible: 'V-none' }) };
    case 'html':
      return { headers: { 'content-type': 'text/html' }, body: `<input name="password" value="SECRET-html-${side}">` };
    case 'cookie': // only the cookie's Max-Age differs
      return {
        headers: {
          'content-type': 'application/json',
          'set-cookie': `sid=SECRET-cookie; Max-Age=${side === 'L' ? 3600 : 60}; Path=/`,
          // A URL-valued header: its credential parameters, in the query and the fragment.
          location: '/next?Access_Token=SECRET-loc&state=V-loc#id_token=SECRET-frag&x=1',
          // RFC 8288 links (a paginating API's next page carrying the token) and a URL's userinfo.
          link: `<https://api.example/p?page=2&access_token=SECRET-link-${side}>; rel="next", <https://ada:SECRET-linkpw@api.example/>; rel="alt"`,
          'content-location': 'https://ghp_SECRET-usertoken@git.example/repo',
        },
        body: json({ visible: 'V-cookie' }),
      };
    case 'same': // identical answers, secrets included: a match, and a match again on replay
      return {
        headers: { 'content-type': 'application/json', 'set-cookie': 'sid=SECRET-same-cookie; Path=/' },
        body: json({ password: 'SECRET-same', visible: 'V-same' }),
      };
    default:
      return { headers: { 'content-type': 'application/json' }, body: json({ ok: true, visible: 'V-login' }) };
  }
}

async function startRawBackend(
  side: 'L' | 'C',
): Promise<{ url: string; seen: { url: string; body: Buffer; headers: http.IncomingHttpHeaders }[]; close(): Promise<void> }> {
  const seen: { url: string; body: Buffer; headers: http.IncomingHttpHeaders }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body: Buffer.concat(chunks), headers: req.headers });
      const a = answer(side, (req.url ?? '').split('?')[0].split('/').pop() ?? '');
      res.writeHead(a.status ?? 200, a.headers);
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const multipart = [
  '--XyZ\r\nContent-Disposition: form-data; name="user"\r\n\r\nbob\r\n',
  '--XyZ\r\nContent-Disposition: form-data; name="Password"\r\n\r\nSECRET-mp\r\n',
  // A field nested under a secret name (`password[new]`) is secret, as `{"password":{"new":...}}` is in JSON.
  '--XyZ\r\nContent-Disposition: form-data; name="password[new]"\r\n\r\nSECRET-mp-nested\r\n',
  '--XyZ--\r\n',
].join('');

/** Requests: secrets in headers (odd case, repeated), bracket query names, and request bodies in every form. */
const requests: { path: string; method?: string; headers?: Record<string, string>; body?: Buffer | string }[] = [
  ...['gzip', 'br', 'deflate', 'form', 'text', 'none', 'html', 'cookie', 'same'].map((k) => ({
    path: `/r/${k}?password[]=SECRET-q1&PassWord=SECRET-q2&user[client_secret]=SECRET-q3&password[new]=SECRET-q4&user[Token][0][x]=SECRET-q5&page=2`,
    headers: {
      Authorization: 'Bearer SECRET-auth',
      cookie: 'sid=SECRET-reqcookie; theme=dark',
      'X-Tandem-Token': 'SECRET-xtt',
      'X-Api-Key': 'SECRET-apikey',
      Referer: 'http://app.example/page?password=SECRET-ref&visible=V-ref',
      'X-Original-URL': 'https://ada:SECRET-refpw@app.example/page?visible=V-ref',
      Link: '<http://app.example/p?access_token=SECRET-reqlink>; rel="prev"',
    },
  })),
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(json({ user: 'bob', PIN: 'SECRET-rb-pin', PASSWORD: 'SECRET-rb-gz' })),
  },
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'user=bob&Password=SECRET-rf-1&client_secret=SECRET-rf-2&user%5Bpassword%5D=SECRET-rf-3&password%5Bnew%5D=SECRET-rf-4',
  },
  { path: '/login', method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=XyZ' }, body: multipart },
  // Noise around a secret name (a trailing space, an HTML-escaped `&amp;`), and a pair after a `;`.
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'user=bob&password%20=SECRET-rf-5&amp;token=SECRET-rf-6&a=1;client_secret=SECRET-rf-7&%20api_key+=SECRET-rf-8',
  },
  { path: '/login', method: 'POST', headers: { 'content-type': 'text/plain' }, body: json({ user: 'bob', password: 'SECRET-rt' }) },
  { path: '/login', method: 'POST', headers: {}, body: json({ user: 'bob', Password: 'SECRET-rn' }) },
  // JSON inside a JSON string, twice over.
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: json({ user: 'bob', data: json({ password: 'SECRET-embedded', deeper: json({ token: 'SECRET-embedded2' }) }) }),
  },
  // Other charsets: by the charset parameter, and by a byte-order mark without one.
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-16le' },
    body: encode(json({ user: 'bob', password: 'SECRET-r16le' }), 'utf-16le'),
  },
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16le' },
    body: encode('user=bob&password=SECRET-r16form', 'utf-16le'),
  },
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: Buffer.concat([Buffer.from([0xfe, 0xff]), encode(json({ password: 'SECRET-r16bom' }), 'utf-16be')]),
  },
  // JSON inside a multipart part and inside a form field.
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    body: '--XyZ\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n{"password":"SECRET-mpjson"}\r\n--XyZ--\r\n',
  },
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `data=${encodeURIComponent(json({ password: 'SECRET-formjson' }))}`,
  },
  // Encodings inside encodings: multipart in multipart (form-data and mixed), JSON and forms inside JSON strings.
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    body:
      '--XyZ\r\nContent-Disposition: form-data; name="inner"\r\nContent-Type: multipart/form-data; boundary=In\r\n\r\n' +
      '--In\r\nContent-Disposition: form-data; name="password"\r\n\r\nSECRET-mpmp\r\n--In--\r\n' +
      '--XyZ\r\nContent-Disposition: form-data; name="files"\r\nContent-Type: multipart/mixed; boundary=Mx\r\n\r\n' +
      '--Mx\r\nContent-Disposition: file; filename="a.json"\r\nContent-Type: application/json\r\n\r\n{"token":"SECRET-mpmixed"}\r\n--Mx--\r\n' +
      '--XyZ--\r\n',
  },
  {
    path: '/login',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: json({ payload: json({ password: 'SECRET-jsonjson' }), form: 'user=bob&client_secret=SECRET-jsonform' }),
  },
];
const LOGINS = requests.filter((r) => r.path === '/login').length;

describe('secret scan: no secret reaches Redis, the report API, exports, replays, logs or webhooks', () => {
  const prefix = uniquePrefix('scan');
  const dir = tempDir('scan');
  let legacy: Awaited<ReturnType<typeof startRawBackend>>;
  let candidate: Awaited<ReturnType<typeof startRawBackend>>;
  let hooks: TestBackend;
  let tandem: TandemServer;
  let configFile: string;
  const logs: string[] = [];

  beforeAll(async () => {
    legacy = await startRawBackend('L');
    candidate = await startRawBackend('C');
    hooks = await startBackend(() => ({ body: { ok: true } }));
    const config = workerFaultConfig(
      { legacy: legacy.url, candidate: candidate.url, prefix },
      {
        queue: { lingerMs: 0 },
        redact: { headers: ['X-Api-Key'], bodyPaths: ['**.pin'] },
        notify: { webhookUrl: `${hooks.url}/hook`, retryDelayMs: 50 },
        log: { level: 'debug' },
        routes: [
          { name: 'r', match: 'GET /r/:kind', compare: { headers: ['content-type', 'set-cookie'] } },
          { name: 'login', match: 'POST /login', mirrorWrites: true },
        ],
      },
    );
    configFile = writeConfig(dir.path, config);
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) });
    tandem = await startServer({ ...config, log: { level: 'debug' } }, { worker: false, log: pino({ level: 'debug' }, sink) });
    await tandem.middleware.ready;
  });
  afterAll(async () => {
    await stopWorkerRig({ tandem, backends: [hooks], prefix, dir });
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('redacts every body form and header before queueing and storing, and keeps comparisons honest', async () => {
    for (const r of requests) {
      const res = await request(`${tandem.url}${r.path}`, { method: r.method ?? 'GET', headers: r.headers, body: r.body });
      expect(res.status).toBe(200);
    }
    // The backends got the real requests.
    await waitUntil(
      async () => candidate.seen.length,
      (n) => n === requests.length,
    );
    expect(candidate.seen.find((s) => s.url.startsWith('/r/gzip'))!.headers['x-tandem-token']).toBe('SECRET-xtt');

    // While queued: job data and body lists hold no secret, in any encoding.
    await tandem.middleware.runtime.counters.flush();
    await waitUntil(
      async () => (await readState(TEST_REDIS_URL, prefix, 'r')).pendingExchanges,
      (n) => n === requests.length,
    ); // the whole queue's
    const queued = await scanRedis(TEST_REDIS_URL, prefix, SECRET);
    expect(queued.text).toContain('V-none'); // the job data and body lists were read
    expect(queued.secrets).toEqual([]);

    const worker = await startWorkerProcess(configFile);
    await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'r'),
      (s) => s.pending === 0 && s.counters.compared === 9,
    );
    await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'login'),
      (s) => s.pending === 0 && s.counters.compared === LOGINS,
    );
    await waitUntil(
      async () => hooks.seen.length,
      (n) => n > 0,
    );

    // Stored: every key and value, decoded where it can be.
    const stored = await scanRedis(TEST_REDIS_URL, prefix, SECRET);
    expect(stored.keys).toBeGreaterThan(10);
    expect(stored.text).toContain('V-none');
    expect(stored.text).toMatch(/\[REDACTED:[0-9a-f]{16}\]/);
    expect(stored.secrets).toEqual([]);

    // The report API, exports and replays.
    const auth = { authorization: `Bearer ${FAULTS_TOKEN}` };
    const api = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${tandem.reportUrl}/_tandem/api${path}`, { ...init, headers: { ...auth, ...init.headers } });
      const text = await res.text();
      expect(findSecrets(text, SECRET)).toEqual([]);
      return { status: res.status, text, json: () => JSON.parse(text) };
    };
    const mismatches = (await api('/routes/r/mismatches?limit=100')).json().items as { id: string; path: string }[];
    const byKind = (k: string) => mismatches.find((m) => m.path === `/r/${k}`);
    for (const k of ['gzip', 'br', 'deflate', 'form', 'text', 'none', 'html', 'cookie']) expect(byKind(k)).toBeDefined();
    // A Set-Cookie whose Max-Age changed is a mismatch, shown as "differs (redacted)".
    const cookie = (await api(`/mismatches/${encodeURIComponent(byKind('cookie')!.id)}`)).json();
    expect(cookie.result.differences).toEqual([expect.objectContaining({ path: '$headers.set-cookie', redacted: true })]);
    // A different secret in a gzip body differs (redacted), beside the visible difference.
    const gz = (await api(`/mismatches/${encodeURIComponent(byKind('gzip')!.id)}`)).json();
    expect(gz.result.differences.map((d: { path: string; redacted?: boolean }) => [d.path, d.redacted ?? false])).toEqual(
      expect.arrayContaining([
        ['Password', true],
        ['n', false],
      ]),
    );
    for (const m of mismatches) await api(`/mismatches/${encodeURIComponent(m.id)}`);
    for (const cls of ['mismatch', 'match']) {
      await api(`/routes/r/export?format=json&class=${cls}`);
      await api(`/routes/login/export?format=csv&class=${cls}`);
    }
    // Replays: the live answer is redacted before it is compared and answered.
    const same = (await api('/routes/r/export?format=json&class=match')).json() as {
      exchange: { id: string; request: { path: string } };
    }[];
    const sameId = same.find((x) => x.exchange.request.path === '/r/same')!.exchange.id;
    const replaySame = await api(`/exchanges/${encodeURIComponent(sameId)}/replay`, { method: 'POST' });
    expect(replaySame.status).toBe(200);
    expect(replaySame.json().result.class).toBe('match');
    for (const m of mismatches) expect((await api(`/exchanges/${encodeURIComponent(m.id)}/replay`, { method: 'POST' })).status).toBe(200);

    // Logs (this process at debug, and the worker's) and webhook payloads.
    worker.kill('SIGTERM');
    await worker.exited;
    expect(logs.length).toBeGreaterThan(0);
    expect(findSecrets(logs.join(''), SECRET)).toEqual([]);
    expect(findSecrets(worker.output(), SECRET)).toEqual([]);
    expect(hooks.seen.some((h) => h.body.includes('new_signature'))).toBe(true);
    expect(findSecrets(hooks.seen.map((h) => h.body + JSON.stringify(h.headers)).join('\n'), SECRET)).toEqual([]);
    // And Redis after the replays.
    expect((await scanRedis(TEST_REDIS_URL, prefix, SECRET)).secrets).toEqual([]);
  }, 120_000);
});
