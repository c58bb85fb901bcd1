import type { Logger } from '../../src/log';
import { rateLimitedErrors } from '../../src/log';
import { createQueue, FAILED_JOB_AGE_SECONDS } from '../../src/queue/create-queue';
import { openRedis } from '../../src/store';

/** A logger that keeps its warn lines. */
function keepingLogger(): { log: Logger; lines: { obj: Record<string, unknown>; msg: string }[] } {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const log = { warn: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }) } as unknown as Logger;
  return { log, lines };
}

describe('queue errors and failed jobs', () => {
  it('logs a repeated connection error once, on one line, with how many were suppressed at the next', () => {
    const { log, lines } = keepingLogger();
    const onError = rateLimitedErrors(log, 'queue connection error', 60_000);
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1\n    at TCPConnectWrap.afterConnect'), { code: 'ECONNREFUSED' });
    for (let i = 0; i < 90; i++) onError(err);
    expect(lines).toEqual([
      { obj: { err: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED', suppressed: 0 }, msg: 'queue connection error' },
    ]);
  });

  it('gives the BullMQ queue an error listener (so BullMQ prints no stacks) and an expiry for failed jobs', async () => {
    const { log, lines } = keepingLogger();
    // Nothing listens on port 1: the connection fails at once and keeps retrying. No disconnect
    // timeout: disconnect() of a client between retries would otherwise arm ioredis' 2 s timer
    // for its socket, closed already, and hold jest that long after this (small, late) suite.
    const redis = openRedis('redis://127.0.0.1:1', 'producer', { disconnectTimeout: 0 });
    const queue = createQueue(redis, { prefix: 'never-used', name: 'compare', log });
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(queue.listenerCount('error')).toBeGreaterThan(0);
      expect(queue.defaultJobOptions.removeOnFail).toEqual({ count: 1000, age: FAILED_JOB_AGE_SECONDS });
      // At least 1.5 s of failed connects, and until one is logged (a loaded machine may take longer to try).
      const started = Date.now();
      while (Date.now() - started < 1500 || (!lines.length && Date.now() - started < 15_000)) await new Promise((r) => setTimeout(r, 50));
      expect(printed).not.toHaveBeenCalled();
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.every((l) => !String(l.obj.err).includes('\n'))).toBe(true);
    } finally {
      printed.mockRestore();
      await queue.close().catch(() => undefined);
      redis.disconnect();
    }
  });
});
