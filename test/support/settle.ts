import type { Runtime } from '../../src/runtime';

/**
 * Wait until every exchange a runtime has handed to its shadow copy has ended in a counter
 * or a queued job (no shadow request in flight, nothing buffered for the queue), then write
 * the counters to Redis. A read of Redis after this sees every one of those exchanges
 * counted; a read after `counters.flush()` alone may miss a shadow request that was still
 * waiting for the candidate, whose job a worker can then record before the read.
 *
 * @throws Error when that does not happen within `timeoutMs` (Redis away, say).
 * @example
 * await settle(tandem.middleware.runtime);
 * const s = await readState(TEST_REDIS_URL, prefix, 'product');
 */
export async function settle(runtime: Pick<Runtime, 'shadow' | 'producer' | 'counters'>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runtime.shadow.idle();
    // A legacy response that just ended hands its draft over on the next turns of the loop.
    await new Promise((r) => setImmediate(r));
    if (runtime.shadow.active === 0 && runtime.producer.buffered === 0) break;
    if (Date.now() > deadline)
      throw new Error(`the shadow copy did not settle within ${timeoutMs} ms (${runtime.producer.buffered} buffered)`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await runtime.counters.flush();
}
