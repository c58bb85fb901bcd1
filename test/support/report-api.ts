import { TEST_TOKEN, type TestTandem } from '../support/tandem';

/** Call a report API endpoint with the token: method, optional JSON body; returns status and JSON. */
export async function call<T = any>(t: TestTandem, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${t.reportUrl}/_tandem/api${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

/** Send `n` GETs built by `path(i)` (i from 1) with at most `concurrency` in flight; fails on a non-200. */
export async function sendAll(base: string, n: number, path: (i: number) => string, concurrency: number): Promise<void> {
  let next = 1;
  const lane = async () => {
    while (next <= n) {
      const i = next++;
      const res = await fetch(`${base}${path(i)}`);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${path(i)}: ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Wait until the route has compared `n` exchanges; returns its counters. */
export async function comparedAtLeast(t: TestTandem, route: string, n: number, timeoutMs = 25_000): Promise<Record<string, number>> {
  return t.waitFor(async () => {
    const c = await t.counters(route);
    return (c.compared ?? 0) >= n ? c : undefined;
  }, timeoutMs);
}
