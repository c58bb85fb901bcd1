/**
 * Sections of the record script (see record-result-script.ts) for issue 4: noise
 * learning, suspected volatile fields and mismatch dedupe. They use the script's locals
 * `mismatchPre`, `at`, `id`, `ttl`, the payload `p` and its KEYS (see `recordKeys`: 2
 * counters, 11 repeatFields, 12 suspected, 13 dedupe, 14 dedupeOrder, 15 duplicates).
 *
 * NOISE_LEARNING_LUA, payload `repeated` (the exchange had a comparable legacy repeat),
 * `repeatFields` (generalised paths where legacy differed from itself), `suspected`
 * (generalised paths flagged as volatile): counter `repeated`, hashes `repeatFields`
 * and `suspected` (path -> count).
 *
 * @example
 * const lua = `${head}${NOISE_LEARNING_LUA}${DEDUPE_LUA}-- mismatches ...`;
 */
export const NOISE_LEARNING_LUA = `
-- noise learning (legacy vs legacy on repeated requests) and suspected volatile fields
if p.repeated then
  hincr(KEYS[2], 'repeated', 1)
  for _, f in ipairs(p.repeatFields) do hincr(KEYS[11], f, 1) end
end
for _, f in ipairs(p.suspected or {}) do hincr(KEYS[12], f, 1) end
`;

/**
 * Mismatch dedupe by content hash (payload `contentHash`, set on mismatches): one stored
 * mismatch per hash within retention. A mismatch whose hash points to a mismatch still
 * stored sets the local `dupOf` to that id and adds 1 to its count in hash `duplicates`;
 * the mismatch section then counts it but does not store it again. Hash `dedupe`
 * (hash -> kept id) is trimmed by age and to the mismatch cap through zset `dedupeOrder`.
 *
 * @example
 * const lua = `${DEDUPE_LUA}if not dupOf then keep(...) end`;
 */
export const DEDUPE_LUA = `
-- mismatch dedupe: identical exchange pairs are stored once and counted as duplicates
local dupOf = nil
if p.class == 'mismatch' and (p.contentHash or '') ~= '' and not p.overBudget then
  local dk, dok, dupk = KEYS[13], KEYS[14], KEYS[15]
  local kept = redis.call('HGET', dk, p.contentHash)
  if kept and kept ~= id and redis.call('EXISTS', mismatchPre .. kept) == 1 then
    dupOf = kept
    redis.call('HINCRBY', dupk, kept, 1)
  else
    if kept then redis.call('HDEL', dupk, kept) end
    redis.call('HSET', dk, p.contentHash, id)
    redis.call('ZADD', dok, at, p.contentHash)
    local old = redis.call('ZRANGEBYSCORE', dok, '-inf', '(' .. (at - ttl * 1000))
    local over = redis.call('ZCARD', dok) - #old - tonumber(p.mismatchCap)
    if over > 0 then
      for _, h in ipairs(redis.call('ZRANGE', dok, #old, #old + over - 1)) do table.insert(old, h) end
    end
    for _, h in ipairs(old) do
      local oid = redis.call('HGET', dk, h)
      if oid then redis.call('HDEL', dupk, oid) end
      redis.call('HDEL', dk, h)
      redis.call('ZREM', dok, h)
    end
  end
end
`;
