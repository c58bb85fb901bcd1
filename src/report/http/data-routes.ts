import express, { type Request } from 'express';
import type { Runtime } from '../../runtime';
import { describedReadiness, meetsThreshold, type Readiness } from '../../rollout';
import {
  compareHints,
  customerRows,
  eachResult,
  fieldExamples,
  rootCauses,
  exportChunks,
  fieldTree,
  listResults,
  MAX_TREND_MINUTES,
  parseResultFilter,
  readTrends,
  routePage,
  routeRow,
  withExposure,
  readQuery,
  intParam,
  enumParam,
  textParam,
  RISKS,
  EXPORT_FORMATS,
  type ResultFilter,
  type RouteRow,
  type RouteSort,
} from '..';
import { loadExchange } from '../../replay';
import { idParam, routeParam } from './query-params';
import { unknownRouteMessage } from './known-route';
import { ApiError, NO_STORED_EXCHANGE } from './api-errors';
import { rulesSource } from '../../rules';
import type { Headers } from '../../records';

const SORTS: readonly RouteSort[] = ['worst', 'name', 'mismatches', 'seen', 'errors'];

/**
 * The report's read endpoints (mount after the auth gate): overview, per-route
 * mismatches with filters, field tree, signatures, trend, customers (with the rollout
 * guard's verdict per row), export, records.
 *
 * @example
 * api.use(createReportDataRouter(rt));
 */
export function createReportDataRouter(rt: Runtime): express.Router {
  const r = express.Router();
  const store = () => rt.store();
  // The phase in force and the guard's verdict, as `tandem rollout readiness` computes it.
  const exposed = (rows: RouteRow[]) =>
    withExposure(rows, rt.rollout.state(), (route) =>
      Promise.resolve().then(async () => describedReadiness(await rt.rollout.service().readiness(route))),
    );
  /** What the comparison counts on this route now, for the mismatch page to fold the rest. */
  const hints = async (route: string, legacy: Headers, candidate: Headers | undefined) =>
    compareHints(
      await rulesSource(
        rt.config,
        rt.rules(),
      )(route).catch(() => rt.config.routes.find((x) => x.name === route)?.rules ?? rt.config.compare),
      legacy,
      candidate,
    );
  const routeNames = async () => [...new Set([...rt.config.routes.map((x) => x.name), ...(await store().routeNames())])];

  r.get('/routes', async (req, res) => {
    const p = readQuery(query(req), {
      offset: intParam(0, 0, 1e9),
      limit: intParam(1000, 1, 1000),
      sort: enumParam(SORTS, 'worst'),
      q: textParam(200),
      trend: intParam(0, 0, MAX_TREND_MINUTES),
    });
    const q = { ...p, trendMinutes: p.trend, now: Date.now() };
    const page = await routePage(store(), rt.config.routes, q);
    res.json({ offset: q.offset, limit: q.limit, sort: q.sort, total: page.total, routes: await exposed(page.routes) });
  });
  r.get('/routes/:route/summary', async (req, res) => {
    const route = routeParam(req);
    const { trend } = readQuery(query(req), { trend: intParam(60, 0, MAX_TREND_MINUTES) });
    const [row] = await exposed([await routeRow(store(), rt.config.routes, route, trend, Date.now())]);
    res.json(row);
  });
  r.get('/routes/:route/mismatches', async (req, res) => {
    const route = routeParam(req);
    const f = filterOf(req);
    res.json(await listResults(store(), route, f));
  });
  r.get('/routes/:route/fields', async (req, res) => {
    const route = routeParam(req);
    const [{ differs, noise, totals }, counters] = await Promise.all([store().fieldStats(route), store().counters([route])]);
    const compared = counters[route]?.compared ?? 0;
    res.json({ compared, differs, noise, tree: fieldTree(differs, noise, totals, compared) });
  });
  r.get('/routes/:route/fields/examples', async (req, res) => {
    const route = routeParam(req);
    const { path, limit } = readQuery(query(req), { path: textParam(1000), limit: intParam(20, 1, 100) });
    if (!path) throw new ApiError(400, 'path: give the field path, e.g. ?path=items[*].price');
    res.json({ route, path, ...(await fieldExamples(store(), route, path, limit)) });
  });
  r.get('/routes/:route/causes', async (req, res) => {
    const route = routeParam(req);
    const { limit } = readQuery(query(req), { limit: intParam(100, 1, 500) });
    res.json({ route, ...(await rootCauses(store(), route, limit)) });
  });
  r.get('/routes/:route/signatures', async (req, res) => {
    const route = routeParam(req);
    const { risk, offset, limit } = readQuery(query(req), {
      risk: enumParam(RISKS),
      offset: intParam(0, 0, 1e9),
      limit: intParam(100, 1, 1000),
    });
    const all = (await store().signatures(route)).filter((s) => !risk || s.risk === risk);
    res.json({ total: all.length, offset, limit, signatures: all.slice(offset, offset + limit) });
  });
  r.get('/routes/:route/trend', async (req, res) => {
    const route = routeParam(req);
    const { minutes } = readQuery(query(req), { minutes: intParam(60, 1, MAX_TREND_MINUTES) });
    res.json((await readTrends(store(), [route], minutes, Date.now()))[route]);
  });
  r.get('/routes/:route/export', async (req, res) => {
    const route = routeParam(req);
    const f = filterOf(req);
    const { format } = readQuery(query(req), { format: enumParam(EXPORT_FORMATS, 'csv') });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    res.set({
      'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="tandem-${route}-${f.class}-${stamp}.${format}"`,
    });
    const gone = new Promise((done) => res.once('close', done));
    for await (const chunk of exportChunks(eachResult(store(), route, f), format)) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await Promise.race([new Promise((done) => res.once('drain', done)), gone]);
    }
    res.end();
  });
  r.get('/customers', async (req, res) => {
    const q = readQuery(query(req), {
      route: textParam(200),
      customer: textParam(200),
      offset: intParam(0, 0, 1e9),
      limit: intParam(200, 1, 1000),
    });
    const { route } = q;
    const known = await routeNames();
    if (route && !known.includes(route))
      throw new ApiError(
        404,
        unknownRouteMessage(
          route,
          rt.config.routes.map((x) => x.name),
        ),
      );
    const page = await customerRows(store(), route ? [route] : known, q);
    if (q.customer && page.total === 0) {
      throw new ApiError(
        404,
        `no results for customer "${q.customer}"${route ? ` on route "${route}"` : ''} (customer ids are exact, as identified by the config's customer rule)`,
      );
    }
    const { threshold, window, minCompared } = rt.config.rollout;
    res.json({
      offset: q.offset,
      limit: q.limit,
      readiness: { threshold, window, minCompared },
      ...page,
      items: await withReadiness(rt, page.items),
    });
  });
  r.get('/mismatches/:id', async (req, res) => {
    const id = idParam(req);
    const m = await store().mismatch(id);
    if (!m) throw new ApiError(404, 'no stored mismatch with this id (it may have expired)');
    res.json({
      ...m,
      hints: await hints(
        m.exchange.route,
        m.exchange.legacy.headers,
        (m.translatedCandidate ?? m.exchange.candidate)?.headers as Headers | undefined,
      ),
    });
  });
  r.get('/exchanges/:id', async (req, res) => {
    const id = idParam(req);
    const exchange = await loadExchange(store(), id);
    if (!exchange) throw new ApiError(404, NO_STORED_EXCHANGE);
    res.json({ exchange, hints: await hints(exchange.route, exchange.legacy.headers, exchange.candidate?.headers) });
  });
  return r;
}

/** The result filter of the query; a bad one throws a FilterError (400, rendered by the API's error handler). */
function filterOf(req: Request): ResultFilter {
  return parseResultFilter(query(req), Date.now());
}

/** The request's query parameters, for `readQuery` (which declares and checks the ones an endpoint takes). */
function query(req: Request): Record<string, unknown> {
  return req.query as Record<string, unknown>;
}

/**
 * Each customer row with the rollout guard's own verdict for that customer on that
 * route (`readiness`: the window's figures and `ready`) and whether the row's rate reaches
 * its threshold (`matchRateMeetsThreshold`, the rate's colour), so the page never judges
 * readiness by a rule of its own. Rows of routes the rollout does not know get none.
 */
async function withReadiness<T extends { route: string; customer: string; matchRate: number | null }>(
  rt: Runtime,
  rows: T[],
): Promise<Array<T & { readiness?: Readiness; matchRateMeetsThreshold?: boolean | null }>> {
  let svc: ReturnType<Runtime['rollout']['service']>;
  try {
    svc = rt.rollout.service();
  } catch {
    return rows;
  }
  return Promise.all(
    rows.map(async (row) => ({
      ...row,
      ...(await svc.readiness(row.route, row.customer).then(
        (readiness) => ({
          readiness: describedReadiness(readiness),
          matchRateMeetsThreshold: meetsThreshold(row.matchRate, readiness.threshold),
        }),
        () => ({}),
      )),
    })),
  );
}
