import { startBackend, type TestBackend } from '../support/backends';
import { startTestTandem, TEST_TOKEN, type TestOptions, type TestTandem } from '../support/tandem';

/** Send JSON to a report API path (under /_tandem/api) with the token; returns status and parsed body. */
export async function apiSend(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/_tandem/api${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A product in the legacy contract, and the candidate's shape of it (`title`, plus an additive `sku`). */
export const legacyProduct = (id: string) => ({ id: Number(id), name: `Product ${id}`, price: 10 });
export const candidateProduct = (id: string) => ({ id: Number(id), title: `Product ${id}`, price: 10, sku: `SKU-${id}` });

/** A Tandem between two backends that both answer `{ price: 10 }`, so every exchange is a match. */
export interface MatchingTandem {
  t: TestTandem;
  legacy: TestBackend;
  candidate: TestBackend;
}

/**
 * Start a Tandem with `options` (customer, routes, rollout...) between two backends that both
 * answer `{ price: 10 }`; stop it all with `stopMatchingTandem`.
 *
 * @example
 * ({ t, legacy, candidate } = await startMatchingTandem({ customer: { from: 'header', name: 'x-customer' }, routes }));
 */
export async function startMatchingTandem(options: Omit<TestOptions, 'legacy' | 'candidate'>): Promise<MatchingTandem> {
  const legacy = await startBackend(() => ({ body: { price: 10 } }));
  const candidate = await startBackend(() => ({ body: { price: 10 } }));
  const t = await startTestTandem({ ...options, legacy: { url: legacy.url }, candidate: { url: candidate.url } });
  return { t, legacy, candidate };
}

/** Stop what `startMatchingTandem` started (any part may be missing when a start failed). */
export async function stopMatchingTandem(m: Partial<MatchingTandem>): Promise<void> {
  await m.t?.stop();
  await Promise.all([m.legacy?.close(), m.candidate?.close()]);
}
