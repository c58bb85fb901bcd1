import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Save the figures a fault test measured, as `<name>.json` in `$TANDEM_FAULT_FIGURES`
 * (nothing happens when it is unset), for the README's faults table.
 *
 * @example
 * recordFigures('redis-outage', { sent: 900, clientFailures: 0, compared: 850, lost: 0 });
 */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const dir = process.env.TANDEM_FAULT_FIGURES;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ name, at: new Date().toISOString(), ...figures }, null, 2)}\n`);
}
