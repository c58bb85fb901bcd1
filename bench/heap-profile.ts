import http from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installCleanup, startChild } from './children';
import { freePort, waitUntil } from './bench-env';
import { pathFor, type SizeName } from './payloads';
import { startBenchRedis } from './redis-child';
import { SCENARIOS } from './scenarios';
import { BENCH_ROUTE, shebangEnv, shebangNodeFlags, tandemBenchConfig } from './tandem-target';
import { startUpstreams } from './upstreams';

/** A V8 sampling heap profile's call tree (what `HeapProfiler.stopSampling` returns). */
interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Allocation of one scenario, per request: in all, and attributed (largest first, KB). */
export interface HeapResult {
  scenario: string;
  requests: number;
  kbPerRequest: number;
  /** The allocating function itself (self size). */
  byFunction: [string, number][];
  /** The nearest frame of Tandem (`dist/src/`) or of a package on the allocating stack. */
  byOwner: [string, number][];
}

const frameName = (f: HeapNode['callFrame']) =>
  `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(dist|node_modules)\//, '$1/').replace(/^file:\/\//, '')}:${f.lineNumber + 1}`;
const isOwner = (url: string) => url.includes('/dist/src/') || url.includes('/node_modules/');

/**
 * Per-request allocation of a heap profile, by allocating function and by the nearest
 * Tandem or package frame that caused it (Node's internals charged to their caller).
 *
 * @example
 * attribute(profile.head, 4000, '4').kbPerRequest; // ~72 at 2 KB
 */
export function attribute(head: HeapNode, requests: number, scenario: string, top = 40): HeapResult {
  const self = new Map<string, number>();
  const owner = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode, own: string) => {
    const here = isOwner(n.callFrame.url) ? frameName(n.callFrame) : own;
    if (n.selfSize) {
      total += n.selfSize;
      const k = frameName(n.callFrame);
      self.set(k, (self.get(k) ?? 0) + n.selfSize);
      owner.set(here, (owner.get(here) ?? 0) + n.selfSize);
    }
    for (const c of n.children) walk(c, here);
  };
  walk(head, '(no Tandem or package frame)');
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, Math.round((v / requests / 1024) * 100) / 100] as [string, number]);
  return {
    scenario,
    requests,
    kbPerRequest: Math.round((total / requests / 1024) * 10) / 10,
    byFunction: rank(self),
    byOwner: rank(owner),
  };
}

/** Send `count` GETs over `connections` keep-alive connections; resolves when all answered. */
function load(url: string, count: number, connections: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let sent = 0;
  const one = (): Promise<void> =>
    sent++ >= count
      ? Promise.resolve()
      : new Promise<void>((done, fail) => {
          http
            .get(url, { agent }, (res) => {
              res.resume();
              res.once('end', done);
            })
            .once('error', fail);
        }).then(one);
  return Promise.all(Array.from({ length: connections }, one)).then(() => agent.destroy());
}

/**
 * `node dist/bench/heap-profile.js [--scenarios 3,4] [--size 2k] [--warmup 2000]
 * [--requests 4000] [--connections 8] [--out file.json]`: for each scenario, `tandem serve
 * --no-worker` (flags of its `#!` line) against the bench upstreams and a private Redis, the
 * warm-up, then V8's sampling heap profiler over `--requests` requests (collected objects
 * included). Prints KB allocated per request and the top allocators; `--out` keeps it all.
 * Allocation does not depend on the machine's load, so this A/Bs on a busy machine.
 */
async function main(argv: string[]): Promise<void> {
  const arg = (name: string, dflt: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : dflt;
  };
  const ids = arg('scenarios', '3,4').split(',');
  const size = arg('size', '2k') as SizeName;
  const [warmup, requests, connections] = ['warmup', 'requests', 'connections'].map((n, i) => Number(arg(n, ['2000', '4000', '8'][i])));
  installCleanup();
  const root = resolve(__dirname, '..', '..');
  const bin = join(root, 'bin', 'tandem.js');
  const work = mkdtempSync(join(tmpdir(), 'tandem-heap-'));
  const upstreams = await startUpstreams(__dirname);
  const redis = await startBenchRedis();
  const results: HeapResult[] = [];
  try {
    for (const id of ids) {
      const sc = SCENARIOS.find((s) => s.id === id);
      if (!sc || sc.kind !== 'tandem') throw new Error(`not a Tandem scenario: ${id}`);
      await redis.flush();
      const port = await freePort();
      const side = { reportPort: await freePort(), opsPort: await freePort() };
      const config = join(work, `tandem-${id}.json`);
      const env = { ...upstreams, redisUrl: redis.url };
      writeFileSync(config, JSON.stringify(tandemBenchConfig(sc, env, port, `heap-${id}`, side)));
      const file = join(work, `tandem-${id}.heapprofile`);
      const flags = [...shebangNodeFlags(bin), '-r', join(__dirname, 'heap-sampler.js')];
      const { child } = await startChild(
        `tandem serve (${id})`,
        process.execPath,
        [...flags, bin, 'serve', '-c', config, '--no-worker'],
        { core: 0 },
        {
          env: { ...shebangEnv(bin), TANDEM_HEAP_SAMPLE_FILE: file },
        },
      );
      let written = false;
      child.proc.stderr!.on('data', (d: Buffer) => (written ||= d.toString().includes('heap-sample-written')));
      try {
        const url = `http://127.0.0.1:${port}${pathFor(size)}`;
        await waitUntil(async () => (await fetch(url)).ok, 20_000, 'tandem serve');
        await load(url, warmup, connections);
        child.proc.kill('SIGUSR2');
        await new Promise((r) => setTimeout(r, 200));
        await load(url, requests, connections);
        child.proc.kill('SIGUSR2');
        await waitUntil(async () => written, 20_000, 'the heap profile');
      } finally {
        await child.stop(10_000);
      }
      const r = attribute((JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode }).head, requests, id);
      results.push(r);
      process.stdout.write(`(${id}) ${size}: ${r.kbPerRequest} KB allocated per request\n`);
      for (const [k, v] of r.byOwner.slice(0, 25)) process.stdout.write(`  ${v.toFixed(2).padStart(6)}  ${k}\n`);
    }
  } finally {
    await redis.stop();
    await upstreams.stop();
  }
  const out = arg('out', '');
  if (out) writeFileSync(out, JSON.stringify({ size, warmup, requests, connections, route: BENCH_ROUTE, results }, null, 2));
}

if (require.main === module)
  main(process.argv.slice(2)).catch((e: Error) => {
    process.stderr.write(`${e.stack ?? e.message}\n`);
    process.exit(1);
  });
