import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Cookie holding the signed session (HttpOnly).
 *
 * @example
 * parseCookies(req.headers.cookie)[SESSION_COOKIE];
 */
export const SESSION_COOKIE = 'tandem_session';
/**
 * Cookie holding the CSRF value the page echoes in `x-tandem-csrf` (readable by the page).
 *
 * @example
 * res.cookie(CSRF_COOKIE, sessions.csrfFor(session), { sameSite: 'strict', path: '/_tandem' });
 */
export const CSRF_COOKIE = 'tandem_csrf';
/**
 * Header carrying the CSRF value on POST, PUT, PATCH and DELETE.
 *
 * @example
 * sessions.csrfMatches(session, req.get(CSRF_HEADER));
 */
export const CSRF_HEADER = 'x-tandem-csrf';
/**
 * How long a sign-in lasts.
 *
 * @example
 * res.cookie(SESSION_COOKIE, value, { maxAge: SESSION_TTL_MS, httpOnly: true });
 */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

/**
 * Stateless report sessions: `v1.<issued-at ms>.<HMAC>`, keyed by a hash of the report
 * token, so any Tandem instance with the same token verifies them, and changing the
 * token signs everyone out. The CSRF value is an HMAC of the session, so it cannot be
 * planted without the session.
 *
 * @example
 * const s = new ReportSessions(config.report.token);
 * const cookie = s.issue(Date.now());
 * s.verify(cookie, Date.now()); // true
 * s.csrfFor(cookie).length; // 43
 */
export class ReportSessions {
  private readonly key: Buffer;

  constructor(token: string) {
    this.key = createHash('sha256').update(`tandem-report-session\0${token}`).digest();
  }

  issue(now: number): string {
    const issued = String(now);
    return `v1.${issued}.${this.mac(`session.${issued}`)}`;
  }

  /** True when the value is a session this token signed, issued within the TTL. */
  verify(value: string | undefined, now: number): boolean {
    const m = value ? /^v1\.(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
    if (!m) return false;
    const issued = Number(m[1]);
    if (issued > now + 60_000 || now - issued > SESSION_TTL_MS) return false;
    return equal(m[2], this.mac(`session.${m[1]}`));
  }

  /** When a session (verified or not) expires, epoch ms; 0 when it is not a session. */
  expiresAt(value: string): number {
    const m = /^v1\.(\d{1,16})\./.exec(value);
    return m ? Number(m[1]) + SESSION_TTL_MS : 0;
  }

  csrfFor(session: string): string {
    return this.mac(`csrf.${session}`);
  }

  /** True when `given` is the CSRF value of this session (constant time). */
  csrfMatches(session: string, given: string | undefined): boolean {
    return typeof given === 'string' && equal(given, this.csrfFor(session));
  }

  private mac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Cookies of a request as a map (first value wins; undecodable values are skipped).
 *
 * @example
 * parseCookies('a=1; b=x%20y'); // { a: '1', b: 'x y' }
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a malformed value is ignored, like a missing one
    }
  }
  return out;
}
