import { runRediff } from '../../src/cli/rediff-command';
import { scanKeys } from '../../src/store';
import { rediffRoute, type Comparer } from '../../src/worker';
import { startBackend, type TestBackend } from '../support/backends';
import { testRedisTarget } from '../support/redis';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { call, comparedAtLeast, sendAll } from '../support/report-api';

const N = 100;
const wrongPrice = (id: number) => id % 10 === 0; // 10 of 100
const wrongColor = (id: number) => id % 4 === 0; // 25 of 100, 5 of them with a wrong price too

describe('rediff after a rule change', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((req) => {
      const id = Number(/^\/products\/(\d+)$/.exec(req.url)?.[1]);
      return { body: { id, price: 10, color: 'red' } };
    });
    candidate = await startBackend((req) => {
      const id = Number(/^\/products\/(\d+)$/.exec(req.url)?.[1]);
      return { body: { id, price: wrongPrice(id) ? 12 : 10, color: wrongColor(id) ? 'Red' : 'red' } };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
    });
    await sendAll(t.url, N, (i) => `/products/${i}`, 4);
    await comparedAtLeast(t, 'product', N);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  /** Comparisons in the report's per-minute trend buckets (derived data rediff rebuilds). */
  const trendCompared = async () => {
    const { redis, keys } = t.server.middleware.runtime.store();
    let sum = 0;
    for (const k of await scanKeys(redis, keys.familyPattern('trend', 'product'))) {
      for (const [f, v] of Object.entries(await redis.hgetall(k))) if (f.endsWith('|compared')) sum += Number(v);
    }
    return sum;
  };

  const signatures = async () =>
    (await t.api<{ signatures: { signature: string; count: number }[] }>('/routes/product/signatures')).signatures
      .map((s) => `${s.signature} ${s.count}`)
      .sort();

  it('recomputes counts, fields, signatures and mismatches after an ignore rule is added', async () => {
    expect(await t.counters('product')).toMatchObject({ seen: N, shadowed: N, compared: N, match: 70, mismatch: 30 });
    expect(await signatures()).toEqual(['color 20', 'color|price 5', 'price 5']);

    const added = await call(t, 'POST', '/routes/product/rules/ignore', { path: 'color' });
    expect(added.status).toBe(200);
    expect(added.json).toMatchObject({ route: 'product', ignore: ['color'] });

    const rediff = await call(t, 'POST', '/routes/product/rediff');
    expect(rediff).toEqual({ status: 200, json: { recomputed: N, byClass: { match: 90, mismatch: 10 } } });
    const c = await t.counters('product');
    expect(c).toMatchObject({ seen: N, shadowed: N, compared: N, match: 90, mismatch: 10 });
    expect(await signatures()).toEqual(['price 10']);
    expect((await t.api('/routes/product/fields')).differs).toEqual({ price: 10 });
    const page = await t.api<{ total: number; items: { signature: string }[] }>('/routes/product/mismatches?limit=50');
    expect(page.total).toBe(10);
    expect(new Set(page.items.map((i) => i.signature))).toEqual(new Set(['price']));
    expect(await trendCompared()).toBe(N);
  });

  it('applies the rule to new comparisons without a rediff', async () => {
    await sendAll(t.url, 4, (i) => `/products/${i * 4 + 100}`, 1); // 104, 108, 112, 116: wrong color only
    const c = await comparedAtLeast(t, 'product', N + 4);
    expect(c).toMatchObject({ compared: N + 4, match: 94, mismatch: 10 });
  });

  it('puts the counts back when the rule is removed (tandem rediff from the command line)', async () => {
    const removed = await call(t, 'DELETE', '/routes/product/rules/ignore?path=color');
    expect(removed.json.ignore).toEqual([]);
    const out = await runRediff(t.server.middleware.runtime.config, testRedisTarget(), 'product');
    expect(out).toEqual({ recomputed: N + 4, byClass: { match: 70, mismatch: 34 } });
    expect(await t.counters('product')).toMatchObject({ seen: N + 4, compared: N + 4, match: 70, mismatch: 34 });
    expect(await signatures()).toEqual(['color 24', 'color|price 5', 'price 5']);
  });

  it('refuses a second rediff of the same route while one runs, and bad input', async () => {
    const k = t.server.middleware.runtime.store().keys.rediffLock('product');
    await t.server.middleware.runtime.store().redis.set(k, 'someone-else', 'EX', 30);
    try {
      const busy = await call(t, 'POST', '/routes/product/rediff');
      expect(busy.status).toBe(409);
      expect(busy.json.error).toBe('busy');
    } finally {
      await t.server.middleware.runtime.store().redis.del(k);
    }
    expect((await call(t, 'POST', '/routes/product/rules/ignore', { path: 'items[' })).status).toBe(400);
    expect((await call(t, 'POST', '/routes/nope/rules/ignore', { path: 'a' })).status).toBe(404);
    expect((await call(t, 'POST', '/routes/product/noise', {})).status).toBe(400);
  });

  it('counts an exchange whose comparison fails (a thread past worker.compareTimeoutMs) as unparseable, not ending the rediff', async () => {
    const rt = t.server.middleware.runtime;
    const threads = rt.comparer();
    const failing: Comparer = {
      ...threads,
      compare: (ex, rules, record) =>
        ex.request.path === '/products/7' ? Promise.reject(new Error('comparison took over 30000 ms')) : threads.compare(ex, rules, record),
      close: async () => undefined,
    };
    const deps = { config: rt.config, store: rt.store(), rules: rt.rules(), translators: rt.translators };
    const total = (await rediffRoute({ ...deps, comparer: threads }, 'product')).recomputed;
    expect(total).toBeGreaterThanOrEqual(N);
    // before: the rejection ended the rediff, the route's exchanges after it counted nowhere
    const out = await rediffRoute({ ...deps, comparer: failing }, 'product');
    expect(out.recomputed).toBe(total);
    expect(out.byClass.unparseable).toBe(1);
    expect((await t.counters('product')).unparseable).toBe(1);
    expect((await rediffRoute({ ...deps, comparer: threads }, 'product')).byClass.unparseable).toBeUndefined();
  });
});
