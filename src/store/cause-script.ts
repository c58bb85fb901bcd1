/**
 * The record script's root-cause section: per route, per cause of a mismatch's
 * differences (one entry per cause per exchange, whatever else differed with it):
 *
 * - hash `causes` (KEYS[16]): cause key -> count;
 * - hash `causeMeta` (KEYS[17]): `<key>|cause` (the cause as JSON, written once), `<key>|first`,
 *   `<key>|last` (exchange times, ms), `<key>|examples` (JSON: the last 3 `{ id, d }`,
 *   `d` the example difference as JSON text);
 * - HyperLogLog `causeCustomers` (KEYS[26 + i] for payload cause i): the customers affected.
 *
 * At most `p.causeCap` causes per route; beyond it a new cause is counted only in
 * `causeMeta` field `|over_cap`. Counts, times, examples and customers are written once
 * per cause at the end of the pack (the script's `applyPack`), as one write per exchange
 * would have left them. Uses the script's locals `at`, `id`, `dupOf`
 * and payload `p` (`p.causes`: `[{ key, json, example }]`, JSON texts).
 *
 * @example
 * const lua = `${head}\n${CAUSES_LUA}\nreturn status`;
 */
export const CAUSES_LUA = `
-- root causes of the differences (report: one row per cause). What the pack learnt of a
-- cause (causeState: its first and last times, examples and new customers) is written
-- at its end; causeCount: the route's distinct causes, read once, counted on.
if p.causes then
  local meta, counts = KEYS[17], KEYS[16]
  for i, c in ipairs(p.causes) do
    local k = c.key
    local st = causeState[counts .. '|' .. k]
    if not st then
      if redis.call('HEXISTS', counts, k) == 1 then st = { known = true }
      else
        causeCount = causeCount or redis.call('HLEN', counts)
        if causeCount < tonumber(p.causeCap or 500) then causeCount = causeCount + 1; st = { known = false } end
      end
      if st then
        local stored = redis.call('HMGET', meta, k .. '|first', k .. '|last')
        st.key, st.meta, st.customers = k, meta, {}
        st.storedFirst, st.storedLast = tonumber(stored[1]), tonumber(stored[2])
        st.first, st.last = st.storedFirst, st.storedLast
        causeState[counts .. '|' .. k] = st
        causeList[#causeList + 1] = st
      end
    end
    if not st then
      hincr(meta, '|over_cap', 1)
    else
      hincr(counts, k, 1)
      if not st.known then st.known = true; redis.call('HSET', meta, k .. '|cause', c.json) end
      if not st.first or at <= st.first then st.first = at end
      if not st.last or at >= st.last then st.last = at end
      local hll = KEYS[26 + i]
      local seen = st.customers[hll]
      if not seen then seen = { list = {} }; st.customers[hll] = seen end
      if not seen[p.customer] then seen[p.customer] = true; seen.list[#seen.list + 1] = p.customer end
      local sample = dupOf or id
      local prior = st.examples or cjson.decode(redis.call('HGET', meta, k .. '|examples') or '[]')
      local kept = { { id = sample, d = c.example } }
      for _, e in ipairs(prior) do
        if e.id ~= sample and #kept < 3 then table.insert(kept, e) end
      end
      st.examples = kept
    end
  end
end
`;
