import { z } from 'zod';
import { TandemError } from '../errors';

/**
 * The one validation of the report API's query parameters: each endpoint declares its
 * parameters with these pieces and reads them with `readQuery`. A value that is not
 * allowed (an unknown enum value, a non-number, a number out of range, too long a text)
 * is refused with a `FilterError` (400 `{ error: 'bad_request', message }`) whose message
 * names every bad parameter and what it allows; an empty or absent one takes its default.
 * Parameters an endpoint does not declare are left alone.
 *
 * @example
 * const q = readQuery(req.query, { limit: intParam(100, 1, 500), format: enumParam(['csv', 'json'], 'csv') });
 * // ?limit=abc → FilterError('limit: must be a whole number from 1 to 500 (got "abc")')
 */

/**
 * A query that cannot be applied, with a message naming the bad parameter.
 *
 * @example
 * try { readQuery(req.query, shape) } catch (e) { if (e instanceof FilterError) res.status(400) }
 */
export class FilterError extends TandemError {
  constructor(message: string) {
    super('ERR_TANDEM_FILTER_INVALID', message, { status: 400 });
    this.name = 'FilterError';
  }
}

const shown = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);

/**
 * A whole number in [min, max] (decimal digits, an optional minus), else `dflt`.
 *
 * @example
 * intParam(60, 1, 1440); // ?minutes=abc, ?minutes=-5 and ?minutes=2000 are 400
 */
export function intParam(dflt: number, min: number, max: number) {
  const allowed = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .transform((s, ctx) => {
      const n = /^-?\d{1,16}$/.test(s) ? Number(s) : NaN;
      if (!(n >= min && n <= max)) ctx.addIssue({ code: 'custom', message: `${allowed} (got ${shown(s)})` });
      return n;
    })
    .optional()
    .transform((n) => n ?? dflt);
}

/**
 * One of `allowed`, else `dflt` (undefined: no default).
 *
 * @example
 * enumParam(['csv', 'json'] as const, 'csv'); // ?format=xml is 400 "format: must be one of csv, json (got "xml")"
 */
export function enumParam<T extends string, D extends T | undefined>(allowed: readonly T[], dflt?: D) {
  return z
    .string()
    .transform((s, ctx) => {
      if (!(allowed as readonly string[]).includes(s))
        ctx.addIssue({ code: 'custom', message: `must be one of ${allowed.join(', ')} (got ${shown(s)})` });
      return s as T;
    })
    .optional()
    .transform((v) => (v ?? dflt) as D extends T ? T : T | undefined);
}

/**
 * A text of 1 to `max` characters, or undefined.
 *
 * @example
 * textParam(200); // ?customer=<201 characters> is 400
 */
export function textParam(max: number) {
  return z.string().max(max, `must be at most ${max} characters`).optional();
}

/**
 * Read the declared parameters of a query (express's `req.query`): a repeated parameter
 * counts by its first value, an empty one is absent. Throws a FilterError naming each bad one.
 *
 * @example
 * readQuery({ limit: '5' }, { limit: intParam(100, 1, 500) }); // { limit: 5 }
 */
export function readQuery<S extends z.ZodRawShape>(query: Record<string, unknown>, shape: S): z.output<z.ZodObject<S>> {
  const single: Record<string, unknown> = {};
  for (const k of Object.keys(shape)) {
    const raw = Object.hasOwn(query, k) ? query[k] : undefined;
    const v = Array.isArray(raw) ? raw[0] : raw;
    if (v !== '' && v !== undefined) single[k] = v; // a nested value (`a[b]=1`) is refused as not a string
  }
  const parsed = z.object(shape).safeParse(single);
  if (!parsed.success) throw new FilterError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}
