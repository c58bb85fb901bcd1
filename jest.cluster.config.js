/**
 * The cluster pass (`npm run test:cluster`, part of `npm test`): the suites whose work is
 * Redis-bound run a second time, unchanged, on the test Redis Cluster (three masters, one
 * replica each; REDIS_CLUSTER_NODES, else started by .ci/redis-cluster). Their helpers
 * (test/support/redis.ts, tandem.ts) open Redis and write configs for the Redis of the run,
 * so a script or transaction that touches keys of two slots fails here (CROSSSLOT).
 *
 * Chosen by what they drive through Redis: the record script, the queue and its workers,
 * rediff, the report queries, the rollout and rules stores, notifications, retention.
 * Left to the single-Redis pass: suites about HTTP fidelity, translation, comparison and
 * faults of processes or backends, and the long ones (report/scale, noise-cancellation:
 * a minute each) whose Redis work the chosen ones already cover.
 */
const base = require('./jest.config');

// Read by test/global-setup.js (finds or starts the cluster once) and, through
// test/cluster-pass.js, by the helpers in every suite.
process.env.TANDEM_TEST_REDIS = 'cluster';

const SUITES = [
  'e2e/shadow-flow',
  'e2e/counts-reconcile',
  'e2e/bounded-results',
  'e2e/lag-exchanges',
  'e2e/redirects-status-dedupe',
  'ops/scale-out',
  'worker/rediff',
  'worker/sampled-exchanges',
  'report/api',
  'report/match-rate.e2e',
  'report/root-causes',
  'report/unknown-names',
  'report/shared-limiter',
  'rollout/cli',
  'rollout/middleware',
  'rollout/propagation',
  'rollout/rollout-store',
  'rollout/serve-candidate',
  'rollout/readiness',
  'rollout/mirror-writes',
  'notify/notifications',
  'rules/runtime-rules',
  'store/clear-derived',
  'store/customer-cap',
  'store/dedupe',
  'store/record-cap',
  'store/record-integrity',
  'store/sampled-records',
  'store/count-once',
  'worker/failed-job-counts-routes',
  'store/shared-body',
  'queue/body-parts',
  'faults/retention',
];

module.exports = {
  ...base,
  displayName: 'cluster',
  roots: ['<rootDir>/test'],
  testMatch: SUITES.map((s) => `<rootDir>/test/${s}.test.ts`),
  setupFiles: ['<rootDir>/test/cluster-pass.js'],
  // No forceExit: the pass must end by itself, as the single-Redis one does, so a client
  // left open shows (a worker's blocking Cluster connection once did: see
  // src/worker/partition-worker.ts and test/cluster/worker-close.test.ts).
};
