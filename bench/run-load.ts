import { join } from 'node:path';
import { startChild } from './children';
import type { FixedRateResult } from './fixed-rate';
import type { LoadRequest } from './loadgen';
import type { SaturationResult } from './saturate';

/**
 * Run one load request in a load-generator child pinned to core 1, so the load never
 * shares a core with the proxy under test.
 *
 * @example
 * const sat = await runLoadOnCore1(benchDir, { mode: 'saturate', tool: 'wrk', url, connections: 50, durationSec: 6 });
 */
export async function runLoadOnCore1(benchDir: string, r: Extract<LoadRequest, { mode: 'saturate' }>): Promise<SaturationResult>;
export async function runLoadOnCore1(benchDir: string, r: Extract<LoadRequest, { mode: 'fixed' }>): Promise<FixedRateResult>;
export async function runLoadOnCore1(benchDir: string, r: LoadRequest): Promise<SaturationResult | FixedRateResult> {
  const { child, ready } = await startChild<SaturationResult | FixedRateResult>(
    `load generator (${r.mode})`,
    process.execPath,
    [join(benchDir, 'loadgen.js'), JSON.stringify(r)],
    { core: 1 },
    {
      readyJson: true,
      timeoutMs: (r.durationSec + 30) * 1000,
    },
  );
  await child.stop(2000);
  return ready!;
}
