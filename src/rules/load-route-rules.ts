import { pipelineByTag, type RedisClient } from '../store';
import type { StoreKeys } from '../store';
import { learnedNoise, type NoiseEvidence, type NoiseLearning } from './learned-noise';
import type { RuleLists } from './merge-runtime-rules';

/**
 * The kinds of runtime rule, as stored: hash `rules` of the key schema, field `<kind>|<path>`,
 * value `{ actor, at }` (and `key` for `arrayKey`: the element field arrays are matched by).
 *
 * @example
 * const k: RuleKind = 'notNoise';
 */
export type RuleKind = 'ignore' | 'noise' | 'notNoise' | 'unordered' | 'arrayKey';
type ListKind = Exclude<RuleKind, 'arrayKey'>;
const KINDS: readonly ListKind[] = ['ignore', 'noise', 'notNoise', 'unordered'];

/**
 * One route's runtime state as read from Redis at `loadedAt`.
 *
 * @example
 * const s: RouteRuleState = { lists: { ignore: [], noise: [], notNoise: [], unordered: [], arrayKeys: {}, learned: ['ts'] }, evidence: { repeats: 9, differed: { ts: 9 } }, loadedAt: Date.now() };
 */
export interface RouteRuleState {
  lists: RuleLists;
  evidence: NoiseEvidence;
  loadedAt: number;
}

/**
 * Read a route's runtime rules and noise evidence (repeated requests, per-path counts)
 * in one round trip, and derive the learned-noise paths in effect.
 *
 * @example
 * const state = await loadRouteRules(redis, storeKeys('tandem'), 'product', { learnRate: 0.5, learnSamples: 5 });
 */
export async function loadRouteRules(redis: RedisClient, keys: StoreKeys, route: string, learning: NoiseLearning): Promise<RouteRuleState> {
  // The rules live in the deployment's slot, the evidence in the route's: one round trip on one Redis, one per slot on a cluster.
  const [[, rules], [, differed], [, repeats]] = await pipelineByTag(redis, [
    { key: keys.rules(route), add: (p) => p.hgetall(keys.rules(route)) },
    { key: keys.repeatFields(route), add: (p) => p.hgetall(keys.repeatFields(route)) },
    { key: keys.counters(route), add: (p) => p.hget(keys.counters(route), 'repeated') },
  ]);
  const byKind: Record<ListKind, string[]> = { ignore: [], noise: [], notNoise: [], unordered: [] };
  const arrayKeys: Record<string, string> = {};
  for (const [field, value] of Object.entries((rules ?? {}) as Record<string, string>)) {
    const bar = field.indexOf('|');
    const kind = field.slice(0, bar) as RuleKind;
    if (kind === 'arrayKey') {
      const key = parseKey(value);
      if (key) arrayKeys[field.slice(bar + 1)] = key;
    } else if (KINDS.includes(kind)) byKind[kind].push(field.slice(bar + 1));
  }
  for (const k of KINDS) byKind[k].sort();
  const evidence: NoiseEvidence = { repeats: Number(repeats ?? 0), differed: numbers((differed ?? {}) as Record<string, string>) };
  return { lists: { ...byKind, arrayKeys, learned: learnedNoise(evidence, learning, byKind.notNoise) }, evidence, loadedAt: Date.now() };
}

function parseKey(value: string): string | undefined {
  try {
    const key = (JSON.parse(value) as { key?: unknown }).key;
    return typeof key === 'string' && key ? key : undefined;
  } catch {
    return undefined;
  }
}

function numbers(h: Record<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(h)) out[k] = Number(v);
  return out;
}
