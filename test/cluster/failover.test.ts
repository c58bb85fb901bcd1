import IORedis from 'ioredis';
import { dataNodes, scanKeys, storeKeys } from '../../src/store';
import { recordFigures } from '../faults/helpers/figures';
import { sleep, startLoad, waitUntil } from '../faults/helpers/load';
import { uniquePrefix } from '../support/redis';
import { clusterScriptAt, ended, ROUTES, startShardFaultRig, sum, type ShardFaultRig } from './shard-fault-rig';

/**
 * Fault: the master that holds the deployment's slot is killed (SIGKILL) while a real
 * `tandem serve` (with its own worker) and a `tandem worker` on the Redis Cluster take
 * steady traffic on two routes. Clients must see legacy's answers throughout; the
 * replica takes over; comparisons resume; whatever could not be queued meanwhile is
 * counted by reason; every accepted exchange ends in exactly one counter, once. The killed node then restarts from its folder
 * (`.ci/redis-cluster`) and rejoins as a replica.
 *
 * The test kills a master, so it runs on a cluster of its own (`.ci/redis-cluster` on
 * ports 7100-7105, TANDEM_FAILOVER_CLUSTER_PORT moves them), stopped afterwards: the
 * shared one on 7000-7005 may be serving another cluster test at that moment.
 */
const BASE_PORT = Number(process.env.TANDEM_FAILOVER_CLUSTER_PORT || 7100);
const LOAD_MS = 14_000;
const KILL_AFTER_MS = 3_000;

describe('fault: the master of the deployment slot is killed under traffic (Redis Cluster)', () => {
  const prefix = uniquePrefix('failover');
  let rig: ShardFaultRig;
  let killedPort = 0;

  /** Who a surviving node says serves `slot` once it sees the cluster ok (undefined before). */
  const slotOwnerSeenBy = async (port: number, slot: number): Promise<number | undefined> => {
    const node = new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
    node.on('error', () => undefined);
    try {
      if (!/cluster_state:ok/.test(String(await node.cluster('INFO')))) return undefined;
      const owner = (await node.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
      return owner ? Number(owner[2][1]) : undefined;
    } catch {
      return undefined;
    } finally {
      node.disconnect();
    }
  };
  beforeAll(async () => {
    rig = await startShardFaultRig('failover', BASE_PORT, prefix);
  }, 60_000);

  afterAll(async () => {
    await rig?.stop();
  }, 45_000);

  it('serves every client, fails over, resumes comparing, and counts every exchange once', async () => {
    // The queue and the deployment-wide keys are in the slot of `{prefix}`: find the master serving it.
    const slot = Number(await rig.probe.cluster('KEYSLOT', storeKeys(prefix).routes));
    const table = await rig.probe.cluster('SLOTS');
    const owner = table.find(([from, to]) => slot >= from && slot <= to)!;
    killedPort = Number(owner[2][1]);
    const master = dataNodes(rig.probe).find((n) => n.options.port === killedPort)!;
    const pid = Number(/process_id:(\d+)/.exec(await master.info('server'))?.[1]);
    expect(pid).toBeGreaterThan(0);

    const load = startLoad(
      rig.tandem.url,
      (i) => (i % 2 ? `/orders/${i}` : `/products/${i}`),
      2,
      (r, i) => r.status === 200 && r.body.includes(i % 2 ? `"/orders/${i}"` : `"/products/${i}"`),
      { pauseMs: 100 },
    );
    await sleep(KILL_AFTER_MS);
    const beforeKill = await rig.comparedNow();
    expect(beforeKill).toBeGreaterThan(0);
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');

    // The replica takes over: another node serves the slot and the cluster is ok again.
    const other = rig.nodes.map((n) => Number(n.split(':')[1])).find((p) => p !== killedPort)!;
    const newMaster = await waitUntil(
      () => slotOwnerSeenBy(other, slot),
      (p) => p !== undefined && p !== killedPort,
      20_000,
      100,
    );
    const failoverMs = Date.now() - killedAt;
    // Comparisons resume: compared keeps growing past what it was at the kill.
    const atRecovery = await waitUntil(rig.comparedNow, (n) => n >= 0, 10_000, 200);
    await waitUntil(rig.comparedNow, (n) => n > Math.max(atRecovery, beforeKill), 20_000, 200);
    const resumedMs = Date.now() - killedAt;

    await sleep(Math.max(0, LOAD_MS - (Date.now() - killedAt + KILL_AFTER_MS)));
    const client = await load.stop();

    // Once the queue drains, every accepted exchange ended in exactly one counter.
    const done = await rig.drained(client.sent, 20_000);
    const c = done.c;
    const k = storeKeys({ prefix, tagging: 'route' });
    const markers = (await Promise.all(ROUTES.map((r) => scanKeys(rig.probe, `${k.recordPrefix('done', r)}*`)))).flat().length;
    recordFigures('cluster-failover', {
      sent: client.sent,
      clientFailures: client.failed,
      maxLatencyMs: client.maxLatencyMs,
      p99LatencyMs: client.p99LatencyMs,
      killedMaster: killedPort,
      newMaster,
      failoverMs,
      comparisonsResumedMs: resumedMs,
      counters: c,
      doneMarkers: markers,
      failedJobs: done.q.failed,
    });

    expect(client.errors).toEqual([]);
    expect(client.failed).toBe(0);
    expect(client.ok).toBe(client.sent);
    expect(client.sent).toBeGreaterThan(150);
    // No client waited on the failover (generous: the machine is shared and loaded).
    expect(client.maxLatencyMs).toBeLessThan(2000);
    for (const r of ROUTES) {
      expect(c[r].seen).toBe(ended(c[r]));
      expect(c[r].compared).toBeGreaterThan(0);
      expect(c[r].match).toBe(c[r].compared);
    }
    // What arrived while the slot had no master and did not fit the buffer was counted by reason.
    const droppedAll = ROUTES.reduce((n, r) => n + sum(c[r], 'dropped'), 0);
    expect(droppedAll).toBeGreaterThan(0);
    // ...as buffer_full: a batch whose connection died with the master is sent again, not
    // taken for one that Redis refused (queue_rejected).
    for (const r of ROUTES) expect(Object.keys(c[r]).filter((k) => k.startsWith('dropped:') && k !== 'dropped:buffer_full')).toEqual([]);
    // Nothing recorded twice: one done marker per compared exchange.
    expect(markers).toBe(ROUTES.reduce((n, r) => n + (c[r].compared ?? 0), 0));
    expect(done.q.failed).toBe(0);

    // The killed node restarts from its folder (same identity) and rejoins as the new master's replica.
    expect(clusterScriptAt(BASE_PORT)()).toBe(rig.nodes.join(','));
    const back = new IORedis({ host: '127.0.0.1', port: killedPort, maxRetriesPerRequest: 1 });
    try {
      expect(await back.info('replication')).toMatch(new RegExp(`role:slave[\\s\\S]*master_port:${newMaster}`));
      expect(await back.cluster('INFO')).toMatch(/cluster_state:ok/);
    } finally {
      back.disconnect();
    }
  }, 60_000);
});
