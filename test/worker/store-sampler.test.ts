import { configSchema } from '../../src/config';
import { StoreSampler, storeSamplerOf, takeTokens, withStoreTokens } from '../../src/worker/store-sampler';
import type { ExchangeRecord } from '../../src/records';

/** How many of `n` exchanges of `route` get a token, taken one after the other at the clock's current time. */
const takes = (s: StoreSampler, route: string, n: number) => Array.from({ length: n }, () => s.take(route)).filter(Boolean).length;

describe('StoreSampler (a token bucket per route)', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('stores a burst up to the capacity, then nothing until time passes', () => {
    const s = new StoreSampler({ capacity: 10, perSecond: 2, now: clock });
    expect(takes(s, 'r', 10)).toBe(10);
    expect(s.take('r')).toBe(false);
    expect(takes(s, 'r', 5)).toBe(0);
  });

  it('refills at perSecond, never beyond the capacity', () => {
    const s = new StoreSampler({ capacity: 10, perSecond: 2, now: clock });
    takes(s, 'r', 10);
    now += 499; // 0.998 of a token
    expect(s.take('r')).toBe(false);
    now += 1; // now 1 token
    expect(s.take('r')).toBe(true);
    expect(s.take('r')).toBe(false);
    now += 3_000; // 6 tokens
    expect(takes(s, 'r', 20)).toBe(6);
    now += 3_600_000; // an hour: full, not more
    expect(takes(s, 'r', 20)).toBe(10);
  });

  it('sustained load stores about perSecond a second', () => {
    const s = new StoreSampler({ capacity: 100, perSecond: 50, now: clock });
    let stored = 0;
    // 60 s of 1000 exchanges a second, one every millisecond
    for (let ms = 0; ms < 60_000; ms++, now++) if (s.take('r')) stored++;
    expect(stored).toBeGreaterThanOrEqual(100 + 50 * 60 - 1);
    expect(stored).toBeLessThanOrEqual(100 + 50 * 60);
  });

  it('keeps one bucket per route', () => {
    const s = new StoreSampler({ capacity: 3, perSecond: 1, now: clock });
    expect(takes(s, 'a', 5)).toBe(3);
    expect(takes(s, 'b', 5)).toBe(3);
    expect(takes(s, 'a', 1)).toBe(0);
  });

  it('a clock going back takes no token back and adds none', () => {
    const s = new StoreSampler({ capacity: 2, perSecond: 1, now: clock });
    takes(s, 'r', 2);
    now -= 10_000;
    expect(s.take('r')).toBe(false);
    now += 10_000 + 1_000;
    expect(s.take('r')).toBe(true);
  });

  it('a wall clock stepped back (NTP, a VM resumed) does not stop storing for as long as the step', () => {
    // review-sample: a clock stepped back an hour used to refill nothing for that hour
    const s = new StoreSampler({ capacity: 2, perSecond: 1, now: clock });
    expect(takes(s, 'r', 2)).toBe(2); // the burst is used up
    now -= 3_600_000; // the clock is stepped back an hour (the default clock is monotonic: an injected one can step)
    expect(s.take('r')).toBe(false); // seen going back: adds nothing, refills from here on
    now += 5_000; // then 5 seconds pass: 5 tokens at 1 a second, capped at 2
    expect(takes(s, 'r', 5)).toBe(2);
  });

  it('reads a monotonic clock by default: the wall clock stepped back changes nothing', async () => {
    let wall = Date.now();
    const wallClock = jest.spyOn(Date, 'now').mockImplementation(() => wall);
    try {
      const s = new StoreSampler({ capacity: 1, perSecond: 1e12 }); // a token every picosecond of the default clock
      expect(s.take('r')).toBe(true);
      wall -= 3_600_000; // the wall clock is stepped back an hour
      await new Promise((r) => setImmediate(r)); // time passes on the monotonic clock
      expect(s.take('r')).toBe(true);
    } finally {
      wallClock.mockRestore();
    }
  });

  it('a very large rate stores every exchange', () => {
    const s = new StoreSampler({ capacity: 1, perSecond: 1e12, now: clock });
    let stored = 0;
    for (let i = 0; i < 10_000; i++, now++) if (s.take('r')) stored++;
    expect(stored).toBe(10_000);
  });

  it('a very large rate (README: 1e9 stores every exchange) stores a pack larger than exchangesPerRoute', () => {
    // review-sample: a pack's exchanges are taken at one instant, and 10 of a pack of 16 used to
    // be all a bucket of 10 gave, at any rate
    const s = new StoreSampler({ capacity: 10, perSecond: 1e9, now: clock });
    expect(takes(s, 'r', 16)).toBe(16);
    expect(s.takeMany('r', 64)).toBe(64);
    // the bound: a rate that refills the whole bucket within a millisecond
    expect(new StoreSampler({ capacity: 10, perSecond: 10_000, now: clock }).takeMany('r', 64)).toBe(64);
    expect(new StoreSampler({ capacity: 10, perSecond: 9_999, now: clock }).takeMany('r', 64)).toBe(10);
  });

  it('takes a pack of one route together: as many as the bucket holds', () => {
    const s = new StoreSampler({ capacity: 10, perSecond: 2, now: clock });
    expect(s.takeMany('r', 16)).toBe(10);
    now += 1_000; // 2 tokens
    expect(s.takeMany('r', 16)).toBe(2);
    expect(s.takeMany('r', 0)).toBe(0);
    now += 500; // 1 token
    expect(s.takeMany('r', 0)).toBe(0);
    expect(s.take('r')).toBe(true);
  });

  it('gives back tokens taken for exchanges that stored nothing, never beyond a full bucket', () => {
    const s = new StoreSampler({ capacity: 3, perSecond: 1, now: clock });
    expect(takes(s, 'r', 3)).toBe(3);
    s.giveBack('r', 2);
    expect(takes(s, 'r', 3)).toBe(2);
    s.giveBack('r', 10); // never beyond a full bucket
    expect(s.takeMany('r', 20)).toBe(3);
    s.giveBack('other'); // a route never taken from: nothing to give back
    expect(takes(s, 'other', 5)).toBe(3);
    s.giveBack('r');
    expect(s.take('r')).toBe(true);
    expect(s.take('r')).toBe(false);
  });

  it("gives a pack's tokens route by route, to each route's newest exchanges (the ones the trim keeps)", () => {
    const s = new StoreSampler({ capacity: 2, perSecond: 1, now: clock });
    const pack = ['a', 'b', 'a', 'a', 'b', 'a'].map((route, i) => ({ id: `x${i}`, route }) as ExchangeRecord);
    expect(takeTokens(s, pack)).toEqual([false, true, false, true, true, true]);
    expect(takeTokens(s, pack)).toEqual(pack.map(() => false));
  });

  it("gives back a pack's tokens for exchanges already recorded, keeps those of exchanges counted", async () => {
    const s = new StoreSampler({ capacity: 3, perSecond: 1, now: clock });
    const pack = ['a', 'b', 'c'].map((id) => ({ id, route: 'r' }) as ExchangeRecord);
    await withStoreTokens(s, pack, async (sampledOut, counted) => {
      expect(sampledOut).toEqual([false, false, false]);
      counted(0, 'duplicate');
      counted(1, 'recorded');
      counted(2, 'duplicate');
    });
    expect(takes(s, 'r', 5)).toBe(2); // the two duplicates' tokens
  });

  it('gives back the tokens still held when the pack throws (a lost connection: the job comes back)', async () => {
    const s = new StoreSampler({ capacity: 3, perSecond: 1, now: clock });
    const pack = ['a', 'b', 'c', 'd'].map((id) => ({ id, route: 'r' }) as ExchangeRecord);
    const lost = new Error('Connection is closed.');
    await expect(
      withStoreTokens(s, pack, async (sampledOut, counted) => {
        expect(sampledOut).toEqual([true, false, false, false]); // the newest 3 have tokens
        counted(1, 'recorded'); // counted before the connection was lost: its record is stored
        throw lost;
      }),
    ).rejects.toBe(lost);
    expect(takes(s, 'r', 5)).toBe(2); // the two not counted
  });

  it('refuses a capacity below 1 and a rate of 0 or less', () => {
    expect(() => new StoreSampler({ capacity: 0, perSecond: 1 })).toThrow(RangeError);
    expect(() => new StoreSampler({ capacity: 1, perSecond: 0 })).toThrow(RangeError);
    expect(() => new StoreSampler({ capacity: 1, perSecond: -1 })).toThrow(RangeError);
  });
});

describe('retention.exchangesPerSecond', () => {
  const retention = (r: unknown) => configSchema.shape.retention.safeParse(r);

  it('defaults to 50, takes fractions and very large numbers, refuses 0 and less', () => {
    expect(retention({}).data?.exchangesPerSecond).toBe(50);
    expect(retention({ exchangesPerSecond: 0.5 }).success).toBe(true);
    expect(retention({ exchangesPerSecond: 1e9 }).success).toBe(true);
    expect(retention({ exchangesPerSecond: 0 }).success).toBe(false);
    expect(retention({ exchangesPerSecond: -1 }).success).toBe(false);
  });

  it('gives the worker a bucket of exchangesPerRoute tokens; none without retention settings (every record stored)', () => {
    const s = storeSamplerOf({ exchangesPerRoute: 3, exchangesPerSecond: 1e-6 })!;
    expect([s.take('r'), s.take('r'), s.take('r'), s.take('r')]).toEqual([true, true, true, false]);
    expect(storeSamplerOf(undefined)).toBeNull();
    // a rate refilling the bucket within a millisecond samples nothing: no sampler, every record stored
    expect(storeSamplerOf({ exchangesPerRoute: 1000, exchangesPerSecond: 1e9 })).toBeNull();
    expect(storeSamplerOf({ exchangesPerRoute: 1000, exchangesPerSecond: 50 })).not.toBeNull();
  });
});
