import { LosslessNumber, type Difference } from '../records';

/**
 * One side's value of a difference, with a number stored as its digits (`digits`, a JSON
 * number a double cannot hold) read back as that number (a lossless-json
 * `LosslessNumber`), so a cause says "number changed by +1", not "value changed". Any
 * other value as stored. Never throws.
 *
 * @example
 * differenceSide({ path: 'n', kind: 'changed', legacy: '12345678901234567893', candidate: 5, digits: 'legacy' }, 'legacy');
 * // LosslessNumber { value: '12345678901234567893' }
 */
export function differenceSide(d: Difference, side: 'legacy' | 'candidate'): unknown {
  const v = d[side];
  if (typeof v !== 'string' || (d.digits !== side && d.digits !== 'both')) return v;
  try {
    return new LosslessNumber(v);
  } catch {
    // not a number's text (a record from elsewhere): the string it is
    return v;
  }
}
