import { spawnSync } from 'node:child_process';
import IORedis from 'ioredis';
import { startChild, type BenchChild } from './children';
import { freePort, waitUntil } from './bench-env';

/** A private redis-server for the benchmark (flushed freely: nothing else uses it). */
export interface BenchRedis {
  url: string;
  child: BenchChild;
  /** Drop every key (queue backlogs and results of the previous scenario). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start redis-server on a free 127.0.0.1 port on core 1, without persistence. A
 * private server keeps queue backlogs built at saturation away from the shared Redis.
 *
 * @example
 * const redis = await startBenchRedis();
 * await redis.flush();
 * await redis.stop();
 */
export async function startBenchRedis(): Promise<BenchRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error('the benchmark needs redis-server: apt-get install -y redis-server');
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxmemory',
    '4gb',
    '--maxmemory-policy',
    'noeviction',
  ];
  const { child } = await startChild('redis-server', 'redis-server', args, { core: 1 });
  const url = `redis://127.0.0.1:${port}`;
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  await waitUntil(async () => (await client.ping().catch(() => '')) === 'PONG', 10_000, 'redis-server');
  return {
    url,
    child,
    flush: async () => void (await client.flushall()),
    async stop() {
      client.disconnect();
      await child.stop(3000);
    },
  };
}
