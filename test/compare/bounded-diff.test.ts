import { compareResponses } from '../../src/compare';
import { MAX_DIFF_OPERATIONS, MAX_FOUND_DIFFERENCES } from '../../src/compare/diff-context';
import { json } from './helpers';

/**
 * Unbounded results (issue 14 #6), with real sizes: a pair with 100,000 differences keeps
 * 1,000 and counts the rest; a 1,000,000-element array of changed values and an
 * unordered array that would take n² pairings stop at the operation budget and are
 * classified with a reason, instead of taking seconds and hundreds of MB.
 */
describe('a bounded diff', () => {
  const rows = (n: number, v: number) => Array.from({ length: n }, (_, i) => ({ i, v: v + i }));

  it('keeps 1,000 of 100,000 differences and counts the other 99,000', () => {
    const legacy = json({ items: rows(100_000, 0) });
    const candidate = json({ items: rows(100_000, 1) });
    expect(JSON.stringify({ items: rows(100_000, 0) }).length).toBeGreaterThan(1_500_000);
    const r = compareResponses(legacy, candidate, { rules: {} });
    expect(r.class).toBe('mismatch');
    expect(r.differences).toHaveLength(1000);
    expect(r.omittedDifferences).toBe(99_000);
    expect(r.signature).toBe('items[*].v');
    expect(r.differences[0]).toMatchObject({ path: 'items[0].v', kind: 'changed', legacy: 0, candidate: 1 });
  });

  it('keeps what retention.maxDifferences says', () => {
    const r = compareResponses(json({ items: rows(50, 0) }), json({ items: rows(50, 1) }), { rules: {}, maxDifferences: 10 });
    expect(r.differences).toHaveLength(10);
    expect(r.omittedDifferences).toBe(40);
    const few = compareResponses(json({ a: 1 }), json({ a: 2 }), { rules: {} });
    expect(few.omittedDifferences).toBeUndefined();
  });

  it('stops a 1,000,000-element array of changed values at the operation budget: too_large, with the reason', () => {
    const n = 1_000_000;
    const legacy = json(Array.from({ length: n }, (_, i) => i));
    const candidate = json(Array.from({ length: n }, (_, i) => i + 1));
    const r = compareResponses(legacy, candidate, { rules: {} });
    expect(r.class).toBe('too_large');
    expect(r.reason).toBe(
      `too large to compare field by field: the diff stopped after ${MAX_DIFF_OPERATIONS.toLocaleString('en-US')} operations (worker.maxDiffOperations)`,
    );
    expect(r.differences).toEqual([]);
  });

  it('bounds an unordered array that would need n² pairings', () => {
    const n = 4000; // 16,000,000 pairings tried without a budget
    const legacy = json({ tags: Array.from({ length: n }, (_, i) => ({ id: i })) });
    const candidate = json({ tags: Array.from({ length: n }, (_, i) => ({ id: i + n })) });
    const r = compareResponses(legacy, candidate, { rules: { unordered: ['tags'] } });
    expect(r.class).toBe('too_large');
    expect(r.reason).toMatch(/the diff stopped after 1,000,000 operations/);
    // a smaller budget, configured, says its own figure
    const small = compareResponses(json(Array.from({ length: 3000 }, (_, i) => i)), json(Array.from({ length: 3000 }, (_, i) => -i - 1)), {
      rules: {},
      maxDiffOperations: 5000,
    });
    expect(small).toMatchObject({ class: 'too_large', reason: expect.stringContaining('after 5,000 operations') });
  });

  it('keeps the differ itself to MAX_FOUND_DIFFERENCES objects, counting the rest', () => {
    const n = MAX_FOUND_DIFFERENCES + 5000;
    const r = compareResponses(json(Array.from({ length: n }, (_, i) => i)), json(Array.from({ length: n }, (_, i) => -i - 1)), {
      rules: {},
    });
    expect(r.differences.length + (r.omittedDifferences ?? 0)).toBe(n);
  });
});
