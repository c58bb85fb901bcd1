import { CounterBuffer, UnwrittenCounts } from '../../src/store';

/**
 * A flush that wrote part of its batch (on a Redis Cluster each route's counters are a
 * transaction of their own) keeps only what was not written, so nothing counts twice.
 */
describe('CounterBuffer', () => {
  it('keeps a failed flush for the next one, and of a partly written one only the unwritten counts', async () => {
    const written: Map<string, Map<string, number>>[] = [];
    let fail: 'all' | 'order' | 'none' = 'all';
    const buffer = new CounterBuffer(async (batch) => {
      if (fail === 'all') throw new Error('Redis away');
      if (fail === 'order') {
        written.push(new Map([...batch].filter(([r]) => r !== 'order')));
        throw new UnwrittenCounts('one master away', new Map([['order', batch.get('order')!]]));
      }
      written.push(batch);
    }, 60_000);
    buffer.add('product', 'seen', 2);
    buffer.add('order', 'seen', 3);
    await buffer.flush();
    expect(buffer.unflushed).toBe(5);
    fail = 'order';
    await buffer.flush();
    expect(written).toEqual([new Map([['product', new Map([['seen', 2]])]])]);
    expect(buffer.unflushed).toBe(3);
    fail = 'none';
    buffer.add('product', 'seen', 1);
    await buffer.close();
    expect(written[1]).toEqual(
      new Map([
        ['order', new Map([['seen', 3]])],
        ['product', new Map([['seen', 1]])],
      ]),
    );
    expect(buffer.unflushed).toBe(0);
  });

  it('writes, before flush() or close() resolves, what was counted while another flush was under way', async () => {
    const written: number[] = [];
    let release: () => void = () => undefined;
    const buffer = new CounterBuffer(async (batch) => {
      // The first write waits (a slow round trip to Redis); later ones go through.
      if (!written.length) await new Promise<void>((r) => (release = r));
      written.push(batch.get('product')!.get('seen')!);
    }, 60_000);
    buffer.add('product', 'seen', 2);
    const first = buffer.flush(); // under way, holding the first 2
    buffer.add('product', 'seen', 1); // counted while it is
    const second = buffer.flush();
    const closed = buffer.close();
    release();
    await Promise.all([first, second, closed]);
    expect(written).toEqual([2, 1]);
    expect(buffer.unflushed).toBe(0);
  });
});
