import { Writable } from 'node:stream';
import { startBackend, type TestBackend } from '../support/backends';
import { request, startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import { tandem } from '../../src/ingress';
import { createLogger } from '../../src/log';
import { deletePrefix, testRedisConfig, uniquePrefix } from '../support/redis';

describe('report API: unknown names are errors; actors are recorded', () => {
  let legacy: TestBackend;
  let t: TestTandem;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.reportUrl}/_tandem/api${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    legacy = await startBackend(() => ({ body: { id: 1 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: legacy.url },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
    await request(`${t.url}/p/1`);
    await t.waitFor(async () => (await t.counters('product')).compared === 1);
  });

  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
  });

  it('answers 404 for an unknown route on every route endpoint, naming the configured ones', async () => {
    for (const p of ['summary', 'mismatches', 'fields', 'signatures', 'trend', 'export', 'rules', 'noise', 'fields/examples?path=x']) {
      const res = await call('GET', `/routes/nosuch/${p}`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { message: string }).message).toBe('no route is named "nosuch" (configured: product)');
    }
    expect((await call('POST', '/routes/nosuch/rediff', {})).status).toBe(404);
    expect((await call('GET', '/routes/product/summary')).status).toBe(200);
  });

  it('answers 404 for an unknown route or customer on /customers, and for clearing what does not exist', async () => {
    expect((await call('GET', '/customers?route=nosuch')).status).toBe(404);
    const res = await call('GET', '/customers?customer=nobody');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('no results for customer "nobody"');
    expect((await call('GET', '/customers?customer=anonymous')).status).toBe(200);
    expect((await call('DELETE', '/rollout/routes/product/customers/nobody')).status).toBe(404);
    expect((await call('DELETE', '/rollout/groups/nogroup')).status).toBe(404);
    expect((await call('DELETE', '/rollout/routes/product/groups/nogroup')).status).toBe(404);
  });

  it('records who changed a compare rule, as the rollout audit does', async () => {
    expect((await call('POST', '/routes/product/rules/ignore', { path: 'meta.**' }, { 'x-tandem-actor': 'ada' })).status).toBe(200);
    expect((await call('DELETE', '/routes/product/rules/ignore', { path: 'meta.**' })).status).toBe(200);
    const { audit } = await t.api<{ audit: { actor: string }[] }>('/routes/product/rules');
    expect(audit.map((a) => a.actor)).toEqual(['api', 'ada']);
  });

  it("the overview row carries the exposure and the guard's readiness", async () => {
    const { routes } = await t.api<{ routes: { name: string; exposure: Record<string, unknown>; readiness: Record<string, unknown> }[] }>(
      '/routes',
    );
    const row = routes.find((r) => r.name === 'product')!;
    expect(row.exposure).toMatchObject({
      phase: 'shadow',
      percentage: 0,
      customerOverrides: 0,
      groupOverrides: 0,
      servedByCandidate: 0,
      fellBack: 0,
    });
    expect(row.readiness).toMatchObject({ ready: false, compared: 1, minCompared: 20, threshold: 0.99 });
  });
});

describe('tandem() as express middleware', () => {
  it('logs the report token it generated, as `tandem serve` does', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) });
    const prefix = uniquePrefix('mwtoken');
    const saved = process.env.TANDEM_REPORT_TOKEN;
    delete process.env.TANDEM_REPORT_TOKEN;
    const mw = tandem(
      { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' }, redis: { ...testRedisConfig(), prefix } },
      { worker: false, log: createLogger('info', 'tandem', { pretty: false, destination: sink }) },
    );
    if (saved !== undefined) process.env.TANDEM_REPORT_TOKEN = saved;
    try {
      await mw.ready;
      const token = mw.runtime.config.report.token;
      expect(lines.join('')).toContain(`generated one for this run: ${token}`);
    } finally {
      await mw.close();
      await deletePrefix(prefix);
    }
  });
});
