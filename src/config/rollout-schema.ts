import { z } from 'zod';

/**
 * What a custom customer resolver is given: the request as plain values, and the
 * framework's own request object as `raw` (e.g. to read `req.user` set by your auth).
 *
 * @example
 * const input: CustomerRequest = { method: 'GET', path: '/products/1', headers: {}, query: {}, params: { id: '1' }, raw: req };
 */
export interface CustomerRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | string[]>;
  params: Record<string, string>;
  raw?: unknown;
}

/**
 * A custom customer resolver (only when Tandem is used as middleware): the customer id, or undefined for anonymous.
 *
 * @example
 * const resolve: CustomerResolveFn = (req) => (req.raw as { user?: { tenant: string } }).user?.tenant;
 */
export type CustomerResolveFn = (req: CustomerRequest) => string | undefined;

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * How the customer of a request is identified. Without this block every request is `anonymous`.
 *
 * @example
 * customerSchema.parse({ from: 'jwt', claim: 'tenant' }); // bearer token of `authorization`, claim `tenant`, decoded only
 */
export const customerSchema = z.union([
  z
    .strictObject({
      from: z.enum(['header', 'query', 'path', 'jwt']),
      /** Header, query parameter or path parameter name; for `jwt` the header carrying the bearer token (default `authorization`). */
      name: z.string().min(1).optional(),
      /** For `jwt`: the claim (dotted path) holding the customer id; default `sub`. */
      claim: z.string().min(1).default('sub'),
      /** For `jwt`: a key (HMAC secret or PEM public key) to verify the signature with; without it the token is only decoded. */
      jwtKey: z.string().min(1).optional(),
      /** For `jwt` with `jwtKey`: accepted algorithms (default HS256, RS256, ES256). */
      jwtAlgorithms: z
        .array(z.enum(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512']))
        .min(1)
        .optional(),
    })
    .refine((c) => c.from === 'jwt' || c.name !== undefined, { message: 'name is required unless from is "jwt"', path: ['name'] })
    .refine((c) => (c.from !== 'header' && c.from !== 'jwt' ? true : c.name === undefined || HEADER_NAME.test(c.name)), {
      message: 'must be a header name',
      path: ['name'],
    }),
  z.strictObject({
    /** Custom function (middleware use only). */
    resolve: z.custom<CustomerResolveFn>((v) => typeof v === 'function', 'must be a function (req) => string | undefined'),
  }),
]);

/**
 * The readiness guard and rollout propagation.
 *
 * @example
 * rolloutSchema.parse({}); // { threshold: 0.99, window: 200, minCompared: 20, pollMs: 250, auditSize: 1000 }
 */
export const rolloutSchema = z
  .strictObject({
    /** Match rate a route or customer needs over the window before it may serve the candidate. */
    threshold: z.number().min(0).max(1).default(0.99),
    /** The last N compared requests the match rate is taken over (per route and per customer). */
    window: z.number().int().min(1).max(10000).default(200),
    /** Fewer compared requests than this in the window: not ready. */
    minCompared: z.number().int().min(0).default(20),
    /** How often each instance checks Redis for rollout changes (ms). */
    pollMs: z.number().int().min(50).max(1000).default(250),
    /** Audit entries kept (newest win). */
    auditSize: z.number().int().min(1).max(100000).default(1000),
  })
  .prefault({});

/**
 * The response header naming the backend that produced a response (`legacy`, `candidate`,
 * `legacy-fallback`); `false` turns it off.
 *
 * @example
 * servedByHeaderSchema.parse(undefined); // 'x-served-by'
 */
export const servedByHeaderSchema = z
  .union([
    z
      .string()
      .regex(HEADER_NAME, 'must be a header name')
      .transform((s) => s.toLowerCase()),
    z.literal(false),
  ])
  .default('x-served-by');
