import express, { type Request, type Response } from 'express';
import type { Runtime } from '../../runtime';
import { noiseReport } from '../noise-report';
import { checkRulePath, RulePathError, type RuntimeRules } from '../../rules';
import { rediffRoute } from '../../worker';
import { routeParam } from './query-params';
import { requestActor } from './request-actor';
import { ApiError } from './api-errors';

type RuleChange = (rules: RuntimeRules, route: string, path: string, actor: string, key: unknown) => Promise<void>;

/**
 * Compare-rule endpoints of the report API (mount after the auth gate):
 * `GET /routes/:route/rules`; `POST|DELETE /routes/:route/rules/ignore` and
 * `POST|DELETE /routes/:route/noise` with `{ path }` (JSON body or `?path=`);
 * `POST|DELETE /routes/:route/rules/unordered` `{ path }` (an array compared as a multiset);
 * `POST /routes/:route/rules/array-key` `{ path, key }` (match an array's elements by a
 * field), `DELETE` with `{ path }`;
 * `GET /routes/:route/noise` (the noise report); `POST /routes/:route/rediff`.
 *
 * @example
 * api.use(createRulesRouter(rt));
 */
export function createRulesRouter(rt: Runtime): express.Router {
  const r = express.Router();
  const configured = new Map(rt.config.routes.map((x) => [x.name, x.rules]));

  r.get('/routes/:route/rules', async (req, res) => {
    const route = routeParam(req);
    const [lists, audit] = await Promise.all([rt.rules().list(route), rt.rules().audit(route, 20)]);
    res.json({ route, ...lists, configured: configured.get(route) ?? rt.config.compare, audit });
  });
  r.post(
    '/routes/:route/rules/ignore',
    change((rules, route, path, actor) => rules.addIgnore(route, path, actor)),
  );
  r.delete(
    '/routes/:route/rules/ignore',
    change((rules, route, path, actor) => rules.removeIgnore(route, path, actor)),
  );
  r.post(
    '/routes/:route/rules/unordered',
    change((rules, route, path, actor) => rules.addUnordered(route, path, actor)),
  );
  r.delete(
    '/routes/:route/rules/unordered',
    change((rules, route, path, actor) => rules.removeUnordered(route, path, actor)),
  );
  r.post(
    '/routes/:route/rules/array-key',
    change((rules, route, path, actor, key) => rules.setArrayKey(route, path, typeof key === 'string' ? key : '', actor)),
  );
  r.delete(
    '/routes/:route/rules/array-key',
    change((rules, route, path, actor) => rules.removeArrayKey(route, path, actor)),
  );
  r.post(
    '/routes/:route/noise',
    change((rules, route, path, actor) => rules.markNoise(route, path, actor)),
  );
  r.delete(
    '/routes/:route/noise',
    change((rules, route, path, actor) => rules.unmarkNoise(route, path, actor)),
  );
  r.get('/routes/:route/noise', async (req, res) => {
    const route = routeParam(req);
    res.json({ route, ...(await noiseReport(rt.store(), rt.rules(), route)) });
  });
  r.post('/routes/:route/rediff', async (req, res) => {
    const route = await knownRoute(req);
    const started = Date.now();
    // A rediff already running throws RediffBusyError: 409 `{ error: 'busy' }` from the API's error handler.
    const out = await rediffRoute(
      { config: rt.config, store: rt.store(), rules: rt.rules(), translators: rt.translators, comparer: rt.comparer() },
      route,
    );
    rt.log.info({ route, ...out, ms: Date.now() - started }, 'report: recomputed a route from its stored exchanges');
    res.json(out);
  });
  return r;

  function change(apply: RuleChange) {
    return async (req: Request, res: Response) => {
      const route = await knownRoute(req);
      const body = req.body as { path?: unknown; key?: unknown } | undefined;
      const given = body?.path ?? req.query.path;
      const actor = requestActor(req, res);
      let path: string;
      try {
        path = checkRulePath(given);
        await apply(rt.rules(), route, path, actor, body?.key ?? req.query.key);
      } catch (e) {
        // Rendered by the API's error handler (400); the message names the parameter at fault.
        throw e instanceof RulePathError && !/^key /.test(e.message) ? new RulePathError(`path: ${e.message}`) : e;
      }
      rt.log.info({ route, path, method: req.method, url: req.path, actor }, 'report: compare rules changed');
      res.json({ route, ...(await rt.rules().list(route)) });
    };
  }

  /** The `:route` parameter when the config names it or it has results; else throws a 400/404 ApiError. */
  async function knownRoute(req: Request): Promise<string> {
    const route = routeParam(req);
    if (configured.has(route) || (await rt.store().routeNames()).includes(route)) return route;
    throw new ApiError(404, `no route named "${route}"`);
  }
}
