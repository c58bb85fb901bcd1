import type { Cluster } from 'ioredis';

/** What ioredis' `Redis#connect()` rejects with when its attempt closes; BullMQ takes it for a connection error. */
const CLOSED = 'Connection is closed.';

/**
 * A cluster client whose `connect()` settles with its attempt, and so do its duplicates'
 * (BullMQ's workers run on duplicates of the connection they are given).
 *
 * ioredis (5.x, redis/ioredis#741) leaves the promise of `Cluster#connect()` pending for
 * ever when the attempt's ready check finds `cluster_state:fail` (a shard down or frozen):
 * the client disconnects, retries by itself and becomes ready later, but that promise
 * never settles. BullMQ awaits it when it resets a worker's blocking connection (its
 * watchdog's reset after a `BZPOPMIN` got no answer): that worker then never fetched a
 * job again, and comparisons did not resume after a frozen shard thawed. Here the promise
 * rejects (`Connection is closed.`, as `Redis#connect()` does) once the attempt closes
 * without becoming ready; the client keeps retrying by itself, and a caller retries.
 */
export function settledConnect(cluster: Cluster): Cluster {
  const connect = cluster.connect.bind(cluster);
  cluster.connect = () =>
    new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (then: () => void) => {
        if (settled) return;
        settled = true;
        cluster.removeListener('close', onClose);
        then();
      };
      // Late by a turn: an attempt that fails outright rejects with ioredis' own error first.
      const onClose = () => setImmediate(() => settle(() => reject(new Error(CLOSED))));
      cluster.once('close', onClose);
      connect().then(
        () => settle(resolve),
        (e: unknown) => settle(() => reject(e)),
      );
    });
  const duplicate = cluster.duplicate.bind(cluster);
  cluster.duplicate = (...args: Parameters<Cluster['duplicate']>) => settledConnect(duplicate(...args));
  return cluster;
}
