import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import express from 'express';
import { tandem, type TandemMiddleware } from '../../src/ingress';
import type { TandemOptions } from '../../src/config';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { eventually, sendRaw, startRecorder, valueOf, type Recorder } from '../e2e/fidelity-support';

/** Tandem mounted in an express app, with whatever the app puts in front of it. */
async function mount(
  front: (app: express.Express) => void,
  options: Omit<TandemOptions, 'redis'>,
  prefix: string,
  logs?: string[],
): Promise<{ mw: TandemMiddleware; server: Server; url: string }> {
  const app = express();
  front(app);
  const log = logs && pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) }));
  const mw = tandem({ ...options, redis: { url: TEST_REDIS_URL, prefix }, log: { level: 'silent' } }, { worker: false, log });
  app.use(mw);
  await mw.ready;
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { mw, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('a body parser in front of tandem()', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let app: Awaited<ReturnType<typeof mount>>;
  const prefix = uniquePrefix('parser');
  const logs: string[] = [];

  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    app = await mount(
      (a) => {
        a.use(express.json());
        a.use(express.urlencoded({ extended: false }));
        // A multipart reader that keeps no bytes (as multer does): nothing Tandem can send again.
        a.use((req, _res, next) => {
          if (!String(req.headers['content-type']).startsWith('multipart/')) return next();
          req.resume();
          req.on('end', () => (((req as unknown as { body: unknown }).body = { file: 'x' }), next()));
        });
      },
      {
        legacy: { url: legacy.url, timeoutMs: 5000 },
        candidate: { url: candidate.url },
        routes: [
          { name: 'orders', match: 'POST /orders', mirrorWrites: true },
          { name: 'served', match: 'POST /served', phase: 'candidate', mirrorWrites: true },
          { name: 'files', match: 'POST /files', mirrorWrites: true },
          { name: 'served-files', match: 'POST /served-files', phase: 'candidate', mirrorWrites: true },
        ],
      },
      prefix,
      logs,
    );
  });

  afterAll(async () => {
    app.server.closeAllConnections();
    await new Promise((r) => app.server.close(r));
    await app.mw.close();
    await Promise.all([legacy.close(), candidate.close()]);
    await deletePrefix(prefix);
  });

  it('sends the parsed JSON body to legacy and the candidate instead of hanging', async () => {
    const body = Buffer.from('{"item":"mug","qty":2}');
    const res = await sendRaw(app.url, {
      method: 'POST',
      path: '/orders',
      headers: [
        ['Host', 'shop.example'],
        ['Content-Type', 'application/json'],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expect(res.status).toBe(200);
    const got = legacy.received.find((r) => r.url === '/orders')!;
    expect(JSON.parse(got.body.toString())).toEqual({ item: 'mug', qty: 2 });
    expect(valueOf(got.headers, 'content-length')).toBe(String(got.body.length));
    const shadow = await eventually(() => candidate.received.find((r) => r.url === '/orders'));
    expect(shadow.body.equals(got.body)).toBe(true);
  });

  it('sends a parsed form body again, also when the candidate serves', async () => {
    const body = Buffer.from('a=1&b=x+y');
    const res = await sendRaw(app.url, {
      method: 'POST',
      path: '/served',
      headers: [
        ['Host', 'shop.example'],
        ['Content-Type', 'application/x-www-form-urlencoded'],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expect(res.status).toBe(200);
    const got = await eventually(() => candidate.received.find((r) => r.url === '/served'));
    expect(got.body.toString()).toBe('a=1&b=x+y');
  });

  it('refuses clearly a body it cannot rebuild', async () => {
    const body = Buffer.from('--x\r\n\r\nfile\r\n--x--\r\n');
    const res = await sendRaw(app.url, {
      method: 'POST',
      path: '/orders',
      headers: [
        ['Host', 'shop.example'],
        ['Content-Type', 'multipart/form-data; boundary=x'],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body.toString())).toMatchObject({
      error: 'body_already_read',
      message: expect.stringMatching(/mount tandem\(\) before body parsers/),
    });
  });

  it('counts a body it cannot rebuild as skipped:body_already_read, on the proxy and in the candidate phase', async () => {
    const body = Buffer.from('--x\r\n\r\nfile\r\n--x--\r\n');
    // A credential in the query never reaches the log line of the refusal.
    for (const path of ['/files?password=SECRET-logged&x=1', '/served-files']) {
      const res = await sendRaw(app.url, {
        method: 'POST',
        path,
        headers: [
          ['Host', 'shop.example'],
          ['Content-Type', 'multipart/form-data; boundary=x'],
          ['Content-Length', String(body.length)],
        ],
        body,
      });
      expect(res.status).toBe(500);
    }
    await app.mw.runtime.counters.flush();
    const counters = await app.mw.runtime.store().counters(['files', 'served-files']);
    expect(counters).toEqual({
      files: { seen: 1, 'skipped:body_already_read': 1 },
      'served-files': { seen: 1, 'skipped:body_already_read': 1 },
    });
    expect(logs.join('')).toMatch(/"path":"\/files".*mount tandem\(\) before body parsers/);
    expect(logs.join('')).not.toContain('SECRET-logged');
    // Nor does one in a path parameter (`;jsessionid=`): every parameter's value is left out of the line.
    const res = await sendRaw(app.url, {
      method: 'POST',
      path: '/orders/x;jsessionid=SECRET-logged-2;v=1',
      headers: [
        ['Host', 'shop.example'],
        ['Content-Type', 'multipart/form-data; boundary=x'],
        ['Content-Length', String(body.length)],
      ],
      body,
    });
    expect(res.status).toBe(500);
    expect(logs.join('')).toContain('"path":"/orders/x;jsessionid=…;v=…"');
    expect(logs.join('')).not.toContain('SECRET-logged-2');
  });
});

describe('Host policy per backend', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let app: Awaited<ReturnType<typeof mount>>;
  const prefix = uniquePrefix('host');

  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    app = await mount(
      () => undefined,
      {
        legacy: { url: legacy.url, host: 'upstream' },
        candidate: { url: candidate.url, host: 'upstream' },
        noise: { repeatRate: 1 },
        routes: [{ name: 'links', match: 'GET /links' }],
      },
      prefix,
    );
  });

  afterAll(async () => {
    app.server.closeAllConnections();
    await new Promise((r) => app.server.close(r));
    await app.mw.close();
    await Promise.all([legacy.close(), candidate.close()]);
    await deletePrefix(prefix);
  });

  it("gives legacy and its noise repeat the same Host (legacy's own), the candidate its own", async () => {
    await sendRaw(app.url, { method: 'GET', path: '/links?page=2', headers: [['Host', 'shop.example']] });
    const [primary, repeat] = await eventually(() => {
      const seen = legacy.received.filter((r) => r.url === '/links?page=2');
      return seen.length === 2 && seen;
    });
    const legacyHost = new URL(legacy.url).host;
    expect(valueOf(primary.headers, 'host')).toBe(legacyHost);
    expect(valueOf(repeat.headers, 'host')).toBe(legacyHost);
    const shadow = await eventually(() => candidate.received.find((r) => r.url === '/links?page=2'));
    expect(valueOf(shadow.headers, 'host')).toBe(new URL(candidate.url).host);
  });
});
