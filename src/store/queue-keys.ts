import { keySegment } from './key-segment';

/**
 * The list holding the raw body bytes of one packed comparison job, in the BullMQ
 * namespace of its queue (`queue` is the queue's qualified name, already hash-tagged).
 *
 * @example
 * queueJobBodiesKey('{tandem}:compare', 'lx3k-1'); // '{tandem}:compare:bodies:lx3k-1'
 */
export function queueJobBodiesKey(queue: string, job: string): string {
  return `${queue}:bodies:${keySegment(job)}`;
}

/**
 * The hash tag (BullMQ prefix) of queue partition `partition` of deployment `prefix`:
 * `{prefix}` for partition 0, `{prefix:queue:<partition>}` for the others.
 *
 * @example
 * queuePartitionTag('tandem', 0); // '{tandem}'
 * queuePartitionTag('tandem', 2); // '{tandem:queue:2}'
 */
export function queuePartitionTag(prefix: string, partition: number): string {
  if (!Number.isInteger(partition) || partition < 0) throw new RangeError(`queue partition must be a whole number >= 0, got ${partition}`);
  return partition === 0 ? `{${prefix}}` : `{${prefix}:queue:${partition}}`;
}
