import { spec } from './key-spec';

/**
 * Key declarations of the stored records: per exchange id, and the per-route state rediff keeps (ingress counters, the exchange index, the rediff lock). Part of `KEY_SPECS` (key-specs.ts), which is the one entry point: see it for what
 * each field means.
 */
export const RECORD_KEY_SPECS = {
  // per exchange id (Tandem's own ids); they belong to one route
  done: spec(
    'done:<id>',
    'exchange',
    'string',
    false,
    'retention.dedupeSeconds',
    'The exchange was recorded (at most once per exchange id).',
  ),
  exchange: spec(
    'exchange:<id>',
    'exchange',
    'string',
    false,
    'retention.ttlSeconds, capped per route',
    'A stored raw exchange (JSON); rediff reads these.',
  ),
  mismatch: spec('mismatch:<id>', 'exchange', 'string', true, 'retention.ttlSeconds, capped per route', 'A stored mismatch record (JSON).'),
  stagedExchange: spec(
    'staged:exchange:<id>',
    'exchange',
    'string',
    false,
    'retention.ttlSeconds; deleted by the record script call sent with it',
    'An exchange record written beside its record script call, which copies it to `exchange:<id>` (or not) and deletes it: its JSON never enters Lua.',
  ),
  // per route, kept by rediff
  counters: spec(
    'route:<route>:counters',
    'route',
    'hash',
    'fields',
    'none',
    'Per-route counters; ingress fields kept, result fields derived (isDerivedCounter).',
  ),
  customers: spec(
    'route:<route>:customers',
    'route',
    'hash',
    'fields',
    'none (at most customerCap + 1 customers)',
    'Per-customer counters, fields `<customer>|<counter>`.',
  ),
  exchanges: spec('route:<route>:exchanges', 'route', 'zset', false, 'trimmed by age and cap', 'Time index of the stored exchanges.'),
  rediffLock: spec('rediff-lock:<route>', 'route', 'string', false, '600 s', 'Held while a rediff of the route runs.'),
} as const;
