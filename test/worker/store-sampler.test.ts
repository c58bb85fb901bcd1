import { StoreSampler } from '../../src/worker/store-sampler';
import { configSchema } from '../../src/config';
import { storeSamplerOf } from '../../src/worker/start-worker';

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

  it('a very large rate stores every exchange', () => {
    const s = new StoreSampler({ capacity: 1, perSecond: 1e12, now: clock });
    let stored = 0;
    for (let i = 0; i < 10_000; i++, now++) if (s.take('r')) stored++;
    expect(stored).toBe(10_000);
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
  });
});
