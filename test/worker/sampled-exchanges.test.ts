import { PartitionedQueue } from '../../src/queue';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { call, comparedAtLeast, sendAll } from '../support/report-api';

// Issue #20: past a burst of retention.exchangesPerRoute, a worker stores about
// retention.exchangesPerSecond exchange records per route and second. A rate of one token in
// 1,000 s makes the sample exact in a test: the first 5 exchanges are stored, the other 15
// are counted in full without their exchange record.
const N = 20;
const BURST = 5;
const isMismatch = (id: number) => id % 4 === 0; // 5 of 20

describe('sampled exchange records through the worker', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: req.url, price: 10 } }));
    candidate = await startBackend((req) => {
      const id = Number(/^\/products\/(\d+)$/.exec(req.url)?.[1]);
      return { body: { id: req.url, price: isMismatch(id) ? 12 : 10 } };
    });
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
      retention: { exchangesPerRoute: BURST, exchangesPerSecond: 0.001 },
    });
    await sendAll(t.url, N, (i) => `/products/${i}`, 4);
    await comparedAtLeast(t, 'product', N);
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const store = () => t.server.middleware.runtime.store();
  const stored = async (ids: string[]) => Promise.all(ids.map(async (id) => (await store().redis.exists(store().keys.exchange(id))) === 1));

  it('counts every exchange, stores the burst, counts the rest as not_stored:sampled', async () => {
    const c = await t.counters('product');
    expect(c).toMatchObject({ seen: N, shadowed: N, compared: N, match: N - 5, mismatch: 5, 'not_stored:sampled': N - BURST });
    const sum = (prefix: string) => Object.entries(c).reduce((n, [k, v]) => (k.startsWith(prefix) ? n + v : n), 0);
    expect(c.compared + sum('skipped:') + sum('dropped:')).toBe(c.seen);
    const ids = await store().redis.zrange(store().keys.exchanges('product'), 0, -1);
    expect(ids).toHaveLength(BURST);
    expect(await stored(ids)).toEqual(ids.map(() => true));
  });

  it('lists only stored exchanges, each with its record', async () => {
    const matches = await t.api<{ total: number; items: { id: string }[] }>('/routes/product/mismatches?class=match&limit=50');
    const byClass = await store().redis.zrange(store().keys.exchangesByClass('product', 'match'), 0, -1);
    expect(matches.total).toBe(byClass.length);
    expect(matches.items.map((i) => i.id).sort()).toEqual([...byClass].sort());
    expect(byClass.length).toBeLessThanOrEqual(BURST);
    for (const { id } of matches.items) expect((await call(t, 'GET', `/exchanges/${encodeURIComponent(id)}`)).status).toBe(200);
  });

  it('keeps the record of every mismatch, sampled out or not, and replays it', async () => {
    const page = await t.api<{ total: number; items: { id: string }[] }>('/routes/product/mismatches?limit=50');
    expect(page.total).toBe(5);
    const ids = page.items.map((i) => i.id);
    const withExchange = await stored(ids);
    // the stored exchanges are 5 of those compared, whatever their class: some mismatches were left out
    expect(withExchange.filter((s) => !s).length).toBeGreaterThan(0);
    const sampledOut = ids.find((_, i) => !withExchange[i])!;
    expect((await call(t, 'GET', `/mismatches/${encodeURIComponent(sampledOut)}`)).status).toBe(200);
    const replay = await call(t, 'POST', `/exchanges/${encodeURIComponent(sampledOut)}/replay`);
    expect(replay.status).toBe(200);
    expect(replay.json.result.class).toBe('mismatch');
  });

  it('answers an exchange without a stored record with a 404 that is true for a sampled-out one (not only "expired")', async () => {
    // a sampled-out match's id is listed nowhere; any id without a record gets the same answer
    for (const [method, path] of [
      ['GET', '/exchanges/x-never-stored'],
      ['POST', '/exchanges/x-never-stored/replay'],
    ]) {
      const res = await call<{ message: string }>(t, method, path);
      expect(res.status).toBe(404);
      expect(res.json.message).toMatch(/expired/);
      expect(res.json.message).toMatch(/not in the stored sample: retention\.exchangesPerSecond/);
    }
  });

  it('stores the failure record of a sampled-out exchange whose record Redis refused as sampled out too', async () => {
    // a signature whose samples are not JSON makes the record script fail on the route's next
    // mismatch of it (Redis up): the worker records a failure instead, which respects the sample
    const [sig] = await store().signatures('product');
    await store().redis.hset(store().keys.signatureMeta('product'), `${sig.signature}|samples`, 'not json');
    await sendAll(t.url, 1, () => `/products/${4 * N}`, 1); // a mismatch; the burst is long used up
    const c = await comparedAtLeast(t, 'product', N + 1);
    expect(c).toMatchObject({ compared: N + 1, mismatch: 5, unparseable: 1, 'not_stored:sampled': N + 1 - BURST });
    expect(await store().redis.zrange(store().keys.exchangesByClass('product', 'unparseable'), 0, -1)).toEqual([]);
    expect(await store().redis.zcard(store().keys.exchanges('product'))).toBe(BURST);
  });

  it('rediff recomputes the route from the stored sample', async () => {
    const rediff = await call(t, 'POST', '/routes/product/rediff');
    expect(rediff.status).toBe(200);
    expect(rediff.json.recomputed).toBe(BURST);
    const c = await t.counters('product');
    expect(c).toMatchObject({ seen: N + 1, compared: BURST });
    expect(c['not_stored:sampled']).toBeUndefined();
  });
});

// Review (review-sample) of issue #20. The worker takes a token for every
// exchange of a pack before it knows whether the exchange is already recorded
// (start-worker.ts comparePack). A job that comes back with exchanges already counted (a batch
// sent again after a lost reply, a job retried after its script ran and its reply was lost)
// records nothing for them ('duplicate'), yet spends the route's tokens: fresh exchanges are
// then left unstored although the route stored fewer than its sample allows.
//
// A rate of one token in 1,000 s makes the bucket exact here: exchangesPerRoute 3 tokens.
describe('sampled exchange records: exchanges already recorded spend no token', () => {
  let legacy: TestBackend;
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend((req) => ({ body: { id: req.url, price: 10 } }));
    candidate = await startBackend((req) => ({ body: { id: req.url, price: 10 } }));
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [{ name: 'product', match: 'GET /products/:id' }],
      retention: { exchangesPerRoute: 3, exchangesPerSecond: 0.001 },
    });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('a job of exchanges already compared leaves the next fresh exchange its token', async () => {
    const rt = t.server.middleware.runtime;
    const store = rt.store();
    // two exchanges: compared and stored (2 of the 3 tokens)
    await sendAll(t.url, 2, (i) => `/products/${i}`, 1);
    await comparedAtLeast(t, 'product', 2);
    const ids = await store.exchangeIds('product', 10);
    expect(ids).toHaveLength(2);
    // the same two exchanges come back in a job (a re-sent batch): nothing to record
    const worker = rt.worker()!;
    const before = worker.processed;
    const queues = new PartitionedQueue(store.redis, {
      prefix: rt.config.redis.prefix,
      name: rt.config.queue.name,
      partitions: rt.config.queue.partitions ?? 1,
      spread: rt.config.queue.spread ?? 'route',
    });
    try {
      const again = (await store.exchanges(ids)).filter((ex) => ex !== null);
      const queue = queues.queue(queues.partitionOf('product'));
      for (const ex of again) await queue.add('compare', ex);
      await t.waitFor(async () => worker.processed >= before + 2);
    } finally {
      await queues.close();
    }
    expect(await t.counters('product')).toMatchObject({ compared: 2, match: 2 });
    // a fresh exchange: the route stored 2 of its 3-token burst, so its record is stored
    await sendAll(t.url, 1, () => '/products/3', 1);
    const c = await comparedAtLeast(t, 'product', 3);
    expect(c['not_stored:sampled']).toBeUndefined();
    expect(await store.exchangeIds('product', 10)).toHaveLength(3);
  });
});
