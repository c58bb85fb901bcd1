import { ERROR_CLASSES } from './match-rate';

/**
 * The web report's section of the record script (spliced into RECORD_RESULT_LUA, runs
 * after the record and mismatch are kept). It maintains, per route:
 *
 * - secondary indexes of stored mismatch ids (zsets scored by exchange time): by
 *   signature (KEYS[19]), risk (KEYS[20]) and customer (ARGV[7] .. `customerSeg`);
 * - secondary indexes of stored exchange ids: by class (KEYS[18]) and customer (ARGV[6] .. `customerSeg`);
 * - per-minute trend buckets: the hour's hash (KEYS[21]) with fields `<minute>|compared`,
 *   `<minute>|mismatch` and `<minute>|error` (the match rate's `ERROR_CLASSES`; minute and hour in
 *   epoch minutes/hours), expiring after 25 hours.
 *
 * An id is indexed only when its record was stored by then. Each index is trimmed by
 * age and to the record cap (once per pack, see `indexLater` in the record script), so
 * it never holds more than the records it points to plus ids whose record was trimmed
 * since; readers skip (and remove) such ids lazily. Every index expires with the
 * retention TTL. Uses the script's locals `customerSeg`, `at`, `id`, `ttl`,
 * `exchangeStored`, `mismatchStored`, `mismatchWritten` (see `keep`) and payload `p` (a
 * sampled-out exchange, `p.sampledOut`, has no exchange record: it is in no exchange index);
 * the records are KEYS[23] (exchange) and KEYS[24] (mismatch).
 *
 * @example
 * const lua = `${head}\n${REPORT_INDEX_LUA}\nreturn status`;
 */
export const REPORT_INDEX_LUA = `
-- report indexes (web report: filtered mismatch lists, per-minute trend)
do
  local function index(key, cap)
    indexLater(key, at, id, at - ttl * 1000, cap)
    expireLater(key, ttl)
  end
  -- a record written by this exchange is stored: only another's (rediff, over the budget) is looked up
  -- (a sampled-out exchange has none: not looked up, never indexed)
  if exchangeStored or (not p.sampledOut and redis.call('EXISTS', KEYS[23]) == 1) then
    index(KEYS[18], p.exchangeCap)
    index(ARGV[6] .. customerSeg, p.exchangeCap)
  end
  if p.class == 'mismatch' and (mismatchStored or (not mismatchWritten and redis.call('EXISTS', KEYS[24]) == 1)) then
    index(KEYS[19], p.mismatchCap)
    index(KEYS[20], p.mismatchCap)
    index(ARGV[7] .. customerSeg, p.mismatchCap)
  end
  local minute = math.floor(at / 60000)
  local bucket = KEYS[21]
  hincr(bucket, minute .. '|compared', 1)
  if p.class == 'mismatch' then hincr(bucket, minute .. '|mismatch', 1) end
  if ${ERROR_CLASSES.map((c) => `p.class == '${c}'`).join(' or ')} then
    hincr(bucket, minute .. '|error', 1)
  end
  expireLater(bucket, 90000)
end
`;
