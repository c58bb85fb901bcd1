import type { Algorithm } from 'jsonwebtoken';
import type JsonWebToken from 'jsonwebtoken';
import { TandemError } from '../errors';
import type { CustomerRequest, CustomerResolveFn } from '../config/rollout-schema';
import { OVERFLOW_CUSTOMER } from '../store';
import { ANONYMOUS } from './decide-phase';

/**
 * The `customer` config block, resolved.
 *
 * @example
 * const spec: CustomerSpec = { from: 'header', name: 'x-customer-id', claim: 'sub' };
 */
export type CustomerSpec =
  | { from: 'header' | 'query' | 'path' | 'jwt'; name?: string; claim: string; jwtKey?: string; jwtAlgorithms?: Algorithm[] }
  | { resolve: CustomerResolveFn };

/**
 * Who a request is from. `problem` says why a customer that was presented could not
 * be used (the request then counts as anonymous): `bad_token`, `invalid_id`, `resolve_error`.
 *
 * @example
 * const who: CustomerIdentity = { customer: 'anonymous', problem: 'bad_token' };
 */
export interface CustomerIdentity {
  customer: string;
  problem?: 'bad_token' | 'invalid_id' | 'resolve_error';
}

/** Longest accepted customer id. */
export const MAX_CUSTOMER_LENGTH = 128;

/**
 * Build the function that names a request's customer from a header, a query or path
 * parameter, a JWT claim (bearer token; verified when `jwtKey` is set, else only
 * decoded), or a custom function. Never throws: anything unusable is `anonymous`.
 *
 * @example
 * const identify = createCustomerIdentifier({ from: 'header', name: 'x-customer-id', claim: 'sub' });
 * identify({ method: 'GET', path: '/', headers: { 'x-customer-id': 'acme' }, query: {}, params: {} }); // { customer: 'acme' }
 */
export function createCustomerIdentifier(spec: CustomerSpec | undefined): (req: CustomerRequest) => CustomerIdentity {
  if (!spec) return () => ({ customer: ANONYMOUS });
  const find = finder(spec);
  return (req) => {
    let raw: unknown;
    try {
      raw = find(req);
    } catch (e) {
      return { customer: ANONYMOUS, problem: e instanceof BadToken ? 'bad_token' : 'resolve_error' };
    }
    if (raw === undefined || raw === null || raw === '') return { customer: ANONYMOUS };
    const id = typeof raw === 'number' ? String(raw) : raw;
    return typeof id === 'string' && validCustomerId(id) ? { customer: id } : { customer: ANONYMOUS, problem: 'invalid_id' };
  };
}

/**
 * Whether a string can be a customer id: 1–128 characters, no control characters, no `|`,
 * not only spaces, and not `(other)` (`OVERFLOW_CUSTOMER`, the bucket customers past
 * `retention.customersPerRoute` count under: a client naming itself so would pass for it).
 *
 * @example
 * validCustomerId('acme-42'); // true
 * validCustomerId('a|b'); // false
 * validCustomerId('(other)'); // false
 */
export function validCustomerId(id: string): boolean {
  return (
    id.length > 0 &&
    id.length <= MAX_CUSTOMER_LENGTH &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f|]/.test(id) &&
    id.trim() !== '' &&
    id !== OVERFLOW_CUSTOMER
  );
}

class BadToken extends TandemError {
  constructor(message: string) {
    super('ERR_TANDEM_CUSTOMER_TOKEN', message, { status: 401 });
  }
}

function finder(spec: CustomerSpec): (req: CustomerRequest) => unknown {
  if ('resolve' in spec) return (req) => spec.resolve(req);
  const name = (spec.name ?? 'authorization').toLowerCase();
  switch (spec.from) {
    case 'header':
      return (req) => first(req.headers[name]);
    case 'query':
      return (req) => first(req.query[spec.name!]);
    case 'path':
      return (req) => req.params[spec.name!];
    case 'jwt': {
      // Loaded when a config identifies customers by JWT, as it starts: the others never hold its 75 modules.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const jwt = require('jsonwebtoken') as typeof JsonWebToken;
      return (req) => {
        const header = first(req.headers[name]);
        if (!header) return undefined;
        const token = /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : header.trim();
        return claimOf(readToken(jwt, token, spec.jwtKey, spec.jwtAlgorithms), spec.claim);
      };
    }
  }
}

function readToken(jwt: typeof JsonWebToken, token: string, key: string | undefined, algorithms: Algorithm[] | undefined): unknown {
  try {
    const payload = key ? jwt.verify(token, key, { algorithms: algorithms ?? ['HS256', 'RS256', 'ES256'] }) : jwt.decode(token);
    if (!payload || typeof payload !== 'object') throw new BadToken('no claims');
    return payload;
  } catch (e) {
    throw e instanceof BadToken ? e : new BadToken((e as Error).message);
  }
}

function claimOf(payload: unknown, claim: string): unknown {
  let v: unknown = payload;
  for (const part of claim.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
