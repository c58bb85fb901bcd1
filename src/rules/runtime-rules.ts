import type { RedisClient } from '../store';
import type { CompareRules } from '../config';
import { storeKeys, type KeyDeployment, type StoreKeys } from '../store';
import type { NoiseLearning } from './learned-noise';
import { mergeRuntimeRules, type RuleLists } from './merge-runtime-rules';
import { loadRouteRules, type RouteRuleState, type RuleKind } from './load-route-rules';
import { checkRulePath, RulePathError } from './check-rule-path';

const AUDIT_KEEP = 1000;

interface CacheEntry {
  startedAt: number;
  failed: boolean;
  state: Promise<RouteRuleState>;
}

/**
 * One entry of a route's rule audit log (newest first, the last 1000 kept).
 *
 * @example
 * const e: RuleAuditEntry = { action: 'addIgnore', path: 'meta.**', actor: 'report', at: 1714557600000 };
 */
export interface RuleAuditEntry {
  action:
    'addIgnore' | 'removeIgnore' | 'markNoise' | 'unmarkNoise' | 'addUnordered' | 'removeUnordered' | 'setArrayKey' | 'removeArrayKey';
  path: string;
  /** For `setArrayKey`: the element field the array is matched by. */
  key?: string;
  actor: string;
  at: number;
}

/**
 * Compare rules changed at runtime, stored in Redis per route (key schema: `rules`),
 * with an audit log. `rulesFor` merges them and the route's learned noise over the
 * configured rules; it is cached per route and re-read at least every `refreshMs`
 * (default 1000), so every worker applies a change within a second.
 *
 * @example
 * const rules = new RuntimeRules(redis, 'tandem', { learnRate: 0.5, learnSamples: 5 });
 * await rules.addIgnore('product', 'meta.**', 'report');
 * const merged = await rules.rulesFor('product', config.routes[0].rules); // ignore includes 'meta.**'
 */
export class RuntimeRules {
  readonly keys: StoreKeys;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly merged = new Map<string, { base: CompareRules; from: RuleLists; lists: string; rules: CompareRules }>();

  constructor(
    private readonly redis: RedisClient,
    deployment: string | KeyDeployment,
    readonly learning: NoiseLearning,
    private readonly o: { refreshMs?: number } = {},
  ) {
    this.keys = storeKeys(deployment);
  }

  /** Ignore `path` (a pattern: `*`, `[*]`, `**`) on this route from now on. Throws on a malformed pattern. */
  addIgnore(route: string, path: string, actor: string): Promise<void> {
    return this.change(route, 'addIgnore', path, actor, { add: 'ignore' });
  }

  /** Stop ignoring `path` (runtime ignores only; the config's stay). */
  removeIgnore(route: string, path: string, actor: string): Promise<void> {
    return this.change(route, 'removeIgnore', path, actor, { remove: ['ignore'] });
  }

  /** Treat `path` as noise: listed as noise when it differs, never counted. Clears a "not noise" mark. */
  markNoise(route: string, path: string, actor: string): Promise<void> {
    return this.change(route, 'markNoise', path, actor, { add: 'noise', remove: ['notNoise'] });
  }

  /** "This path is NOT noise": removes a noise mark and overrides learned noise. */
  unmarkNoise(route: string, path: string, actor: string): Promise<void> {
    return this.change(route, 'unmarkNoise', path, actor, { add: 'notNoise', remove: ['noise'] });
  }

  /** Compare the array at `path` (e.g. `tags`, `items[*].labels`) as a multiset: order ignored. */
  addUnordered(route: string, path: string, actor: string): Promise<void> {
    return this.change(route, 'addUnordered', path, actor, { add: 'unordered' });
  }

  /** Compare the array at `path` in order again (runtime rules only; the config's stay). */
  removeUnordered(route: string, path: string, actor: string): Promise<void> {
    return this.change(route, 'removeUnordered', path, actor, { remove: ['unordered'] });
  }

  /** Match the elements of the array at `path` by their field `key` (`items[id=7].price`). */
  setArrayKey(route: string, path: string, key: string, actor: string): Promise<void> {
    if (!/^[\w$-]{1,100}$/.test(key)) throw new RulePathError('key must be a field name (letters, digits, "_", "$", "-"), e.g. "id"');
    return this.change(route, 'setArrayKey', path, actor, { add: 'arrayKey', key });
  }

  /** Stop matching the array at `path` by a key (runtime rules only). */
  removeArrayKey(route: string, path: string, actor: string): Promise<void> {
    return this.change(route, 'removeArrayKey', path, actor, { remove: ['arrayKey'] });
  }

  /** The route's runtime lists, read now (not cached). `learned` is what is in effect. */
  async list(route: string): Promise<RuleLists> {
    return (await this.load(route)).lists;
  }

  /** The noise evidence and lists of a route, read now (and cached). */
  fresh(route: string): Promise<RouteRuleState> {
    const entry: CacheEntry = { startedAt: Date.now(), failed: false, state: this.load(route) };
    entry.state.catch(() => (entry.failed = true));
    this.cache.set(route, entry);
    return entry.state;
  }

  /** The route's state, read at most `refreshMs` ago (one read in flight per route). */
  state(route: string): Promise<RouteRuleState> {
    const hit = this.cache.get(route);
    if (hit && !hit.failed && Date.now() - hit.startedAt < (this.o.refreshMs ?? 1000)) return hit.state;
    return this.fresh(route);
  }

  /** Rules for one comparison: `base` (the configured rules) with the runtime rules and learned noise merged in. */
  async rulesFor(route: string, base: CompareRules): Promise<CompareRules> {
    const { lists } = await this.state(route);
    const hit = this.merged.get(route);
    // The lists read last time (a cached state, read again at most every refreshMs): nothing to serialise.
    if (hit && hit.base === base && hit.from === lists) return hit.rules;
    const key = JSON.stringify(lists);
    // The same object for the same inputs, so compiled rules stay cached.
    if (hit && hit.base === base && hit.lists === key) {
      hit.from = lists;
      return hit.rules;
    }
    const rules = mergeRuntimeRules(base, lists);
    this.merged.set(route, { base, from: lists, lists: key, rules });
    return rules;
  }

  /** The audit log of a route, newest first. */
  async audit(route: string, limit = 100): Promise<RuleAuditEntry[]> {
    const raw = await this.redis.lrange(this.keys.rulesAudit(route), 0, Math.max(0, limit - 1));
    return raw.map((s) => JSON.parse(s) as RuleAuditEntry);
  }

  private async change(
    route: string,
    action: RuleAuditEntry['action'],
    path: string,
    actor: string,
    o: { add?: RuleKind; remove?: RuleKind[]; key?: string },
  ): Promise<void> {
    checkRulePath(path);
    const at = Date.now();
    const key = this.keys.rules(route);
    const tx = this.redis.multi();
    for (const k of o.remove ?? []) tx.hdel(key, `${k}|${path}`);
    if (o.add) tx.hset(key, `${o.add}|${path}`, JSON.stringify({ actor, at, ...(o.key ? { key: o.key } : {}) }));
    tx.lpush(
      this.keys.rulesAudit(route),
      JSON.stringify({ action, path, actor, at, ...(o.key ? { key: o.key } : {}) } satisfies RuleAuditEntry),
    );
    tx.ltrim(this.keys.rulesAudit(route), 0, AUDIT_KEEP - 1);
    await tx.exec();
    this.cache.delete(route);
  }

  private load(route: string): Promise<RouteRuleState> {
    return loadRouteRules(this.redis, this.keys, route, this.learning);
  }
}
