import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` this reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Where one profile's busy time went: share of busy (not idle) time per category, in %. */
export interface ProfileSplit {
  file: string;
  /** Sampled seconds in all, and of them not idle. */
  seconds: number;
  busySeconds: number;
  /** Category → % of busy time (one decimal), largest first. */
  split: [string, number][];
}

const OWN = /\/dist\/src\/([a-z-]+)\//;
const PACKAGE = /node_modules\/((?:@[^/]+\/)?[^/]+)\//;
const PACKAGE_GROUPS: Record<string, string> = {
  express: 'express + router',
  router: 'express + router',
  'body-parser': 'express + router',
  'http-proxy': 'http-proxy (legacy relay)',
  'http-proxy-middleware': 'http-proxy (legacy relay)',
  bullmq: 'bullmq',
  ioredis: 'ioredis',
  'prom-client': 'prom-client',
  pino: 'pino',
};

/**
 * The category of a sample's own frame (self time): V8's `(garbage collector)`, native
 * calls without a script (socket writes and reads are most of them), Node's HTTP,
 * its streams/net/events, Tandem's own code by `src/` folder, and the main packages.
 *
 * @example
 * categoryOf({ functionName: 'relay', url: 'file:///x/dist/src/ingress/legacy-proxy.js' }); // 'tandem ingress'
 */
export function categoryOf(frame: { functionName: string; url: string }): string {
  const { functionName: fn, url } = frame;
  if (fn === '(idle)') return 'idle';
  if (fn === '(garbage collector)') return 'garbage collector';
  if (fn === '(program)') return 'V8 and Node internals (program)';
  if (!url) return fn === '(root)' ? 'V8 and Node internals (program)' : 'native calls (socket writes, reads, parsing)';
  const own = OWN.exec(url);
  if (own) return `tandem ${own[1]}`;
  const pkg = PACKAGE.exec(url);
  if (pkg) return PACKAGE_GROUPS[pkg[1]] ?? 'other packages';
  if (/^node:_http|^node:http/.test(url)) return 'node http';
  if (/^node:(net|events|stream|internal\/(streams|stream_base|net))/.test(url)) return 'node streams, net, events';
  if (url.startsWith('node:internal/modules')) return 'start-up (module loading)';
  if (url === 'node:buffer' || url.startsWith('node:internal/buffer')) return 'node buffer';
  if (url.startsWith('node:')) return 'node other';
  return 'other';
}

/**
 * Split one profile's busy time by category.
 *
 * @example
 * splitProfile('bench/results/profiles/tandem-4.cpuprofile').split[0]; // ['garbage collector', 17.9]
 */
export function splitProfile(file: string): ProfileSplit {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const category = new Map(p.nodes.map((n) => [n.id, categoryOf(n.callFrame)]));
  const micros = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const c = category.get(p.samples[i]) ?? 'other';
    const dt = p.timeDeltas[i] ?? 0;
    micros.set(c, (micros.get(c) ?? 0) + dt);
    total += dt;
  }
  const busy = total - (micros.get('idle') ?? 0);
  micros.delete('idle');
  const split = [...micros]
    .map(([c, us]): [string, number] => [c, busy > 0 ? Math.round((us / busy) * 1000) / 10 : 0])
    .filter(([, pct]) => pct >= 0.5)
    .sort((a, b) => b[1] - a[1]);
  return { file, seconds: Math.round(total / 1e4) / 100, busySeconds: Math.round(busy / 1e4) / 100, split };
}

/**
 * The split of every `.cpuprofile` in a folder (a `--profile` run's), by file name.
 *
 * @example
 * for (const s of splitProfiles('bench/results/profiles')) console.log(s.file, s.split.slice(0, 3));
 */
export function splitProfiles(dir: string): ProfileSplit[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => ({ ...splitProfile(join(dir, f)), file: f }));
}

/**
 * The splits as Markdown: one line per profile, its categories with their share of busy time.
 *
 * @example
 * console.log(formatProfileSplits(splitProfiles(dir)).join('\n'));
 */
export function formatProfileSplits(splits: readonly ProfileSplit[]): string[] {
  if (!splits.length) return [];
  return [
    '',
    '| profile | busy s | where the busy time went (% of it, categories of 0.5% or more) |',
    '|---|---:|---|',
    ...splits.map((s) => `| ${s.file} | ${s.busySeconds} | ${s.split.map(([c, pct]) => `${c} ${pct}`).join(', ')} |`),
  ];
}
