import os from 'node:os';
import type { MachineInfo } from './results-types';

/**
 * Describe this machine for the result file and the README table.
 *
 * @example
 * machineInfo(true).cores; // 2
 */
export function machineInfo(pinned: boolean): MachineInfo {
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    loadAverageAtStart: Math.round(os.loadavg()[0] * 100) / 100,
    pinned,
  };
}
