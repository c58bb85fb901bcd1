import { TEST_TOKEN } from '../support/tandem';

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
