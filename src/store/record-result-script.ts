import { REPORT_INDEX_LUA } from './report-index-script';
import { READINESS_WINDOW_LUA } from './readiness-window-script';
import { DEDUPE_LUA, NOISE_LEARNING_LUA } from './noise-dedupe-script';
import { CAUSES_LUA } from './cause-script';

/**
 * Applies one comparison result atomically and at most once per exchange id, so a
 * worker killed mid-job and retried never counts twice.
 *
 * KEYS[1]: the exchange's done marker. ARGV[1]: the hash-tagged key prefix (`{tandem}:`);
 * every other key is built from it, so all stay in one cluster slot. ARGV[2]: a JSON
 * payload (see RecordPayload in results-store.ts) without its two documents, which come
 * as ARGV[3] (the exchange's JSON) and ARGV[4] (the mismatch's JSON, '' for none).
 *
 * Returns 0 when the exchange was already recorded, 1 when recorded, 2 when recorded
 * and its mismatch signature is new for the route.
 *
 * Each section below is one concern; add new ones as their own section.
 */
export const RECORD_RESULT_LUA = `
local ttl = 0
local p = cjson.decode(ARGV[2])
p.exchangeJson = ARGV[3] or p.exchangeJson or ''
p.mismatchJson = ARGV[4] or p.mismatchJson or ''
ttl = tonumber(p.ttl)
-- rediff (payload rediff = true) re-records stored exchanges: no done marker, no new exchange record
if not p.rediff and not redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(p.doneTtl or p.ttl)) then return 0 end
local pre = ARGV[1]
local rk = pre .. 'route:' .. p.route .. ':'
local at, id = tonumber(p.at), p.id
local status = 1

-- counters, per route and per customer
redis.call('SADD', pre .. 'routes', p.route)
redis.call('HINCRBY', rk .. 'counters', 'compared', 1)
redis.call('HINCRBY', rk .. 'counters', p.class, 1)
redis.call('HINCRBY', rk .. 'customers', p.customer .. '|compared', 1)
redis.call('HINCRBY', rk .. 'customers', p.customer .. '|' .. p.class, 1)
redis.call('SADD', rk .. 'customer-set', p.customer)

-- per field path: how often it differs, how often it was noise
for _, f in ipairs(p.fields) do redis.call('HINCRBY', rk .. 'fields', f, 1) end
for _, f in ipairs(p.noise) do redis.call('HINCRBY', rk .. 'noise-fields', f, 1) end
-- field-tree totals: every prefix of a differing (d|) or noise (n|) path, once per comparison
for _, f in ipairs(p.fieldTotals or {}) do redis.call('HINCRBY', rk .. 'field-totals', 'd|' .. f, 1) end
for _, f in ipairs(p.noiseTotals or {}) do redis.call('HINCRBY', rk .. 'field-totals', 'n|' .. f, 1) end

-- memory budget: over it, results are still counted but not stored in full
if p.overBudget then redis.call('HINCRBY', rk .. 'counters', 'not_stored:memory_budget', 1) end

-- bounded, expiring records with a time index
local function keep(index, key, json, cap, prefix)
  if p.overBudget then return end
  redis.call('SET', key, json, 'EX', ttl)
  redis.call('ZADD', index, at, id)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. (at - ttl * 1000))
  local over = redis.call('ZCARD', index) - tonumber(cap)
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', index, 0, over - 1)) do redis.call('DEL', prefix .. old) end
    redis.call('ZREMRANGEBYRANK', index, 0, over - 1)
  end
end
if not p.rediff then keep(rk .. 'exchanges', pre .. 'exchange:' .. id, p.exchangeJson, p.exchangeCap, pre .. 'exchange:') end
${NOISE_LEARNING_LUA}
${DEDUPE_LUA}

-- mismatches and their signatures
if p.mismatchJson ~= '' then
  if not dupOf then keep(rk .. 'mismatches', pre .. 'mismatch:' .. id, p.mismatchJson, p.mismatchCap, pre .. 'mismatch:') end
  local sig = p.signature
  if redis.call('HINCRBY', rk .. 'signatures', sig, 1) == 1 then status = 2 end
  redis.call('HSETNX', rk .. 'signature-meta', sig .. '|first', at)
  redis.call('HSET', rk .. 'signature-meta', sig .. '|last', at, sig .. '|risk', p.risk, sig .. '|sample', dupOf or id)
  -- a few samples per signature: the last 5 distinct stored mismatch ids, newest first
  local samples = cjson.decode(redis.call('HGET', rk .. 'signature-meta', sig .. '|samples') or '[]')
  local sample, kept = dupOf or id, {}
  table.insert(kept, sample)
  for _, s in ipairs(samples) do if s ~= sample and #kept < 5 then table.insert(kept, s) end end
  redis.call('HSET', rk .. 'signature-meta', sig .. '|samples', cjson.encode(kept))
end
${CAUSES_LUA}
${REPORT_INDEX_LUA}
${READINESS_WINDOW_LUA}
return status
`;
