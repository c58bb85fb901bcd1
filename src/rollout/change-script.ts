/**
 * One rollout change, atomically: set (or delete) one hash field, bump the version,
 * and push an audit entry holding the previous value, trimmed to the audit size.
 *
 * KEYS: 1 the hash, 2 the version key, 3 the audit list.
 * ARGV: 1 field, 2 new value as JSON text ('' deletes), 3 the audit entry as JSON
 * (without `previous` and `version`), 4 audit size, 5 the value to report as previous
 * when the field was unset (JSON text of the configured default, '' for none).
 * Values stay JSON text inside the entry; the reader parses them.
 *
 * A change that changes nothing (the new value equals the stored one, or the default
 * when unset; or deleting an unset field) writes nothing and is not audited.
 *
 * Returns the new version (the current one for a no-op).
 *
 * @example
 * redis.defineCommand('tandemRolloutChange', { numberOfKeys: 3, lua: ROLLOUT_CHANGE_LUA });
 */
export const ROLLOUT_CHANGE_LUA = `
local prev = redis.call('HGET', KEYS[1], ARGV[1])
local effective = prev or (ARGV[5] ~= '' and ARGV[5]) or nil
if (ARGV[2] == '' and not prev) or (ARGV[2] ~= '' and effective == ARGV[2]) then
  return tonumber(redis.call('GET', KEYS[2]) or '0')
end
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
local v = redis.call('INCR', KEYS[2])
local e = cjson.decode(ARGV[3])
if prev then e.previous = prev elseif ARGV[5] ~= '' then e.previous = ARGV[5] else e.previous = cjson.null end
e.version = v
redis.call('LPUSH', KEYS[3], cjson.encode(e))
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[4]) - 1)
return v
`;
