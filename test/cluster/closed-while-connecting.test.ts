import type { Cluster } from 'ioredis';
import { openRedis } from '../../src/store';
import { testClusterNodes } from '../support/cluster';

/**
 * A cluster client closed while it connects stays closed. ioredis reopened one closed between
 * fetching its slots and its ready check (its `refresh` event): it became ready, armed its
 * slots-refresh timer and kept the process alive (jest's cluster pass: "Jest did not exit one
 * second after the test run has completed").
 */
describe('a cluster client closed while it connects', () => {
  it.each(['quit', 'disconnect'] as const)('stays closed after %s() on its slots refresh', async (how) => {
    const redis = openRedis({ cluster: { nodes: testClusterNodes() } }, 'client') as Cluster;
    redis.once('refresh', () => (how === 'quit' ? void redis.quit().catch(() => undefined) : redis.disconnect()));
    const closed = () => ['close', 'end'].includes(redis.status) && redis.nodes().length === 0;
    for (let i = 0; i < 100 && !closed(); i++) await new Promise((r) => setTimeout(r, 100));
    // Still closed a moment later (before: ready, its nodes connected, a slots-refresh timer armed).
    await new Promise((r) => setTimeout(r, 1000));
    expect({ status: redis.status, nodes: redis.nodes().length }).toEqual({ status: expect.stringMatching(/^(close|end)$/), nodes: 0 });
    redis.disconnect();
  });
});
