/**
 * The web report's section of the record script (spliced into RECORD_RESULT_LUA, runs
 * after the record and mismatch are kept). It maintains, per route:
 *
 * - secondary indexes of stored mismatch ids (zsets scored by exchange time):
 *   `mm-by:sig:<sha1 of signature>`, `mm-by:risk:<risk>`, `mm-by:customer:<customer>`;
 * - secondary indexes of stored exchange ids: `ex-by:class:<class>`, `ex-by:customer:<customer>`;
 * - per-minute trend buckets: hash `trend:<hour>` with fields `<minute>|compared`,
 *   `<minute>|mismatch` and `<minute>|error` (the error classes; minute and hour in
 *   epoch minutes/hours), expiring after 25 hours.
 *
 * An id is indexed only when its record was actually stored. Each index is trimmed by
 * age and to the record cap, so it never holds more than the records it points to plus
 * ids whose record was trimmed since; readers skip (and remove) such ids lazily.
 * Uses the script's locals `pre`, `rk`, `at`, `id`, `ttl` and payload `p`.
 *
 * @example
 * const lua = `${head}\n${REPORT_INDEX_LUA}\nreturn status`;
 */
export const REPORT_INDEX_LUA = `
-- report indexes (web report: filtered mismatch lists, per-minute trend)
do
  local function index(key, cap)
    redis.call('ZADD', key, at, id)
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (at - ttl * 1000))
    local over = redis.call('ZCARD', key) - tonumber(cap)
    if over > 0 then redis.call('ZREMRANGEBYRANK', key, 0, over - 1) end
    redis.call('EXPIRE', key, ttl)
  end
  if redis.call('EXISTS', pre .. 'exchange:' .. id) == 1 then
    index(rk .. 'ex-by:class:' .. p.class, p.exchangeCap)
    index(rk .. 'ex-by:customer:' .. p.customer, p.exchangeCap)
  end
  if p.class == 'mismatch' and redis.call('EXISTS', pre .. 'mismatch:' .. id) == 1 then
    index(rk .. 'mm-by:sig:' .. redis.sha1hex(p.signature or ''), p.mismatchCap)
    index(rk .. 'mm-by:risk:' .. (p.risk or ''), p.mismatchCap)
    index(rk .. 'mm-by:customer:' .. p.customer, p.mismatchCap)
  end
  local minute = math.floor(at / 60000)
  local bucket = rk .. 'trend:' .. math.floor(minute / 60)
  redis.call('HINCRBY', bucket, minute .. '|compared', 1)
  if p.class == 'mismatch' then redis.call('HINCRBY', bucket, minute .. '|mismatch', 1) end
  if p.class == 'candidate_error' or p.class == 'translation_error' or p.class == 'unparseable' or p.class == 'too_large' then
    redis.call('HINCRBY', bucket, minute .. '|error', 1)
  end
  redis.call('EXPIRE', bucket, 90000)
end
`;
