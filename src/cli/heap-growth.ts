import { setFlagsFromString } from 'node:v8';

/** The old generation's growth bin/tandem.js's `#!` line gives every command: 2× its live size between full collections. */
export const SHEBANG_HEAP_GROWING = '--heap-growing-percent=100';

/**
 * `tandem worker`'s instead: 2.5×. A worker allocates far more per second than the proxy
 * (parsed bodies, diffs, record packs), so each extra full collection costs it more: at
 * 100 its CPU per compared exchange through Redis was 4–15% higher than at 150 in
 * alternating runs, while the proxy's did not move. Its peak RSS counts in (4w) only.
 */
export const WORKER_HEAP_GROWING_PERCENT = 150;

/**
 * Raise the old generation's growth to {@link WORKER_HEAP_GROWING_PERCENT} when this
 * process runs with the `#!` line's own flag (`execArgv` holds {@link SHEBANG_HEAP_GROWING});
 * a value passed to `node` by hand, or none, is left as it is. V8 reads the flag at each
 * collection, so it applies from the next one.
 *
 * @returns whether the flag was changed
 * @example
 * useWorkerHeapGrowth(process.execArgv); // true under `tandem worker`
 */
export function useWorkerHeapGrowth(execArgv: readonly string[], set: (flags: string) => void = setFlagsFromString): boolean {
  const flags = execArgv.filter((a) => a.startsWith('--heap-growing-percent'));
  if (flags.length !== 1 || flags[0] !== SHEBANG_HEAP_GROWING) return false;
  set(`--heap-growing-percent=${WORKER_HEAP_GROWING_PERCENT}`);
  return true;
}
