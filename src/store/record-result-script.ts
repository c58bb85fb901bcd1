/**
 * Applies one comparison result atomically and at most once per exchange id, so a
 * worker killed mid-job and retried never counts twice.
 *
 * KEYS[1]: the exchange's done marker. ARGV[1]: the hash-tagged key prefix (`{tandem}:`);
 * every other key is built from it, so all stay in one cluster slot. ARGV[2]: a JSON
 * payload (see RecordPayload in results-store.ts).
 *
 * Returns 0 when the exchange was already recorded, 1 when recorded, 2 when recorded
 * and its mismatch signature is new for the route.
 *
 * Each section below is one concern; add new ones as their own section.
 */
export const RECORD_RESULT_LUA = `
local ttl = 0
local p = cjson.decode(ARGV[2])
ttl = tonumber(p.ttl)
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ttl) then return 0 end
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

-- bounded, expiring records with a time index
local function keep(index, key, json, cap, prefix)
  redis.call('SET', key, json, 'EX', ttl)
  redis.call('ZADD', index, at, id)
  redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. (at - ttl * 1000))
  local over = redis.call('ZCARD', index) - tonumber(cap)
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', index, 0, over - 1)) do redis.call('DEL', prefix .. old) end
    redis.call('ZREMRANGEBYRANK', index, 0, over - 1)
  end
end
keep(rk .. 'exchanges', pre .. 'exchange:' .. id, p.exchangeJson, p.exchangeCap, pre .. 'exchange:')

-- mismatches and their signatures
if p.mismatchJson ~= '' then
  keep(rk .. 'mismatches', pre .. 'mismatch:' .. id, p.mismatchJson, p.mismatchCap, pre .. 'mismatch:')
  local sig = p.signature
  if redis.call('HINCRBY', rk .. 'signatures', sig, 1) == 1 then status = 2 end
  redis.call('HSETNX', rk .. 'signature-meta', sig .. '|first', at)
  redis.call('HSET', rk .. 'signature-meta', sig .. '|last', at, sig .. '|risk', p.risk, sig .. '|sample', id)
end
return status
`;
