import { Worker } from 'bullmq';
import type { CompareJobData } from '../queue';

/**
 * BullMQ's `Worker` for one queue partition, with what a bounded close needs and
 * `Worker.close()` cannot give once it has started: BullMQ keeps the first close's
 * promise, so a `close(true)` after a `close()` that hangs changes nothing.
 *
 * Why a graceful close can hang: it interrupts the blocking `BZPOPMIN` by disconnecting
 * the worker's blocking connection and waits for ioredis' `end`. A connection parked in
 * `reconnecting` (its Redis away, or just restarted and not yet reconnected: ioredis
 * retries within a second here) has no socket, so ioredis never emits `end`
 * (taskforcesh/bullmq#4656); `close()` then never resolves and BullMQ's lock-renewal
 * timer (`LockManager`, every `lockDuration / 4`) keeps the process alive for ever.
 */
export class PartitionWorker extends Worker<CompareJobData> {
  constructor(...args: ConstructorParameters<typeof Worker<CompareJobData>>) {
    super(...args);
    cheapFinishedReplies(this.backend);
  }

  /**
   * BullMQ's close, with the recovery of its blocking Cluster connection turned off
   * first. BullMQ turns it off only once it closes that connection, after it has
   * interrupted the `BZPOPMIN` by disconnecting it: the interrupted command's failure
   * (the cluster has no node left) then makes BullMQ connect the cluster again, and
   * closing it while it reconnects leaves node connections open, e.g. to replicas the
   * reconnect turned `READONLY`, which ioredis' connection pool had already forgotten
   * (an old node's late `end` removes the new node of the same address). Seen: jest's
   * cluster pass held open by sockets to 127.0.0.1:7003 and 7005 named after a worker's
   * blocking connection. On one Redis this changes nothing.
   */
  override async close(force = false): Promise<void> {
    // A private method of BullMQ's RedisConnection (the one its own close calls); without it (another BullMQ) this does nothing.
    const blocking = this.backend.blockingConnection as unknown as { disableBlockingClusterReconnect?: () => void } | undefined;
    blocking?.disableBlockingClusterReconnect?.();
    return super.close(force);
  }

  /**
   * Whether the blocking connection is up (`ready`), waiting up to `ms` (milliseconds)
   * for it to come back. False when it is reconnecting or has never connected: a graceful
   * `close()` would then hang (see the class), so close it with `close(true)`.
   */
  async blockingConnectionUp(ms: number): Promise<boolean> {
    const connection = this.backend.blockingConnection;
    if (!connection) return true;
    const deadline = Date.now() + ms;
    // `client` resolves once the connection was first ready: never, if its Redis has been away since the start.
    const client = await Promise.race([connection.client, delay(ms).then(() => undefined)]).catch(() => undefined);
    if (!client) return false;
    for (;;) {
      if (client.status === 'ready') return true;
      if (Date.now() >= deadline) return false;
      await delay(50);
    }
  }

  /**
   * After a `close()` that did not finish in time: stop the lock-renewal timer and drop
   * the worker's own connections (`close(true)`'s work), so nothing of this worker keeps
   * the process alive. Jobs still active stay locked until their lock expires; BullMQ's
   * stalled check then gives them to a worker again (recording is idempotent).
   */
  async abandon(): Promise<void> {
    await this.lockManager.close();
    await this.backend.close(true);
  }
}

/** A timer that never keeps the process alive by itself. */
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * BullMQ's `moveToFinished` checks its reply with `result < 0`; the reply is the next job (an
 * array holding its whole hash, the job's JSON among it), so that comparison turns the array
 * into one string: a copy of the next job's data on every job finished (about 8% of the
 * bytes a `tandem worker` allocated on 2 KB equal pairs, packs of 64). A reply that is an
 * array is given a primitive value of 0 (not below 0, as an array never is an error code),
 * so the check reads no string. On a BullMQ without `execCommand` this does nothing.
 */
function cheapFinishedReplies(backend: unknown): void {
  const b = backend as { execCommand?: (client: unknown, name: string, args: unknown[]) => Promise<unknown> } | undefined;
  const exec = b?.execCommand;
  if (!b || typeof exec !== 'function') return;
  b.execCommand = function (client, name, args) {
    const reply = exec.call(this, client, name, args);
    return name === 'moveToFinished' && typeof reply?.then === 'function' ? reply.then(primitiveZero) : reply;
  };
}

const primitiveZero = (reply: unknown): unknown => {
  if (Array.isArray(reply)) Object.defineProperty(reply, Symbol.toPrimitive, { value: () => 0 });
  return reply;
};
