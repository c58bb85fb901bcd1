/**
 * The record script's pack-level writes (see RECORD_RESULT_LUA in record-result-script.ts):
 * what the sections of every exchange of a pack add to counter hashes (`hincr`), the expiries
 * (`expireLater`), list trims (`trimLater`), list pushes (`lpushLater`) and report index entries
 * (`indexLater`) they ask for, the exchanges' done markers (`markDone`), and the signature and
 * cause state they keep (`signatureList`, `causeList`), written once at the end of the pack by
 * `applyPack()`, as one write per exchange would have left them. Defines Lua locals only; it
 * reads no KEYS or ARGV.
 *
 * Exactly one count per exchange, also when the script fails part way (Redis keeps what a
 * script wrote before its error): an exchange whose own part fails is taken back
 * (`beginExchange` / `undoExchange`: its counts, pushes, index entries, done marker and
 * signature state are dropped, its mismatch record and that record's index entry deleted), and `applyPack()` writes the counters and the done markers first, after checking
 * that every counter hash is a hash, so an error before them leaves an exchange neither
 * counted nor marked (the worker records it again), and one after them leaves it both: such
 * an error (an index or list of another type) is caught and returned by `applyPack()` as
 * text, so the script still returns what it counted.
 *
 * @example
 * const lua = `${PACK_WRITES_LUA}\n-- per exchange: beginExchange(), the sections (undoExchange() if they fail), then:\nlocal late = applyPack()`;
 */
export const PACK_WRITES_LUA = `
-- What every exchange of the pack adds to counter hashes, and the expiries and list trims
-- the pack asks for, applied once at the end (applyPack): sums and last settings are
-- what one write per exchange would have left. Nothing in the script reads these back.
local sums, sumKeys, expires, expireKeys, trims, trimKeys = {}, {}, {}, {}, {}, {}
local zsets, zsetKeys, lists, listKeys, dones, claimed = {}, {}, {}, {}, {}, {}
-- What the exchange being recorded asked for so far, to take back if its part fails
-- (undoExchange): 4 slots per entry, a kind ('h' count, 'l' push, 'z' index entry,
-- 'd' done marker, 's' new signature state, 'p' a known signature's latest fields and
-- samples before it, 'k' a record it wrote and its index) and what undoes it.
local journal, jn = {}, 0
local function note(kind, a, b, c)
  journal[jn + 1], journal[jn + 2], journal[jn + 3], journal[jn + 4] = kind, a, b, c
  jn = jn + 4
end
local function hincr(key, field, n)
  local h = sums[key]
  if not h then h = { fields = {}, n = {} }; sums[key] = h; sumKeys[#sumKeys + 1] = key end
  if not h.n[field] then h.fields[#h.fields + 1] = field; h.n[field] = 0 end
  h.n[field] = h.n[field] + n
  note('h', h, field, n)
end
-- The exchange's done marker (key, expiring after seconds), set at the end of the pack
-- with its counts; isDone: already recorded, before this pack or earlier in it.
local function isDone(key)
  return claimed[key] or redis.call('EXISTS', key) == 1
end
local function markDone(key, seconds)
  claimed[key] = true
  dones[#dones + 1] = { key, seconds }
  note('d', key)
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
  note('l', l)
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
  note('z', z)
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
-- An exchange's part starts: what it asks for from now on can be taken back.
local function beginExchange()
  jn = 0
end
-- The exchange's part failed: take back its counts, pushes, index entries, done marker,
-- the signatures it was the first of in the pack and what it changed in those it was not,
-- and the records it noted (its mismatch record and that record's index entry: deleted, so
-- the report's mismatch list agrees with the counters; the worker's failure record has no
-- mismatch to rewrite them). Its other direct redis.call writes stay, as a script's writes do.
local function undoExchange()
  for i = jn - 3, 1, -4 do
    local kind, a, b = journal[i], journal[i + 1], journal[i + 2]
    if kind == 'h' then a.n[b] = a.n[b] - journal[i + 3]
    elseif kind == 'k' then redis.call('DEL', a); redis.call('ZREM', b, journal[i + 3])
    elseif kind == 'p' then a.last, a.risk, a.sample, a.samples = b.last, b.risk, b.sample, b.samples
    elseif kind == 'l' then a[#a] = nil
    elseif kind == 'z' then a.n = a.n - 1
    elseif kind == 's' then signatures[a] = nil; signatureList[#signatureList] = nil
    else claimed[a] = nil; dones[#dones] = nil end
  end
  jn = 0
end
-- The writes after the counters and done markers (see applyPack).
local function applyRest()
  for _, key in ipairs(zsetKeys) do
    if zsets[key].n > 0 then flushIndex(key, zsets[key]) end
  end
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
  for _, key in ipairs(trimKeys) do redis.call('LTRIM', key, 0, trims[key]) end
  for _, key in ipairs(expireKeys) do redis.call('EXPIRE', key, expires[key]) end
end
-- Counters and done markers first, and together: every counter hash is checked to be one
-- (a key of another type would fail HINCRBY part way) before any is written, so an error
-- before the markers leaves no count (the call fails). The other writes follow; an error
-- among them no longer fails the call (the pack is counted and marked: its statuses say so)
-- and is returned as text ('ERR <message>'), nil when all were written.
local function applyPack()
  for _, key in ipairs(sumKeys) do
    local t = redis.call('TYPE', key).ok
    if t ~= 'hash' and t ~= 'none' then error('counter hash ' .. key .. ' holds a ' .. t .. ', not a hash') end
  end
  for _, key in ipairs(sumKeys) do
    local h = sums[key]
    for _, f in ipairs(h.fields) do
      if h.n[f] ~= 0 then redis.call('HINCRBY', key, f, h.n[f]) end
    end
  end
  for _, d in ipairs(dones) do redis.call('SET', d[1], '1', 'EX', d[2]) end
  local ok, err = pcall(applyRest)
  if ok then return nil end
  return 'ERR ' .. tostring(type(err) == 'table' and err.err or err)
end
`;
