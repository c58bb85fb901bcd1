import { StoreSampler } from '../../src/worker/store-sampler';

// Review of issue #20's token bucket (retention.exchangesPerSecond). The clock is injected:
// nothing here depends on real time.
const takes = (s: StoreSampler, route: string, n: number) => Array.from({ length: n }, () => s.take(route)).filter(Boolean).length;

describe('StoreSampler: review', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 10_000_000_000));

  it('a wall clock stepped back (NTP, a VM resumed) does not stop storing for as long as the step', () => {
    const s = new StoreSampler({ capacity: 2, perSecond: 1, now: clock });
    expect(takes(s, 'r', 2)).toBe(2); // the burst is used up
    now -= 3_600_000; // the wall clock is stepped back an hour
    now += 5_000; // then 5 real seconds pass: 5 tokens at 1 a second, capped at 2
    expect(takes(s, 'r', 5)).toBe(2);
  });

  it('a very large rate (README: "1e9 stores every exchange, as before this setting") stores a pack larger than exchangesPerRoute', () => {
    // the worker takes a pack's tokens one after the other in one synchronous map (start-worker.ts
    // comparePack): the same millisecond; a pack holds up to 16 exchanges
    const s = new StoreSampler({ capacity: 10, perSecond: 1e9, now: clock });
    expect(takes(s, 'r', 16)).toBe(16);
  });
});
