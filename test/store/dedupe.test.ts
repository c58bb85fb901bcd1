import { processExchange } from '../../src/worker';
import { useTestStore } from '../support/redis';
import { exchange, processDeps } from '../support/exchanges';

describe('mismatch dedupe by content hash', () => {
  const t = useTestStore('dedupe');

  const record = async (id: string, legacy: unknown, candidate: unknown, legacyHeaders: Record<string, string> = {}) => {
    const ex = exchange(id, legacy, candidate, { legacyHeaders });
    const out = await processExchange(ex, processDeps());
    return t.store.record(ex, out.result, out);
  };

  it('stores identical exchange pairs once, counts every one, and shows the duplicates', async () => {
    expect(await record('a1', { price: 10 }, { price: 11 }, { date: 'Mon, 01 Jan 2024 00:00:00 GMT' })).toBe('new-signature');
    expect(await record('a2', { price: 10 }, { price: 11 }, { date: 'Mon, 01 Jan 2024 00:00:09 GMT' })).toBe('recorded');
    expect(await record('a3', { price: 10 }, { price: 11 })).toBe('recorded');
    expect(await record('b1', { price: 20 }, { price: 21 })).toBe('recorded');

    const counters = (await t.store.counters(['product'])).product;
    expect(counters).toMatchObject({ compared: 4, mismatch: 4 });
    const [sig] = await t.store.signatures('product');
    expect(sig).toMatchObject({ signature: 'price', count: 4, sample: 'b1', samples: ['b1', 'a1'] });
    const { ids, total } = await t.store.mismatchIds('product', 0, 10);
    expect(total).toBe(2);
    expect(ids.sort()).toEqual(['a1', 'b1']);
    const [a1, b1] = await t.store.mismatches(['a1', 'b1']);
    expect(a1.duplicates).toBe(2);
    expect(b1.duplicates).toBeUndefined();
    expect(await t.store.mismatch('a2')).toBeNull();
  });

  it('stores the pair again once the kept mismatch is gone', async () => {
    await t.redis.del(t.store.keys.mismatch('b1'));
    expect(await record('b2', { price: 20 }, { price: 21 })).toBe('recorded');
    expect((await t.store.mismatch('b2'))?.result.signature).toBe('price');
  });

  it('counts a retried exchange id once (done marker), apart from dedupe', async () => {
    expect(await record('b2', { price: 20 }, { price: 21 })).toBe('duplicate');
    expect((await t.store.counters(['product'])).product.compared).toBe(5);
  });
});
