import { performance } from 'node:perf_hooks';
import { headerMapOf, requestHeaderLines } from '../../src/records';

/**
 * `requestHeaderLines` (every relayed and shadowed request's header lines) compared the map's
 * value of a name with its lines' joined list once per line, not once per name: a request
 * repeating one name on 4,000 lines (`a:` lines, 16 KB, what Node's parser accepts now that
 * `tandem serve` keeps every line) joined 4,000 values 4,000 times, and 20 such requests held
 * the proxy's event loop 22 s. The cost of 4,000 lines of one name must be of the order of 4,000
 * lines of distinct names (the same count and bytes), measured here in the same run,
 * alternated, median of five (so a loaded machine raises both alike).
 */
describe('requestHeaderLines with one name on thousands of lines', () => {
  const LINES = 4000;
  const repeated = Array.from({ length: LINES }, () => ['a', 'x']).flat();
  const distinct = Array.from({ length: LINES }, (_, i) => [`h${i.toString(36)}`, 'x']).flat();

  const run = (lines: string[]) => {
    const headers = { ...headerMapOf(lines), 'x-request-id': 'r1' };
    const start = performance.now();
    const out = requestHeaderLines(headers, lines, undefined, new Set());
    return { out, ms: performance.now() - start };
  };
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

  it('relays the lines one by one, in time linear in the lines like distinct names', () => {
    const first = run(repeated);
    expect(first.out).toEqual([...repeated, 'x-request-id', 'r1']);
    expect(run(distinct).out).toEqual([...distinct, 'x-request-id', 'r1']);
    const times = { repeated: [] as number[], distinct: [] as number[] };
    for (let i = 0; i < 5; i++) {
      times.repeated.push(run(repeated).ms);
      times.distinct.push(run(distinct).ms);
    }
    // Quadratic, the repeated lines took 100-1000 x the distinct ones; linear, about the same.
    expect(median(times.repeated)).toBeLessThan(10 * median(times.distinct) + 20);
  });
});
