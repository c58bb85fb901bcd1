import { memoryNow } from './proc-stats';

/** Peak memory of a group of processes, sampled, MB (one decimal). */
export interface GroupMemoryPeak {
  /** The largest sum of the processes' PSS seen at one sample. */
  pssMb: number;
  /**
   * The largest "private + shared once" seen at one sample: every process's private pages
   * plus the largest process's shared pages, counted once. The shared pages of Tandem's
   * processes are mostly Node's binary and libraries, mapped by each; PSS divides them among
   * every process mapping them, the benchmark's own Node processes included, so it
   * understates what the group alone would hold, and summed VmHWM counts them once per process.
   */
  ownMb: number;
  /** Samples taken. */
  samples: number;
}

/** How often the sampler reads `/proc/<pid>/smaps_rollup`, ms. */
export const MEMORY_SAMPLE_MS = 150;

/**
 * Sample the memory of the processes `pids()` names every `everyMs` until stopped, keeping
 * the peaks of their summed PSS and of their private pages plus shared pages counted once
 * (see {@link GroupMemoryPeak}). Unlike VmHWM (the kernel's exact peak of one process) these
 * are sampled, so a peak shorter than the interval can be missed. A sample in which a
 * process cannot be read (it ended) is skipped.
 *
 * @example
 * const sampler = sampleGroupMemory(() => target.pids());
 * // ... load ...
 * sampler.stop(); // { pssMb: 141.2, ownMb: 176.8, samples: 320 }, or null when nothing could be read (again: the same)
 */
export function sampleGroupMemory(pids: () => number[], everyMs = MEMORY_SAMPLE_MS): { stop(): GroupMemoryPeak | null } {
  let pss = 0;
  let own = 0;
  let samples = 0;
  const sample = () => {
    const ms = pids().map(memoryNow);
    if (!ms.length || ms.some((m) => m === null)) return;
    let sumPss = 0;
    let sumPrivate = 0;
    let maxShared = 0;
    for (const m of ms) {
      sumPss += m!.pss;
      sumPrivate += m!.private;
      maxShared = Math.max(maxShared, m!.shared);
    }
    pss = Math.max(pss, sumPss);
    own = Math.max(own, sumPrivate + maxShared);
    samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  const mb = (kb: number) => Math.round(kb / 102.4) / 10;
  let stopped = false;
  return {
    stop() {
      if (!stopped) sample();
      stopped = true;
      clearInterval(timer);
      return samples ? { pssMb: mb(pss), ownMb: mb(own), samples } : null;
    },
  };
}
