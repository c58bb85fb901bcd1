import type { Cluster } from 'ioredis';
import { openRedis } from '../../src/store';
import { waitUntil } from '../faults/helpers/load';
import { startRedisProcess, type RedisProcess } from '../support/processes';

/**
 * `connect()` of a cluster client settles while its cluster reports `cluster_state:fail`,
 * for the client and for its duplicates (BullMQ's workers run on duplicates). ioredis left
 * it pending for ever once the attempt's ready check saw the failing state; BullMQ awaits it
 * when it resets a worker's blocking connection, and that worker never fetched a job again:
 * in the frozen-shard suite (a shard's master and replica stopped for 8 s) comparisons did not
 * resume after the shard thawed.
 *
 * The cluster is a real one of one node (all slots on it, on a port of its own); removing one
 * slot from it makes its state `fail` while it answers, adding it back makes it `ok`.
 */
describe('a cluster client connecting while its cluster is failing', () => {
  let node: RedisProcess;
  let admin: ReturnType<RedisProcess['client']>;
  const open: Cluster[] = [];

  beforeAll(async () => {
    node = await startRedisProcess(['--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1']);
    admin = node.client();
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    // A new master turns ok about 2 s after it started (Redis' writable delay).
    await waitUntil(
      async () => String(await admin.call('CLUSTER', 'INFO')),
      (info) => info.includes('cluster_state:ok'),
      15_000,
    );
  }, 30_000);

  afterAll(async () => {
    open.forEach((c) => c.disconnect());
    await node?.remove();
  });

  const state = async () => /cluster_state:(\w+)/.exec(String(await admin.call('CLUSTER', 'INFO')))?.[1];

  it.each([
    ['the client', (c: Cluster) => c],
    ['a duplicate of it', (c: Cluster) => c.duplicate()],
  ])(
    'settles for %s, and the client is ready once the cluster is ok',
    async (_, pick) => {
      const opened = openRedis({ cluster: { nodes: [`127.0.0.1:${node.port}`] } }, 'worker', { lazyConnect: true }) as Cluster;
      const client = pick(opened);
      open.push(opened, client);
      await admin.call('CLUSTER', 'DELSLOTS', '16383');
      await waitUntil(state, (s) => s === 'fail', 5_000);

      // Its ready check sees `fail`: the attempt closes (and the client retries by itself).
      const closed = new Promise((r) => client.once('close', r));
      const outcome = client.connect().then(
        () => 'resolved',
        (e: Error) => `rejected: ${e.message}`,
      );
      await closed;
      await admin.call('CLUSTER', 'ADDSLOTS', '16383');
      await waitUntil(
        async () => client.status,
        (s) => s === 'ready',
        10_000,
      );

      // Before: still pending here, and for ever.
      const pending = new Promise<string>((r) => setTimeout(r, 1000, 'pending').unref());
      expect(await Promise.race([outcome, pending])).toBe('rejected: Connection is closed.');
    },
    30_000,
  );
});
