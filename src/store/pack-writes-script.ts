/**
 * The record script's pack-level writes (see RECORD_RESULT_LUA in record-result-script.ts):
 * what the sections of every exchange of a pack add to counter hashes (`hincr`), the expiries
 * (`expireLater`), list trims (`trimLater`), list pushes (`lpushLater`) and report index entries
 * (`indexLater`) they ask for, and the signature and cause state they keep (`signatureList`,
 * `causeList`), written once at the end of the pack by `applyPack()`, as one write per
 * exchange would have left them. Defines Lua locals only; it reads no KEYS or ARGV.
 *
 * @example
 * const lua = `${PACK_WRITES_LUA}\n-- the sections, then:\napplyPack()`;
 */
export const PACK_WRITES_LUA = `
-- What every exchange of the pack adds to counter hashes, and the expiries and list trims
-- the pack asks for, applied once at the end (applyPack): sums and last settings are
-- what one write per exchange would have left. Nothing in the script reads these back.
local sums, sumKeys, expires, expireKeys, trims, trimKeys = {}, {}, {}, {}, {}, {}
local zsets, zsetKeys, lists, listKeys = {}, {}, {}, {}
local function hincr(key, field, n)
  local h = sums[key]
  if not h then h = { fields = {}, n = {} }; sums[key] = h; sumKeys[#sumKeys + 1] = key end
  if not h.n[field] then h.fields[#h.fields + 1] = field; h.n[field] = 0 end
  h.n[field] = h.n[field] + n
end
local function expireLater(key, seconds)
  if not expires[key] then expireKeys[#expireKeys + 1] = key end
  expires[key] = seconds
end
local function trimLater(key, last)
  if not trims[key] then trimKeys[#trimKeys + 1] = key end
  trims[key] = last
end
-- LPUSH key value, written once per list at the end of the pack (every value, in order)
local function lpushLater(key, value)
  local l = lists[key]
  if not l then l = {}; lists[key] = l; listKeys[#listKeys + 1] = key end
  l[#l + 1] = value
end
-- Add id to the time index key (score at), then drop what is older than cutoff (ms) and
-- the oldest past cap entries, as ZADD, ZREMRANGEBYSCORE and a trim would at once: written
-- once per index at the end of the pack (flushIndex). For indexes that only point at
-- records (the report's): nothing in the script reads them back, and trimming them deletes
-- nothing. The exchange and mismatch records' own indexes are written at once (see keep).
local function indexLater(key, score, member, cutoff, cap)
  local z = zsets[key]
  if not z then z = { n = 0, s = {}, m = {}, c = {} }; zsets[key] = z; zsetKeys[#zsetKeys + 1] = key end
  z.n = z.n + 1
  z.s[z.n], z.m[z.n], z.c[z.n] = score, member, cutoff
  z.cap = tonumber(cap)
end
local function callChunked(cmd, key, args, per)
  for i = 1, #args, per do redis.call(cmd, key, unpack(args, i, math.min(i + per - 1, #args))) end
end
-- What adding each id alone would have left: an id stays unless a later one's age cut
-- drops it (the last time an id was added counts), what was there before goes by the
-- newest cut, then the index keeps its newest cap entries.
local function flushIndex(key, z)
  local cut, seen, kept, gone = nil, {}, {}, {}
  for i = z.n, 1, -1 do
    local m = z.m[i]
    if not seen[m] then
      seen[m] = true
      if cut == nil or z.s[i] >= cut then kept[#kept + 1] = i else gone[#gone + 1] = m end
    end
    if cut == nil or z.c[i] > cut then cut = z.c[i] end
  end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. cut)
  if #gone > 0 then callChunked('ZREM', key, gone, 1000) end
  local args = {}
  for j = #kept, 1, -1 do args[#args + 1] = z.s[kept[j]]; args[#args + 1] = z.m[kept[j]] end
  if #args > 0 then callChunked('ZADD', key, args, 1000) end
  local over = redis.call('ZCARD', key) - z.cap
  if over > 0 then redis.call('ZREMRANGEBYRANK', key, 0, over - 1) end
end
-- Per pack, what the sections learnt from Redis and keep up to date themselves (see each).
local members, signatures, signatureList, causeState, causeList, causeCount = {}, {}, {}, {}, {}, nil
local function applyPack()
  for _, key in ipairs(zsetKeys) do flushIndex(key, zsets[key]) end
  for _, key in ipairs(listKeys) do callChunked('LPUSH', key, lists[key], 1000) end
  for _, s in ipairs(signatureList) do
    if s.last then redis.call('HSET', s.meta, s.sig .. '|last', s.last, s.sig .. '|risk', s.risk, s.sig .. '|sample', s.sample) end
    redis.call('HSET', s.meta, s.sig .. '|samples', cjson.encode(s.samples))
  end
  for _, c in ipairs(causeList) do
    local k = c.key
    if c.first ~= c.storedFirst then redis.call('HSET', c.meta, k .. '|first', c.first) end
    if c.last ~= c.storedLast then redis.call('HSET', c.meta, k .. '|last', c.last) end
    for hll, seen in pairs(c.customers) do callChunked('PFADD', hll, seen.list, 1000) end
    if c.examples then redis.call('HSET', c.meta, k .. '|examples', cjson.encode(c.examples)) end
  end
  for _, key in ipairs(sumKeys) do
    local h = sums[key]
    for _, f in ipairs(h.fields) do redis.call('HINCRBY', key, f, h.n[f]) end
  end
  for _, key in ipairs(trimKeys) do redis.call('LTRIM', key, 0, trims[key]) end
  for _, key in ipairs(expireKeys) do redis.call('EXPIRE', key, expires[key]) end
end
`;
