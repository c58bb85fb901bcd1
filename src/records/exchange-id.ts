import { randomUUID } from 'node:crypto';

/**
 * A new exchange id, Tandem's own: `<ms since epoch, base 36>-<random UUID>`, so ids sort
 * roughly by time and never collide. The only way exchange ids are made: the client's
 * `x-request-id` is stored beside the exchange and passed on to the backends, but it is
 * never part of an id, a Redis key or a BullMQ job id (a client could pick one with `:`,
 * which BullMQ rejects, or send the same one with many requests).
 *
 * @example
 * newExchangeId(Date.now()); // 'mi6y2k1c-0b6f2a64-5d1c-4e8e-9a57-7b0f3c2d9e11'
 */
export function newExchangeId(at: number): string {
  return `${at.toString(36)}-${randomUUID()}`;
}
