import express from 'express';
import { ApiError, apiErrorHandler } from './api-errors';
import type { Runtime } from '../../runtime';
import { reportAuth } from './auth';
import { createLagRouter } from './lag-routes';
import { createReportActionRouter } from './action-routes';
import { createReportDataRouter } from './data-routes';
import { FailureLimiter } from './rate-limit';
import { ReportSessions } from './session';
import { SessionRevocations } from './revocations';
import { createSessionRouter, createSignInRouter } from './signin';
import { createStaticRouter } from './static';
import { createRulesRouter } from './rules-routes';
import { createRolloutRouter } from './rollout-routes';
import { knownRouteGate } from './known-route';
import { redisGate } from './redis-gate';
import { redisWatchdog } from './redis-watchdog';
import { signInFailures, type SignInFailures } from '../../store';

/**
 * Failed sign-ins (or wrong tokens) allowed per client address per minute, over every
 * process and instance sharing the deployment's Redis.
 *
 * @example
 * new FailureLimiter(() => failures, { max: SIGN_IN_FAILURES_PER_MINUTE, windowMs: 60_000 });
 */
export const SIGN_IN_FAILURES_PER_MINUTE = 10;

/**
 * The web report and its JSON API under the report path (default `/_tandem`): the page
 * and its assets (`/`, `/assets/*`, `/vendor/*`), sign-in (`POST /api/session`), then
 * the auth gate (token or session cookie, CSRF-checked on writes), then every API
 * endpoint. Nothing under the report path reaches legacy.
 *
 * @example
 * router.use('/_tandem', createReportRouter(runtime));
 */
export function createReportRouter(rt: Runtime): express.Router {
  const { token, path } = rt.config.report;
  const sessions = new ReportSessions(token);
  const limiter = new FailureLimiter(sharedFailures(rt), {
    max: SIGN_IN_FAILURES_PER_MINUTE,
    windowMs: 60_000,
    exempt: rt.config.report.lockoutExempt,
  });
  const revocations = new SessionRevocations(sharedRevocations(rt));

  const api = express.Router();
  api.use(function noStore(_req, res, next) {
    res.set({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    next();
  });
  api.use(createSignInRouter({ token, path, sessions, limiter }));
  // Redis away (a whole cluster down included): 503 at once, not a request waiting on ioredis' offline queue.
  api.use(redisGate(() => rt.store().redis));
  // Redis connected but not answering (paused, stalled): every request below answers 503 within about 3 s.
  api.use(redisWatchdog(() => rt.store().redis));
  api.use(reportAuth({ token, sessions, limiter, revocations }));
  api.use(createSessionRouter(path, sessions, revocations));
  api.use(createLagRouter(rt));
  api.use(async function awaitReady(_req, _res, next) {
    try {
      await rt.ready;
    } catch (e) {
      throw new ApiError(503, (e as Error).message);
    }
    next();
  });
  api.use(express.json({ limit: '64kb' }));
  api.use('/routes/:route', knownRouteGate(rt));
  api.use(createReportDataRouter(rt));
  api.use(createReportActionRouter(rt));
  // Feature routers mount here, after the auth gate and its CSRF check.
  api.use(createRulesRouter(rt));
  api.use(createRolloutRouter(rt));
  api.use(function apiNotFound() {
    throw new ApiError(404, 'no such report API endpoint');
  });
  // The one place an API error becomes a response.
  api.use(apiErrorHandler(rt.log));

  const router = express.Router();
  router.use('/api', api);
  router.use(staticOrNothing(rt));
  router.use(function reportNotFound(_req, res) {
    res.status(404).json({ error: 'not_found' });
  });
  return router;
}

/** The page's router; without the assets (a trimmed install) the API still works. */
function staticOrNothing(rt: Runtime): express.Router {
  try {
    return createStaticRouter();
  } catch (e) {
    rt.log.warn({ err: (e as Error).message }, 'the web report page is unavailable; its JSON API works');
    return express.Router();
  }
}

/** The deployment's failed sign-in counters once the runtime is ready (null before). */
function sharedFailures(rt: Runtime) {
  let failures: SignInFailures | null = null;
  return () => {
    if (failures) return failures;
    try {
      const store = rt.store();
      return (failures = signInFailures(store.redis, store.keys));
    } catch {
      return null;
    }
  };
}

/** The store's revoked sessions once the runtime is ready (null before). */
function sharedRevocations(rt: Runtime) {
  return () => {
    try {
      return rt.store().revokedSessions;
    } catch {
      return null;
    }
  };
}
