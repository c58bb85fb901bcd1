import type { ExchangeRecord, Query } from '../records';
import { normaliseResponse } from '../compare';

/**
 * One exchange reduced to what inference reads: the client's request, the request the
 * candidate got, and both raw answers (the candidate's before any response translation).
 *
 * @example
 * const pairs = exchanges.map(toPair).filter((p): p is Pair => p !== null);
 */
export interface Pair {
  id: string;
  request: { method: string; path: string; query: Query; params: Record<string, string> };
  candidateRequest?: { path: string; query: Query };
  legacy: { status: number; headers: Record<string, unknown>; body: unknown; json: boolean };
  candidate: { status: number; headers: Record<string, unknown>; body: unknown; json: boolean };
}

/**
 * A pair from a stored (or dry-run) exchange; null when the candidate gave no answer.
 *
 * @example
 * toPair(exchange)?.candidate.body; // { title: 'Mug' }
 */
export function toPair(ex: ExchangeRecord): Pair | null {
  if (!ex.candidate) return null;
  const opts = { maxDecompressedBytes: 8 << 20 };
  const side = (r: ExchangeRecord['legacy']) => {
    const n = normaliseResponse(r, opts);
    const json = n.body.kind === 'json';
    return {
      status: n.status,
      headers: n.headers,
      body: n.body.kind === 'json' || n.body.kind === 'text' ? n.body.value : undefined,
      json,
    };
  };
  return {
    id: ex.id,
    request: { method: ex.request.method, path: ex.request.path, query: ex.request.query, params: ex.params ?? {} },
    candidateRequest: ex.candidateRequest ? { path: ex.candidateRequest.path, query: ex.candidateRequest.query } : undefined,
    legacy: side(ex.legacy),
    candidate: side(ex.candidate),
  };
}
