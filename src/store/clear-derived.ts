import { RESULT_CLASSES } from '../records';
import { derivedRouteKeys, type KeyName } from './key-schema';
import type { ResultsStore } from './results-store';
import { scanKeys } from './redis-connection';

/**
 * Derived fields of the `counters` hash (and, after `<customer>|`, of `customers`):
 * `compared`, one per result class, `repeated`, `customer_overflow`, `not_stored:*`.
 * Everything else there (`seen`, `shadowed`, `skipped:*`, `dropped:*`, ...) is counted
 * by the ingress and kept.
 *
 * @example
 * isDerivedCounter('mismatch'); // true
 * isDerivedCounter('seen'); // false
 */
export function isDerivedCounter(field: string): boolean {
  return DERIVED_COUNTERS.has(field) || field.startsWith('not_stored:');
}

const DERIVED_COUNTERS = new Set<string>(['compared', 'repeated', 'customer_overflow', ...RESULT_CLASSES]);

/**
 * Atomically: snapshot the route's exchange ids (oldest first) and delete its derived data.
 *
 * KEYS[1]: the route's exchange index. KEYS[2]: its mismatch index. KEYS[3]: its counters.
 * KEYS[4]: its per-customer counters. KEYS[5..]: every other derived key of the route
 * (fixed names, and the members of variable families found by SCAN).
 * ARGV[1]: the route's mismatch record prefix (ids of the mismatch index are appended).
 * Every key is in the route's slot (see key-schema.ts).
 * ARGV[2]: JSON array of the derived counter fields.
 */
const CLEAR_DERIVED_LUA = `
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do redis.call('DEL', ARGV[1] .. id) end
for i = 2, #KEYS do if i ~= 3 and i ~= 4 then redis.call('DEL', KEYS[i]) end end
local derived = {}
for _, f in ipairs(cjson.decode(ARGV[2])) do derived[f] = true end
local function isDerived(f) return derived[f] or string.sub(f, 1, 11) == 'not_stored:' end
for _, f in ipairs(redis.call('HKEYS', KEYS[3])) do
  if isDerived(f) then redis.call('HDEL', KEYS[3], f) end
end
for _, f in ipairs(redis.call('HKEYS', KEYS[4])) do
  local field = string.match(f, '^.*|(.-)$')
  if field and isDerived(field) then redis.call('HDEL', KEYS[4], f) end
end
return ids
`;

/**
 * Delete a route's derived results and return the ids of its stored exchanges, oldest
 * first, in one atomic step (so a worker recording meanwhile is either in the snapshot
 * or counted afresh, never both). Which keys are derived is read from the key schema
 * (`KEY_SPECS`, `derived: true`), so a new derived key is cleared without an edit here.
 * Stored exchanges, ingress counters and runtime rules are kept. Keys with variable
 * names are found with SCAN first.
 *
 * @example
 * const ids = await clearDerived(store, 'product'); // ['lx3k-1', 'lx3k-2', ...]
 */
export async function clearDerived(store: ResultsStore, route: string): Promise<string[]> {
  const k = store.keys;
  const { fixed, families } = derivedRouteKeys();
  // One SCAN pass per node for every family (their names share the route's start), filtered by family.
  const starts = families.map((f) => k.prefixOf(f, route));
  const variable = families.length
    ? (await scanKeys(store.redis, k.familiesPattern(families, route))).filter((key) => starts.some((s) => key.startsWith(s)))
    : [];
  const keys = [
    k.exchanges(route),
    k.mismatches(route),
    k.counters(route),
    k.customers(route),
    ...fixed.filter((n: KeyName) => n !== 'mismatches').map((n) => k.key(n, route)),
    ...variable,
  ];
  return (await store.redis.eval(
    CLEAR_DERIVED_LUA,
    keys.length,
    ...keys,
    k.recordPrefix('mismatch', route),
    JSON.stringify([...DERIVED_COUNTERS]),
  )) as string[];
}
