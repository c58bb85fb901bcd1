import type { RedisClient } from '../store';
import { ROLLOUT_CHANGE_LUA } from './change-script';
import { keySchema, type KeyDeployment, type KeySchema } from '../store';
import { decodeGroups, decodeRoute, parseJson, type RouteDefaults } from './state-codec';
import type { AuditEntry, RolloutState } from './types';

/**
 * One change to write: which field of which hash, its new value (undefined deletes),
 * and what the audit log says about it.
 *
 * @example
 * const c: RolloutChange = { hash: { route: 'product' }, field: 'phase', value: 'candidate', action: 'route.phase', target: 'product', actor: 'api', defaultPrevious: 'shadow' };
 */
export interface RolloutChange {
  hash: { route: string } | 'groups';
  field: string;
  value: unknown;
  action: string;
  target: string;
  actor: string;
  forced?: boolean;
  /** Reported as the previous value when the field was unset (the configured default). */
  defaultPrevious?: unknown;
}

type ChangeCommand = (
  hash: string,
  version: string,
  audit: string,
  field: string,
  value: string,
  entry: string,
  size: number,
  dflt: string,
) => Promise<number>;

/**
 * The rollout state in Redis: a hash per route, a hash of groups, a version counter
 * every change increments, and a capped audit list. Each change is one atomic script.
 *
 * @example
 * const store = new RolloutStore(redis, 'tandem', 1000);
 * await store.change({ hash: { route: 'product' }, field: 'phase', value: 'candidate', action: 'route.phase', target: 'product', actor: 'api' });
 * const state = await store.load([{ name: 'product', phase: 'shadow', sampleRate: 1 }]);
 */
export class RolloutStore {
  readonly keys: KeySchema;

  constructor(
    readonly redis: RedisClient,
    deployment: string | KeyDeployment,
    private readonly auditSize: number,
  ) {
    this.keys = keySchema(deployment);
    if (!(redis as unknown as Record<string, unknown>).tandemRolloutChange) {
      redis.defineCommand('tandemRolloutChange', { numberOfKeys: 3, lua: ROLLOUT_CHANGE_LUA });
    }
  }

  /** The current version (0 before any change). */
  async version(): Promise<number> {
    return Number((await this.redis.get(this.keys.rolloutVersion)) ?? 0);
  }

  /** Everything, in one round trip; routes not in `routes` are not loaded. */
  async load(routes: readonly RouteDefaults[]): Promise<RolloutState> {
    const pipe = this.redis.pipeline().get(this.keys.rolloutVersion).hgetall(this.keys.rolloutGroups);
    routes.forEach((r) => pipe.hgetall(this.keys.rolloutRoute(r.name)));
    const replies = (await pipe.exec()) ?? [];
    const failed = replies.find(([err]) => err);
    if (failed) throw failed[0] as Error;
    const state: RolloutState = {
      version: Number(replies[0][1] ?? 0),
      routes: {},
      groups: decodeGroups(replies[1][1] as Record<string, string>),
    };
    routes.forEach((r, i) => (state.routes[r.name] = decodeRoute(replies[i + 2][1] as Record<string, string>, r)));
    return state;
  }

  /** Apply one change and record it; returns the new version. */
  async change(c: RolloutChange): Promise<number> {
    const hash = c.hash === 'groups' ? this.keys.rolloutGroups : this.keys.rolloutRoute(c.hash.route);
    const value = c.value === undefined ? '' : JSON.stringify(c.value);
    const entry = {
      at: Date.now(),
      actor: c.actor,
      action: c.action,
      target: c.target,
      next: c.value === undefined ? null : value,
      ...(c.forced ? { forced: true } : {}),
    };
    const dflt = c.defaultPrevious === undefined ? '' : JSON.stringify(c.defaultPrevious);
    const run = (this.redis as unknown as { tandemRolloutChange: ChangeCommand }).tandemRolloutChange;
    return Number(
      await run.call(
        this.redis,
        hash,
        this.keys.rolloutVersion,
        this.keys.rolloutAudit,
        c.field,
        value,
        JSON.stringify(entry),
        this.auditSize,
        dflt,
      ),
    );
  }

  /** The newest audit entries first. */
  async audit(limit: number): Promise<AuditEntry[]> {
    const raw = await this.redis.lrange(this.keys.rolloutAudit, 0, Math.max(0, limit - 1));
    return raw.flatMap((text) => {
      const e = parseJson(text) as (Omit<AuditEntry, 'previous' | 'next'> & { previous: string | null; next: string | null }) | undefined;
      if (!e || typeof e !== 'object') return [];
      return [
        {
          ...e,
          previous: e.previous === null ? null : (parseJson(e.previous) ?? null),
          next: e.next === null ? null : (parseJson(e.next) ?? null),
        },
      ];
    });
  }

  /** The last `n` result classes of a route, or of one customer on it, newest first (older windows hold '1' match, '0' not). */
  async outcomes(route: string, n: number, customer?: string): Promise<string[]> {
    const key = customer === undefined ? this.keys.readiness(route) : this.keys.customerReadiness(route, customer);
    return this.redis.lrange(key, 0, n - 1);
  }

  /**
   * Whether `customer` has no per-customer state on `route` because the route is past
   * `retention.customersPerRoute`: it is not one of the route's customers with state of
   * their own and the route has counted results under `(other)` (`customer_overflow`).
   * So its results (past ones, and new ones while the route stays past its cap) count
   * under `(other)`, and its readiness window stays empty.
   */
  async countedAsOther(route: string, customer: string): Promise<boolean> {
    const res = await this.redis
      .pipeline()
      .sismember(this.keys.customerSet(route), customer)
      .hget(this.keys.counters(route), 'customer_overflow')
      .exec();
    const member = Number(res?.[0]?.[1] ?? 0);
    const overflow = Number(res?.[1]?.[1] ?? 0);
    return member === 0 && overflow > 0;
  }
}
