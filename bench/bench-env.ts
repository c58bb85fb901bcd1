import { createServer } from 'node:net';
import type { CandidateKind } from './scenarios';

/** What every scenario runs against, started once per benchmark run. */
export interface BenchEnv {
  /** The repository root (where `bin/tandem.js` is). */
  root: string;
  /** The folder of the compiled benchmark scripts (child entry points). */
  benchDir: string;
  /** A private temporary folder for configs, nginx files and profiles. */
  workDir: string;
  legacyUrl: string;
  candidateUrls: Record<CandidateKind, string>;
  redisUrl: string;
  /** When set, Tandem processes run with `--cpu-prof` and write their profiles here. */
  profileDir?: string;
  /** Extra Node flags for Tandem's processes, after the `#!` line's. */
  nodeFlags?: string[];
  /** When set, `tandem serve` runs with `--trace-gc` and its output goes to `tandem-<id>.log` here. */
  gcLogDir?: string;
  /** Settings merged into Tandem's `queue` config (`--queue`). */
  queue?: Record<string, unknown>;
}

/** A running thing under test: where to send load, and which processes to measure. */
export interface Target {
  url: string;
  /** The processes that serve the load (their CPU and peak RSS are measured). */
  pids(): number[];
  /** A separate comparison worker, measured on its own. */
  workerPid?: number;
  /** Tandem's per-route counters for the benchmark route. */
  counters?(): Promise<Record<string, number>>;
  /** The serving process's Prometheus metrics text (Tandem: `serve`'s ops listener). */
  metrics?(): Promise<string>;
  /** Write a line into the serving process's GC log (with `--trace-gc`), to mark a phase of the run. */
  mark?(line: string): void;
  stop(): Promise<void>;
}

/**
 * A free TCP port on 127.0.0.1 (for processes that need it on the command line).
 *
 * @example
 * const port = await freePort();
 */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

/**
 * Poll `check` every 100 ms until it returns true, or fail after `timeoutMs`.
 *
 * @example
 * await waitUntil(async () => (await fetch(url).catch(() => null))?.ok ?? false, 15000, 'tandem');
 */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
