import http from 'node:http';
import { percentile } from './percentile';

/** Latency at a fixed request rate. Times in milliseconds, microsecond resolution. */
export interface FixedRateResult {
  rate: number;
  sent: number;
  completed: number;
  errors: number;
  non2xx: number;
  achievedRate: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** When combined from several rounds: each round's figures. */
  rounds?: FixedRateResult[];
}

/**
 * One result from several rounds at the same rate: counts summed, p50 and p99 the
 * medians of the rounds', max the largest. On a shared virtual machine a single pause of
 * tens of milliseconds lands in one round's p99; the median round is the steady figure.
 *
 * @example
 * combineRounds([a, b, c]).p99Ms; // the middle of a.p99Ms, b.p99Ms, c.p99Ms
 */
export function combineRounds(rounds: FixedRateResult[]): FixedRateResult {
  if (rounds.length === 1) return rounds[0];
  const median = (pick: (r: FixedRateResult) => number) => {
    const xs = rounds.map(pick).sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)];
  };
  const sum = (pick: (r: FixedRateResult) => number) => rounds.reduce((n, r) => n + pick(r), 0);
  return {
    rate: rounds[0].rate,
    sent: sum((r) => r.sent),
    completed: sum((r) => r.completed),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    achievedRate: median((r) => r.achievedRate),
    p50Ms: median((r) => r.p50Ms),
    p99Ms: median((r) => r.p99Ms),
    maxMs: Math.max(...rounds.map((r) => r.maxMs)),
    rounds,
  };
}

/**
 * Send GETs at a fixed rate (open loop: the schedule never waits for answers) over
 * keep-alive connections and measure each request from send to last body byte.
 * autocannon rounds latencies to whole milliseconds, too coarse for "p99 within 2 ms".
 *
 * @example
 * const r = await runFixedRate({ url: 'http://127.0.0.1:8080/api/2k/1', rate: 1000, durationSec: 5 });
 * r.p99Ms; // e.g. 1.42
 */
export async function runFixedRate(o: { url: string; rate: number; durationSec: number; maxSockets?: number }): Promise<FixedRateResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 64 });
  const total = Math.round(o.rate * o.durationSec);
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  let non2xx = 0;
  let pending = 0;
  const started = performance.now();
  await new Promise<void>((allDone) => {
    const settle = () => {
      pending--;
      if (sent === total && pending === 0) allDone();
    };
    const fire = () => {
      const t0 = performance.now();
      pending++;
      const req = http.get(o.url, { agent }, (res) => {
        res.resume();
        res.once('end', () => {
          if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - t0);
          else non2xx++;
          settle();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
      req.once('error', () => {
        errors++;
        settle();
      });
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * o.rate));
      while (sent < due) {
        sent++;
        fire();
      }
      if (sent < total) setTimeout(tick, 1);
      else if (pending === 0) allDone();
    };
    tick();
  });
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 1000) / 1000;
  return {
    rate: o.rate,
    sent,
    completed: latencies.length,
    errors,
    non2xx,
    achievedRate: Math.round(latencies.length / elapsed),
    p50Ms: ms(percentile(latencies, 50)),
    p99Ms: ms(percentile(latencies, 99)),
    maxMs: ms(latencies[latencies.length - 1] ?? NaN),
  };
}
