import type { Cluster } from 'ioredis';
import { openRedis, storeKeys, type RedisClient } from '../../src/store';
import { PartitionWorker } from '../../src/worker/partition-worker';
import { testClusterNodes } from '../support/cluster';
import { uniquePrefix } from '../support/redis';

/**
 * A comparison worker on the test Redis Cluster closes without connecting its blocking
 * connection again. BullMQ interrupts the worker's waiting `BZPOPMIN` by disconnecting
 * that Cluster client, and the interrupted command's failure used to make BullMQ
 * reconnect it while it was being closed: the quit that followed could miss node
 * connections of that reconnect (replicas turned `READONLY` among them), which then
 * held jest's cluster pass open (sockets to 127.0.0.1:7003 and 7005).
 *
 * The seed nodes are all six nodes of the test cluster, replicas included, as in the
 * cluster pass.
 */
describe('a comparison worker on the Redis Cluster, closed', () => {
  const prefix = uniquePrefix('wclose');
  let connection: RedisClient;

  beforeAll(() => {
    connection = openRedis({ cluster: { nodes: testClusterNodes() } }, 'worker');
  });
  afterAll(async () => {
    await connection.quit().catch(() => connection.disconnect());
  });

  /** Clients of every node of the cluster whose name is `name`. */
  const clientsNamed = async (name: string) => {
    const lists = await Promise.all((connection as Cluster).nodes('all').map((n) => n.client('LIST') as Promise<string>));
    return lists.flatMap((l) => l.split('\n')).filter((line) => line.includes(` name=${name} `));
  };

  it('does not reconnect its blocking connection while closing, and leaves no connection of it open', async () => {
    const worker = new PartitionWorker('compare', async () => 0, {
      connection,
      prefix: storeKeys(prefix).queueTag(0),
      lockDuration: 5000,
      stalledInterval: 5000,
    });
    await worker.waitUntilReady();
    const blocking = (await worker.backend.blockingConnection!.client) as unknown as Cluster;
    const name = blocking.options.redisOptions?.connectionName ?? '';
    expect(name).toContain(prefix);
    // Waiting for a job: its BZPOPMIN is under way.
    await new Promise((r) => setTimeout(r, 500));

    const statuses: string[] = [];
    for (const status of ['connecting', 'connect', 'ready']) blocking.on(status, () => statuses.push(status));
    await worker.close();
    // Anything a late reconnect would do has happened by now.
    await new Promise((r) => setTimeout(r, 1000));

    expect(statuses).toEqual([]);
    expect(await clientsNamed(name)).toEqual([]);
  });
});
