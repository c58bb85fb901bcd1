import { createHash } from 'node:crypto';
import { markOfId, routeMark } from '../records/exchange-id';

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
 * @example
 * const k = keySchema('tandem');
 * k.counters('products'); // '{tandem}:route:products:counters'
 * k.exchangesByCustomer('products', 'a:b'); // '{tandem}:route:products:ex-by:customer:a%3Ab'
 */
export const KEY_SPECS = {
  // deployment-wide
  routes: spec(
    'routes',
    'deployment',
    'set',
    false,
    'none',
    'Route names that have seen traffic (ingress counters, and the store beside each record).',
  ),
  drops: spec('drops', 'deployment', 'hash', false, 'none', 'Exchanges dropped before a route was known, by reason.'),
  redactKey: spec('redact-key', 'deployment', 'string', false, 'none', 'HMAC key of redacted-value fingerprints when none is configured.'),
  reportRevoked: spec(
    'report:revoked:<session>',
    'deployment',
    'string',
    false,
    'until the session would have expired',
    'A signed-out report session.',
  ),
  reportSignInFailures: spec(
    'report:signin-failures:<address#>',
    'deployment',
    'string',
    false,
    'the end of its window (a minute)',
    'Failed report sign-ins (and wrong tokens) of one client address in the current window, shared by every process and instance.',
  ),
  // per route, but in the deployment slot: the rollout script and the rules' transaction
  // change them together with the deployment-wide version and audit (issue #21)
  rules: spec('rules:<route>', 'deployment', 'hash', false, 'none', 'Runtime compare rules of a route (user state).'),
  rulesAudit: spec('rules:<route>:audit', 'deployment', 'list', false, 'capped (1000)', 'Audit log of the runtime rules.'),
  rolloutRoute: spec(
    'rollout:route:<route>',
    'deployment',
    'hash',
    false,
    'none',
    'Rollout of a route: phase, percentage, sampleRate, customer:<id>, group:<name>.',
  ),
  rolloutVersion: spec('rollout:version', 'deployment', 'string', false, 'none', 'Incremented on every rollout change; instances poll it.'),
  rolloutGroups: spec('rollout:groups', 'deployment', 'hash', false, 'none', 'Rollout groups: name -> JSON array of customer ids.'),
  rolloutAudit: spec('rollout:audit', 'deployment', 'list', false, 'capped (rollout.auditSize)', 'Rollout audit log, newest first.'),
  notifySignature: spec(
    'notify:sig:<route>:<signature#>',
    'route',
    'string',
    false,
    'retention.ttlSeconds',
    'A new-signature notification was sent (dedupe).',
  ),
  notifyRate: spec(
    'notify:rate:<route>:<window>',
    'route',
    'hash',
    false,
    '2 notify windows',
    'Result classes of one match-rate notification window.',
  ),
  notifyRateSent: spec(
    'notify:rate:<route>:<window>:sent',
    'route',
    'string',
    false,
    '2 notify windows',
    "The window's match-rate notification was sent.",
  ),
  queueJobBodies: spec(
    '<queue>:bodies:<job>',
    'deployment',
    'list',
    false,
    'BODY_PARTS_TTL_SECONDS',
    'Raw body bytes of one packed comparison job (BullMQ queue namespace, so the slot of its partition).',
  ),
  queuePartitions: spec(
    '<queue>:partitions',
    'deployment',
    'zset',
    false,
    'none (one member)',
    'Queue partitions in use (member `width`, score = partitions): the most any producer announced, lowered by a worker once the partitions above its own `queue.partitions` are empty. Only written when `queue.partitions` > 1.',
  ),
  // per exchange id (Tandem's own ids); they belong to one route
  done: spec(
    'done:<id>',
    'exchange',
    'string',
    false,
    'retention.dedupeSeconds',
    'The exchange was recorded (at most once per exchange id).',
  ),
  exchange: spec(
    'exchange:<id>',
    'exchange',
    'string',
    false,
    'retention.ttlSeconds, capped per route',
    'A stored raw exchange (JSON); rediff reads these.',
  ),
  mismatch: spec('mismatch:<id>', 'exchange', 'string', true, 'retention.ttlSeconds, capped per route', 'A stored mismatch record (JSON).'),
  stagedExchange: spec(
    'staged:exchange:<id>',
    'exchange',
    'string',
    false,
    'retention.ttlSeconds; deleted by the record script call sent with it',
    'An exchange record written beside its record script call, which copies it to `exchange:<id>` (or not) and deletes it: its JSON never enters Lua.',
  ),
  // per route, kept by rediff
  counters: spec(
    'route:<route>:counters',
    'route',
    'hash',
    'fields',
    'none',
    'Per-route counters; ingress fields kept, result fields derived (isDerivedCounter).',
  ),
  customers: spec(
    'route:<route>:customers',
    'route',
    'hash',
    'fields',
    'none (at most customerCap + 1 customers)',
    'Per-customer counters, fields `<customer>|<counter>`.',
  ),
  exchanges: spec('route:<route>:exchanges', 'route', 'zset', false, 'trimmed by age and cap', 'Time index of the stored exchanges.'),
  rediffLock: spec('rediff-lock:<route>', 'route', 'string', false, '600 s', 'Held while a rediff of the route runs.'),
  // per route, derived
  customerSet: spec(
    'route:<route>:customer-set',
    'route',
    'set',
    true,
    'none (at most customerCap + 1 members)',
    'Customers with their own per-customer state (the cardinality cap).',
  ),
  fields: spec('route:<route>:fields', 'route', 'hash', true, 'none', 'Generalised path -> how often it differed.'),
  noiseFields: spec('route:<route>:noise-fields', 'route', 'hash', true, 'none', 'Generalised path -> how often it was noise.'),
  fieldTotals: spec(
    'route:<route>:field-totals',
    'route',
    'hash',
    true,
    'none',
    'Field tree: `d|<path>` / `n|<path>` -> comparisons in which the path or anything below it differed / was noise.',
  ),
  signatures: spec('route:<route>:signatures', 'route', 'hash', true, 'none', 'Mismatch signature -> count.'),
  signatureMeta: spec('route:<route>:signature-meta', 'route', 'hash', true, 'none', 'Per signature: first, last, risk, sample, samples.'),
  mismatches: spec('route:<route>:mismatches', 'route', 'zset', true, 'trimmed by age and cap', 'Time index of the stored mismatches.'),
  repeatFields: spec(
    'route:<route>:repeat-fields',
    'route',
    'hash',
    true,
    'none',
    'Noise learning: path -> repeats where legacy differed from itself.',
  ),
  suspected: spec('route:<route>:suspected', 'route', 'hash', true, 'none', 'Suspected volatile fields: path -> count.'),
  dedupe: spec('route:<route>:dedupe', 'route', 'hash', true, 'trimmed by age and cap', 'Mismatch content hash -> kept mismatch id.'),
  dedupeOrder: spec('route:<route>:dedupe-order', 'route', 'zset', true, 'trimmed by age and cap', 'Age index of `dedupe`.'),
  duplicates: spec('route:<route>:duplicates', 'route', 'hash', true, 'trimmed with `dedupe`', 'Kept mismatch id -> duplicates counted.'),
  readiness: spec(
    'route:<route>:readiness',
    'route',
    'list',
    true,
    'capped (rollout.window)',
    'Last N result classes (rollout readiness).',
  ),
  causes: spec('route:<route>:causes', 'route', 'hash', true, 'none (capped at 500 causes)', 'Root cause key -> count.'),
  causeMeta: spec(
    'route:<route>:cause-meta',
    'route',
    'hash',
    true,
    'none (capped with causes)',
    'Per cause: JSON, first, last, examples; `|over_cap`.',
  ),
  causeCustomers: spec(
    'route:<route>:cause-cust:<cause#>',
    'route',
    'hll',
    true,
    'none (capped with causes)',
    'Distinct customers of a cause.',
  ),
  mismatchesBySignature: spec(
    'route:<route>:mm-by:sig:<signature#>',
    'route',
    'zset',
    true,
    'retention.ttlSeconds',
    'Report index: mismatch ids by signature.',
  ),
  mismatchesByRisk: spec(
    'route:<route>:mm-by:risk:<risk>',
    'route',
    'zset',
    true,
    'retention.ttlSeconds',
    'Report index: mismatch ids by risk.',
  ),
  mismatchesByCustomer: spec(
    'route:<route>:mm-by:customer:<customer>',
    'route',
    'zset',
    true,
    'retention.ttlSeconds',
    'Report index: mismatch ids by customer.',
  ),
  exchangesByClass: spec(
    'route:<route>:ex-by:class:<class>',
    'route',
    'zset',
    true,
    'retention.ttlSeconds',
    'Report index: exchange ids by result class.',
  ),
  exchangesByCustomer: spec(
    'route:<route>:ex-by:customer:<customer>',
    'route',
    'zset',
    true,
    'retention.ttlSeconds',
    'Report index: exchange ids by customer.',
  ),
  trend: spec('route:<route>:trend:<hour>', 'route', 'hash', true, '25 hours', 'Per-minute trend buckets of one epoch hour.'),
  customerReadiness: spec(
    'route:<route>:readiness-customer:<customer>',
    'route',
    'list',
    true,
    'retention.ttlSeconds',
    'Last N result classes of one customer.',
  ),
  intersection: spec(
    'route:<route>:report-tmp:<parts#>',
    'route',
    'zset',
    true,
    '20 s',
    'A short-lived intersection of several report indexes.',
  ),
} as const;

/**
 * Scope of a key: one per deployment, one per route (its pattern holds `<route>`), or
 * one per exchange id (records of one route, addressed by Tandem's own id).
 *
 * @example
 * const s: KeyScope = KEY_SPECS.counters.scope; // 'route'
 */
export type KeyScope = 'deployment' | 'route' | 'exchange';

/**
 * One declared key: `derived` is true when rediff deletes and recomputes it, `'fields'`
 * when only some of its hash fields are derived (see `isDerivedCounter`), false for
 * user or ingress state. `expiry` says how the key is bounded in time or size.
 *
 * @example
 * const s: KeySpec = KEY_SPECS.trend; // { pattern: 'route:<route>:trend:<hour>', derived: true, expiry: '25 hours', ... }
 */
export interface KeySpec {
  pattern: string;
  scope: KeyScope;
  type: 'string' | 'hash' | 'set' | 'zset' | 'list' | 'hll';
  derived: boolean | 'fields';
  expiry: string;
  about: string;
}

/**
 * The name of a declared key.
 *
 * @example
 * const n: KeyName = 'counters';
 */
export type KeyName = keyof typeof KEY_SPECS;

/**
 * How keys are hash-tagged (see the module comment): `'deployment'` (one slot; key names
 * as they always were) or `'route'` (one slot per route, records in their route's slot).
 *
 * @example
 * keySchema('tandem', { tagging: 'route' }).counters('p'); // '{tandem:r<mark of p>}:route:p:counters'
 */
export type KeyTagging = 'deployment' | 'route';

/** The longest outside value written into a key as it is (escaped); longer ones are hashed. */
const MAX_SEGMENT = 100;

/**
 * An outside or variable value as one key segment. Letters, digits, `_`, `.`, `-` and
 * `@` stay as they are (so Tandem's own ids, route names and ordinary customer ids read
 * as themselves); every other byte of its UTF-8 is written `%XX`, so a segment never
 * holds `:`, `{`, `}`, `*`, `?`, `[`, `]`, `|`, whitespace or `~`. A segment longer than
 * 100 characters becomes `~` and the SHA-256 of the value (65 characters, and the only
 * segments holding `~`). So two different values never give the same segment, and no
 * value can reach another key, another route's keys or another hash tag.
 *
 * @example
 * keySegment('acme'); // 'acme'
 * keySegment('a:b'); // 'a%3Ab'
 * keySegment('x'.repeat(500)); // '~' + 64 hex digits
 */
export function keySegment(value: string): string {
  if (SAFE_SEGMENT.test(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.@-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    if (out.length > MAX_SEGMENT) break;
  }
  return out.length > MAX_SEGMENT ? `~${createHash('sha256').update(value, 'utf8').digest('hex')}` : out;
}

const SAFE_SEGMENT = /^[A-Za-z0-9_.@-]{0,100}$/;

/** Each declared pattern cut at its placeholders once: literal parts and `<name>` / `<name#>` holes. */
const PATTERN_PARTS = Object.fromEntries(
  Object.entries(KEY_SPECS).map(([name, s]) => [name, s.pattern.split(/(<[a-z]+#?>)/).filter((p) => p !== '')]),
) as Record<KeyName, string[]>;

/** SHA-1 hex of a text: how `<name#>` placeholders are written. */
function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

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
    /** The failed sign-in counter of a client address (written as its SHA-1: an address is client-chosen behind trusted proxies). */
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

/**
 * The derived keys of a route, as rediff clears them: `fixed` names, and `families`
 * (keys with a variable last segment) to find by SCAN with `familyPattern`. Read from
 * `KEY_SPECS`, so declaring a derived key there is all it takes.
 *
 * @example
 * derivedRouteKeys().fixed.includes('signatures'); // true
 */
export function derivedRouteKeys(): { fixed: KeyName[]; families: KeyName[] } {
  const fixed: KeyName[] = [];
  const families: KeyName[] = [];
  for (const [name, s] of Object.entries(KEY_SPECS) as [KeyName, KeySpec][]) {
    if (s.derived !== true || s.scope !== 'route') continue;
    if ((s.pattern.match(/<[a-z]+#?>/g) ?? []).length > 1) families.push(name);
    else fixed.push(name);
  }
  return { fixed, families };
}

/**
 * The list holding the raw body bytes of one packed comparison job, in the BullMQ
 * namespace of its queue (`queue` is the queue's qualified name, already hash-tagged).
 *
 * @example
 * queueJobBodiesKey('{tandem}:compare', 'lx3k-1'); // '{tandem}:compare:bodies:lx3k-1'
 */
export function queueJobBodiesKey(queue: string, job: string): string {
  return `${queue}:bodies:${keySegment(job)}`;
}

/**
 * The hash tag (BullMQ prefix) of queue partition `partition` of deployment `prefix`:
 * `{prefix}` for partition 0, `{prefix:queue:<partition>}` for the others.
 *
 * @example
 * queuePartitionTag('tandem', 0); // '{tandem}'
 * queuePartitionTag('tandem', 2); // '{tandem:queue:2}'
 */
export function queuePartitionTag(prefix: string, partition: number): string {
  if (!Number.isInteger(partition) || partition < 0) throw new RangeError(`queue partition must be a whole number >= 0, got ${partition}`);
  return partition === 0 ? `{${prefix}}` : `{${prefix}:queue:${partition}}`;
}

/**
 * The hash tag of a key name (what Redis Cluster hashes to pick its slot): the text
 * between the first `{` and the next `}` when that is not empty, else the whole name.
 * Keys with the same tag share a slot.
 *
 * @example
 * hashTagOf('{tandem:r1a2b3c4d}:route:p:counters'); // 'tandem:r1a2b3c4d'
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

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

function spec(
  pattern: string,
  scope: KeyScope,
  type: KeySpec['type'],
  derived: KeySpec['derived'],
  expiry: string,
  about: string,
): KeySpec {
  return { pattern, scope, type, derived, expiry, about };
}
