import { markOfId, newExchangeId, randomId, routeMark } from '../../src/records';

// Request and exchange ids are made on every shadowed request without Node's randomUUID
// (its 20-piece string join was a measurable share of the proxy's allocation).
describe('randomId', () => {
  const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is a version 4 UUID, a different one each time across several refills of its pool', () => {
    const ids = Array.from({ length: 2000 }, () => randomId());
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
    // Every hex digit turns up in every random position (not a constant or a short cycle).
    const digits = new Set(ids.map((id) => id[0]));
    expect(digits.size).toBe(16);
  });

  it('writes a prefix before the UUID, and joins one that is not ASCII or is long as strings are', () => {
    expect(randomId('f6b9a3c1.mi6y2k1c-')).toMatch(/^f6b9a3c1\.mi6y2k1c-[0-9a-f-]{36}$/);
    const wide = randomId('é✓-');
    expect(wide.startsWith('é✓-')).toBe(true);
    expect(wide.slice(3)).toMatch(V4);
    const long = 'x'.repeat(300);
    expect(randomId(long).slice(0, 300)).toBe(long);
    expect(randomId(long).slice(300)).toMatch(V4);
  });

  it('keeps the exchange id shape: route mark, time in base 36, UUID', () => {
    const at = Date.UTC(2026, 11, 1);
    const id = newExchangeId(at, 'product');
    expect(id).toMatch(new RegExp(`^${routeMark('product')}\\.${at.toString(36)}-`));
    expect(id.slice(-36)).toMatch(V4);
    expect(markOfId(id)).toBe(routeMark('product'));
    expect(newExchangeId(at, 'product')).not.toBe(id);
  });
});
