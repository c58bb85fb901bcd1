import { spec } from './key-spec';

/**
 * Key declarations of deployment state: routes seen, drops, the redaction key, report sessions and sign-in limits, runtime rules, rollout, notifications and the queue's own keys. Part of `KEY_SPECS` (key-specs.ts), which is the one entry point: see it for what
 * each field means.
 */
export const DEPLOYMENT_KEY_SPECS = {
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
} as const;
