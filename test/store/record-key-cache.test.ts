import { keySchema } from '../../src/store';
import { RecordKeyCache, RECORD_KEY_CACHE_SIZE, recordKeys } from '../../src/store/record-keys';

describe('RecordKeyCache', () => {
  const hour = 3_600_000;
  const records = [
    { id: 'a1', route: 'product', class: 'match', signature: '', risk: '', at: 5 * hour + 10 },
    { id: 'a2', route: 'product', class: 'match', signature: '', risk: '', at: 5 * hour + 20 },
    { id: 'a3', route: 'product', class: 'mismatch', signature: 'price|items[*].id', risk: 'high', at: 5 * hour + 30 },
    { id: 'a4', route: 'product', class: 'mismatch', signature: 'price', risk: 'low', at: 6 * hour },
    { id: 'b1', route: 'cart', class: 'match', signature: '', risk: '', at: 6 * hour },
    // a signature with a newline must not meet another one's list
    { id: 'b2', route: 'cart', class: 'mismatch', signature: 'a\nlow', risk: 'high', at: 6 * hour },
    { id: 'b3', route: 'cart', class: 'mismatch', signature: 'a', risk: 'low\nhigh', at: 6 * hour },
  ];

  it.each(['deployment', 'route'] as const)('gives the keys recordKeys gives (%s tagging), causes included', (tagging) => {
    const k = keySchema({ prefix: 'tandem', tagging });
    const cache = new RecordKeyCache(k);
    for (const round of [1, 2])
      for (const r of records) {
        const causes = r.class === 'mismatch' ? [`price|changed|${round}`] : [];
        expect(cache.keys(r, causes)).toEqual(recordKeys(k, r, causes));
      }
  });

  it('reuses the route part of a list and never hands out the same array twice', () => {
    const cache = new RecordKeyCache(keySchema('tandem'));
    const one = cache.keys(records[0], []);
    const two = cache.keys(records[1], []);
    expect(two[1]).toBe(one[1]);
    expect(two).not.toBe(one);
    expect(two[0]).not.toBe(one[0]);
  });

  it('holds at most RECORD_KEY_CACHE_SIZE lists', () => {
    const k = keySchema('tandem');
    const cache = new RecordKeyCache(k);
    for (let i = 0; i <= RECORD_KEY_CACHE_SIZE + 10; i++) cache.keys({ ...records[0], at: i * hour }, []);
    expect((cache as unknown as { lists: Map<string, string[]> }).lists.size).toBeLessThanOrEqual(RECORD_KEY_CACHE_SIZE);
    expect(cache.keys(records[2], [])).toEqual(recordKeys(k, records[2], []));
  });

  it('gives each route its own cause keys (a route name ending like another route and cause never meets them), at most RECORD_KEY_CACHE_SIZE of them', () => {
    const k = keySchema({ prefix: 'tandem', tagging: 'route' });
    const cache = new RecordKeyCache(k);
    const r = { id: 'c1', class: 'mismatch', signature: 's', risk: 'low', at: hour };
    // 'ab' + 'c' and 'a' + 'bc' name different keys
    expect(cache.keys({ ...r, route: 'ab' }, ['c'])).toEqual(recordKeys(k, { ...r, route: 'ab' }, ['c']));
    expect(cache.keys({ ...r, route: 'a' }, ['bc'])).toEqual(recordKeys(k, { ...r, route: 'a' }, ['bc']));
    for (let i = 0; i <= RECORD_KEY_CACHE_SIZE + 10; i++) cache.keys({ ...r, route: 'p' }, [`cause-${i}`]);
    expect((cache as unknown as { causeKeys: Map<string, string> }).causeKeys.size).toBeLessThanOrEqual(RECORD_KEY_CACHE_SIZE);
    expect(cache.keys({ ...r, route: 'p' }, ['cause-1'])).toEqual(recordKeys(k, { ...r, route: 'p' }, ['cause-1']));
  });
});
