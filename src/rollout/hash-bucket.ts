/**
 * The customer's fixed bucket, 0–99: a 32-bit FNV-1a hash of the id's UTF-16 code units,
 * finished with murmur3's avalanche step, modulo 100. The same id always lands in
 * the same bucket on every instance and every version, so a percentage rollout
 * (`bucket < percentage`) is stable per customer, and raising the percentage only
 * adds customers. Cheap enough for the request path (well under a microsecond).
 *
 * @example
 * bucketOf('acme') === bucketOf('acme'); // true, on every machine
 * inRollout('acme', 100); // true
 */
export function bucketOf(customer: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < customer.length; i++) {
    h ^= customer.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % 100;
}

/**
 * Whether a customer is inside a percentage rollout (0 none, 100 all).
 *
 * @example
 * inRollout('acme', 0); // false
 */
export function inRollout(customer: string, percentage: number): boolean {
  return percentage > 0 && bucketOf(customer) < percentage;
}
