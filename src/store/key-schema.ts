import { sha1Hex } from './sha1';
import { markOfId, routeMark } from '../records/exchange-id';
import { KEY_SPECS, type KeyName } from './key-specs';
import { keySegment } from './key-segment';
import { queueJobBodiesKey, queuePartitionTag } from './queue-keys';

/**
 * The one Redis schema of Tandem: every key a deployment uses, declared once, with its
 * name pattern, scope, type, whether it is derived (deleted by rediff and recomputed
 * from the stored exchanges) and how it expires. Every key name, in TypeScript and in
 * the Lua scripts (which get keys through KEYS, or key prefixes through ARGV, built
 * here), comes from this module; `test/store/key-fragments.test.ts` fails when a key
 * fragment is spelled anywhere else under `src/`.
 *
 * Pattern placeholders: `<name>` is an outside or variable value, written with
 * `keySegment` (escaped, or hashed when long); `<name#>` is written as the SHA-1 of the
 * value (signatures, cause keys, intersections: long texts).
 *
 * Hash tags: with `tagging: 'deployment'` (the default on a single Redis) every key carries
 * `{prefix}`, so all of a deployment sits in one slot and key names are what they always
 * were. With `tagging: 'route'` (the default on a Redis Cluster, issue #21) keys of scope
 * `route` carry `{prefix:r<mark>}` (`routeMark`: 8 hex digits of the route name's SHA-1),
 * so routes spread over the cluster's slots; keys of scope `exchange` carry the tag of
 * the route mark their id starts with (Tandem's ids do, see `newExchangeId`), so a
 * route's records sit in its slot and are found from the id alone; an id without a mark
 * falls back to `{prefix}`. The few deployment-wide keys (route list, drops, rollout
 * state, rules and their audits) keep `{prefix}`: one small slot. A multi-key script or
 * transaction therefore touches one route (or only deployment keys), and readers that
 * span routes split their pipelines by hash tag (`pipelineByTag`).
 *
 * Queue partitions (`queue.partitions`, issue #21): partition 0 is the queue as it always
 * was, under `{prefix}`; partition i > 0 is its own BullMQ queue under the hash tag
 * `{prefix:queue:i}` (`queueTag`), so partitions sit in different slots and spread over
 * a cluster's shards. A route's tag is `{prefix:r<8 hex>}`, so none equals a partition's.
 * A job's body parts live in its partition's namespace, so its slot.
 *
 * The declarations are in `key-specs.ts`, how an outside value becomes a key segment in
 * `key-segment.ts`, the queue's own key names in `queue-keys.ts`; the builders are here,
 * and this module re-exports the others: they are one schema.
 *
 * @example
 * const k = keySchema('tandem');
 * k.counters('products'); // '{tandem}:route:products:counters'
 * k.exchangesByCustomer('products', 'a:b'); // '{tandem}:route:products:ex-by:customer:a%3Ab'
 */
export { KEY_SPECS, derivedRouteKeys } from './key-specs';
export type { KeyScope, KeySpec, KeyName } from './key-specs';
export { keySegment, hashTagOf } from './key-segment';
export { queueJobBodiesKey, queuePartitionTag } from './queue-keys';

/**
 * How keys are hash-tagged (see the module comment): `'deployment'` (one slot; key names
 * as they always were) or `'route'` (one slot per route, records in their route's slot).
 *
 * @example
 * keySchema('tandem', { tagging: 'route' }).counters('p'); // '{tandem:r<mark of p>}:route:p:counters'
 */
export type KeyTagging = 'deployment' | 'route';

/** Each declared pattern cut at its placeholders once: literal parts and `<name>` / `<name#>` holes. */
const PATTERN_PARTS = Object.fromEntries(
  Object.entries(KEY_SPECS).map(([name, s]) => [name, s.pattern.split(/(<[a-z]+#?>)/).filter((p) => p !== '')]),
) as Record<KeyName, string[]>;

/**
 * What precedes the id in the keys `idKeys` builds (`done:`, `exchange:`...): each pattern is
 * a literal then `<id>`, one scope (the exchange's), checked here once.
 */
const ID_KEY_HEADS = (['done', 'exchange', 'mismatch', 'stagedExchange'] as const).map((name) => {
  const parts = PATTERN_PARTS[name];
  if (parts.length !== 2 || parts[1] !== '<id>' || KEY_SPECS[name].scope !== 'exchange')
    throw new Error(`key ${name}: idKeys expects '<literal><id>' of exchange scope`);
  return parts[0];
});

/** SHA-1 hex of a text: how `<name#>` placeholders are written. */
const sha1 = sha1Hex;

/**
 * A deployment's keys: its prefix and how its keys are hash-tagged (the resolved
 * `redis` config section is one).
 *
 * @example
 * const d: KeyDeployment = { prefix: 'tandem', tagging: 'route' };
 */
export interface KeyDeployment {
  readonly prefix: string;
  readonly tagging?: KeyTagging;
}

/**
 * Every key builder of one deployment: key prefix `prefix` (or a `KeyDeployment`, whose
 * `tagging` wins over `o.tagging`), hash-tagged as the module comment says.
 *
 * @example
 * const k = keySchema('tandem');
 * k.mismatch('lx3k-1'); // '{tandem}:mismatch:lx3k-1'
 * k.prefixOf('exchangesByCustomer', 'products'); // '{tandem}:route:products:ex-by:customer:'
 * const r = keySchema({ prefix: 'tandem', tagging: 'route' });
 * r.counters('products'); // '{tandem:r<mark of products>}:route:products:counters'
 */
export function keySchema(deployment: string | KeyDeployment, o: { tagging?: KeyTagging } = {}) {
  const prefix = typeof deployment === 'string' ? deployment : deployment.prefix;
  const tagging = (typeof deployment === 'string' ? undefined : deployment.tagging) ?? o.tagging ?? 'deployment';
  const deploymentTag = `{${prefix}}`;
  const markTag = (mark: string | undefined) => (mark === undefined ? deploymentTag : `{${prefix}:r${mark}}`);
  const routeTag = (route: string) => (tagging === 'route' ? markTag(routeMark(route)) : deploymentTag);
  const tagOf = (name: KeyName, params: readonly string[]): string => {
    if (tagging !== 'route') return deploymentTag;
    const scope = KEY_SPECS[name].scope;
    if (scope === 'route') return routeTag(params[0] ?? '');
    return scope === 'exchange' ? markTag(markOfId(params[0] ?? '')) : deploymentTag;
  };
  /** The key `name` with its placeholders filled in order; with `open`, stop before the last placeholder (a prefix for Lua). */
  const build = (name: KeyName, params: readonly string[], open = false): string => {
    const parts = PATTERN_PARTS[name];
    let out = `${tagOf(name, params)}:`;
    let i = 0;
    const holes = open ? parts.filter((s) => s.startsWith('<')).length : -1;
    for (const part of parts) {
      if (!part.startsWith('<')) out += part;
      else {
        if (open && i === holes - 1) return out;
        const v = params[i++] ?? '';
        out += part.endsWith('#>') ? sha1(v) : keySegment(v);
      }
    }
    return out;
  };
  return {
    tagging,
    /** The hash tag of a route's keys (`{prefix}` under deployment tagging). */
    routeTag,
    /**
     * The id a route's exchange is recorded under: `id` itself, except under per-route
     * tagging for an id that does not start with the route's mark (made before marks, or
     * not by Tandem), which gets it (`<mark>.<id>`): the same id always gives the same
     * one, so recording stays at most once per exchange, and its records join the route's slot.
     */
    recordId: (route: string, id: string) => (tagging !== 'route' || markOfId(id) === routeMark(route) ? id : `${routeMark(route)}.${id}`),
    /** The prefix of a route's per-id keys (`exchange`, `mismatch`, `done`): the scripts append ids recorded by `recordId`. */
    recordPrefix: (name: 'exchange' | 'mismatch' | 'done', route: string) => build(name, [`${routeMark(route)}.`], true),
    /** SCAN pattern of every key of the deployment, whatever its tag: `{prefix}`, a route's or a queue partition's. */
    everyKeyPattern: `${escapeGlob(`{${prefix}`)}[}:]*`,
    /** BullMQ prefix (hash-tagged too) of partition 0: the queue of a deployment with one partition. */
    queuePrefix: deploymentTag,
    /**
     * BullMQ prefix of queue partition `partition` (0-based): its own hash tag, so its own
     * slot; partition 0 keeps the deployment's (`{prefix}`), so one partition is the queue
     * it always was. Throws on a negative or fractional partition.
     */
    queueTag: (partition: number) => queuePartitionTag(prefix, partition),
    /** The hash tag and separator every deployment-wide key starts with (`{tandem}:`). */
    prefix: `${deploymentTag}:`,
    /** The name of any declared key. */
    key: (name: KeyName, ...params: string[]) => build(name, params),
    /** A declared key up to its last placeholder: the Lua scripts append the last segment themselves (already `keySegment`-ed). */
    prefixOf: (name: KeyName, ...params: string[]) => build(name, params, true),
    /** The escaped form of a value as the scripts append it to a `prefixOf` prefix. */
    segment: keySegment,
    /** SCAN pattern of every key of a variable family of one route (`...:mm-by:customer:*`). */
    familyPattern: (name: KeyName, route: string) => `${escapeGlob(build(name, [route], true))}*`,
    /**
     * One SCAN pattern covering several families of one route (their names' longest common
     * start, then `*`): one pass over a node's keys instead of one per family; what it finds
     * is filtered by each family's `prefixOf`.
     */
    familiesPattern: (names: readonly KeyName[], route: string) => `${escapeGlob(commonStart(names.map((n) => build(n, [route], true))))}*`,
    routes: build('routes', []),
    drops: build('drops', []),
    redactKey: build('redactKey', []),
    reportRevoked: (session: string) => build('reportRevoked', [session]),
    /** The failed sign-in counter of a client address or address group (written as its SHA-1: an address is client-chosen behind trusted proxies). */
    reportSignInFailures: (address: string) => build('reportSignInFailures', [address]),
    rolloutVersion: build('rolloutVersion', []),
    rolloutGroups: build('rolloutGroups', []),
    rolloutAudit: build('rolloutAudit', []),
    notifySignature: (route: string, signature: string) => build('notifySignature', [route, signature]),
    notifyRate: (route: string, window: number) => build('notifyRate', [route, String(window)]),
    notifyRateSent: (route: string, window: number) => build('notifyRateSent', [route, String(window)]),
    /** The body parts of a job of the queue whose BullMQ qualified name is `queue` (already `{prefix}:<name>`). */
    queueJobBodies: queueJobBodiesKey,
    /** SCAN pattern of every key of one BullMQ queue (`queue` is its name), in partition `partition` (default 0). */
    queuePattern: (queue: string, partition = 0) => `${escapeGlob(`${queuePartitionTag(prefix, partition)}:${keySegment(queue)}`)}:*`,
    /** The zset that records how many partitions the queue named `queue` uses (see `KEY_SPECS.queuePartitions`); in the deployment's slot. */
    queuePartitions: (queue: string) => build('queuePartitions', [queue]),
    /**
     * The four keys named by a recorded exchange id, as `done`, `exchange`, `mismatch` and
     * `stagedExchange` give them (the id's tag and segment worked out once: the record script's
     * per-exchange keys).
     *
     * @example
     * k.idKeys('lx3k-1'); // ['{tandem}:done:lx3k-1', '{tandem}:exchange:lx3k-1', '{tandem}:mismatch:lx3k-1', '{tandem}:staged:exchange:lx3k-1']
     */
    idKeys: (id: string): [done: string, exchange: string, mismatch: string, staged: string] => {
      const head = `${tagOf('done', [id])}:`;
      const seg = keySegment(id);
      return [head + ID_KEY_HEADS[0] + seg, head + ID_KEY_HEADS[1] + seg, head + ID_KEY_HEADS[2] + seg, head + ID_KEY_HEADS[3] + seg];
    },
    done: (id: string) => build('done', [id]),
    exchange: (id: string) => build('exchange', [id]),
    mismatch: (id: string) => build('mismatch', [id]),
    stagedExchange: (id: string) => build('stagedExchange', [id]),
    counters: (route: string) => build('counters', [route]),
    customers: (route: string) => build('customers', [route]),
    exchanges: (route: string) => build('exchanges', [route]),
    rules: (route: string) => build('rules', [route]),
    rulesAudit: (route: string) => build('rulesAudit', [route]),
    rediffLock: (route: string) => build('rediffLock', [route]),
    rolloutRoute: (route: string) => build('rolloutRoute', [route]),
    customerSet: (route: string) => build('customerSet', [route]),
    fields: (route: string) => build('fields', [route]),
    noiseFields: (route: string) => build('noiseFields', [route]),
    fieldTotals: (route: string) => build('fieldTotals', [route]),
    signatures: (route: string) => build('signatures', [route]),
    signatureMeta: (route: string) => build('signatureMeta', [route]),
    mismatches: (route: string) => build('mismatches', [route]),
    repeatFields: (route: string) => build('repeatFields', [route]),
    suspected: (route: string) => build('suspected', [route]),
    dedupe: (route: string) => build('dedupe', [route]),
    dedupeOrder: (route: string) => build('dedupeOrder', [route]),
    duplicates: (route: string) => build('duplicates', [route]),
    readiness: (route: string) => build('readiness', [route]),
    causes: (route: string) => build('causes', [route]),
    causeMeta: (route: string) => build('causeMeta', [route]),
    causeCustomers: (route: string, causeKey: string) => build('causeCustomers', [route, causeKey]),
    mismatchesBySignature: (route: string, signature: string) => build('mismatchesBySignature', [route, signature]),
    mismatchesByRisk: (route: string, risk: string) => build('mismatchesByRisk', [route, risk]),
    mismatchesByCustomer: (route: string, customer: string) => build('mismatchesByCustomer', [route, customer]),
    exchangesByClass: (route: string, cls: string) => build('exchangesByClass', [route, cls]),
    exchangesByCustomer: (route: string, customer: string) => build('exchangesByCustomer', [route, customer]),
    /** Per-minute buckets of one epoch hour (`Math.floor(at / 3_600_000)`). */
    trend: (route: string, hour: number) => build('trend', [route, String(hour)]),
    customerReadiness: (route: string, customer: string) => build('customerReadiness', [route, customer]),
    /** A short-lived intersection of several indexes of one route. */
    intersection: (route: string, parts: string[]) => build('intersection', [route, parts.join('\n')]),
  };
}

/**
 * The key builders `keySchema` returns.
 *
 * @example
 * const k: KeySchema = keySchema('tandem');
 */
export type KeySchema = ReturnType<typeof keySchema>;

/** The longest text every one of `texts` starts with ('' for none). */
function commonStart(texts: readonly string[]): string {
  if (!texts.length) return '';
  let out = texts[0];
  for (const t of texts) while (!t.startsWith(out)) out = out.slice(0, -1);
  return out;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
