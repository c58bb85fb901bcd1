import { z } from 'zod';
import { TandemError } from '../errors';
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

const querySchema = z.object({
  from: time.optional(),
  to: time.optional(),
  since: z.string().regex(DURATION, 'must look like 15m, 2h or 7d').optional(),
  customer: z.string().min(1).max(200).optional(),
  signature: z.string().min(1).max(4000).optional(),
  risk: z.enum(['high', 'medium', 'low']).optional(),
  class: z.enum(RESULT_CLASSES as [ResultClass, ...ResultClass[]]).default('mismatch'),
  offset: z.coerce.number().int().min(0).max(1e9).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/**
 * A filter that cannot be applied, with a message naming the bad parameter.
 *
 * @example
 * try { parseResultFilter(req.query, Date.now()) } catch (e) { if (e instanceof FilterError) res.status(400) }
 */
export class FilterError extends TandemError {
  constructor(message: string) {
    super('ERR_TANDEM_FILTER_INVALID', message, { status: 400 });
    this.name = 'FilterError';
  }
}

/**
 * Read a filter from query parameters (`from`, `to`, `since`, `customer`, `signature`,
 * `risk`, `class`, `offset`, `limit`). Throws a FilterError naming each bad one.
 *
 * @example
 * parseResultFilter({ since: '1h', risk: 'high' }, Date.now()).risk; // 'high'
 */
export function parseResultFilter(query: Record<string, unknown>, now: number): ResultFilter {
  const single: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(query)) if (v !== '' && v !== undefined) single[k] = Array.isArray(v) ? v[0] : v;
  const parsed = querySchema.safeParse(single);
  if (!parsed.success) throw new FilterError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const q = parsed.data;
  const m = q.since ? DURATION.exec(q.since) : null;
  const from = m ? now - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : (q.from ?? 0);
  const to = q.to ?? Number.MAX_SAFE_INTEGER;
  if (q.class !== 'mismatch' && (q.signature || q.risk))
    throw new FilterError('signature and risk filter mismatches only: use class=mismatch');
  return { from, to, customer: q.customer, signature: q.signature, risk: q.risk, class: q.class, offset: q.offset, limit: q.limit };
}
