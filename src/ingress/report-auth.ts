import { timingSafeEqual, createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Compare two secrets in constant time (hashing first hides the length too). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token a request presents: bearer header, `x-tandem-token`, or `?token=`. */
export function presentedToken(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-tandem-token'];
  if (typeof header === 'string') return header;
  const q = req.query?.token;
  return typeof q === 'string' ? q : undefined;
}

/**
 * Require the report token; 401 JSON otherwise.
 *
 * @example
 * router.use(requireToken(config.report.token));
 */
export function requireToken(token: string) {
  return function tandemRequireToken(req: Request, res: Response, next: NextFunction) {
    const given = presentedToken(req);
    if (given && sameSecret(given, token)) return next();
    res.status(401).json({ error: 'unauthorized', message: 'the report token is required (Authorization: Bearer <token>)' });
  };
}
