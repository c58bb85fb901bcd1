import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startChild } from './children';
import { freePort, waitUntil, type BenchEnv, type Target } from './bench-env';
import { nginxMirrorConfig } from './nginx-config';
import { childPids } from './proc-stats';
import type { Scenario } from './scenarios';

/**
 * Whether Debian's `nginx` binary is installed (else the nginx scenarios are skipped).
 *
 * @example
 * if (!hasNginx()) console.log('nginx not installed: apt-get install -y nginx');
 */
export function hasNginx(): boolean {
  return !spawnSync('nginx', ['-v']).error;
}

/**
 * nginx with its mirror module in front of legacy and the scenario's candidate, one
 * worker process, pinned to core 0 like the Node proxies (workers inherit the pin).
 *
 * @example
 * const t = await startNginxTarget(SCENARIOS.find((s) => s.id === '7')!, env);
 */
export async function startNginxTarget(sc: Scenario, env: BenchEnv): Promise<Target> {
  const dir = join(env.workDir, `nginx-${sc.id}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  const asRoot = process.getuid?.() === 0;
  writeFileSync(
    conf,
    nginxMirrorConfig({ dir, port, legacy: env.legacyUrl, candidate: env.candidateUrls[sc.candidate ?? 'fast'], asRoot }),
  );
  const { child } = await startChild(`nginx (${sc.id})`, 'nginx', ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf], { core: 0 });
  await waitUntil(() => canConnect(port), 10_000, 'nginx').catch(async (e: Error) => {
    await child.stop(1000);
    throw e;
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pids: () => [child.pid, ...childPids(child.pid)],
    // SIGTERM is nginx's fast shutdown.
    stop: () => child.stop(5000),
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
  });
}
