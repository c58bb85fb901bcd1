/**
 * The record script's root-cause section: per route, per cause of a mismatch's
 * differences (one entry per cause per exchange, whatever else differed with it):
 *
 * - hash `causes` (KEYS[16]): cause key -> count;
 * - hash `causeMeta` (KEYS[17]): `<key>|cause` (the cause as JSON, written once), `<key>|first`,
 *   `<key>|last` (exchange times, ms), `<key>|examples` (JSON: the last 3 `{ id, d }`,
 *   `d` the example difference as JSON text);
 * - HyperLogLog `causeCustomers` (KEYS[25 + i] for payload cause i): the customers affected.
 *
 * At most `p.causeCap` causes per route; beyond it a new cause is counted only in
 * `causeMeta` field `|over_cap`. Uses the script's locals `at`, `id`, `dupOf`
 * and payload `p` (`p.causes`: `[{ key, json, example }]`, JSON texts).
 *
 * @example
 * const lua = `${head}\n${CAUSES_LUA}\nreturn status`;
 */
export const CAUSES_LUA = `
-- root causes of the differences (report: one row per cause)
if p.causes then
  local meta, counts = KEYS[17], KEYS[16]
  for i, c in ipairs(p.causes) do
    local k = c.key
    if redis.call('HEXISTS', counts, k) == 0 and redis.call('HLEN', counts) >= tonumber(p.causeCap or 500) then
      redis.call('HINCRBY', meta, '|over_cap', 1)
    else
      if redis.call('HINCRBY', counts, k, 1) == 1 then redis.call('HSET', meta, k .. '|cause', c.json) end
      local first = tonumber(redis.call('HGET', meta, k .. '|first') or at)
      if at <= first then redis.call('HSET', meta, k .. '|first', at) end
      local last = tonumber(redis.call('HGET', meta, k .. '|last') or 0)
      if at >= last then redis.call('HSET', meta, k .. '|last', at) end
      redis.call('PFADD', KEYS[25 + i], p.customer)
      local sample = dupOf or id
      local kept = { { id = sample, d = c.example } }
      for _, e in ipairs(cjson.decode(redis.call('HGET', meta, k .. '|examples') or '[]')) do
        if e.id ~= sample and #kept < 3 then table.insert(kept, e) end
      end
      redis.call('HSET', meta, k .. '|examples', cjson.encode(kept))
    end
  end
end
`;
