import { RecordFailed, type ResultsStore, type RecordItem } from '../../src/store';
import type { ComparisonResult } from '../../src/records';
import { processExchange } from '../../src/worker';
import { useTestStore } from '../support/redis';
import { exchange, processDeps } from '../support/exchanges';

/** The result the worker records for an exchange whose record Redis refused (see `failedComparison`). */
const failed: ComparisonResult = { class: 'unparseable', differences: [], noise: [], suspectedNoise: [], reason: 'failed:RecordFailed' };

/** `n` exchanges of `route` (ids `<route>-<i>`), compared as the worker does: mismatches when `differ`. */
const pack = async (route: string, n: number, differ: boolean): Promise<RecordItem[]> => {
  const out: RecordItem[] = [];
  for (let i = 0; i < n; i++) {
    const ex = exchange(`${route}-${i}`, { price: i }, { price: differ ? -i - 1 : i }, { route, at: 1_700_000_000_000 + i });
    const processed = await processExchange(ex, processDeps());
    out.push({ exchange: ex, result: processed.result, extra: processed });
  }
  return out;
};

/**
 * Every accepted exchange ends in exactly one counter, also when the record script fails
 * part way (Redis keeps what a script wrote before its error). The failures are real: a
 * key of the store's schema planted with the wrong type, as a corrupted or hand-edited
 * Redis would hold. What the worker does with a record that failed is replayed here as it
 * does it (`comparePack`): it records the exchange again, as a failed comparison.
 */
describe('the record script: exactly one counter per exchange when it fails part way', () => {
  const t = useTestStore('integrity');

  /** How many of the pack's exchanges have a done marker. */
  const marked = async (store: ResultsStore, items: RecordItem[]) => {
    let n = 0;
    for (const it of items) n += await t.redis.exists(store.keys.done(store.keys.recordId(it.exchange.route, it.exchange.id)));
    return n;
  };

  /** What the worker does after `recordPack`: an exchange whose record failed is recorded as a failed comparison. */
  const asTheWorkerDoes = async (store: ResultsStore, items: RecordItem[], settled: PromiseSettledResult<unknown>[]) => {
    const outcomes: unknown[] = [];
    for (const [i, s] of settled.entries()) {
      if (s.status === 'fulfilled') outcomes.push(s.value);
      else {
        expect(s.reason).toBeInstanceOf(RecordFailed);
        outcomes.push(await store.record(items[i].exchange, failed, { fieldPaths: [], noisePaths: [] }));
      }
    }
    return outcomes;
  };

  /**
   * The worker's failure records (`asTheWorkerDoes`) find every exchange of the pack recorded, and the route's
   * counters are `counts`, before and after the first exchange is recorded again (a duplicate: not counted).
   */
  const expectCountedOnce = async (
    store: ResultsStore,
    items: RecordItem[],
    settled: PromiseSettledResult<unknown>[],
    route: string,
    counts: Record<string, number>,
  ) => {
    expect(await asTheWorkerDoes(store, items, settled)).toEqual(['recorded', 'recorded', 'recorded']);
    expect((await store.counters([route]))[route]).toEqual(counts);
    expect(await store.record(items[0].exchange, items[0].result, items[0].extra)).toBe('duplicate');
    expect((await store.counters([route]))[route]).toEqual(counts);
  };

  it('pack-level writes that fail after the counters leave the exchanges counted once and marked done, as their outcomes say', async () => {
    const { redis, store } = t;
    const items = await pack('late', 3, false);
    // A report index (written once per pack, after the counters and done markers) that is not a sorted set.
    await redis.set(store.keys.exchangesByClass('late', 'match'), 'not an index');
    const settled = await store.recordPack(items);
    // The outcomes say what was counted (the worker's metrics and notifications follow them), and what failed after.
    expect(settled.map((s) => (s.status === 'fulfilled' ? [s.value, s.unfinished] : s.reason))).toEqual(
      Array(3).fill(['recorded', expect.stringMatching(/WRONGTYPE/)]),
    );
    expect(await marked(store, items)).toBe(3);
    expect((await store.counters(['late'])).late).toEqual({ compared: 3, match: 3 });
    // The worker's failure records find them recorded: not counted again.
    await expectCountedOnce(store, items, settled, 'late', { compared: 3, match: 3 });
  });

  it('a counter hash of the wrong type fails the pack before any counter is added (none counted twice)', async () => {
    const { redis, store } = t;
    const items = await pack('fields', 3, true);
    // The route's per-field counts: added after `compared` and the class, in the same final writes.
    await redis.set(store.keys.fields('fields'), 'not a hash');
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await marked(store, items)).toBe(0);
    expect((await store.counters(['fields'])).fields).toEqual({});
    // So the worker's failure records count them, once.
    await expectCountedOnce(store, items, settled, 'fields', { compared: 3, unparseable: 3 });
  });

  it('list pushes that fail after the counters leave the exchanges counted once and marked done', async () => {
    const { redis, store } = t;
    const items = await pack('window', 3, false);
    // The route's readiness window: a list pushed once per pack, after the counters and done markers.
    await redis.set(store.keys.readiness('window'), 'not a list');
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status === 'fulfilled' && s.value)).toEqual(['recorded', 'recorded', 'recorded']);
    expect(await marked(store, items)).toBe(3);
    expect(await asTheWorkerDoes(store, items, settled)).toEqual(['recorded', 'recorded', 'recorded']);
    expect((await store.counters(['window'])).window).toEqual({ compared: 3, match: 3 });
  });

  it('an exchange whose own record fails is neither marked nor counted; its neighbours are, once', async () => {
    const { redis, store } = t;
    const items = await pack('alone', 3, true);
    // A signature whose samples are not JSON makes the script fail on the second exchange only, after its counts were asked for.
    items[1] = { ...items[1], result: { ...items[1].result, signature: 'bad' } };
    await redis.hset(store.keys.signatureMeta('alone'), 'bad|samples', 'not json');
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await marked(store, items)).toBe(2);
    expect((await store.counters(['alone'])).alone).toEqual({ compared: 2, mismatch: 2 });
    expect((await store.signatures('alone')).map((s) => [s.signature, s.count])).not.toContainEqual(['bad', 1]);
    expect(await asTheWorkerDoes(store, items, settled)).toEqual(['new-signature', 'recorded', 'recorded']);
    expect((await store.counters(['alone'])).alone).toEqual({ compared: 3, mismatch: 2, unparseable: 1 });
  });

  it('a route whose every record fails early leaves nothing marked, and a later record counts each once', async () => {
    const { redis, store } = t;
    const items = await pack('early', 3, false);
    // The route's customer set, read by every exchange before its counts.
    await redis.set(store.keys.customerSet('early'), 'not a set');
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await marked(store, items)).toBe(0);
    // Redis repaired, the job comes back (a retry, or the worker's failure records): each is counted once.
    await redis.del(store.keys.customerSet('early'));
    const again = await store.recordPack(items);
    expect(again.map((s) => (s.status === 'fulfilled' ? s.value : s.reason))).toEqual(['recorded', 'recorded', 'recorded']);
    expect((await store.counters(['early'])).early).toEqual({ compared: 3, match: 3 });
  });
});

/**
 * Review (review1): the per-exchange rollback of the record script takes back an
 * exchange's counts and its buffered index entries, but not the mismatch record and the
 * route's mismatch index entry it wrote itself (`keep`, before the signature section) when
 * its part fails later. The worker then records it as a failed comparison, which never
 * rewrites that mismatch record (a failure has none), so the report's mismatch list keeps
 * an exchange that the counters say is `unparseable`, and its total disagrees with them.
 */
describe('the record script: an exchange whose own part fails leaves no stored mismatch behind', () => {
  const t = useTestStore('integrityrec');

  it("the report's mismatch list agrees with the counters after the worker's failure record", async () => {
    const { redis, store } = t;
    const items = await pack('rb', 3, true);
    // As record-integrity's 'alone' case: the second exchange's signature samples are not JSON.
    items[1] = { ...items[1], result: { ...items[1].result, signature: 'bad' } };
    await redis.hset(store.keys.signatureMeta('rb'), 'bad|samples', 'not json');
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // What the worker does with the rejected one (comparePack).
    expect(await store.record(items[1].exchange, failed, { fieldPaths: [], noisePaths: [] })).toBe('recorded');
    expect((await store.counters(['rb'])).rb).toEqual({ compared: 3, mismatch: 2, unparseable: 1 });
    const page = await store.indexPage('rb', { class: 'mismatch' }, { from: 0, to: Date.now(), offset: 0, limit: 10 });
    expect({ total: page.total, ids: [...page.ids].sort() }).toEqual({ total: 2, ids: ['rb-0', 'rb-2'] });
    expect(await store.mismatch('rb-1')).toBeNull();
  });
});

/**
 * An exchange whose own part fails after the signature section (here: its cause's stored
 * examples are not JSON), the second of its signature in the pack: the rollback also takes
 * back what it changed of the signature's buffered state (latest sample, samples), so the
 * signature does not point at a mismatch the counters never counted and the store deleted.
 */
describe('the record script: a failed exchange of a signature already seen in its pack', () => {
  const t = useTestStore('integritysig');

  it("leaves the signature's sample and samples as the pack's exchanges that were counted left them", async () => {
    const { redis, store } = t;
    const items = await pack('sg', 2, true);
    const sig = items[0].result.signature!;
    expect(items[1].result.signature).toBe(sig);
    // The second exchange alone names a cause whose stored examples are not JSON: its part fails in the causes section.
    const cause = { key: 'broken', pattern: 'p', kind: 'k', transform: 't', label: 'l', example: { path: 'price' } };
    items[1] = { ...items[1], extra: { ...items[1].extra!, causes: [cause] } };
    await redis.hset(store.keys.causeMeta('sg'), 'broken|examples', 'not json');
    const settled = await store.recordPack(items);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    const meta = await redis.hgetall(store.keys.signatureMeta('sg'));
    expect({ sample: meta[`${sig}|sample`], samples: JSON.parse(meta[`${sig}|samples`]) }).toEqual({ sample: 'sg-0', samples: ['sg-0'] });
    expect(await store.mismatch('sg-1')).toBeNull();
    expect((await store.counters(['sg'])).sg).toEqual({ compared: 1, mismatch: 1 });
  });
});
