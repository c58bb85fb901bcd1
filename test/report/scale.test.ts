import type { RedisClient } from '../../src/store';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';
import type { ResultsStore } from '../../src/store';
import { fakeExchange, fakeResult, recordMany } from './seed';

jest.setTimeout(180_000);

/**
 * Stored mismatches on the big route. 20,000 by default to keep the suite light on shared
 * machines (about 5 s of seeding); TANDEM_SCALE_MISMATCHES=100000 runs the full size
 * (about 40 s of seeding, ~180 MB in Redis while it runs).
 */
const MISMATCHES = Number(process.env.TANDEM_SCALE_MISMATCHES ?? 20_000);
const ROUTES = 1000;
const NOW = Date.now();
const CUSTOMERS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

/** Count the record keys the report reads (MGET) while `fn` runs: proves a page does not load everything. */
async function countReads<T>(redis: RedisClient, fn: () => Promise<T>): Promise<{ value: T; keysRead: number; ms: number }> {
  const original = redis.mget.bind(redis) as (...keys: string[]) => Promise<(string | null)[]>;
  let keysRead = 0;
  (redis as unknown as { mget: (...args: unknown[]) => Promise<(string | null)[]> }).mget = (...args: unknown[]) => {
    const keys = args.flat() as string[];
    keysRead += keys.length;
    return original(...keys);
  };
  const started = performance.now();
  try {
    const value = await fn();
    return { value, keysRead, ms: performance.now() - started };
  } finally {
    (redis as unknown as { mget: typeof original }).mget = original;
  }
}

describe(`report at scale: ${ROUTES} routes, ${MISMATCHES} stored mismatches`, () => {
  let backend: TestBackend;
  let t: TestTandem;
  let store: ResultsStore;
  let seedMs = 0;

  beforeAll(async () => {
    backend = await startBackend(() => ({ body: {} }));
    t = await startTestTandem({
      legacy: { url: backend.url },
      candidate: { url: backend.url },
      retention: { mismatchesPerRoute: MISMATCHES, exchangesPerRoute: 10 },
      routes: Array.from({ length: ROUTES }, (_, i) => ({ name: `r${String(i).padStart(4, '0')}`, match: `GET /r${i}/:id` })),
    });
    store = t.server.middleware.runtime.store();
    const started = performance.now();
    // Every other route gets a few results, so the overview has 1,000 rows with different rates.
    await recordMany(store, ROUTES * 3, (i) => {
      const route = `r${String((i % (ROUTES - 1)) + 1).padStart(4, '0')}`;
      return [fakeExchange({ id: `o${i}`, route, at: NOW - i }), fakeResult(i % 7 === 0 ? 'mismatch' : 'match')];
    });
    // The big route: one mismatch per 10 ms going back, customers and risks rotating.
    await recordMany(
      store,
      MISMATCHES,
      (i) => [
        fakeExchange({ id: `b${i}`, route: 'r0000', at: NOW - (MISMATCHES - i) * 10, customer: CUSTOMERS[i % CUSTOMERS.length] }),
        fakeResult('mismatch', { paths: i % 10 ? ['price'] : ['currency'], risk: i % 10 ? 'medium' : 'high' }),
      ],
      1000,
    );
    seedMs = performance.now() - started;
    console.log(`seeded ${ROUTES * 3 + MISMATCHES} results in ${Math.round(seedMs)} ms`);
  });

  afterAll(async () => {
    await t?.stop();
    await backend?.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${t.reportUrl}/_tandem/api${path}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as any;
  };

  it('answers the overview page of 1,000 routes sorted server-side', async () => {
    const { value, ms } = await countReads(store.redis, () => get('/routes?limit=50&sort=worst&trend=60'));
    expect(value.total).toBe(ROUTES);
    expect(value.routes).toHaveLength(50);
    expect(value.routes[0].name).toBe('r0000');
    expect(value.routes[0].mismatches).toBe(MISMATCHES);
    expect(value.routes[49].trend.compared).toHaveLength(60);
    console.log(`overview page: ${Math.round(ms)} ms`);
  });

  it('answers a deep, filtered mismatch page reading only that page', async () => {
    const deep = await countReads(store.redis, () => get(`/routes/r0000/mismatches?offset=${MISMATCHES - 100}&limit=50`));
    expect(deep.value.total).toBe(MISMATCHES);
    expect(deep.value.items).toHaveLength(50);
    expect(deep.value.items[0].id).toBe('b99');
    expect(deep.keysRead).toBeLessThanOrEqual(50);
    const filtered = await countReads(store.redis, () => get('/routes/r0000/mismatches?risk=high&customer=acme&limit=50'));
    expect(filtered.value.total).toBe(MISMATCHES / 10);
    expect(filtered.value.items.every((m: { risk: string; customer: string }) => m.risk === 'high' && m.customer === 'acme')).toBe(true);
    expect(filtered.keysRead).toBeLessThanOrEqual(50);
    const ranged = await countReads(store.redis, () => get(`/routes/r0000/mismatches?signature=currency&from=${NOW - 60_000}&limit=50`));
    expect(ranged.value.total).toBe(600);
    expect(ranged.keysRead).toBeLessThanOrEqual(50);
    console.log(
      `mismatch pages: deep ${Math.round(deep.ms)} ms, risk+customer ${Math.round(filtered.ms)} ms, signature+time ${Math.round(ranged.ms)} ms`,
    );
  });
});
