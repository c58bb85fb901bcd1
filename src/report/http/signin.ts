import express, { type Request, type Response } from 'express';
import { clientAddress, crossSiteReason, sameSecret } from './auth';
import { ApiError } from './api-errors';
import type { FailureLimiter } from './rate-limit';
import type { SessionRevocations } from './revocations';
import { CSRF_COOKIE, parseCookies, SESSION_COOKIE, SESSION_TTL_MS, type ReportSessions } from './session';

/**
 * What sign-in needs.
 *
 * @example
 * createSignInRouter({ token, path: '/_tandem', sessions, limiter } satisfies SignInOptions);
 */
export interface SignInOptions {
  token: string;
  /** The report path; cookies are scoped to it. */
  path: string;
  sessions: ReportSessions;
  limiter: FailureLimiter;
}

/**
 * `POST /session {token}` (before the auth gate): checks the token in constant time and
 * sets the session cookie (HttpOnly, SameSite=Strict, Path=<report path>, Secure on
 * HTTPS) and the readable CSRF cookie. Attempts are limited per address (see
 * `FailureLimiter`), in Redis (shared by every process and instance): an address over the
 * limit gets 429 with Retry-After, the right token too; not checkable (Redis away) → 503;
 * a success clears nothing (failures expire with their window).
 * Requires a JSON body, and refuses cross-site origins.
 *
 * @example
 * api.use(createSignInRouter({ token, path: '/_tandem', sessions, limiter }));
 */
export function createSignInRouter(o: SignInOptions): express.Router {
  const r = express.Router();
  r.post('/session', express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    const now = Date.now();
    const address = clientAddress(req);
    const cross = crossSiteReason(req);
    if (cross) throw new ApiError(403, `cross-site sign-in refused: ${cross}`);
    const given = (req.body as { token?: unknown } | undefined)?.token;
    if (!req.is('application/json') || typeof given !== 'string') throw new ApiError(400, 'send JSON: {"token": "<report token>"}');
    // Compared in constant time, always; a locked-out address is refused whatever the result,
    // exactly as a wrong token is, so a guess beyond the limit tells nothing.
    const right = sameSecret(given, o.token);
    const wait = await o.limiter.attempt(address, right);
    if (wait) {
      res.set('retry-after', String(wait));
      throw new ApiError(429, `too many failed sign-ins; retry in ${wait} s`);
    }
    if (!right) throw new ApiError(401, 'wrong report token');
    const session = o.sessions.issue(now);
    const csrf = o.sessions.csrfFor(session);
    const base = { sameSite: 'strict' as const, path: o.path, secure: req.secure, maxAge: SESSION_TTL_MS };
    res.cookie(SESSION_COOKIE, session, { ...base, httpOnly: true });
    res.cookie(CSRF_COOKIE, csrf, base);
    res.json({ authenticated: true, csrf, expiresAt: now + SESSION_TTL_MS });
  });
  return r;
}

/**
 * `GET /session` (who am I; 401 before sign-in, from the gate) and `DELETE /session`
 * (sign out: the session is revoked on the server until it would have expired, on every
 * instance, and both cookies are cleared). Mount after the auth gate.
 *
 * @example
 * api.use(createSessionRouter('/_tandem', sessions, revocations));
 */
export function createSessionRouter(path: string, sessions: ReportSessions, revocations: SessionRevocations): express.Router {
  const r = express.Router();
  r.get('/session', (req: Request, res: Response) => {
    const via = res.locals.tandemAuth as string;
    const session = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    res.json({ authenticated: true, via, ...(via === 'session' && session ? { csrf: sessions.csrfFor(session) } : {}) });
  });
  r.delete('/session', async (req: Request, res: Response) => {
    const session = parseCookies(req.headers.cookie)[SESSION_COOKIE];
    if (session && sessions.verify(session, Date.now())) await revocations.revoke(session, sessions.expiresAt(session));
    const base = { sameSite: 'strict' as const, path, secure: req.secure };
    res.clearCookie(SESSION_COOKIE, { ...base, httpOnly: true });
    res.clearCookie(CSRF_COOKIE, base);
    res.json({ authenticated: false });
  });
  return r;
}
