import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The worst delay of this process's event loop (ms, 10 ms resolution) while `during` runs,
 * and what it returned: the "heavy work never stalls the proxy's event loop" suites compare
 * it with what the same work costs when it is done on the loop, measured in the same run, so
 * a loaded machine raises both.
 *
 * @example
 * const { result: served, maxMs } = await worstLoopDelay(() => Promise.all(paths.map((p) => request(`${t.url}${p}`))));
 * expect(maxMs).toBeLessThan(onLoopMs);
 */
export async function worstLoopDelay<T>(during: () => Promise<T>): Promise<{ result: T; maxMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  try {
    const result = await during();
    return { result, maxMs: h.max / 1e6 };
  } finally {
    h.disable();
  }
}

/**
 * A JSON document of one small item (`{"id":7,"name":"item-7","big":<big>}`) repeated to just
 * under `bytes`: it gzips to a few KB and decodes to `bytes`, the shape that sends a small
 * coded body's decoding past any size check made on the wire.
 */
export function repetitiveJson(bytes: number, big: string): string {
  const item = `{"id":7,"name":"item-7","big":${big}}`;
  return `{"items":[${Array(Math.floor(bytes / (item.length + 1)))
    .fill(item)
    .join(',')}]}`;
}
