import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { openRedis } from '../../src/store';
import { freePort, tempDir, writeConfig } from '../support/processes';

/**
 * A one-shot command on a Redis Cluster whose nodes freeze (SIGSTOP) or die (SIGKILL) while
 * a command waits. A cluster client keeps a command in its own queue while it reconnects or
 * refreshes its slots, outside the nodes' `commandTimeout`: before, `tandem rediff` on a lost
 * cluster waited for ever (the PING watch dropped the connection, the queued command stayed),
 * and a command given to a cluster that had gone away never failed. Now every command of a
 * one-shot cluster client is bounded from the moment it is given, and a lost cluster fails
 * the ones waiting at once.
 *
 * It freezes and kills every node, so it runs on a cluster of its own (`.ci/redis-cluster` on
 * ports 7200-7205, TANDEM_LOST_CLUSTER_PORT moves them), stopped afterwards.
 */
const SCRIPT = join(__dirname, '../../.ci/redis-cluster');
const BIN = join(__dirname, '../../bin/tandem.js');
const BASE_PORT = Number(process.env.TANDEM_LOST_CLUSTER_PORT || 7200);
const PORTS = [0, 1, 2, 3, 4, 5].map((i) => BASE_PORT + i);
const clusterScript = (...args: string[]) =>
  execFileSync(SCRIPT, args, {
    env: { ...process.env, TANDEM_CLUSTER_PORT: String(BASE_PORT) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 90_000,
  }).trim();

/** Each node's control connection and process id. */
async function nodesOf(): Promise<{ node: IORedis; pid: number }[]> {
  return Promise.all(
    PORTS.map(async (port) => {
      const node = new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null });
      node.on('error', () => undefined);
      const pid = Number(/process_id:(\d+)/.exec(await node.info('server'))?.[1]);
      return { node, pid };
    }),
  );
}

describe('one-shot commands on a Redis Cluster that freezes or is lost', () => {
  jest.setTimeout(180_000);
  const dir = tempDir('cluster-lost');
  let nodes: string[] = [];
  let config = '';
  let frozen: number[] = [];

  beforeAll(() => {
    nodes = clusterScript().split(',');
    config = writeConfig(dir.path, {
      legacy: { url: 'http://127.0.0.1:1' },
      candidate: { url: 'http://127.0.0.1:2' },
      redis: { cluster: { nodes: nodes.slice(0, 3) }, prefix: 'cluster-lost' },
      routes: [{ name: 'product', match: 'GET /p/:id' }],
    });
  });
  afterAll(() => {
    // Nodes may be stopped: continue them so that `stop` can shut them down.
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // gone already
      }
    }
    clusterScript('stop');
    dir.remove();
  });

  /** `tandem rediff` with every node's writes paused; once its write waits, `fault` is done to every node. */
  async function rediffWhile(fault: 'SIGSTOP' | 'SIGKILL') {
    const control = await nodesOf();
    await Promise.all(control.map(({ node }) => node.call('CLIENT', 'PAUSE', '60000', 'WRITE')));
    const started = Date.now();
    const done = new Promise<{ code: number | string | null; out: string }>((resolve) =>
      execFile(
        process.execPath,
        [BIN, 'rediff', '--route', 'product', '-c', config],
        { env: { ...process.env, REDIS_URL: '', REDIS_CLUSTER_NODES: '' }, timeout: 60_000 },
        (err, stdout, stderr) =>
          resolve({
            code: err ? (err.killed ? `killed (${String(err.signal)})` : (err as NodeJS.ErrnoException).code!) : 0,
            out: stdout + stderr,
          }),
      ),
    );
    for (;;) {
      const lists = await Promise.all(control.map(({ node }) => node.call('CLIENT', 'LIST')));
      if (lists.some((l) => / flags=b /.test(String(l)))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (fault === 'SIGSTOP') frozen = control.map((c) => c.pid);
    for (const { node, pid } of control) {
      node.disconnect();
      process.kill(pid, fault);
    }
    const out = await done;
    return { ...out, ms: Date.now() - started, pids: control.map((c) => c.pid) };
  }

  const stoppedAnswering = (reason: RegExp) =>
    new RegExp(
      `^tandem rediff: Redis at cluster ${nodes.slice(0, 3).join(',')} \\(${reason.source}\\) stopped answering: route product was not recomputed \\(nothing was cleared\\); .*\\n$`,
    );

  it('rediff on a frozen cluster exits 1 within seconds, naming the cluster and what was not done', async () => {
    const { code, out, ms, pids } = await rediffWhile('SIGSTOP');
    frozen = pids;
    for (const pid of pids) process.kill(pid, 'SIGCONT');
    frozen = [];
    expect(code).toBe(1);
    expect(out).toMatch(stoppedAnswering(/no answer to PING for 8 s/));
    expect(ms).toBeLessThan(40_000);
    const control = await nodesOf();
    await Promise.all(control.map(({ node }) => node.call('CLIENT', 'UNPAUSE').finally(() => node.disconnect())));
  });

  it('rediff on a cluster whose nodes all die exits 1 within seconds (before: waited for ever)', async () => {
    const { code, out, ms } = await rediffWhile('SIGKILL');
    expect(code).toBe(1);
    expect(out).toMatch(stoppedAnswering(/[^)]+/));
    expect(ms).toBeLessThan(40_000);
  });

  it('a command given to a cluster client with a command timeout that cannot reach any node fails after that timeout (before: never)', async () => {
    // Nothing listens there: the client reconnects for ever and keeps what it is given in its own queue meanwhile.
    const port = await freePort();
    const redis = openRedis({ cluster: { nodes: [`127.0.0.1:${port}`] } }, 'client', { commandTimeout: 2000 });
    try {
      const outcome = await Promise.race([
        redis.get('cluster-lost:any').then(
          () => 'answered',
          (e: Error) => e.message,
        ),
        new Promise((r) => setTimeout(() => r('still waiting after 20 s'), 20_000)),
      ]);
      expect(outcome).toBe('Command timed out');
    } finally {
      redis.disconnect();
    }
  });
});
