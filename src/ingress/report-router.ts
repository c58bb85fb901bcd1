import express, { type NextFunction, type Request, type Response } from 'express';
import type { Runtime } from '../runtime';
import { mismatchPage, routeSummaries } from '../report';
import { requireToken } from './report-auth';

/**
 * The report's JSON API under the report path (default `/_tandem`), token protected.
 *
 * @example
 * router.use('/_tandem', createReportRouter(runtime));
 */
export function createReportRouter(rt: Runtime): express.Router {
  const api = express.Router();
  api.use(requireToken(rt.config.report.token));
  api.use(async function awaitReady(_req, res, next) {
    try {
      await rt.ready;
      next();
    } catch (e) {
      res.status(503).json({ error: 'unavailable', message: (e as Error).message });
    }
  });
  api.get('/routes', async (_req, res) => {
    res.json({ routes: await routeSummaries(rt.store(), rt.config.routes) });
  });
  api.get('/routes/:route/mismatches', async (req, res) => {
    const offset = clampInt(req.query.offset, 0, 0, 1e9);
    const limit = clampInt(req.query.limit, 50, 1, 500);
    res.json({ offset, limit, ...(await mismatchPage(rt.store(), String(req.params.route), { offset, limit })) });
  });
  api.get('/routes/:route/fields', async (req, res) => {
    res.json(await rt.store().fieldStats(String(req.params.route)));
  });
  api.get('/routes/:route/signatures', async (req, res) => {
    res.json({ signatures: await rt.store().signatures(String(req.params.route)) });
  });
  api.get('/mismatches/:id', async (req, res) => {
    const m = await rt.store().mismatch(String(req.params.id));
    if (!m) return void res.status(404).json({ error: 'not_found' });
    res.json(m);
  });
  api.use(function reportErrors(err: Error, _req: Request, res: Response, _next: NextFunction) {
    rt.log.error({ err: err.message }, 'report API error');
    res.status(500).json({ error: 'internal', message: 'the report API failed; see the Tandem log' });
  });

  const router = express.Router();
  router.use('/api', api);
  return router;
}

function clampInt(v: unknown, dflt: number, min: number, max: number): number {
  const n = typeof v === 'string' ? Number.parseInt(v, 10) : NaN;
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : dflt;
}
