/**
 * Milliseconds of queueing work (redaction of a batch) the producer does on the event loop
 * before it lets the loop take a turn (`loopTurn`): requests that arrived meanwhile are
 * served between two slices instead of after the whole batch. Well under the 5 ms a client
 * would notice in p99 latency; a batch of the usual size (a linger window's exchanges at
 * moderate load) fits in one slice and costs no turn at all.
 */
export const SLICE_MS = 2;

/**
 * Resolves once the event loop has taken a turn: I/O callbacks due now (the proxy's requests
 * and answers) run before the code after `await loopTurn()`.
 *
 * @example
 * for (const pack of packs) { add(pack); await loopTurn(); }
 */
export function loopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
