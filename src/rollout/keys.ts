/**
 * Redis keys of the rollout, hash-tagged like the store's (`{prefix}:rollout:...`).
 *
 * @example
 * rolloutKeys('tandem').route('product'); // '{tandem}:rollout:route:product'
 */
export function rolloutKeys(prefix: string) {
  const p = `{${prefix}}`;
  return {
    /** Incremented on every change; instances poll it. */
    version: `${p}:rollout:version`,
    /** Hash per route: `phase`, `percentage`, `sampleRate`, `customer:<id>`, `group:<name>`. */
    route: (route: string) => `${p}:rollout:route:${route}`,
    /** Hash: group name → JSON array of customer ids. */
    groups: `${p}:rollout:groups`,
    /** Capped list of JSON audit entries, newest first. */
    audit: `${p}:rollout:audit`,
    /** Rolling window of the last N outcomes of a route ('1' match, '0' not), written by the record script. */
    readiness: (route: string) => `${p}:route:${route}:readiness`,
    /** The same window per customer. */
    customerReadiness: (route: string, customer: string) => `${p}:route:${route}:readiness-customer:${customer}`,
    /** Per-customer counters (fields `<customer>|<counter>`), shared with the store. */
    customers: (route: string) => `${p}:route:${route}:customers`,
  };
}

/**
 * The key names `rolloutKeys` returns.
 *
 * @example
 * const k: RolloutKeys = rolloutKeys('tandem');
 */
export type RolloutKeys = ReturnType<typeof rolloutKeys>;
