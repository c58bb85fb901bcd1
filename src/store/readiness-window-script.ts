/**
 * Section of the record script (see record-result-script.ts) kept by the rollout's
 * readiness guard: a rolling window of the last N results per route and per
 * customer, each stored as its result class, so the guard rates the window with the
 * same `matchFigures` as every page (errors, `too_large` included, count against it).
 * Payload field: `readinessWindow` (N; 0 or absent: off). KEYS[22] is the route's window;
 * a customer's is ARGV[8] (the `customerReadiness` prefix) and the script's local
 * `customerSeg` (the customer, or the overflow bucket); it expires with the retention TTL.
 *
 * @example
 * const lua = `${RECORD_PRELUDE}${READINESS_WINDOW_LUA}return status`;
 */
export const READINESS_WINDOW_LUA = `
-- rollout readiness: the last N outcomes per route and per customer
do
  local rwin = tonumber(p.readinessWindow or 0) or 0
  if rwin > 0 then
    local outcome = p.class
    lpushLater(KEYS[22], outcome)
    trimLater(KEYS[22], rwin - 1)
    local ck = ARGV[8] .. customerSeg
    lpushLater(ck, outcome)
    trimLater(ck, rwin - 1)
    expireLater(ck, ttl)
  end
end
`;
