/**
 * Redis key names. Every key carries the `{prefix}` hash tag so a Redis Cluster keeps
 * them in one slot (multi-key scripts stay legal), the same way BullMQ's prefix is tagged.
 *
 * @example
 * const k = storeKeys('tandem');
 * k.counters('products'); // '{tandem}:route:products:counters'
 */
export function storeKeys(prefix: string) {
  const p = `{${prefix}}`;
  return {
    /** BullMQ prefix (hash-tagged too). */
    queuePrefix: p,
    /** Prefix of every other key, for scripts that build keys themselves. */
    prefix: `${p}:`,
    customerSet: (route: string) => `${p}:route:${route}:customer-set`,
    routes: `${p}:routes`,
    counters: (route: string) => `${p}:route:${route}:counters`,
    customers: (route: string) => `${p}:route:${route}:customers`,
    fields: (route: string) => `${p}:route:${route}:fields`,
    noiseFields: (route: string) => `${p}:route:${route}:noise-fields`,
    /** Field-tree totals (derived): `d|<path>` / `n|<path>` -> comparisons in which the path or anything below it differed / was noise. */
    fieldTotals: (route: string) => `${p}:route:${route}:field-totals`,
    signatures: (route: string) => `${p}:route:${route}:signatures`,
    signatureMeta: (route: string) => `${p}:route:${route}:signature-meta`,
    mismatches: (route: string) => `${p}:route:${route}:mismatches`,
    exchanges: (route: string) => `${p}:route:${route}:exchanges`,
    mismatch: (id: string) => `${p}:mismatch:${id}`,
    exchange: (id: string) => `${p}:exchange:${id}`,
    done: (id: string) => `${p}:done:${id}`,
    /** Noise learning (derived): per generalised path, in how many repeated requests legacy differed from itself. */
    repeatFields: (route: string) => `${p}:route:${route}:repeat-fields`,
    /** Suspected volatile fields (derived): per generalised path, how often it was flagged. */
    suspected: (route: string) => `${p}:route:${route}:suspected`,
    /** Mismatch dedupe (derived): content hash -> kept mismatch id, its age index, and duplicates per kept id. */
    dedupe: (route: string) => `${p}:route:${route}:dedupe`,
    dedupeOrder: (route: string) => `${p}:route:${route}:dedupe-order`,
    duplicates: (route: string) => `${p}:route:${route}:duplicates`,
    /** Runtime compare rules of a route (user state, never cleared by rediff) and their audit log. */
    rules: (route: string) => `${p}:rules:${route}`,
    rulesAudit: (route: string) => `${p}:rules:${route}:audit`,
    /** Held while a rediff of the route runs. */
    rediffLock: (route: string) => `${p}:rediff-lock:${route}`,
    /** The deployment's redaction key (HMAC key of redacted-value fingerprints) when none is configured. */
    redactKey: `${p}:redact-key`,
    /** A signed-out report session (by hash), kept until the session would have expired. */
    reportRevoked: (id: string) => `${p}:report:revoked:${id}`,
    /** Counters for exchanges that never reached the queue. */
    drops: `${p}:drops`,
  };
}

export type StoreKeys = ReturnType<typeof storeKeys>;
