/**
 * The whole-response deadline of an upstream call (`timeoutMs`), judged on what had
 * arrived rather than on when this process looked.
 *
 * A timer that comes due while the event loop was held (a burst of CPU work, a long GC
 * pause, an overloaded host) runs in the loop's timers phase, before the poll phase reads
 * the sockets: a response that arrived in time, and waits in the socket, would be called a
 * timeout and counted against the candidate. So the expiry is handed to `setImmediate`,
 * which runs after that poll phase: whatever the socket already held is read first, and
 * `onExpire` runs only if the call is still unfinished then. It must check for that itself.
 *
 * @example
 * const timer = armDeadline(up.timeoutMs, (call) => call.timedOut(), call);
 * // ... clearTimeout(timer) when the response ends
 */
export function armDeadline<T>(ms: number, onExpire: (arg: T) => void, arg: T): NodeJS.Timeout {
  return setTimeout(expireAfterPoll<T>, ms, onExpire, arg);
}

function expireAfterPoll<T>(onExpire: (arg: T) => void, arg: T): void {
  setImmediate(onExpire, arg);
}
