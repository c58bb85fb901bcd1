import { createHash } from 'node:crypto';
import { randomId } from './random-id';

/**
 * A new exchange id, Tandem's own: `<route mark>.<ms since epoch, base 36>-<random UUID>`,
 * so ids never collide, the ids of one route sort roughly by time, and the id alone says
 * which route's Redis slot its records live in (`routeMark`: with per-route hash tags on a
 * Redis Cluster, `exchange:<id>`, `mismatch:<id>` and `done:<id>` sit in their route's slot,
 * so `/mismatches/:id` and notification links need nothing but the id). The only way
 * exchange ids are made: the client's `x-request-id` is stored beside the exchange and
 * passed on to the backends, but it is never part of an id, a Redis key or a BullMQ job
 * id (a client could pick one with `:`, which BullMQ rejects, or send the same one with
 * many requests).
 *
 * @example
 * newExchangeId(Date.now(), 'product'); // 'f6b9a3c1.mi6y2k1c-0b6f2a64-5d1c-4e8e-9a57-7b0f3c2d9e11'
 */
export function newExchangeId(at: number, route: string): string {
  return randomId(`${routeMark(route)}.${at.toString(36)}-`);
}

/**
 * The route mark: 8 hex digits of the SHA-1 of a route name. Route keys are hash-tagged
 * with it under per-route tagging, and Tandem's exchange ids start with it (`<mark>.`).
 *
 * @example
 * routeMark('product'); // 8 hex digits, the same on every instance
 */
export function routeMark(route: string): string {
  let mark = marks.get(route);
  if (mark === undefined) {
    // Every exchange id needs one: a hash per request cost the proxy more than the rest of the id.
    if (marks.size >= MARKS_KEPT) marks.clear();
    marks.set(route, (mark = createHash('sha1').update(route, 'utf8').digest('hex').slice(0, 8)));
  }
  return mark;
}

/** Route marks worked out so far (route names come from the config; the bound keeps any other use small). */
const marks = new Map<string, string>();
const MARKS_KEPT = 1024;

/**
 * The route mark an exchange id starts with, or undefined for an id without one (ids
 * made before marks, or not by Tandem).
 *
 * @example
 * markOfId('f6b9a3c1.mi6y2k1c-0b6f'); // 'f6b9a3c1'
 * markOfId('mi6y2k1c-0b6f'); // undefined
 */
export function markOfId(id: string): string | undefined {
  return ID_MARK.exec(id)?.[1];
}

const ID_MARK = /^([0-9a-f]{8})\./;
