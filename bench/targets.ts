import { join } from 'node:path';
import { startChild } from './children';
import type { BenchEnv, Target } from './bench-env';
import { startNginxTarget } from './nginx-target';
import type { Scenario } from './scenarios';
import { startTandemTarget } from './tandem-target';

/**
 * Start what a scenario measures, pinned to core 0: a legacy of its own (direct),
 * the reference proxy, Tandem, or nginx.
 *
 * @example
 * const target = await startTarget(scenario, env);
 * // ... load target.url ...
 * await target.stop();
 */
export async function startTarget(sc: Scenario, env: BenchEnv): Promise<Target> {
  if (sc.kind === 'tandem') return startTandemTarget(sc, env);
  if (sc.kind === 'nginx') return startNginxTarget(sc, env);
  const [script, args] = sc.kind === 'direct' ? ['upstream-server.js', ['--delay=0']] : ['reference-proxy.js', [env.legacyUrl]];
  const { child, ready } = await startChild<{ url: string }>(
    sc.title,
    process.execPath,
    [join(env.benchDir, script), ...args],
    { core: 0 },
    { readyJson: true },
  );
  return { url: ready!.url, pids: () => [child.pid], stop: () => child.stop(3000) };
}
