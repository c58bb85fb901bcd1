import { PartialPipelineError, pipelineByTag, type TaggedCommand } from './pipeline-by-tag';
import type { RedisClient } from './redis-connection';
import { UnwrittenCounts } from './counter-buffer';
import type { KeySchema } from './key-schema';
import { DEFAULT_CUSTOMERS_PER_ROUTE, OVERFLOW_CUSTOMER } from './record-types';

/**
 * Adds per-customer counters of one route (fields `<customer>|<counter>`) under the same
 * cardinality cap as the record script: a customer not yet in the route's customer set
 * joins it while there is room, and is counted as the overflow customer after.
 *
 * KEYS[1]: the route's `customers` hash. KEYS[2]: its `customerSet`.
 * ARGV[1]: the cap. ARGV[2]: the overflow customer. ARGV[3]: JSON `[[customer, counter, n], ...]`.
 */
const COUNT_CUSTOMERS_LUA = `
local cap, overflow = tonumber(ARGV[1]), ARGV[2]
for _, e in ipairs(cjson.decode(ARGV[3])) do
  local customer = e[1]
  if redis.call('SISMEMBER', KEYS[2], customer) == 0 then
    if redis.call('SCARD', KEYS[2]) >= cap then customer = overflow end
    redis.call('SADD', KEYS[2], customer)
  end
  redis.call('HINCRBY', KEYS[1], customer .. '|' .. e[2], e[3])
end
return 0
`;

/**
 * Add to per-customer counters (as the rollout counts who was served by which backend),
 * route by route, each customer bounded by the route's cap (see `retention.customersPerRoute`).
 * When some routes' counts could not be written, throws `UnwrittenCounts` holding those
 * (as `<customer>|<counter>` fields, the rollout's `CounterBuffer` batch format).
 *
 * @example
 * await countCustomers(redis, keySchema('tandem'), new Map([['product', [['acme', 'fallback', 1]]]]), 1000);
 */
export async function countCustomers(
  redis: RedisClient,
  keys: KeySchema,
  byRoute: Map<string, [customer: string, counter: string, n: number][]>,
  cap = DEFAULT_CUSTOMERS_PER_ROUTE,
): Promise<void> {
  const commands: TaggedCommand[] = [];
  const routes: string[] = [];
  for (const [route, entries] of byRoute) {
    if (!entries.length) continue;
    routes.push(route);
    commands.push({
      key: keys.customers(route),
      add: (p) =>
        p.eval(COUNT_CUSTOMERS_LUA, 2, keys.customers(route), keys.customerSet(route), cap, OVERFLOW_CUSTOMER, JSON.stringify(entries)),
    });
  }
  let failed: Set<number>;
  let reason: unknown;
  try {
    const replies = await pipelineByTag(redis, commands);
    failed = new Set(replies.flatMap(([err], i) => (err ? [i] : [])));
    reason = replies.find(([err]) => err)?.[0];
  } catch (e) {
    if (!(e instanceof PartialPipelineError)) throw e;
    failed = new Set(e.failed);
    reason = e.reason;
  }
  if (!failed.size) return;
  // Only the routes not written go back: each route's script ran at most once.
  const unwritten = new Map<string, Map<string, number>>();
  for (const i of failed)
    unwritten.set(routes[i], new Map(byRoute.get(routes[i])!.map(([customer, counter, n]) => [`${customer}|${counter}`, n] as const)));
  throw new UnwrittenCounts(reason instanceof Error ? reason.message : String(reason), unwritten);
}
