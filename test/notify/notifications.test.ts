import { Writable } from 'node:stream';
import pino from 'pino';
import { createConfig } from '../../src/config';
import { Notifier } from '../../src/notify';
import { newExchangeId, routeMark, type ComparisonResult, type ExchangeRecord } from '../../src/records';
import { startBackend, type SeenRequest, type TestBackend } from '../support/backends';
import { deletePrefix, openTestRedis, uniquePrefix } from '../support/redis';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { parseProm, valueOf } from '../support/prom-text';

const product = (id: string) => ({ id: Number(id), name: `Product ${id}`, price: 10 });

describe('mismatch notifications to a webhook', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let hook: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: product(/\/products\/(\d+)/.exec(req.url)?.[1] ?? '0') }));
    candidate = await startBackend((req) => {
      const id = /\/products\/(\d+)/.exec(req.url)?.[1] ?? '0';
      // 2 and 4: price differs; 3: name differs; anything else matches.
      if (id === '2' || id === '4') return { body: { ...product(id), price: 99 } };
      if (id === '3') return { body: { ...product(id), name: 'Renamed' } };
      return { body: product(id) };
    });
    let calls = 0;
    hook = await startBackend(() => (++calls === 1 ? { status: 500, body: { error: 'try again' } } : { body: { ok: true } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      notify: {
        webhookUrl: `${hook.url}/hooks/tandem`,
        retryDelayMs: 50,
        matchRateBelow: 0.75,
        minCompared: 4,
        windowSeconds: 86400,
        headers: { authorization: 'Bearer hook-secret' },
      },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close(), hook?.close()]);
  });

  const compared = async (n: number) => t.waitFor(async () => ((await t.counters('product')).compared ?? 0) >= n);
  const events = () => hook.seen.map((r: SeenRequest) => ({ body: JSON.parse(r.body) as Record<string, unknown>, headers: r.headers }));

  it('sends one event per new signature and one for the low match rate, retrying a 500', async () => {
    for (const id of ['2', '4', '2', '3']) await request(`${t.url}/products/${id}`);
    await compared(4);
    await t.waitFor(async () => hook.seen.length >= 4);
    await new Promise((r) => setTimeout(r, 300)); // nothing more should arrive

    const all = events();
    expect(all).toHaveLength(4); // three events, the first of them twice (500, then 200)
    const first = all[0].body.id;
    expect(hook.seen.map((r) => r.headers['x-tandem-attempt'] === '2')).toEqual(all.map((e, i) => i > 0 && e.body.id === first));
    expect(all.filter((e) => e.body.id === first)).toHaveLength(2); // the 500 was retried, once
    expect(
      hook.seen.every((r) => r.method === 'POST' && r.url === '/hooks/tandem' && r.headers.authorization === 'Bearer hook-secret'),
    ).toBe(true);
    expect(all.every((e) => e.headers['content-type'] === 'application/json' && e.headers['x-tandem-event-id'] === e.body.id)).toBe(true);

    const unique = all.filter((e) => e.headers['x-tandem-attempt'] === '1').map((e) => e.body);
    expect(new Set(unique.map((e) => e.id)).size).toBe(3);
    const signatures = unique.filter((e) => e.type === 'new_signature');
    expect(signatures.map((e) => e.signature).sort()).toEqual(['name', 'price']);
    for (const e of signatures) {
      expect(e).toMatchObject({
        route: 'product',
        source: 'live',
        request: { method: 'GET' },
        reportPath: `/_tandem/api/mismatches/${e.mismatchId}`,
      });
      expect(typeof e.risk).toBe('string');
    }
    const rate = unique.filter((e) => e.type === 'match_rate_below');
    expect(rate).toHaveLength(1);
    expect(rate[0]).toMatchObject({ route: 'product', matchRate: 0, threshold: 0.75, compared: 4, matches: 0, windowSeconds: 86400 });
  });

  it('sends nothing more for known signatures or the same window', async () => {
    for (const id of ['1', '4', '5', '3']) await request(`${t.url}/products/${id}`);
    await compared(8);
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.seen).toHaveLength(4);
    const s = parseProm((await request(`${t.opsUrl}/metrics`)).body.toString());
    expect(valueOf(s, 'tandem_notifications_total', { type: 'new_signature', outcome: 'sent' })).toBe(2);
    expect(valueOf(s, 'tandem_notifications_total', { type: 'match_rate_below', outcome: 'sent' })).toBe(1);
  });
});

describe('notifications without a webhook', () => {
  const prefix = uniquePrefix('notify');
  const redis = openTestRedis();
  afterAll(async () => {
    await deletePrefix(prefix);
    await redis.quit();
  });

  it('logs one line per new signature, deduplicated across notifiers on one Redis', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString())), done()) });
    const log = pino({ level: 'info' }, sink);
    const { notify } = createConfig({ legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' } });
    const make = () => new Notifier({ redis, prefix, notify, reportPath: '/_tandem', dedupeTtlSeconds: 60, log });
    const [a, b] = [make(), make()];
    const ex = { id: 'ex-1', route: 'product', request: { method: 'GET', path: '/products/2' } } as ExchangeRecord;
    const result = {
      class: 'mismatch',
      signature: 'price',
      risk: 'medium',
      differences: [],
      noise: [],
      suspectedNoise: [],
    } as ComparisonResult;
    a.onResult(ex, result, 'new-signature');
    b.onResult({ ...ex, id: 'ex-2' }, result, 'new-signature');
    a.onResult(ex, result, 'duplicate');
    await Promise.all([a.close(), b.close()]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'tandem notification: new mismatch signature on route product: price (medium)',
      event: { type: 'new_signature', signature: 'price', route: 'product' },
    });
  });

  it('links the id the store records: under per-route tagging an id without a route mark gets it', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString())), done()) });
    const { notify } = createConfig({ legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' } });
    const n = new Notifier({
      redis,
      prefix: { prefix, tagging: 'route' },
      notify,
      reportPath: '/_tandem',
      dedupeTtlSeconds: 60,
      log: pino({ level: 'info' }, sink),
    });
    const marked = newExchangeId(Date.now(), 'order');
    const ex = { id: 'old-1', route: 'product', request: { method: 'GET', path: '/products/2' } } as ExchangeRecord;
    const result = {
      class: 'mismatch',
      signature: 'name',
      risk: 'low',
      differences: [],
      noise: [],
      suspectedNoise: [],
    } as ComparisonResult;
    n.onResult(ex, result, 'new-signature');
    n.onResult({ ...ex, id: marked, route: 'order' }, result, 'new-signature');
    await n.close();
    expect(lines.map((l) => (l.event as { mismatchId: string }).mismatchId).sort()).toEqual(
      [`${routeMark('product')}.old-1`, marked].sort(),
    );
  });
});
