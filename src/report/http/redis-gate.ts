import type { NextFunction, Request, Response } from 'express';
import type { RedisClient } from '../../store';
import { ApiError } from './api-errors';

/**
 * Answers 503 at once while the results store's Redis connection is not ready, instead of
 * letting the request wait. While Redis (or, on a Redis Cluster, the whole cluster) is
 * down, ioredis queues commands and reconnects; on a cluster that queue has no time limit,
 * so every page and CLI-facing call would hang until Redis came back. During an ordinary
 * failover the cluster client stays ready (it follows MOVED and retries), so those
 * requests still go through. Before the runtime is ready (no store yet) it lets requests
 * pass to the API's own readiness wait; `GET /lag` passes too (it says itself that Redis is
 * away, with this process's buffer).
 *
 * @example
 * api.use(redisGate(() => rt.store().redis)); // before the auth gate, whose session check reads Redis
 */
export function redisGate(redis: () => RedisClient) {
  return function tandemRedisGate(req: Request, _res: Response, next: NextFunction): void {
    // `/lag` answers a Redis away itself, with this process's own buffer (its connection fails fast).
    if (req.path === '/lag') return next();
    let client: RedisClient;
    try {
      client = redis();
    } catch {
      return next();
    }
    if (client.status !== 'ready')
      throw new ApiError(503, `the results store (Redis) is not reachable now (${client.status}); the report answers again once it is`);
    next();
  };
}
