import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS = 100;

/**
 * Peak resident set size of a process in MB (VmHWM), or null when /proc is unavailable.
 *
 * @example
 * peakRssMb(process.pid); // e.g. 61.2
 */
export function peakRssMb(pid: number): number | null {
  return statusKb(pid, 'VmHWM');
}

/**
 * CPU seconds (user + system) a process has used so far, or null when unavailable.
 *
 * @example
 * const before = cpuSeconds(pid); // ...load...; const used = cpuSeconds(pid)! - before!;
 */
export function cpuSeconds(pid: number): number | null {
  const t = cpuTimes(pid);
  return t === null ? null : t.user + t.system;
}

/**
 * CPU seconds a process has used so far in user mode and in the kernel (system calls,
 * and on loopback the TCP work of the packets it sends: the receiving side's too), or
 * null when unavailable.
 *
 * @example
 * cpuTimes(process.pid); // e.g. { user: 1.52, system: 0.61 }
 */
export function cpuTimes(pid: number): { user: number; system: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / TICKS, system: Number(fields[12]) / TICKS };
  } catch {
    return null;
  }
}

/**
 * Direct children of a process (e.g. nginx's worker processes).
 *
 * @example
 * childPids(nginxMasterPid); // [12345]
 */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function statusKb(pid: number, field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}
