import { timingSafeEqual, createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CSRF_HEADER, parseCookies, SESSION_COOKIE, type ReportSessions } from './session';
import { ApiError } from './api-errors';
import type { FailureLimiter } from './rate-limit';
import type { SessionRevocations } from './revocations';
import { CHECK_RETRY_AFTER_S } from './redis-deadline';

/**
 * Compare two secrets in constant time (hashing first hides the length too).
 *
 * @example
 * sameSecret(given, config.report.token); // true or false, in the same time
 */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The token a request presents: bearer header or `x-tandem-token`. Never the URL: a token
 * in a query string ends up in access logs, browser history and `Referer` headers.
 *
 * @example
 * presentedToken(req); // 'abc...' or undefined
 */
export function presentedToken(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-tandem-token'];
  return typeof header === 'string' ? header : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * How a request was let in: `token` (scripts, no CSRF check) or `session` (the page's cookie).
 *
 * @example
 * if ((res.locals.tandemAuth as ReportAuthMode) === 'token') log.info('a script called the API');
 */
export type ReportAuthMode = 'token' | 'session';

/**
 * The report API's gate. A presented token (bearer, `x-tandem-token`) is compared in
 * constant time and is a sign-in attempt of the client address (see `clientAddress`):
 * wrong ones count against it, in Redis, shared by every process and instance (see
 * `FailureLimiter`), and an address over the limit gets 429 with Retry-After for every
 * token, the right one too, until its window ends (503 when the attempt cannot be checked
 * in Redis). Otherwise the session cookie must verify and not be revoked
 * (signed out; see `SessionRevocations`), and on
 * POST/PUT/PATCH/DELETE the request must also come from the page itself: `Origin` (when
 * sent) naming this host, `Sec-Fetch-Site` (when sent) not cross-site, and the
 * `x-tandem-csrf` header equal to the session's CSRF value (double submit). Sets
 * `res.locals.tandemAuth`. Refusals are thrown as ApiErrors (401, 403, 429, 503) for the
 * API's error handler to render.
 *
 * @example
 * api.use(reportAuth({ token, sessions: new ReportSessions(token), limiter, revocations }));
 */
export function reportAuth(o: { token: string; sessions: ReportSessions; limiter: FailureLimiter; revocations: SessionRevocations }) {
  return async function tandemReportAuth(req: Request, res: Response, next: NextFunction) {
    const now = Date.now();
    const given = presentedToken(req);
    if (given !== undefined) {
      const right = sameSecret(given, o.token);
      const wait = await o.limiter.attempt(clientAddress(req), right);
      if (wait) {
        res.set('retry-after', String(wait));
        throw new ApiError(429, `too many failed attempts; retry in ${wait} s`);
      }
      if (!right) throw unauthorized();
      res.locals.tandemAuth = 'token' satisfies ReportAuthMode;
      return next();
    }
    const session = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (!session || !o.sessions.verify(session, now)) throw unauthorized();
    let revoked: boolean;
    try {
      revoked = await o.revocations.isRevoked(session);
    } catch (e) {
      throw new ApiError(503, `the session cannot be checked now: ${(e as Error).message}`, undefined, {
        retryAfterS: CHECK_RETRY_AFTER_S,
      });
    }
    if (revoked) throw unauthorized();
    if (!SAFE_METHODS.has(req.method)) {
      const why =
        crossSiteReason(req) ?? (o.sessions.csrfMatches(session, req.get(CSRF_HEADER)) ? null : `missing or wrong ${CSRF_HEADER} header`);
      if (why) throw new ApiError(403, `cross-site request refused: ${why}`);
    }
    res.locals.tandemAuth = 'session' satisfies ReportAuthMode;
    next();
  };
}

/**
 * Why a request looks cross-site, or null: an `Origin` naming another host, or a
 * `Sec-Fetch-Site` other than same-origin/none.
 *
 * @example
 * crossSiteReason(req); // 'Origin https://evil.example is not this host'
 */
export function crossSiteReason(req: Request): string | null {
  const origin = req.get('origin');
  if (origin !== undefined) {
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host === null || host !== req.get('host')) return `Origin ${origin} is not this host`;
  }
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site}`;
  return null;
}

/**
 * The address failures are counted against: the socket's peer, or, behind proxies the
 * report trusts (`report.trustProxy`, express's `trust proxy` of the report's app), the
 * client address they report in `X-Forwarded-For`.
 *
 * @example
 * clientAddress(req); // '127.0.0.1'
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function unauthorized(): ApiError {
  return new ApiError(401, 'sign in, or send the report token (Authorization: Bearer <token>)');
}
