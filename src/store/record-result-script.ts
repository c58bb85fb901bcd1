import { REPORT_INDEX_LUA } from './report-index-script';
import { READINESS_WINDOW_LUA } from './readiness-window-script';
import { DEDUPE_LUA, NOISE_LEARNING_LUA } from './noise-dedupe-script';
import { CAUSES_LUA } from './cause-script';
import { PACK_WRITES_LUA } from './pack-writes-script';

/**
 * Applies the comparison results of a pack of one route's exchanges, in one call: each
 * exchange's atomically and at most once per exchange id (its done marker), so a worker
 * killed mid-job and retried never counts twice. Each exchange is recorded as if alone,
 * in the pack's order (`recordOne` below); the pack saves the round trips and calls.
 *
 * Exactly one count per exchange when the script fails part way (Redis keeps a script's
 * writes made before an error): an exchange's counts and its done marker are written
 * together, as the pack's first final writes (`applyPack`, see pack-writes-script.ts), so
 * an exchange is counted if and only if it is marked done. An error before them (in an
 * exchange's own part: that exchange alone, its counts taken back; or a counter hash of
 * another type: the whole call) leaves it neither, and the worker records it again; an
 * error after them (an index or list of another type) leaves the pack counted and marked:
 * the call returns its statuses all the same, with that error after them (see below). Of
 * what an exchange wrote itself before its error, its mismatch record and that record's
 * index entry are deleted (the worker's failure record has none to rewrite them, and the
 * report's mismatch list must agree with the counters) and what it changed of a signature
 * already seen in the pack is put back; the rest stays: its exchange record (rewritten by
 * the failure record), a new signature's latest fields (`|last`, `|risk`, `|sample`, which
 * may then name a mismatch no longer stored), the member added to `customerSet`, and the
 * `duplicates` count and cause state written directly.
 * Under maxmemory with noeviction Redis refuses only a script's writes before its first
 * one, so a pack over the limit writes nothing.
 *
 * Pack layout. KEYS: every key any exchange of the pack needs, each once (see
 * `packScriptArgs`). ARGV[1..5]: the route's key prefixes (`recordPrefixes`); ARGV[6]: n,
 * the exchanges; ARGV[7]: the pack's payload fields (JSON: those every exchange shares,
 * and the defaults of the others); then 4 arguments per exchange i (from
 * ARGV[8 + 4(i - 1)]): its keys, as the KEYS indexes of its `recordKeys` list in order,
 * those not naming the exchange first, then a semicolon and those naming it (done,
 * exchange, mismatch, staged exchange, causes): "2,3,...,22,25;1,23,24,26,27" (the first part, the same for
 * most exchanges of a pack, is read once); its payload (the fields not the pack's), its
 * exchange JSON and the rest of its mismatch JSON (`RecordCall.mismatchTail`). Returns one status per exchange, in order: a number
 * (below), or for an exchange whose record failed (neither counted nor marked done), its
 * error as text (`ERR <message>`): the next exchanges are recorded all the same, as
 * separate calls would. When the pack's writes after its counts and done markers failed
 * (its report indexes, lists, signature or cause state), one more element follows the n
 * statuses: that error as text; the statuses still say what was counted.
 *
 * One exchange's view (`recordOne(KEYS, ARGV)`, the sections below, unchanged from a
 * script per exchange): KEYS (names of the key schema, see `recordKeys`): 1 done (this exchange), 2 counters,
 * 3 customers, 4 customerSet, 5 fields, 6 noiseFields, 7 exchanges, 8 mismatches,
 * 9 signatures, 10 signatureMeta, 11 repeatFields, 12 suspected, 13 dedupe, 14 dedupeOrder,
 * 15 duplicates, 16 causes, 17 causeMeta, 18 exchangesByClass (this class),
 * 19 mismatchesBySignature (this signature), 20 mismatchesByRisk (this risk), 21 trend
 * (this hour), 22 readiness, 23 exchange (this id), 24 mismatch (this id), 25 fieldTotals,
 * 26 stagedExchange (this id), 27.. causeCustomers of each payload cause, in order. Every one of them carries the
 * route's hash tag (the id is recorded under `recordId`, so its records do too): the
 * script touches one slot. The deployment-wide route list is not among them: the store
 * adds the route to it beside the script (SADD is idempotent).
 *
 * ARGV[1]: a JSON payload (see RecordPayload in record-types.ts) without its two
 * documents and the fields the pack gives (`p` falls back to the pack's ARGV[7]), which come as ARGV[2] (the exchange's JSON; '' for a
 * sampled-out match (payload `sampledOut`: no exchange record is written or indexed, counted as `not_stored:sampled`), or when
 * the store staged it: written to KEYS[26] with the record's TTL just before the call, which copies it to
 * KEYS[23] with COPY and deletes it, so the record never enters Lua, where each string is hashed whole) and ARGV[3] (the mismatch's
 * JSON after its exchange, `,"result":...}`, '' for none; the script puts `{"exchange":`
 * and ARGV[2] before it, so the exchange's JSON is sent once). ARGV[4..8]: key prefixes (see `recordPrefixes`): exchange record,
 * mismatch record, exchangesByCustomer, mismatchesByCustomer, customerReadiness; the script appends
 * an exchange id or a customer's key segment (`p.customerSeg`, `p.overflowSeg`) to them.
 *
 * Per-customer state is bounded: a route keeps its own per-customer state for at most
 * `p.customerCap` customers (set `customerSet`); past it, or over the memory budget, a
 * new customer's results are counted under the overflow customer `p.overflow` and in
 * counter `customer_overflow`.
 *
 * An exchange's status: 0 when it was already recorded, 1 when recorded, 2 when recorded
 * and its mismatch signature is new for the route, plus 4 when it is a mismatch whose sample
 * is stored (its own record, or the identical pair it duplicates); 3 (resend) when it was
 * sent by its content hash alone (payload `hashOnly`, see `RecordCall.hashOnly`) and that
 * pair is no longer stored: nothing of it is written, the exchanges after it in the pack are
 * not looked at (status 3 too), and the worker sends them again, that one in full.
 *
 * Each section below is one concern; add new ones as their own section. A section adds to
 * a counter hash with `hincr(key, field, n)`, sets an expiry with `expireLater(key, seconds)`
 * and trims a list with `trimLater(key, last)`: each is written once per pack, after its
 * last exchange (a section that reads such a value back must write it with redis.call).
 */
export const RECORD_RESULT_LUA = `${PACK_WRITES_LUA}
-- an exchange's payload falls back to the pack's fields (ARGV[7])
local payloadMeta = { __index = cjson.decode(ARGV[7]) }

-- A staged exchange record (KEYS[26]) the exchange leaves unused is deleted; only when it
-- exists: a DEL is a write, and under maxmemory Redis lets a script's writes through once one
-- has succeeded (the pack must then be refused at its first write, as before staging).
local function dropStaged(key)
  if redis.call('EXISTS', key) == 1 then redis.call('DEL', key) end
end

-- an exchange's status when it was sent by its content hash alone and its identical pair is no longer stored
local RESEND = 3

local function recordOne(KEYS, ARGV)
local ttl = 0
local p = setmetatable(cjson.decode(ARGV[1]), payloadMeta)
local id = p.id
-- the exchange's record: ARGV[2], or '' when the store staged it at KEYS[26] (copied from
-- there, so its JSON never enters Lua, where every string is hashed whole; deleted by the
-- end of the exchange). A sampled-out match (p.sampledOut) has no record: '' is then not staged.
local staged = (ARGV[2] == '' and not p.sampledOut) and KEYS[26] or nil
-- an earlier try of this exchange (sampled in, under the budget) may have staged its record and
-- died before its call: a call that stages nothing (sampled out, over the budget) drops that key
-- by the end of the exchange (an EXISTS, no write when there is none); rediff stages nothing
local leftover = (not staged and not p.rediff and (p.sampledOut or p.overBudget)) and KEYS[26] or nil
p.exchangeJson = ARGV[2] or ''
-- a mismatch record embeds its exchange: ARGV[3] is what follows it ('' for no mismatch), so
-- its exchange's JSON travels once; the two are put together only when the record is kept
p.mismatchJson = ARGV[3] or ''
ttl = tonumber(p.ttl)
-- rediff (payload rediff = true) re-records stored exchanges: no done marker, no new exchange record
-- (the marker is set with the exchange's counts, at the end of the pack: see markDone)
if not p.rediff then
  if isDone(KEYS[1]) then
    if staged or leftover then dropStaged(staged or leftover) end
    return 0
  end
  -- a likely duplicate sent by its content hash alone (p.hashOnly: a sampled-out mismatch whose
  -- identical pair the worker saw stored; no exchange or mismatch JSON): recorded only while that
  -- pair is still stored, else nothing is written (reads only so far) and the worker sends it again in full
  if p.hashOnly then
    local kept = redis.call('HGET', KEYS[13], p.contentHash)
    if not (kept and kept ~= id and redis.call('EXISTS', ARGV[5] .. kept) == 1) then return RESEND end
  end
  markDone(KEYS[1], tonumber(p.doneTtl or p.ttl))
end
local exchangePre, mismatchPre = ARGV[4], ARGV[5]
local at = tonumber(p.at)
local status = 1

-- per-customer state is bounded: past the cap (or over the memory budget) a new customer is the overflow bucket
-- (members: customers this pack found or put in the set, which stay in it)
local customer, customerSeg = p.customer, p.customerSeg
local known = members[KEYS[4]] or {}
members[KEYS[4]] = known
if not known[customer] then
  if redis.call('SISMEMBER', KEYS[4], customer) == 0 then
    if p.overBudget or redis.call('SCARD', KEYS[4]) >= tonumber(p.customerCap) then
      hincr(KEYS[2], 'customer_overflow', 1)
      customer, customerSeg = p.overflow, p.overflowSeg
    end
    redis.call('SADD', KEYS[4], customer)
  end
  known[customer] = true
end

-- counters, per route and per customer
hincr(KEYS[2], 'compared', 1)
hincr(KEYS[2], p.class, 1)
hincr(KEYS[3], customer .. '|compared', 1)
hincr(KEYS[3], customer .. '|' .. p.class, 1)

-- per field path: how often it differs, how often it was noise
for _, f in ipairs(p.fields) do hincr(KEYS[5], f, 1) end
for _, f in ipairs(p.noise) do hincr(KEYS[6], f, 1) end
-- field-tree totals: every prefix of a differing (d|) or noise (n|) path, once per comparison
for _, f in ipairs(p.fieldTotals or {}) do hincr(KEYS[25], 'd|' .. f, 1) end
for _, f in ipairs(p.noiseTotals or {}) do hincr(KEYS[25], 'n|' .. f, 1) end

-- memory budget: over it, results are still counted but not stored in full
if p.overBudget then hincr(KEYS[2], 'not_stored:memory_budget', 1) end
-- sampling (the worker's, retention.exchangesPerSecond): counted in full, its mismatch record
-- kept, but no exchange record (counted here only when the budget did not leave it out already)
if p.sampledOut and not p.overBudget then hincr(KEYS[2], 'not_stored:sampled', 1) end

-- bounded, expiring records with a time index: whether the record is stored (not trimmed
-- at once), and whether it was written (write(key): false when there was nothing to
-- write). Written at once, exchange by exchange: a trim deletes the records it drops, the
-- report indexes take an id only while its record is stored, and the dedupe section
-- reads which mismatches are.
local function keep(index, key, write, cap, prefix)
  if p.overBudget then return false, false end
  if not write(key) then return false, false end
  redis.call('ZADD', index, at, id)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. (at - ttl * 1000))
  local over = redis.call('ZCARD', index) - tonumber(cap)
  local stored = true
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', index, 0, over - 1)) do
      redis.call('DEL', prefix .. old)
      if old == id then stored = false end
    end
    redis.call('ZREMRANGEBYRANK', index, 0, over - 1)
  end
  return stored, true
end
-- the exchange's record: copied from its staged key (with the TTL it was written with, the
-- record's), else written from ARGV[2]. A staged key gone (evicted) leaves it unwritten.
local function writeExchange(key)
  if staged then return redis.call('COPY', staged, key, 'REPLACE') == 1 end
  redis.call('SET', key, p.exchangeJson, 'EX', ttl)
  return true
end
-- the mismatch record: its exchange's JSON (staged: read back, the staged key still holds it) and ARGV[3]
local function writeMismatch(key)
  local exchangeJson = p.exchangeJson
  if staged then exchangeJson = redis.call('GET', staged) end
  -- (a hash-only call has none: it is recorded only as a duplicate, see p.hashOnly)
  if not exchangeJson or exchangeJson == '' then return false end
  redis.call('SET', key, '{"exchange":' .. exchangeJson .. p.mismatchJson, 'EX', ttl)
  return true
end
local exchangeStored, exchangeWritten = false, false
if not p.rediff and not p.sampledOut then
  exchangeStored, exchangeWritten = keep(KEYS[7], KEYS[23], writeExchange, p.exchangeCap, exchangePre)
end
${NOISE_LEARNING_LUA}
${DEDUPE_LUA}

-- mismatches and their signatures (signatures: a signature's samples and latest
-- fields as this pack left them, written at its end; its count once it is known)
local mismatchStored, mismatchWritten = false, false
if p.class == 'mismatch' then
  if not dupOf then mismatchStored, mismatchWritten = keep(KEYS[8], KEYS[24], writeMismatch, p.mismatchCap, mismatchPre) end
  local sig = p.signature
  local sample = dupOf or id
  -- the mismatch record this exchange wrote goes with it if its part fails (undoExchange)
  if mismatchWritten then note('k', KEYS[24], KEYS[8], id) end
  local s = signatures[KEYS[10] .. '|' .. sig]
  if s then
    hincr(KEYS[9], sig, 1)
    note('p', s, { last = s.last, risk = s.risk, sample = s.sample, samples = s.samples })
    s.last, s.risk, s.sample = at, p.risk, sample
  else
    if (tonumber(redis.call('HGET', KEYS[9], sig)) or 0) == 0 then status = 2 end
    hincr(KEYS[9], sig, 1)
    redis.call('HSETNX', KEYS[10], sig .. '|first', at)
    redis.call('HSET', KEYS[10], sig .. '|last', at, sig .. '|risk', p.risk, sig .. '|sample', sample)
    s = { meta = KEYS[10], sig = sig, samples = cjson.decode(redis.call('HGET', KEYS[10], sig .. '|samples') or '[]') }
    signatures[KEYS[10] .. '|' .. sig] = s
    signatureList[#signatureList + 1] = s
    note('s', KEYS[10] .. '|' .. sig)
  end
  -- a few samples per signature: the last 5 distinct stored mismatch ids, newest first
  local kept = { sample }
  for _, x in ipairs(s.samples) do if x ~= sample and #kept < 5 then kept[#kept + 1] = x end end
  s.samples = kept
end
${CAUSES_LUA}
${REPORT_INDEX_LUA}
${READINESS_WINDOW_LUA}
-- the staged record is used: after a COPY (a write that succeeded) a DEL needs no check
if staged then
  if exchangeWritten then redis.call('DEL', staged) else dropStaged(staged) end
elseif leftover then
  dropStaged(leftover)
end
-- its mismatch sample is stored (written now, or the identical pair it duplicates): the worker may send the next by its hash
if dupOf or mismatchStored then status = status + 4 end
return status
end

-- a pack: the results of one route's exchanges, recorded one after the other in one call
-- (the keys not naming an exchange: one list per distinct part, shared by its exchanges)
local SHARED_AT = { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 25 }
local OWN_AT = { 1, 23, 24, 26 }
local sharedLists = {}
local statuses, arg = {}, 8
for i = 1, tonumber(ARGV[6]) do
  local sharedIdx, ownIdx = string.match(ARGV[arg], '^([^;]*);(.*)$')
  local meta = sharedLists[sharedIdx]
  if not meta then
    local shared, j = {}, 0
    for x in string.gmatch(sharedIdx, '%d+') do j = j + 1; shared[SHARED_AT[j]] = KEYS[tonumber(x)] end
    meta = { __index = shared }
    sharedLists[sharedIdx] = meta
  end
  -- an own index of 0 is a key the exchange never uses (a sampled-out match's records): KEYS[0] is nil
  local keys, j = setmetatable({}, meta), 0
  for x in string.gmatch(ownIdx, '%d+') do j = j + 1; keys[OWN_AT[j] or (22 + j)] = KEYS[tonumber(x)] end
  -- an exchange whose record fails fails alone, neither counted nor marked done (its counts,
  -- marker and mismatch record are taken back: see undoExchange)
  beginExchange()
  local ok, status = pcall(recordOne, keys, { ARGV[arg + 1], ARGV[arg + 2], ARGV[arg + 3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5] })
  if ok and status == RESEND then
    -- it wrote nothing; it and the exchanges after it (not looked at: the pack's order is kept) are sent again
    for j = i, tonumber(ARGV[6]) do statuses[j] = RESEND end
    break
  elseif ok then statuses[i] = status
  else
    undoExchange()
    -- its staged record, or one an earlier try left (see leftover in recordOne); failures are rare
    dropStaged(keys[26])
    statuses[i] = 'ERR ' .. tostring(type(status) == 'table' and status.err or status)
  end
  arg = arg + 4
end
-- the writes after the counts and markers failed: the pack is counted, its statuses say how; the error follows them
local late = applyPack()
if late then statuses[#statuses + 1] = late end
return statuses
`;
