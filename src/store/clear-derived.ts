import { RESULT_CLASSES } from '../records';
import type { ResultsStore } from './results-store';

/**
 * Per-route keys (suffixes of `{prefix}:route:<route>:`) that hold results derived from
 * the stored exchanges; rediff deletes them before recomputing. If you add a derived
 * per-route key, list it here (or its prefix in DERIVED_ROUTE_KEY_PREFIXES).
 *
 * @example
 * DERIVED_ROUTE_KEYS.includes('signatures'); // true
 */
export const DERIVED_ROUTE_KEYS: readonly string[] = [
  'fields', 'noise-fields', 'field-totals', 'signatures', 'signature-meta', 'mismatches', 'customer-set',
  'repeat-fields', 'suspected', 'dedupe', 'dedupe-order', 'duplicates', 'readiness', 'causes', 'cause-meta',
];

/**
 * Prefixes of derived per-route keys with variable names (report indexes, trend
 * buckets, per-customer readiness windows).
 *
 * @example
 * DERIVED_ROUTE_KEY_PREFIXES.includes('mm-by:'); // true
 */
export const DERIVED_ROUTE_KEY_PREFIXES: readonly string[] = ['ex-by:', 'mm-by:', 'trend:', 'readiness-customer:', 'cause-cust:'];

/**
 * Derived fields of the `counters` hash (and, after `<customer>|`, of `customers`):
 * `compared`, one per result class, `repeated`, `not_stored:*`. Everything else there
 * (`seen`, `shadowed`, `skipped:*`, `dropped:*`, ...) is counted by the ingress and kept.
 *
 * @example
 * isDerivedCounter('mismatch'); // true
 * isDerivedCounter('seen'); // false
 */
export function isDerivedCounter(field: string): boolean {
  return DERIVED_COUNTERS.has(field) || field.startsWith('not_stored:');
}

const DERIVED_COUNTERS = new Set<string>(['compared', 'repeated', ...RESULT_CLASSES]);

/** Atomically: snapshot the route's exchange ids (oldest first) and delete its derived data. */
const CLEAR_DERIVED_LUA = `
local pre, rk = ARGV[1], ARGV[1] .. 'route:' .. ARGV[2] .. ':'
local o = cjson.decode(ARGV[3])
local ids = redis.call('ZRANGE', rk .. 'exchanges', 0, -1)
for _, id in ipairs(redis.call('ZRANGE', rk .. 'mismatches', 0, -1)) do redis.call('DEL', pre .. 'mismatch:' .. id) end
for _, k in ipairs(o.keys) do redis.call('DEL', rk .. k) end
local derived = {}
for _, f in ipairs(o.counters) do derived[f] = true end
local function isDerived(f) return derived[f] or string.sub(f, 1, 11) == 'not_stored:' end
for _, f in ipairs(redis.call('HKEYS', rk .. 'counters')) do
  if isDerived(f) then redis.call('HDEL', rk .. 'counters', f) end
end
for _, f in ipairs(redis.call('HKEYS', rk .. 'customers')) do
  local field = string.match(f, '^.*|(.-)$')
  if field and isDerived(field) then redis.call('HDEL', rk .. 'customers', f) end
end
return ids
`;

/**
 * Delete a route's derived results and return the ids of its stored exchanges, oldest
 * first, in one atomic step (so a worker recording meanwhile is either in the snapshot
 * or counted afresh, never both). Stored exchanges, ingress counters and runtime rules
 * are kept. Keys with variable names are found with SCAN first.
 *
 * @example
 * const ids = await clearDerived(store, 'product'); // ['lx3k-1', 'lx3k-2', ...]
 */
export async function clearDerived(store: ResultsStore, route: string): Promise<string[]> {
  const base = `${store.keys.prefix}route:${route}:`;
  const variable: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await store.redis.scan(cursor, 'MATCH', `${base}*`, 'COUNT', 1000);
    cursor = next;
    for (const k of found) {
      const suffix = k.slice(base.length);
      if (DERIVED_ROUTE_KEY_PREFIXES.some((p) => suffix.startsWith(p))) variable.push(suffix);
    }
  } while (cursor !== '0');
  const args = JSON.stringify({ keys: [...DERIVED_ROUTE_KEYS, ...variable], counters: [...DERIVED_COUNTERS] });
  return (await store.redis.eval(CLEAR_DERIVED_LUA, 0, store.keys.prefix, route, args)) as string[];
}
