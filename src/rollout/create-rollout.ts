import type { RedisClient } from '../store';
import type { TandemConfig } from '../config';
import type { CustomerRequest } from '../config/rollout-schema';
import type { Logger } from '../log';
import { CounterBuffer, countCustomers } from '../store';
import { decidePhase, groupsByCustomer } from './decide-phase';
import { createCustomerIdentifier, type CustomerIdentity } from './identify-customer';
import { routeDefaults } from './route-defaults';
import { RolloutService } from './rollout-service';
import { RolloutStore } from './rollout-store';
import { RolloutWatcher } from './rollout-watcher';
import type { PhaseDecision, RolloutState } from './types';

/**
 * The rollout as a running Tandem holds it: who a request is from, which phase it
 * gets (from an in-memory state kept current by polling Redis), the operations the
 * API and the report use, and per-customer counters.
 *
 * @example
 * const rollout = createRollout(config, { log });
 * await rollout.start(redis);
 * const who = rollout.identify({ method: 'GET', path: '/p/1', headers, query: {}, params: {} });
 * rollout.decide('product', who.customer)?.phase; // 'shadow'
 */
export interface Rollout {
  identify(req: CustomerRequest): CustomerIdentity;
  /** The phase of a request of `customer` on a configured route (null for any other route). */
  decide(route: string, customer: string): PhaseDecision | null;
  /** The state in force on this instance. */
  state(): RolloutState;
  /** The operations (available after `start`). */
  service(): RolloutService;
  /** Add to a per-customer counter of a route (the key schema's `customers`, field `<customer>|<field>`). */
  countCustomer(route: string, customer: string, field: string): void;
  /** Begin watching Redis; resolves after the first load attempt. */
  start(redis: RedisClient): Promise<void>;
  close(): Promise<void>;
}

/**
 * Build the rollout of a config. Until `start` (or while Redis is away) requests
 * follow the configured phases, or the last state loaded.
 *
 * @example
 * const rollout = createRollout(config, { log });
 */
export function createRollout(
  config: Pick<TandemConfig, 'routes' | 'rollout' | 'customer' | 'redis'> & {
    retention?: Pick<TandemConfig['retention'], 'customersPerRoute'>;
  },
  o: {
    log: Logger;
    /** A customer id as records store it (see `storedCustomerFor`): per-customer counters and readiness key on it. Default: as is. */
    storedCustomer?: (customer: string) => Promise<string>;
  },
): Rollout {
  const storedCustomer = o.storedCustomer ?? ((c: string) => Promise.resolve(c));
  const routes = routeDefaults(config.routes);
  const watcher = new RolloutWatcher(routes, config.rollout.pollMs, (e, n) => {
    if (n === 1) o.log.warn({ err: e.message }, 'rollout state could not be read; keeping the last one');
  });
  const identify = createCustomerIdentifier(config.customer);
  let service: RolloutService | null = null;
  let store: RolloutStore | null = null;
  let memo: { state: RolloutState; groups: Map<string, string[]> } | null = null;
  const customerCounters = new CounterBuffer(async (batch) => {
    if (!store) throw new Error('rollout not started');
    const byRoute = new Map<string, [string, string, number][]>();
    for (const [route, fields] of batch) {
      byRoute.set(
        route,
        await Promise.all(
          [...fields].map(async ([field, n]): Promise<[string, string, number]> => {
            const cut = field.lastIndexOf('|');
            // Counted under the id the route's records store (secret `;name=value` parameters fingerprinted), never the raw one.
            return [await storedCustomer(field.slice(0, cut)), field.slice(cut + 1), n];
          }),
        ),
      );
    }
    // bounded like the record script's per-customer state: past the route's cap, the overflow customer
    await countCustomers(store.redis, store.keys, byRoute, config.retention?.customersPerRoute);
  });

  return {
    identify,
    decide(route, customer) {
      const state = watcher.current();
      const r = state.routes[route];
      if (!r) return null;
      if (memo?.state !== state) memo = { state, groups: groupsByCustomer(state.groups) };
      return decidePhase(r, customer, memo.groups.get(customer) ?? []);
    },
    state: () => watcher.current(),
    service() {
      if (!service) throw new Error('the rollout is not started yet');
      return service;
    },
    countCustomer: (route, customer, field) => customerCounters.add(route, `${customer}|${field}`),
    start(redis) {
      store = new RolloutStore(redis, config.redis, config.rollout.auditSize);
      service = new RolloutService(store, routes, config.rollout, () => watcher.refresh(), storedCustomer);
      return watcher.start(store);
    },
    async close() {
      watcher.stop();
      await customerCounters.close();
    },
  };
}
