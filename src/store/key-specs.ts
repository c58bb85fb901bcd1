/**
 * The declared keys of Tandem's one Redis schema (see the module comment of
 * `key-schema.ts`, which builds every key name from these declarations).
 */

/**
 * Every key a deployment uses, declared once: its name pattern, scope, type, whether it is
 * derived (deleted by rediff and recomputed from the stored exchanges) and how it expires.
 * `<name>` placeholders are written with `keySegment`, `<name#>` as the SHA-1 of the value.
 *
 * @example
 * KEY_SPECS.counters.pattern; // 'route:<route>:counters'
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
    'Failed report sign-ins (and wrong tokens) of one client address (an IPv4 address, an IPv6 /64) in the current window, shared by every process and instance.',
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
