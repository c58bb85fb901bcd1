import type { SizeName } from './payloads';
import { formatProfileSplits } from './profile-split';
import type { BenchResults } from './results-types';
import type { ScenarioResult } from './run-scenario';
import { REFERENCE_ID } from './scenarios';

/** One line of the summary table: a scenario at one size, with its ratios to (2). */
export interface SummaryRow {
  id: string;
  title: string;
  size: SizeName;
  rps: number;
  /** rps / rps of (2). */
  rpsRatio: number | null;
  p50Ms: number;
  p99Ms: number;
  /** False when the proxy could not keep up with the fixed rate: its latencies are then queueing, not service time. */
  rateSustained: boolean;
  /** p99 − p99 of (2), ms. */
  p99DeltaMs: number | null;
  cpuUsPerRequest: number | null;
  cpuPercent: number | null;
  /** CPU µs per request at the fixed rate (the least noisy figure). */
  fixedCpuUsPerRequest: number | null;
  /** Share of the fixed-rate CPU spent in the kernel, %; null when not measured. */
  fixedKernelPercent: number | null;
  /**
   * Throughput (2) would allow relative to this one if the proxy's core were the only
   * limit: CPU per request of (2) / of this, at the fixed rate.
   */
  cpuBoundRatio: number | null;
  peakRssMb: number | null;
  /** peak RSS / peak RSS of (2). */
  rssRatio: number | null;
  /** Sampled peak of the serving processes' summed PSS, MB; null when not measured. */
  peakPssMb: number | null;
  /** Sampled peak of their private pages plus shared pages counted once, MB; null when not measured. */
  peakOwnMb: number | null;
}

/** One target of the issue, evaluated. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
  /** How far from the target, when missed. */
  shortBy?: string;
}

/** Issue #20: peak RSS of every Tandem scenario's serving processes, MB. */
const PEAK_RSS_MB = 150;

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || !b ? null : round(a / b));

/**
 * Summary rows of every measured scenario and size, with ratios to the reference (2).
 *
 * @example
 * summaryRows(results.scenarios).find((r) => r.id === '4' && r.size === '2k')!.rpsRatio; // e.g. 0.71
 */
export function summaryRows(scenarios: readonly ScenarioResult[]): SummaryRow[] {
  const ref = scenarios.find((s) => s.id === REFERENCE_ID);
  const rows: SummaryRow[] = [];
  for (const s of scenarios) {
    for (const [size, f] of Object.entries(s.sizes) as [SizeName, NonNullable<ScenarioResult['sizes'][SizeName]>][]) {
      const r = ref?.sizes[size];
      rows.push({
        id: s.id,
        title: s.title,
        size,
        // (4w): requests per second with every one compared (load and drain), not only served.
        rps: f.comparedAll?.rps ?? f.saturation.rps,
        rpsRatio: ratio(f.comparedAll?.rps ?? f.saturation.rps, r?.saturation.rps),
        p50Ms: f.fixedRate.p50Ms,
        p99Ms: f.fixedRate.p99Ms,
        rateSustained: sustained(f),
        p99DeltaMs: r ? round(f.fixedRate.p99Ms - r.fixedRate.p99Ms) : null,
        cpuUsPerRequest: f.cpuUsPerRequest,
        cpuPercent: f.cpuPercent,
        fixedCpuUsPerRequest: f.fixedCpuUsPerRequest,
        fixedKernelPercent: f.fixedKernelPercent ?? null,
        cpuBoundRatio: ratio(r?.fixedCpuUsPerRequest, f.fixedCpuUsPerRequest),
        peakRssMb: s.peakRssMb,
        rssRatio: ratio(s.peakRssMb, ref?.peakRssMb),
        peakPssMb: s.peakPssMb ?? null,
        peakOwnMb: s.peakOwnMb ?? null,
      });
    }
  }
  return rows;
}

/** Whether the fixed rate was held: 90% of it achieved and at most 1% of requests lost. */
function sustained(f: NonNullable<ScenarioResult['sizes'][SizeName]>): boolean {
  const r = f.fixedRate;
  return r.achievedRate >= 0.9 * r.rate && r.completed >= 0.99 * r.sent;
}

/**
 * The issue's targets, evaluated on one run's figures (only those whose scenarios ran).
 *
 * @example
 * checkTargets(results).filter((t) => !t.met).map((t) => t.target);
 */
export function checkTargets(results: Pick<BenchResults, 'scenarios' | 'worker'>): TargetCheck[] {
  const rows = summaryRows(results.scenarios);
  const row = (id: string, size: SizeName) => rows.find((r) => r.id === id && r.size === size);
  const out: TargetCheck[] = [];
  const atLeast = (target: string, value: number | null | undefined, min: number, unit = '') => {
    if (value == null) return;
    out.push({
      target,
      measured: `${value}${unit}`,
      met: value >= min,
      ...(value < min ? { shortBy: `${round(min - value)}${unit} (${round((1 - value / min) * 100, 1)}%)` } : {}),
    });
  };
  const atMost = (target: string, value: number | null | undefined, max: number, unit: string) => {
    if (value == null) return;
    out.push({
      target,
      measured: `${value}${unit}`,
      met: value <= max,
      ...(value > max ? { shortBy: `${round(value - max)}${unit}` } : {}),
    });
  };
  const sizes = [...new Set(rows.map((r) => r.size))];
  for (const size of sizes) {
    atLeast(`(4) ≥ 0.6 × (2) req/s, ${size}`, row('4', size)?.rpsRatio, 0.6, '×');
    atMost(`(4) p99 ≤ (2) p99 + 2 ms, ${size}`, row('4', size)?.p99DeltaMs, 2, ' ms');
    for (const id of ['5', '6']) {
      const r = row(id, size);
      const four = row('4', size);
      atLeast(`(${id}) ≥ 0.95 × (4) req/s, ${size}`, r && four ? ratio(r.rps, four.rps) : null, 0.95, '×');
    }
    atLeast(`(3) ≥ 0.95 × (2) req/s, ${size}`, row('3', size)?.rpsRatio, 0.95, '×');
    // Issue #20: the shadow against proxying alone (3) and against nginx's mirror (7, 7s).
    const three = row('3', size);
    const four = row('4', size);
    atMost(
      `(4) CPU per request ≤ 1.4 × (3), ${size}`,
      three && four ? ratio(four.fixedCpuUsPerRequest, three.fixedCpuUsPerRequest) : null,
      1.4,
      '×',
    );
    atMost(`(4) p99 ≤ (3) p99 + 2 ms, ${size}`, three && four ? round(four.p99Ms - three.p99Ms) : null, 2, ' ms');
    const seven = row('7', size);
    for (const [id, min] of [
      ['4', 0.6],
      ['4w', 0.4],
    ] as const) {
      const r = row(id, size);
      atLeast(`(${id}) ≥ ${min} × (7) req/s, ${size}`, r && seven ? ratio(r.rps, seven.rps) : null, min, '×');
    }
    const five = row('5', size);
    const sevenSlow = row('7s', size);
    atLeast(`(5) ≥ 1.5 × (7s) req/s, ${size}`, five && sevenSlow ? ratio(five.rps, sevenSlow.rps) : null, 1.5, '×');
    const w = results.scenarios.find((x) => x.id === '4w')?.sizes[size]?.comparedAll;
    atMost(`(4w) nothing dropped at saturation, ${size}`, w?.dropped, 0, '');
    atLeast(`(4) ≥ 0.6 × (2), CPU-bound estimate, ${size}`, row('4', size)?.cpuBoundRatio, 0.6, '×');
    atLeast(`(3) ≥ 0.95 × (2), CPU-bound estimate, ${size}`, row('3', size)?.cpuBoundRatio, 0.95, '×');
  }
  const five = results.scenarios.find((x) => x.id === '5')?.counters;
  if (five?.seen) atLeast(`(5) ≥ 99.9% of answered requests mirrored (whole scenario)`, mirroredPercent(five), 99.9, '%');
  for (const s of results.scenarios.filter((x) => x.kind === 'tandem'))
    atMost(`Tandem peak RSS ≤ ${PEAK_RSS_MB} MB, (${s.id})`, s.peakRssMb, PEAK_RSS_MB, ' MB');
  const worker = (list: { case: string; perSecond: number }[] | undefined, name: string, where: string, min: number) =>
    atLeast(`worker ${name} ≥ ${min}/s (${where})`, list?.find((m) => m.case === name)?.perSecond, min, '/s');
  worker(results.worker?.micro, '2k equal', 'in-process', 20_000);
  worker(results.worker?.micro, '2k differing', 'in-process', 5_000);
  worker(results.worker?.e2e, '2k equal', 'through Redis', 20_000);
  // Issue #20: through Redis, one core for the worker and the other for Redis.
  worker(results.worker?.e2e, '2k differing', 'through Redis', 10_000);
  worker(results.worker?.e2e, '20k equal', 'through Redis', 3_000);
  worker(results.worker?.e2e, '20k differing', 'through Redis', 2_500);
  return out;
}

/**
 * The share of answered requests mirrored, in % (2 decimals): of the requests seen, less
 * those whose client went away before its answer (`skipped:client_closed`: the load
 * generator cuts its connections when it stops), those not dropped or skipped on the way
 * (`dropped:candidate_busy` above all). Shadows still in flight when the counters are read
 * count as mirrored: `shadowed` is counted only once the candidate has answered.
 *
 * @example
 * mirroredPercent({ seen: 1001, shadowed: 998, 'dropped:candidate_busy': 1, 'skipped:client_closed': 1 }); // 99.9
 */
export function mirroredPercent(c: Record<string, number>): number | null {
  const answered = (c.seen ?? 0) - (c['skipped:client_closed'] ?? 0);
  if (answered <= 0) return null;
  const lost = Object.entries(c)
    .filter(([k]) => (k.startsWith('dropped:') || k.startsWith('skipped:')) && k !== 'skipped:client_closed')
    .reduce((n, [, v]) => n + v, 0);
  return round(((answered - lost) / answered) * 100);
}

/**
 * The summary as Markdown tables (scenarios, worker, targets), for the terminal and the README.
 *
 * @example
 * console.log(formatSummary(results));
 */
export function formatSummary(results: BenchResults): string {
  const m = results.machine;
  const show = (x: number | null | undefined, suffix = '') => (x == null ? '–' : `${x}${suffix}`);
  if (!results.scenarios.length && !results.worker) {
    // --cluster-only: the Redis cost table alone (worker on core 0, Redis on core 1 when pinned).
    return [
      `${m.date}, ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, load average ${m.loadAverageAtStart} at start` +
        `${m.pinned ? '; worker on core 0, Redis on core 1' : '; not pinned'}`,
      '',
      ...formatRedisCost(results.redisCost ?? []),
    ].join('\n');
  }
  const lines = [
    `${m.date}, ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}, load average ${m.loadAverageAtStart} at start; ` +
      `${results.plan.tool} with ${results.plan.connections} connections for ${results.plan.saturateSec} s, fixed rate ${results.plan.rate} req/s in ${results.plan.fixedRounds ?? 1} rounds of ${results.plan.fixedSec} s (p50/p99: medians of the rounds)` +
      `${m.pinned ? '; proxy on core 0, load on core 1' : '; not pinned'}`,
    '',
    '| # | scenario | body | req/s | × (2) | CPU % | p50 ms | p99 ms | p99 − (2) | CPU µs/req | of it kernel % | CPU-bound × (2) | peak RSS MB | × (2) | peak PSS MB | private + shared once MB |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...summaryRows(results.scenarios).map(
      (r) =>
        `| ${r.id} | ${r.title} | ${r.size} | ${r.rps} | ${show(r.rpsRatio)} | ${show(r.cpuPercent)} | ${r.p50Ms}${r.rateSustained ? '' : '*'} | ${r.p99Ms}${r.rateSustained ? '' : '*'} | ${show(r.p99DeltaMs)} | ` +
        `${show(r.fixedCpuUsPerRequest)} | ${show(r.fixedKernelPercent)} | ${show(r.cpuBoundRatio)} | ${show(r.peakRssMb)} | ${show(r.rssRatio)} | ${show(r.peakPssMb)} | ${show(r.peakOwnMb)} |`,
    ),
  ];
  if (summaryRows(results.scenarios).some((r) => !r.rateSustained))
    lines.push('', `\\* the proxy could not sustain ${results.plan.rate} req/s: these latencies are mostly queueing`);
  const skipped = results.scenarios.filter((s) => s.skipped);
  if (skipped.length) lines.push('', ...skipped.map((s) => `(${s.id}) ${s.title}: skipped, ${s.skipped}`));
  const counted = results.scenarios.filter((s) => s.counters?.seen && s.id !== '3');
  if (counted.length)
    lines.push(
      '',
      '| # | mirrored (of answered) | seen | shadowed | compared | dropped, skipped |',
      '|---|---:|---:|---:|---:|---|',
      ...counted.map((s) => {
        const c = s.counters!;
        const dropped = Object.entries(c).filter(([k]) => k.startsWith('dropped:') || k.startsWith('skipped:'));
        return `| ${s.id} | ${mirroredPercent(c)}% | ${c.seen} | ${c.shadowed ?? 0} | ${c.compared ?? 0} | ${dropped.map(([k, v]) => `${k} ${v}`).join(', ') || '0'} |`;
      }),
    );
  lines.push(...formatPauses(results.scenarios));
  lines.push(...formatProfileSplits(results.profiles ?? []));
  if (results.worker) {
    lines.push(
      '',
      '| worker comparisons/s, one core | in-process | through Redis (BullMQ) | worker CPU µs/exchange | Redis CPU µs/exchange |',
      '|---|---:|---:|---:|---:|',
    );
    for (const mi of results.worker.micro) {
      const e = results.worker.e2e.find((x) => x.case === mi.case);
      lines.push(`| ${mi.case} | ${mi.perSecond} | ${show(e?.perSecond)} | ${show(e?.workerCpuUs)} | ${show(e?.redisCpuUs)} |`);
    }
  }
  if (results.redisCost?.length) lines.push('', ...formatRedisCost(results.redisCost));
  lines.push('', '| target | measured | met |', '|---|---:|---|');
  for (const t of checkTargets(results)) lines.push(`| ${t.target} | ${t.measured} | ${t.met ? 'yes' : `no, short by ${t.shortBy}`} |`);
  return lines.join('\n');
}

/**
 * The Redis cost table: per target and case, commands and Redis CPU per exchange (all
 * masters), the replicas' CPU, each master's share of the commands and the spread.
 *
 * @example
 * formatRedisCost(results.redisCost ?? []).join('\n');
 */
export function formatRedisCost(list: NonNullable<BenchResults['redisCost']>): string[] {
  const lines = [
    '| Redis, worker through it | case | commands/exchange | per master (commands/exchange, share; what it holds) | spread (busiest ÷ even) | Redis CPU ms/exchange | replicas CPU ms/exchange | masters idle CPU ms/s | run s | worker exchanges/s |',
    '|---|---|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of list) {
    const per = r.shards
      .map(
        (s) =>
          `${s.opsPerExchange} (${Math.round(s.share * 100)}%${r.shards.length > 1 ? `; ${s.routes} routes, ${s.partitions} partitions` : ''})`,
      )
      .join(' / ');
    const q = (r.config as { queue?: { partitions?: number; spread?: string } }).queue;
    const what =
      r.target === 'cluster'
        ? `cluster, ${r.shards.length} masters, ${r.routes} routes, ${q?.partitions ?? 1} partitions (spread: ${q?.spread ?? 'route'})`
        : `single Redis, ${r.routes} routes`;
    lines.push(
      `| ${what} | ${r.case} | ${r.opsPerExchange} | ${per} | ${r.spread} | ${r.cpuMsPerExchange} | ${r.replicaCpuMsPerExchange} | ${r.idleCpuMsPerSecond} | ${r.seconds} | ${r.perSecond} |`,
    );
  }
  return lines;
}

/**
 * What paused each Tandem process's event loop during the fixed-rate rounds (the rows
 * whose p99 it explains): event-loop delay p99 and maximum, GC time per second, and
 * collections that paused longer than 10 ms. Empty when no scenario recorded them.
 *
 * @example
 * formatPauses(results.scenarios).join('\n');
 */
export function formatPauses(scenarios: readonly ScenarioResult[]): string[] {
  const rows = scenarios.flatMap((s) =>
    (Object.entries(s.sizes) as [SizeName, NonNullable<ScenarioResult['sizes'][SizeName]>][])
      .filter(([, f]) => f.pausesAtFixedRate)
      .map(([size, f]) => {
        const p = f.pausesAtFixedRate!;
        const ms = (x: number | null) => (x === null ? '–' : String(x));
        return `| ${s.id} | ${size} | ${f.fixedRate.p99Ms} | ${ms(p.loopP99Ms)} / ${ms(p.loopMaxMs)} | ${p.gcMsPerSecond} | ${p.majorGcs} | ${p.gcsOver10ms} | ${f.backlogAtFixedRate ?? '–'} |`;
      }),
  );
  if (!rows.length) return [];
  return [
    '',
    '| # | body | p99 ms at the fixed rate | event-loop delay past its 10 ms sampling, p99 / max, ms | GC ms per s | major GCs | GCs > 10 ms | backlog at start |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}
