import type { Request, Response } from 'express';

/**
 * Who made a change through the report API, for the audit logs (rollout and rules):
 * `x-tandem-actor` (printable, at most 100 characters), else `report` for the page's
 * session, else `api` (a bearer token).
 *
 * @example
 * await rules.addIgnore(route, path, requestActor(req, res));
 */
export function requestActor(req: Request, res: Response): string {
  const given = req.get('x-tandem-actor')?.trim();
  // eslint-disable-next-line no-control-regex
  if (given && given.length <= 100 && !/[\u0000-\u001f\u007f]/.test(given)) return given;
  return res.locals.tandemAuth === 'session' ? 'report' : 'api';
}
