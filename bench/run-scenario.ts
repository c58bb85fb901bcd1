import type { BenchEnv } from './bench-env';
import { combineRounds, type FixedRateResult } from './fixed-rate';
import { pathFor, type SizeName } from './payloads';
import { sampleGroupMemory } from './memory-sampler';
import { cpuSeconds, cpuTimes, peakRssMb } from './proc-stats';
import { pausesBetween, readPauses, type PauseFigures } from './proxy-pauses';
import { runLoadOnCore1 } from './run-load';
import type { LoadTool, SaturationResult } from './saturate';
import type { Scenario } from './scenarios';
import { startTarget } from './targets';

/** How long and how hard each scenario is driven. */
export interface LoadPlan {
  sizes: SizeName[];
  tool: LoadTool;
  connections: number;
  warmupSec: number;
  saturateSec: number;
  fixedSec: number;
  fixedRounds: number;
  rate: number;
}

/** Figures of one scenario at one response size. */
export interface SizeFigures {
  saturation: SaturationResult;
  fixedRate: FixedRateResult;
  /** CPU the serving processes used during the saturation run, in % of one core. */
  cpuPercent: number | null;
  /** CPU microseconds the serving processes spent per request at saturation. */
  cpuUsPerRequest: number | null;
  /**
   * CPU microseconds per request at the fixed rate. The proxy is not saturated there, so
   * this is the figure least disturbed by other work on the machine.
   */
  fixedCpuUsPerRequest: number | null;
  /**
   * Share of that fixed-rate CPU spent in the kernel, in % (system calls; on 127.0.0.1 also
   * the TCP work of the packets the process sends, the receiver's side included): what no
   * change in Tandem's JavaScript can take away. Absent in result files of older runs.
   */
  fixedKernelPercent?: number | null;
  /**
   * Scenarios that compare every exchange ((4w)): the saturation run's requests ÷ the
   * seconds from its start until the last of them was compared, with the counts.
   */
  comparedAll?: { rps: number; seconds: number; served: number; compared: number; dropped: number; skipped: number };
  /**
   * Tandem: exchanges not yet ended in a counter when the fixed-rate rounds began (0 when
   * the backlog drained within the wait; see {@link backlogAfter}).
   */
  backlogAtFixedRate?: number;
  /** Tandem: what paused the serving process's event loop during the fixed-rate rounds. */
  pausesAtFixedRate?: PauseFigures;
}

/** Everything measured for one scenario. */
export interface ScenarioResult {
  id: string;
  title: string;
  kind: Scenario['kind'];
  extra: boolean;
  sizes: Partial<Record<SizeName, SizeFigures>>;
  /** Peak RSS (VmHWM) of the serving processes over the whole scenario, MB (summed when several). */
  peakRssMb: number | null;
  /**
   * Sampled peaks of the serving processes' memory over the whole scenario, MB (see
   * `GroupMemoryPeak`): their summed PSS, and their private pages plus shared pages counted
   * once. For one process the latter is its RSS; for two it is what summed VmHWM counts
   * twice (Node's binary) counted once. Absent in result files of older runs.
   */
  peakPssMb?: number | null;
  peakOwnMb?: number | null;
  /** Peak RSS of the separate comparison worker, MB. */
  workerPeakRssMb?: number | null;
  /** Tandem's counters for the benchmark route at the end (seen, shadowed, dropped:*, compared...). */
  counters?: Record<string, number>;
  skipped?: string;
}

/**
 * Measure one scenario: per size, a warm-up, latency at the fixed rate, then
 * throughput at saturation with the CPU the serving processes used; then peak RSS.
 *
 * @example
 * const r = await runScenario(SCENARIOS[1], env, plan, (m) => console.log(m));
 */
export async function runScenario(sc: Scenario, env: BenchEnv, plan: LoadPlan, say: (msg: string) => void): Promise<ScenarioResult> {
  const target = await startTarget(sc, env);
  const result: ScenarioResult = { id: sc.id, title: sc.title, kind: sc.kind, extra: !!sc.extra, sizes: {}, peakRssMb: null };
  const memory = sampleGroupMemory(() => target.pids());
  try {
    for (const size of plan.sizes) {
      const url = `${target.url}${pathFor(size)}`;
      const saturate = (durationSec: number) =>
        runLoadOnCore1(env.benchDir, { mode: 'saturate', tool: plan.tool, url, connections: plan.connections, durationSec });
      if (plan.warmupSec > 0) await saturate(plan.warmupSec);
      // The fixed rate measures the steady state: a backlog left by the warm-up (or by the
      // previous size's saturation run) would have the worker compete with the proxy's core.
      const backlog = target.counters ? await backlogAfter(target.counters, BACKLOG_WAIT_MS) : undefined;
      if (backlog) say(`  ${size}: ${backlog} exchanges still waiting after ${BACKLOG_WAIT_MS / 1000} s; fixed-rate rounds start anyway`);
      const pausesFrom = target.metrics ? readPauses(await target.metrics()) : null;
      const fixedStarted = performance.now();
      target.mark?.(`${size} fixed-rate start`);
      const fixedCpu = cpuDuring(target.pids());
      const fixedKernel = kernelShareDuring(target.pids());
      const rounds: FixedRateResult[] = [];
      for (let i = 0; i < plan.fixedRounds; i++)
        rounds.push(await runLoadOnCore1(env.benchDir, { mode: 'fixed', url, rate: plan.rate, durationSec: plan.fixedSec }));
      const fixedRate = combineRounds(rounds);
      const fixedUsed = fixedCpu();
      const fixedKernelPercent = fixedKernel();
      target.mark?.(`${size} fixed-rate end`);
      const pauses =
        pausesFrom && target.metrics
          ? pausesBetween(pausesFrom, readPauses(await target.metrics()), (performance.now() - fixedStarted) / 1000)
          : undefined;
      const counts = sc.compareAll && target.counters ? await settled(target.counters, 120_000) : null;
      const satCpu = cpuDuring(target.pids());
      const started = performance.now();
      const saturation = await saturate(plan.saturateSec);
      const comparedAll = counts ? await drained(target.counters!, counts, started) : undefined;
      const cpu = satCpu();
      result.sizes[size] = {
        saturation,
        fixedRate,
        cpuPercent: cpu === null ? null : Math.round((cpu / saturation.durationSec) * 100),
        cpuUsPerRequest: cpu === null || !saturation.requests ? null : Math.round((cpu * 1e6) / saturation.requests),
        fixedCpuUsPerRequest: fixedUsed === null || !fixedRate.sent ? null : Math.round((fixedUsed * 1e6) / fixedRate.sent),
        fixedKernelPercent,
        ...(comparedAll ? { comparedAll } : {}),
        ...(backlog !== undefined ? { backlogAtFixedRate: backlog } : {}),
        ...(pauses ? { pausesAtFixedRate: pauses } : {}),
      };
      if (comparedAll)
        say(
          `  ${size}: every exchange compared: ${comparedAll.rps} req/s (${comparedAll.served} served, ${comparedAll.compared} compared, ${comparedAll.dropped} dropped in ${comparedAll.seconds} s of load and drain)`,
        );
      say(
        `  ${size}: ${saturation.rps} req/s at saturation (${result.sizes[size]!.cpuPercent ?? '?'}% CPU), p50 ${fixedRate.p50Ms} ms, p99 ${fixedRate.p99Ms} ms at ${plan.rate} req/s`,
      );
    }
    result.peakRssMb = sum(target.pids().map(peakRssMb));
    const peak = memory.stop();
    result.peakPssMb = peak?.pssMb ?? null;
    result.peakOwnMb = peak?.ownMb ?? null;
    if (target.workerPid) result.workerPeakRssMb = peakRssMb(target.workerPid);
    if (target.counters) {
      await new Promise((r) => setTimeout(r, 1500)); // the ingress flushes its counters every second
      result.counters = await target.counters();
    }
  } finally {
    memory.stop();
    await target.stop();
  }
  return result;
}

type Counts = Record<string, number>;
const total = (c: Counts, prefix: string) =>
  Object.entries(c)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((n, [, v]) => n + v, 0);
/** Every seen exchange ended in a counter: compared, skipped or dropped. */
const done = (c: Counts) => (c.compared ?? 0) + total(c, 'skipped:') + total(c, 'dropped:') >= (c.seen ?? 0);

/** How long the fixed-rate rounds wait for the backlog to drain, ms. */
const BACKLOG_WAIT_MS = 60_000;

/**
 * Wait (after the ingress's 1 s counter flush) until every exchange seen so far ended in a
 * counter, at most `timeoutMs`; returns how many had not (0 when drained).
 */
async function backlogAfter(read: () => Promise<Counts>, timeoutMs: number): Promise<number> {
  await new Promise((r) => setTimeout(r, 1100));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await read();
    const waiting = (c.seen ?? 0) - (c.compared ?? 0) - total(c, 'skipped:') - total(c, 'dropped:');
    if (waiting <= 0 || Date.now() > until) return Math.max(0, waiting);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The counters once every exchange seen so far ended in one (after the ingress's 1 s flush). */
async function settled(read: () => Promise<Counts>, timeoutMs: number): Promise<Counts> {
  await new Promise((r) => setTimeout(r, 1100));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await read();
    if (done(c)) return c;
    if (Date.now() > until) throw new Error(`the backlog was not compared within ${timeoutMs / 1000} s: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Throughput with every exchange compared: the saturation run's exchanges ÷ seconds from
 * `started` until the last was compared. The counters are read every 100 ms from the end
 * of the load; `seen` is final once the ingress's 1 s flush has passed, and the drain ended
 * at the first reading whose compared + skipped + dropped reached it.
 */
async function drained(read: () => Promise<Counts>, before: Counts, started: number): Promise<SizeFigures['comparedAll']> {
  const loadEnded = performance.now();
  const readings: { t: number; c: Counts }[] = [];
  for (;;) {
    const c = await read();
    const t = performance.now();
    readings.push({ t, c });
    if (t - loadEnded > 1100 && done(c)) break;
    if (t - loadEnded > 300_000) throw new Error(`the backlog was not compared within 300 s: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const after = readings.at(-1)!.c;
  const ended = readings.find((r) => (r.c.compared ?? 0) + total(r.c, 'skipped:') + total(r.c, 'dropped:') >= (after.seen ?? 0))!.t;
  const seconds = (ended - started) / 1000;
  const d = (k: (c: Counts) => number) => k(after) - k(before);
  return {
    rps: Math.round(d((c) => c.compared ?? 0) / seconds),
    seconds: Math.round(seconds * 10) / 10,
    served: d((c) => c.seen ?? 0),
    compared: d((c) => c.compared ?? 0),
    dropped: d((c) => total(c, 'dropped:')),
    skipped: d((c) => total(c, 'skipped:')),
  };
}

/** Start measuring the CPU of `pids`; the returned function gives the seconds used since. */
function cpuDuring(pids: number[]): () => number | null {
  const before = sum(pids.map(cpuSeconds));
  return () => {
    const after = sum(pids.map(cpuSeconds));
    return before === null || after === null ? null : Math.round((after - before) * 100) / 100;
  };
}

/** Start measuring `pids`; the returned function gives the % of the CPU they used since that was the kernel's. */
function kernelShareDuring(pids: number[]): () => number | null {
  const times = () => {
    const t = pids.map(cpuTimes);
    if (!t.length || t.some((x) => x === null)) return null;
    let user = 0;
    let system = 0;
    for (const x of t) {
      user += x!.user;
      system += x!.system;
    }
    return { user, system };
  };
  const before = times();
  return () => {
    const after = times();
    if (!before || !after) return null;
    const user = after.user - before.user;
    const system = after.system - before.system;
    return user + system > 0 ? Math.round((100 * system) / (user + system)) : null;
  };
}

function sum(xs: (number | null)[]): number | null {
  if (xs.length === 0 || xs.some((x) => x === null)) return null;
  return Math.round((xs as number[]).reduce((a, b) => a + b, 0) * 100) / 100;
}
