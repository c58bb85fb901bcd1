import type { KeySchema } from './key-schema';

/*
 * The record script's keys and arguments (see RECORD_RESULT_LUA in record-result-script.ts):
 * which keys one record names, how a pack's are cached and sent.
 */

/**
 * The keys of one record, in the order the script receives them as KEYS (one entry per
 * line below is KEYS[n]). Every name comes from the key schema; the script builds none.
 *
 * @example
 * const keys = recordKeys(schema, { id, route, customer, class: 'mismatch', signature, risk, at }, causes);
 */
export function recordKeys(
  k: KeySchema,
  p: { id: string; route: string; class: string; signature: string; risk: string; at: number },
  causeKeys: readonly string[],
): string[] {
  const r = p.route;
  return [
    k.done(p.id), // 1
    k.counters(r), // 2
    k.customers(r), // 3
    k.customerSet(r), // 4
    k.fields(r), // 5
    k.noiseFields(r), // 6
    k.exchanges(r), // 7
    k.mismatches(r), // 8
    k.signatures(r), // 9
    k.signatureMeta(r), // 10
    k.repeatFields(r), // 11
    k.suspected(r), // 12
    k.dedupe(r), // 13
    k.dedupeOrder(r), // 14
    k.duplicates(r), // 15
    k.causes(r), // 16
    k.causeMeta(r), // 17
    k.exchangesByClass(r, p.class), // 18
    k.mismatchesBySignature(r, p.signature), // 19
    k.mismatchesByRisk(r, p.risk), // 20
    k.trend(r, Math.floor(p.at / 3_600_000)), // 21
    k.readiness(r), // 22
    k.exchange(p.id), // 23
    k.mismatch(p.id), // 24
    k.fieldTotals(r), // 25
    k.stagedExchange(p.id), // 26
    ...causeKeys.map((c) => k.causeCustomers(r, c)), // 27.. one per payload cause, in order
  ];
}

/** Where `recordKeys` puts the keys named by the exchange id (done, exchange, mismatch, staged exchange): the rest are the route's. */
const ID_KEY_SLOTS = [0, 22, 23, 25] as const;

/** Route key lists `RecordKeyCache` holds at most before it starts again (they are a few per route, class and hour). */
export const RECORD_KEY_CACHE_SIZE = 4096;

/**
 * One record's keys split as a pack call sends them (see `packScriptArgs`): `shared`, the
 * keys of `recordKeys` that do not name the exchange, in order (one array for every record
 * of the same route, class, signature, risk and hour: do not change it), and `own`, those that
 * do: done, exchange, mismatch, staged exchange, then one per cause. An `own` key of '' is one
 * the record never uses (a sampled-out match's exchange and mismatch records): it is not sent.
 */
export interface RecordKeyParts {
  readonly shared: readonly string[];
  readonly own: string[];
}

/**
 * `recordKeys` for many exchanges of few routes: the keys that do not name the exchange
 * (22 of the 26 fixed ones) are built once per route, class, signature, risk and hour and
 * then reused, the same array of the same strings each time (a pack works out their KEYS
 * indexes once per array, see `packScriptArgs`), and so are the per-cause keys, per route and
 * cause. Holds at most `RECORD_KEY_CACHE_SIZE` lists and as many cause keys.
 *
 * @example
 * const cache = new RecordKeyCache(schema);
 * cache.keys(p, causeKeys); // equal to recordKeys(schema, p, causeKeys)
 * cache.parts(p, causeKeys); // { shared, own }: the same keys, as a pack call sends them
 */
export class RecordKeyCache {
  private readonly lists = new Map<string, readonly string[]>();
  private readonly causeKeys = new Map<string, string>();
  /** The list the last record used, and what it is of. */
  private last: { route: string; class: string; signature: string; risk: string; hour: number; shared: readonly string[] } | undefined;

  constructor(private readonly k: KeySchema) {}

  /** The record's keys in `recordKeys`'s order. */
  keys(p: Parameters<typeof recordKeys>[1], causeKeys: readonly string[]): string[] {
    const { shared, own } = this.parts(p, causeKeys);
    const out = [...shared];
    // in ascending order, each at its final place
    ID_KEY_SLOTS.forEach((slot, i) => out.splice(slot, 0, own[i]));
    return [...out, ...own.slice(ID_KEY_SLOTS.length)];
  }

  /** The record's keys split into the route's (`shared`, cached) and the exchange's (`own`). */
  parts(p: Parameters<typeof recordKeys>[1], causeKeys: readonly string[]): RecordKeyParts {
    const hour = Math.floor(p.at / 3_600_000);
    const last = this.last;
    let shared: readonly string[] | undefined;
    // most records of a pack are of the list the one before used: no name built to find it
    if (
      last &&
      last.route === p.route &&
      last.class === p.class &&
      last.signature === p.signature &&
      last.risk === p.risk &&
      last.hour === hour
    )
      shared = last.shared;
    else {
      // Unambiguous whatever the strings hold: their lengths mark where each ends (the hour is the rest).
      const name = `${p.route.length},${p.class.length},${p.signature.length},${p.risk.length}:${p.route}${p.class}${p.signature}${p.risk}${hour}`;
      shared = this.lists.get(name);
      if (!shared) {
        if (this.lists.size >= RECORD_KEY_CACHE_SIZE) this.lists.clear();
        const all = recordKeys(this.k, { ...p, id: '' }, []);
        this.lists.set(name, (shared = all.filter((_, i) => !(ID_KEY_SLOTS as readonly number[]).includes(i))));
      }
      this.last = { route: p.route, class: p.class, signature: p.signature, risk: p.risk, hour, shared };
    }
    const own: string[] = this.k.idKeys(p.id);
    for (const c of causeKeys) own.push(this.causeCustomers(p.route, c));
    return { shared, own };
  }

  /** `causeCustomers(route, cause)`, built once (its name hashes the cause: a few µs each, several per mismatch). */
  private causeCustomers(route: string, cause: string): string {
    const name = `${route.length}:${route}${cause}`;
    let key = this.causeKeys.get(name);
    if (key === undefined) {
      if (this.causeKeys.size >= RECORD_KEY_CACHE_SIZE) this.causeKeys.clear();
      this.causeKeys.set(name, (key = this.k.causeCustomers(route, cause)));
    }
    return key;
  }
}

/**
 * Exchange records of this many JSON characters or more are staged (see
 * `RecordCall.exchangeJson`), shorter ones passed to the script. Staging saves Redis the
 * Lua string's hash and copy (about 2 ns a byte) but costs a command more on both sides
 * (the worker's ioredis call, Redis's read, reply and COPY + DEL): in the worker benchmark
 * a 3.2 KB record cost Redis more CPU staged than passed, and 24 KB and 47 KB ones less
 * (`npm run bench -- --worker-only`, alternating runs).
 */
export const STAGE_FROM_CHARS = 16_384;

/** Where `RecordKeyParts.own` holds the exchange's `stagedExchange` key (KEYS[26] of its part). */
export const STAGED_OWN = 3;

/** How many fixed KEYS `recordKeys` gives before the per-cause keys. */
export const RECORD_FIXED_KEYS = 26;

/**
 * The prefixes the script appends a segment to (ARGV[4..8]): record keys by id (ids read
 * back from an index when trimming or deduplicating: recorded under `recordId`, so in the
 * route's slot), and the per-customer keys, whose
 * customer is chosen in the script (the customer, or the overflow bucket past the cap).
 *
 * @example
 * const argv = [payload, exchangeJson, mismatchJson, ...recordPrefixes(schema, 'product')];
 */
export function recordPrefixes(k: KeySchema, route: string): string[] {
  return [
    k.recordPrefix('exchange', route), // ARGV[4]
    k.recordPrefix('mismatch', route), // ARGV[5]
    k.prefixOf('exchangesByCustomer', route), // ARGV[6]
    k.prefixOf('mismatchesByCustomer', route), // ARGV[7]
    k.prefixOf('customerReadiness', route), // ARGV[8]
  ];
}

/** One exchange's part of a pack call: its `recordKeys` list (as `RecordKeyParts`) and its three arguments. */
export interface RecordCall extends RecordKeyParts {
  /** The exchange's payload fields as JSON, those equal to the pack's (`RecordPayloadDefaults`) left out. */
  payload: string;
  /**
   * The exchange's record JSON, or '' when it is staged (`STAGE_FROM_CHARS`) or a sampled-out match's (payload
   * `sampledOut`: no record, and no JSON built). A staged one is written by the caller to its
   * `stagedExchange` key (`own[STAGED_OWN]`) just before the call, with the record's
   * TTL (see `ResultsStore.recordPack`), so the script copies it without reading it.
   */
  exchangeJson: string;
  /** The exchange's record JSON when it is staged (`exchangeJson` is then ''): the caller writes it to `own[STAGED_OWN]` before the call. */
  staged?: string;
  /** The mismatch record's JSON after its exchange (`,"result":...}`), '' for none: the script puts `{"exchange":<exchangeJson>` before it. */
  mismatchTail: string;
  /** A mismatch's content hash (the dedupe's); '' or none for others. */
  contentHash?: string;
  /**
   * Sent by its content hash alone (payload `hashOnly`; `exchangeJson` and `mismatchTail` ''):
   * a sampled-out mismatch whose identical pair the script last said stored. Its JSON is not
   * built; the script records it as that pair's duplicate, or answers 3 (resend) when the pair
   * is gone, and the store sends it again in full (see `ResultsStore.recordPack`).
   */
  hashOnly?: boolean;
}

/**
 * The KEYS and ARGV of one call of RECORD_RESULT_LUA for a pack of one route's exchanges:
 * every key once, each exchange's keys as indexes into them (see the script's pack layout);
 * an own key of '' is index 0, which names no key (the script's KEYS[0] is nil).
 * `header`: the payload fields every exchange of the pack shares, and defaults of the
 * others, as JSON (see `ResultsStore`).
 *
 * @example
 * const { keys, argv } = packScriptArgs(recordPrefixes(schema, 'product'), '{"ttl":86400,...}', calls);
 * const statuses = await redis.tandemRecordResult(keys.length, ...keys, ...argv); // one per call, in order
 */
export function packScriptArgs(prefixes: string[], header: string, calls: readonly RecordCall[]): { keys: string[]; argv: string[] } {
  const keys: string[] = [];
  const at = new Map<string, number>();
  const index = (k: string) => at.get(k) ?? (at.set(k, keys.push(k)), keys.length);
  // a shared list's indexes, worked out once per list (most exchanges of a pack share one)
  const sharedAt = new Map<readonly string[], string>();
  const argv = [...prefixes, String(calls.length), header];
  for (const c of calls) {
    let shared = sharedAt.get(c.shared);
    if (shared === undefined) sharedAt.set(c.shared, (shared = c.shared.map(index).join(',')));
    let own = '';
    for (let i = 0; i < c.own.length; i++) {
      // '' is a key the exchange does not use: index 0, which names no key (nil in the script)
      const at = c.own[i] === '' ? 0 : index(c.own[i]);
      own += i ? `,${at}` : String(at);
    }
    argv.push(`${shared};${own}`, c.payload, c.exchangeJson, c.mismatchTail);
  }
  return { keys, argv };
}
