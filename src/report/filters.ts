import { z } from 'zod';
import { enumParam, FilterError, intParam, readQuery, textParam } from './query-schema';
import { RESULT_CLASSES, type ResultClass, type Risk } from '../records';

/**
 * What a list of stored results can be narrowed by. Times are epoch milliseconds.
 *
 * @example
 * const f: ResultFilter = parseResultFilter({ risk: 'high' }, Date.now());
 */
export interface ResultFilter {
  from: number;
  to: number;
  customer?: string;
  signature?: string;
  risk?: Risk;
  /** `mismatch` (the default) lists stored mismatches; other classes list stored exchanges. */
  class: ResultClass;
  offset: number;
  limit: number;
}

/** Risks a mismatch or signature can have. */
export const RISKS: readonly Risk[] = ['high', 'medium', 'low'];

const DURATION = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const time = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    const n = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (!Number.isFinite(n)) ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO date' });
    return n;
  });

/** The result filter's parameters, as every result list and export reads them. */
export const RESULT_FILTER_PARAMS = {
  from: time.optional(),
  to: time.optional(),
  since: z.string().regex(DURATION, 'must look like 15m, 2h or 7d').optional(),
  customer: textParam(200),
  signature: textParam(4000),
  risk: enumParam(RISKS),
  class: enumParam(RESULT_CLASSES, 'mismatch'),
  offset: intParam(0, 0, 1e9),
  limit: intParam(50, 1, 500),
};

export { FilterError };

/**
 * Read a filter from query parameters (`from`, `to`, `since`, `customer`, `signature`,
 * `risk`, `class`, `offset`, `limit`). Throws a FilterError naming each bad one.
 *
 * @example
 * parseResultFilter({ since: '1h', risk: 'high' }, Date.now()).risk; // 'high'
 */
export function parseResultFilter(query: Record<string, unknown>, now: number): ResultFilter {
  const q = readQuery(query, RESULT_FILTER_PARAMS);
  const m = q.since ? DURATION.exec(q.since) : null;
  const from = m ? now - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : (q.from ?? 0);
  const to = q.to ?? Number.MAX_SAFE_INTEGER;
  if (q.class !== 'mismatch' && (q.signature || q.risk))
    throw new FilterError('signature and risk filter mismatches only: use class=mismatch');
  return { from, to, customer: q.customer, signature: q.signature, risk: q.risk, class: q.class, offset: q.offset, limit: q.limit };
}
