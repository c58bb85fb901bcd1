/**
 * What held the proxy's event loop during the fixed-rate rounds, read from its own
 * Prometheus metrics (prom-client's default Node metrics): the event-loop delay
 * percentiles (`nodejs_eventloop_lag_*`, a histogram prom-client resets at each
 * scrape) and the garbage collector's time by kind (`nodejs_gc_duration_seconds`).
 * This is what explains a p99 far above the median: a request that arrives during a
 * 20 ms pause waits for it.
 *
 * prom-client's event-loop figures are Node's `monitorEventLoopDelay` histogram at its 10 ms
 * resolution, which records the whole interval between two of its timer's runs: an idle
 * loop shows about 10 ms, not 0. The figures here are the delay past that interval.
 */

/** prom-client's `eventLoopMonitoringPrecision` (its default, which Tandem keeps), ms. */
export const LOOP_SAMPLE_MS = 10;

/** GC totals of one kind (`minor`, `major`, `incremental`, `weakcb`), cumulative since start. */
export interface GcKind {
  count: number;
  seconds: number;
  /** Pauses longer than 10 ms (the histogram's `le="0.01"` bucket subtracted from its count). */
  over10ms: number;
}

/** One scrape's figures. */
export interface PauseReading {
  /**
   * Event-loop delay since the previous scrape, past the 10 ms sampling interval
   * (`LOOP_SAMPLE_MS`), ms (null when the metric is absent).
   */
  loopP99Ms: number | null;
  loopMaxMs: number | null;
  gc: Record<string, GcKind>;
}

/** The figures over an interval (between two scrapes). */
export interface PauseFigures {
  /** Event-loop delay p99 and maximum over the interval, past prom-client's 10 ms sampling interval, ms. */
  loopP99Ms: number | null;
  loopMaxMs: number | null;
  /** GC time per second of the interval, ms, all kinds together. */
  gcMsPerSecond: number;
  /** Mark-compact (`major`) collections in the interval. */
  majorGcs: number;
  /** Collections of any kind that paused longer than 10 ms. */
  gcsOver10ms: number;
}

const value = (text: string, name: string): number | null => {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
};

/**
 * Parse the event-loop and GC figures from a Prometheus text exposition.
 *
 * @example
 * readPauses('nodejs_eventloop_lag_p99_seconds 0.012\n').loopP99Ms; // 2 (12 ms between two 10 ms samples)
 */
export function readPauses(text: string): PauseReading {
  const ms = (x: number | null) => (x === null ? null : Math.max(0, Math.round(x * 1e4 - LOOP_SAMPLE_MS * 10) / 10));
  const gc: Record<string, GcKind> = {};
  const kind = (k: string) => (gc[k] ??= { count: 0, seconds: 0, over10ms: 0 });
  const under10: Record<string, number> = {};
  for (const m of text.matchAll(/^nodejs_gc_duration_seconds_(sum|count|bucket)\{([^}]*)\} ([0-9.eE+-]+)$/gm)) {
    const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const k = labels.kind ?? 'unknown';
    const v = Number(m[3]);
    if (m[1] === 'sum') kind(k).seconds = v;
    else if (m[1] === 'count') kind(k).count = v;
    else if (labels.le === '0.01') under10[k] = v;
  }
  for (const [k, g] of Object.entries(gc)) g.over10ms = g.count - (under10[k] ?? g.count);
  return {
    loopP99Ms: ms(value(text, 'nodejs_eventloop_lag_p99_seconds')),
    loopMaxMs: ms(value(text, 'nodejs_eventloop_lag_max_seconds')),
    gc,
  };
}

/**
 * The figures between two readings taken `seconds` apart (the event-loop figures are the
 * later reading's: prom-client's histogram covers the time since the earlier scrape).
 *
 * @example
 * pausesBetween(readPauses(before), readPauses(after), 9).gcMsPerSecond;
 */
export function pausesBetween(before: PauseReading, after: PauseReading, seconds: number): PauseFigures {
  let gcSeconds = 0;
  let over10 = 0;
  for (const [k, g] of Object.entries(after.gc)) {
    const b = before.gc[k] ?? { count: 0, seconds: 0, over10ms: 0 };
    gcSeconds += g.seconds - b.seconds;
    over10 += g.over10ms - b.over10ms;
  }
  const major = (after.gc.major?.count ?? 0) - (before.gc.major?.count ?? 0);
  return {
    loopP99Ms: after.loopP99Ms,
    loopMaxMs: after.loopMaxMs,
    gcMsPerSecond: seconds > 0 ? Math.round((gcSeconds * 1e4) / seconds) / 10 : 0,
    majorGcs: major,
    gcsOver10ms: over10,
  };
}
