import { z } from 'zod';
import { optionalSecret } from './secret-schema';

const opsPath = z.string().regex(/^\/[A-Za-z0-9_\-/.]*$/, 'must be an absolute path like /metrics');

/**
 * `metrics:` Prometheus metrics served by `tandem serve` (and `tandem worker --metrics-port`).
 *
 * @example
 * metricsSchema.parse({ path: '/metrics', token: 'a-long-scrape-token' });
 */
export const metricsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    path: opsPath.default('/metrics'),
    /** When set, scrapes must send `Authorization: Bearer <token>`. */
    token: optionalSecret(),
  })
  .prefault({});

/**
 * `health:` liveness and readiness endpoints (paths are configurable so they never hide legacy's own).
 *
 * @example
 * healthSchema.parse({ livePath: '/_tandem/healthz' });
 */
export const healthSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    livePath: opsPath.default('/healthz'),
    readyPath: opsPath.default('/readyz'),
    /** Budget of each readiness check (Redis ping, legacy TCP connect). */
    timeoutMs: z.number().int().positive().default(1000),
  })
  .prefault({});

/**
 * `notify:` mismatch notifications (new signature on a route; match rate under a threshold).
 *
 * @example
 * notifySchema.parse({ webhookUrl: 'https://hooks.example.com/tandem', matchRateBelow: 0.95 });
 */
export const notifySchema = z
  .strictObject({
    /** Events are POSTed here as JSON; without it they are logged (warn). */
    webhookUrl: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    /** Extra headers for the webhook, e.g. `authorization: Bearer ${HOOK_TOKEN}`. */
    headers: z.record(z.string(), z.string()).default({}),
    /** Send one `match_rate_below` event per route and window when the window's match rate is under this (0..1). */
    matchRateBelow: z.number().min(0).max(1).optional(),
    /** Comparable results a window needs before its match rate counts. */
    minCompared: z.number().int().positive().default(20),
    /** Length of the match-rate window in seconds (tumbling windows). */
    windowSeconds: z.number().int().positive().default(300),
    /** Whether a new mismatch signature on a route sends an event. */
    newSignatures: z.boolean().default(true),
    /** Delivery attempts per event (first try included), with exponential backoff. */
    attempts: z.number().int().min(1).max(20).default(6),
    /** First retry delay; doubles each retry (with jitter), at most 60 s. */
    retryDelayMs: z.number().int().positive().default(1000),
    /** Per-attempt timeout. */
    timeoutMs: z.number().int().positive().default(5000),
  })
  .prefault({});
