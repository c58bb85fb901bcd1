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

/** A process's memory from `/proc/<pid>/smaps_rollup`, kB. */
export interface ProcessMemory {
  /** Resident pages. */
  rss: number;
  /** Proportional set size: each resident page divided by the number of processes mapping it. */
  pss: number;
  /** Pages only this process maps (clean and dirty). */
  private: number;
  /** Pages other processes map too (Node's binary and libraries, mostly), clean and dirty. */
  shared: number;
}

/**
 * The memory of a process now (its `smaps_rollup`), or null when unavailable (the process
 * ended, or no /proc).
 *
 * @example
 * memoryNow(process.pid); // e.g. { rss: 61200, pss: 30100, private: 25000, shared: 36200 }
 */
export function memoryNow(pid: number): ProcessMemory | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return null;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  const m = {
    rss: kb('Rss'),
    pss: kb('Pss'),
    private: kb('Private_Clean') + kb('Private_Dirty'),
    shared: kb('Shared_Clean') + kb('Shared_Dirty'),
  };
  return Object.values(m).some(Number.isNaN) ? null : m;
}
