import express from 'express';
import { ApiError } from './api-errors';
import { describeLag, UP_TO_DATE } from '../../metrics';
import type { Runtime } from '../../runtime';

/**
 * `GET /lag` for the report API (behind its token): how far the results are behind.
 * Answers `{ waiting, active, delayed, failed, partitions, oldestWaitingAt, lagSeconds, buffered,
 * inFlight, message, complete }` (`message`: `describeLag`'s sentence, the overview's banner;
 * `complete`: nothing pending anywhere, no banner) (every queue partition summed, see `readQueueLag`; `byPartition`
 * with more than one), or 503 while Redis is away (with this process's buffer).
 *
 * @example
 * api.use(createLagRouter(rt)); // GET /_tandem/api/lag
 */
export function createLagRouter(rt: Runtime): express.Router {
  const router = express.Router();
  router.get('/lag', async (_req, res) => {
    const local = { buffered: rt.producer.buffered, inFlight: rt.shadow.active };
    try {
      const lag = await rt.queueLag();
      const message = describeLag({ ...lag, ...local });
      res.json({ ...lag, ...local, message, complete: message === UP_TO_DATE });
    } catch (e) {
      throw new ApiError(503, `the queue cannot be read: ${(e as Error).message}`, local);
    }
  });
  return router;
}
