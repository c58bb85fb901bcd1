/**
 * Error messages of a connection or a cluster failing for a moment, not of Redis refusing
 * a command: a closed or refused connection, a timeout, and the replies a failover or a
 * resharding gives (CLUSTERDOWN, TRYAGAIN, MOVED, ASK, LOADING, READONLY, MASTERDOWN).
 * ioredis may report these while its status still says `ready` (a Cluster client stays
 * ready while one master is down).
 */
const TRANSIENT =
  /Connection is closed|Stream isn't writeable|Command timed out|Too many Cluster redirections|Failed to refresh slots cache|None of startup nodes is available|\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EHOSTUNREACH)\b|^(CLUSTERDOWN|TRYAGAIN|MOVED|ASK|LOADING|READONLY|MASTERDOWN)\b/;

/**
 * Whether `e` says the connection or the cluster failed for a moment (retrying the same
 * command later can succeed), rather than that Redis or BullMQ refused the command itself.
 *
 * @example
 * isTransientRedisError(new Error('Connection is closed.')); // true
 * isTransientRedisError(new Error('ERR Error running script')); // false
 */
export function isTransientRedisError(e: unknown): boolean {
  return e instanceof Error && TRANSIENT.test(e.message);
}
