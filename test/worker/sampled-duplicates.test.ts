import { PartitionedQueue } from '../../src/queue';
import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { comparedAtLeast, sendAll } from '../support/report-api';

// Review of issue #20 (retention.exchangesPerSecond). The worker takes a token for every
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
