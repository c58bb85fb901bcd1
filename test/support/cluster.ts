import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The seed nodes of the Redis Cluster the cluster tests use. `.ci/run` starts one and
 * exports REDIS_CLUSTER_NODES (jest's global setup keeps it, for these tests only, as
 * TANDEM_TEST_CLUSTER_NODES). Without it the tests start the cluster themselves with
 * `.ci/redis-cluster` (reused when it already runs), so they never skip silently.
 */
let nodes: string[] | undefined;

export function testClusterNodes(): string[] {
  nodes ??= startOrFind();
  return nodes;
}

function startOrFind(): string[] {
  const given = process.env.TANDEM_TEST_CLUSTER_NODES || process.env.REDIS_CLUSTER_NODES;
  const list =
    given ||
    execFileSync(join(__dirname, '../../.ci/redis-cluster'), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 60_000,
    }).trim();
  const nodes = list
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (!nodes.length) throw new Error('no Redis Cluster nodes: set REDIS_CLUSTER_NODES or let .ci/redis-cluster start one');
  return nodes;
}
