import express from 'express';
import type { Runtime } from '../../runtime';
import { replayStored } from '../../replay';
import { rulesSource } from '../../rules';
import { idParam } from './query-params';
import { ApiError, NO_STORED_EXCHANGE } from './api-errors';

/**
 * The report's own actions (mount after the auth gate, which checks CSRF on them):
 * `POST /exchanges/:id/replay` (alias `/mismatches/:id/replay`) sends the stored
 * request through the current translator to the candidate now and answers the new
 * result under the current rules (configured, runtime and learned noise), redacted,
 * without storing it. Compare-rule actions live in the rules router.
 *
 * @example
 * api.use(createReportActionRouter(rt));
 */
export function createReportActionRouter(rt: Runtime): express.Router {
  const r = express.Router();
  r.post(['/exchanges/:id/replay', '/mismatches/:id/replay'], async (req, res) => {
    const id = idParam(req);
    const report = await replayStored(rt.store(), id, {
      config: rt.config,
      translators: rt.translators,
      redactor: rt.redactor(),
      rulesFor: rulesSource(rt.config, rt.rules()),
    });
    if (!report) throw new ApiError(404, NO_STORED_EXCHANGE);
    rt.log.info({ id, class: report.result.class }, 'report: replayed a stored exchange');
    res.json(report);
  });
  return r;
}
