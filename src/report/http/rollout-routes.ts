import { requestActor } from './request-actor';
import express, { type Request, type Response } from 'express';
import { describedReadiness, NO_CUSTOMER_IDENTIFICATION, overridesWarning, type RolloutService, type RolloutState } from '../../rollout';
import type { Runtime } from '../../runtime';
import { intParam, readQuery, textParam } from '..';

/**
 * The rollout's JSON API, mounted inside the report API (after its auth gate and
 * JSON body parser), so every path here is under `/_tandem/api`:
 *
 * - `GET /rollout`: `{ version, routes: { [route]: { phase, percentage, sampleRate, customers, groups } }, groups }`,
 *   plus `customerWarning` (the text of `NO_CUSTOMER_IDENTIFICATION`) while no `customer` identification is configured
 * - `PUT /rollout/routes/:route` `{ phase?, percentage?, sampleRate?, force? }`
 * - `PUT|DELETE /rollout/routes/:route/customers/:customer` `{ phase, force? }`
 * - `PUT|DELETE /rollout/groups/:group` `{ customers: string[] }`
 * - `PUT|DELETE /rollout/routes/:route/groups/:group` `{ phase, force? }`
 * - `GET /rollout/audit?limit=50`: `{ entries }`
 * - `GET /rollout/readiness/:route?customer=`: `{ compared, matches, matchRate, threshold, window, minCompared, ready, summary, figures, shortfalls }`
 *
 * Writes answer with the new state; setting a customer or group phase, a percentage or a
 * group while no `customer` identification is configured adds `warning` (it never applies). A refusal is a RolloutError, rendered by the API's
 * error handler: `{ error: code, message }` with its status; a readiness refusal is 409 `{ error: 'not_ready', message,
 * compared, matchRate, threshold, window }`. The actor recorded in the audit log is the
 * `x-tandem-actor` header, else `report` for the signed-in page, else `api`.
 *
 * @example
 * api.use(createRolloutRouter(rt));
 */
export function createRolloutRouter(rt: Runtime): express.Router {
  const r = express.Router();
  const svc = (): RolloutService => rt.rollout.service();
  const send = (res: Response, s: RolloutState) => res.json(s);
  // A customer or group phase, or a percentage, set while no customer is identified never applies: say so beside the state.
  const sendOverride = (res: Response, s: RolloutState) => {
    const warning = overridesWarning(s, rt.config.customer);
    res.json(warning ? { ...s, warning } : s);
  };
  const body = (req: Request): Record<string, unknown> =>
    req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  const p = (req: Request, name: string) => String(req.params[name]);
  const force = (req: Request) => body(req).force === true;

  // Without customer identification the page warns where overrides and groups are edited, before any exist.
  r.get('/rollout', async (_req, res) => {
    const s = await svc().state();
    res.json(rt.config.customer === undefined ? { ...s, customerWarning: NO_CUSTOMER_IDENTIFICATION } : s);
  });
  r.put('/rollout/routes/:route', async (req, res) => {
    const b = body(req);
    sendOverride(
      res,
      await svc().setRoute(
        p(req, 'route'),
        { phase: b.phase, percentage: b.percentage, sampleRate: b.sampleRate, force: force(req) },
        { actor: requestActor(req, res) },
      ),
    );
  });
  r.put('/rollout/routes/:route/customers/:customer', async (req, res) => {
    sendOverride(
      res,
      await svc().setCustomer(p(req, 'route'), p(req, 'customer'), body(req).phase, { actor: requestActor(req, res), force: force(req) }),
    );
  });
  r.delete('/rollout/routes/:route/customers/:customer', async (req, res) => {
    send(res, await svc().clearCustomer(p(req, 'route'), p(req, 'customer'), { actor: requestActor(req, res) }));
  });
  r.put('/rollout/groups/:group', async (req, res) => {
    sendOverride(res, await svc().setGroup(p(req, 'group'), body(req).customers, { actor: requestActor(req, res) }));
  });
  r.delete('/rollout/groups/:group', async (req, res) => {
    send(res, await svc().deleteGroup(p(req, 'group'), { actor: requestActor(req, res) }));
  });
  r.put('/rollout/routes/:route/groups/:group', async (req, res) => {
    sendOverride(
      res,
      await svc().setGroupPhase(p(req, 'route'), p(req, 'group'), body(req).phase, { actor: requestActor(req, res), force: force(req) }),
    );
  });
  r.delete('/rollout/routes/:route/groups/:group', async (req, res) => {
    send(res, await svc().clearGroupPhase(p(req, 'route'), p(req, 'group'), { actor: requestActor(req, res) }));
  });
  r.get('/rollout/audit', async (req, res) => {
    const { limit } = readQuery(req.query as Record<string, unknown>, { limit: intParam(50, 1, 1000) });
    res.json({ entries: await svc().audit(limit) });
  });
  r.get('/rollout/readiness/:route', async (req, res) => {
    const { customer } = readQuery(req.query as Record<string, unknown>, { customer: textParam(200) });
    res.json(describedReadiness(await svc().readiness(p(req, 'route'), customer)));
  });
  return r;
}
