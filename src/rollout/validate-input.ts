import { RolloutError } from './errors';
import { validCustomerId } from './identify-customer';
import { isPhase } from './state-codec';
import type { Phase } from './types';

const GROUP_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Most customers a group may hold. */
export const MAX_GROUP_SIZE = 10000;

/**
 * A phase, or a RolloutError (`invalid`) naming the accepted ones.
 *
 * @example
 * checkPhase('candidate'); // 'candidate'
 */
export function checkPhase(v: unknown): Phase {
  if (!isPhase(v)) throw invalid(`phase must be one of legacy, shadow, candidate, candidate-only (got ${JSON.stringify(v) ?? 'nothing'})`);
  return v;
}

/**
 * A number within bounds (an integer when asked), or a RolloutError (`invalid`).
 *
 * @example
 * checkNumber(10, 'percentage', 0, 100, true); // 10
 */
export function checkNumber(v: unknown, name: string, min: number, max: number, integer: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw invalid(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(v)})`);
  }
  return v;
}

/**
 * Throw unless `name` is a usable group name (1–64 letters, digits, `_`, `.`, `-`).
 *
 * @example
 * checkGroup('beta'); // ok
 */
export function checkGroup(name: string): void {
  if (!GROUP_NAME.test(name)) throw invalid('group name must be 1-64 letters, digits, "_", "." or "-"');
}

/**
 * Throw unless `id` is a usable customer id.
 *
 * @example
 * checkCustomer('acme'); // ok
 */
export function checkCustomer(id: string): void {
  if (!validCustomerId(id)) throw invalid('customer id must be 1-128 characters without control characters or "|", and not "(other)"');
}

/**
 * A group's members: distinct, sorted customer ids, or a RolloutError (`invalid`).
 *
 * @example
 * checkMembers(['b', 'a', 'b']); // ['a', 'b']
 */
export function checkMembers(customers: unknown): string[] {
  if (
    !Array.isArray(customers) ||
    customers.length > MAX_GROUP_SIZE ||
    !customers.every((c) => typeof c === 'string' && validCustomerId(c))
  ) {
    throw invalid(
      `customers must be a list of at most ${MAX_GROUP_SIZE} customer ids (1-128 characters, no control characters or "|", not "(other)")`,
    );
  }
  return [...new Set(customers as string[])].sort();
}

/**
 * The error for bad input (HTTP 400).
 *
 * @example
 * throw invalid('give phase, percentage or sampleRate');
 */
export function invalid(message: string): RolloutError {
  return new RolloutError('invalid', message);
}
