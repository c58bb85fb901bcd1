/** How long a scrape waits for what it reads from Redis (ms) unless told: `health.timeoutMs`'s default. */
export const SCRAPE_READ_TIMEOUT_MS = 1000;

/**
 * A scrape-time Redis read, bounded: the returned function gives `read()`'s answer, or `null`
 * when it fails or has not answered within `timeoutMs` (a Redis that holds its connection open
 * and answers nothing, stopped with SIGSTOP or paused with `CLIENT PAUSE`, where ioredis waits
 * for ever). Every gauge of one scrape shares one read (prom-client collects them
 * concurrently), and no second read starts while one is still unanswered, so scrapes against a
 * silent Redis do not pile commands up. `read` returns `null` when there is nothing to read yet.
 *
 * @param read the read (rejects when Redis fails)
 * @param timeoutMs the longest a scrape waits for it, in ms
 * @returns a function giving the answer, or `null` (failed, not answered in time, nothing to read)
 * @example
 * const sample = scrapeRead(() => probe()?.lag() ?? null, config.health.timeoutMs);
 * const lag = await sample(); // null: tandem_redis_up 0
 */
export function scrapeRead<T>(read: () => Promise<T> | null, timeoutMs: number): () => Promise<T | null> {
  let unanswered: Promise<T | null> | null = null;
  let scrape: Promise<T | null> | null = null;
  return () => {
    if (scrape) return scrape;
    if (!unanswered) {
      const r = read();
      if (!r) return Promise.resolve(null);
      const settled: Promise<T | null> = r.catch(() => null).finally(() => (unanswered = null));
      unanswered = settled;
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<null>((done) => (timer = setTimeout(() => done(null), timeoutMs)));
    scrape = Promise.race([unanswered, deadline]).finally(() => {
      clearTimeout(timer);
      setImmediate(() => (scrape = null));
    });
    return scrape;
  };
}
