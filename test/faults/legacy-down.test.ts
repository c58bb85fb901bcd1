import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { startBackend, type TestBackend } from '../support/backends';
import { freePort } from '../support/processes';
import { TEST_REDIS_URL } from '../support/redis';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { startRawServer, type RawServer } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { sleep } from './helpers/load';
import { readState } from './helpers/store-state';

/** A plain http-proxy-middleware proxy: what clients would get without Tandem. */
async function plainProxy(target: string, timeoutMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.use(createProxyMiddleware({ target, proxyTimeout: timeoutMs }));
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

type Outcome = { status: number; body: string } | { error: string };
/** One GET; a client that waits more than 5 s counts as a hang (a plain proxy answers long before). */
const outcome = (url: string): Promise<Outcome> =>
  Promise.race([
    request(url, { headers: { host: 'shop.example' } }).then(
      (r) => ({ status: r.status, body: r.body.toString() }),
      (e: Error) => ({ error: e.message }),
    ),
    sleep(5000).then(() => ({ error: 'no answer within 5 s' })),
  ]);

describe('fault: legacy down', () => {
  const legacyTimeoutMs = 500;
  let candidate: TestBackend;
  let hanging: RawServer;
  let garbage: RawServer;
  let midBody: RawServer;
  let hugeHeaders: RawServer;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    candidate = await startBackend(() => ({ body: { ok: true } }));
    hanging = await startRawServer(() => undefined);
    garbage = await startRawServer((s) => s.once('data', () => s.end('not http at all\r\n\r\n')));
    hugeHeaders = await startRawServer((s) =>
      s.once('data', () => s.end(`HTTP/1.1 200 OK\r\nx-huge: ${'h'.repeat(20_000)}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`)),
    );
    midBody = await startRawServer((s) =>
      s.once('data', () => {
        s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"id":');
        setTimeout(() => s.destroy(), 20);
      }),
    );
  });
  afterAll(async () => {
    for (const stop of stops) await stop();
    await Promise.all([candidate?.close(), hanging?.close(), garbage?.close(), midBody?.close(), hugeHeaders?.close()]);
  });

  const cases: [string, () => Promise<string>, number | 'aborted'][] = [
    ['refuses connections', async () => `http://127.0.0.1:${await freePort()}`, 504],
    ['hangs past legacy.timeoutMs', async () => hanging.url, 504],
    ['answers something that is not HTTP', async () => garbage.url, 502],
    ['answers with headers over 16 KB', async () => hugeHeaders.url, 500],
    ['drops the connection mid-body', async () => midBody.url, 'aborted'],
  ];

  it.each(cases)('legacy %s: clients get what a plain proxy gives, and no comparison job is created', async (name, legacyUrl, expected) => {
    const url = await legacyUrl();
    const t: TestTandem = await startTestTandem({
      legacy: { url, timeoutMs: legacyTimeoutMs },
      candidate: { url: candidate.url, timeoutMs: 300 },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    const plain = await plainProxy(url, legacyTimeoutMs);
    stops.push(
      () => t.stop(),
      () => plain.close(),
    );
    const viaTandem: Outcome[] = [];
    for (let i = 0; i < 5; i++) viaTandem.push(await outcome(`${t.url}/products/1`));
    const viaPlain = await outcome(`${plain.url}/products/1`);
    await sleep(300); // a shadow, if any were wrongly started, would have reached the candidate by now
    const state = await readState(TEST_REDIS_URL, t.prefix, 'product');
    await t.server.middleware.runtime.counters.flush();
    const counters = (await readState(TEST_REDIS_URL, t.prefix, 'product')).counters;
    recordFigures(`legacy-down-${name.replace(/\W+/g, '-')}`, {
      sent: 5,
      tandem: viaTandem[0],
      plain: viaPlain,
      counters,
      pendingJobs: state.pending,
    });

    if (expected === 'aborted') {
      // A plain proxy leaves the client waiting for the rest of the body; Tandem cuts the connection at once.
      expect(viaPlain).toEqual({ error: 'no answer within 5 s' });
      expect(viaTandem).toEqual(Array(5).fill({ error: 'aborted' }));
    } else {
      expect(viaTandem).toEqual(Array(5).fill(viaPlain));
      expect(viaTandem.map((o) => ('status' in o ? o.status : o.error))).toEqual(Array(5).fill(expected));
    }
    expect(counters).toEqual({ seen: 5, 'skipped:legacy_error': 5 });
    expect(state.pending + state.failed).toBe(0);
    expect(candidate.seen).toHaveLength(0);
  });
});
