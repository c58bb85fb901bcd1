import type { ComparisonResult } from '../records';
import { riskOf, signatureOf } from './risk-and-signature';
import { toDifference, type FoundDifference } from './found-difference';
import { suspectedNoisePaths } from './noise';

/**
 * A body that could not be compared, and why.
 *
 * @example
 * const refused: RefusedBody = { class: 'unparseable', reason: 'candidate body: invalid JSON: ...' };
 */
export interface RefusedBody {
  class: 'too_large' | 'unparseable';
  reason: string;
}

/**
 * Turn counted differences into a result: `match` or `noise_only` when nothing counts,
 * the refusal's class when a body could not be compared (unless the status changed:
 * then a high-risk `mismatch` whose reason says the body was not compared), otherwise
 * a `mismatch` with risk and signature.
 *
 * @example
 * classify([], ['meta.ts'], undefined); // { class: 'noise_only', differences: [], noise: ['meta.ts'], suspectedNoise: [] }
 */
export function classify(counted: FoundDifference[], cancelled: string[], refused: RefusedBody | undefined): ComparisonResult {
  const differences = counted.map(toDifference);
  const suspectedNoise = suspectedNoisePaths(counted);
  const statusChanged = counted.some((d) => d.area === 'status');
  // literals, not a spread of the shared fields (V8 builds a spread's object slowly on Node 20)
  if (refused && !statusChanged) return { class: refused.class, differences, noise: cancelled, suspectedNoise, reason: refused.reason };
  if (counted.length === 0) return { class: cancelled.length > 0 ? 'noise_only' : 'match', differences, noise: cancelled, suspectedNoise };
  const result: ComparisonResult = {
    class: 'mismatch',
    risk: riskOf(counted),
    differences,
    noise: cancelled,
    suspectedNoise,
    signature: signatureOf(counted),
  };
  if (refused) result.reason = `status changed; body not compared: ${refused.reason}`;
  return result;
}
