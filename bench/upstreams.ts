import { join } from 'node:path';
import { startChild, type BenchChild } from './children';
import { freePort } from './bench-env';
import type { CandidateKind } from './scenarios';

/** The legacy and candidate backends every scenario shares. */
export interface Upstreams {
  legacyUrl: string;
  candidateUrls: Record<CandidateKind, string>;
  stop(): Promise<void>;
}

/**
 * Start legacy, a fast candidate and a candidate 50 ms slower, each its own process
 * on core 1, and pick a closed port for the candidate that is down.
 *
 * @example
 * const up = await startUpstreams(benchDir);
 * up.candidateUrls.down; // 'http://127.0.0.1:PORT' with nothing listening
 */
export async function startUpstreams(benchDir: string): Promise<Upstreams> {
  const children: BenchChild[] = [];
  const start = async (name: string, delayMs: number) => {
    const { child, ready } = await startChild<{ url: string }>(
      name,
      process.execPath,
      [join(benchDir, 'upstream-server.js'), `--delay=${delayMs}`],
      { core: 1 },
      { readyJson: true },
    );
    children.push(child);
    return ready!.url;
  };
  const stop = () => Promise.all(children.map((c) => c.stop(2000))).then(() => undefined);
  try {
    const legacyUrl = await start('legacy', 0);
    const fast = await start('candidate (fast)', 0);
    const slow = await start('candidate (+50 ms)', 50);
    return { legacyUrl, candidateUrls: { fast, slow, down: `http://127.0.0.1:${await freePort()}` }, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
