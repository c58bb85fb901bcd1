import jwt from 'jsonwebtoken';
import { createCustomerIdentifier } from '../../src/rollout';
import { createConfig } from '../../src/config';

const req = (o: { headers?: Record<string, string>; query?: Record<string, string>; params?: Record<string, string> } = {}) => ({
  method: 'GET',
  path: '/p/1',
  headers: o.headers ?? {},
  query: o.query ?? {},
  params: o.params ?? {},
});

describe('customer identification', () => {
  it('reads a header, a query parameter or a path parameter', () => {
    expect(
      createCustomerIdentifier({ from: 'header', name: 'X-Customer', claim: 'sub' })(req({ headers: { 'x-customer': 'acme' } })),
    ).toEqual({ customer: 'acme' });
    expect(createCustomerIdentifier({ from: 'query', name: 'tenant', claim: 'sub' })(req({ query: { tenant: 'globex' } }))).toEqual({
      customer: 'globex',
    });
    expect(createCustomerIdentifier({ from: 'path', name: 'tenant', claim: 'sub' })(req({ params: { tenant: 'initech' } }))).toEqual({
      customer: 'initech',
    });
  });

  it('is anonymous without the value, and without configuration', () => {
    expect(createCustomerIdentifier({ from: 'header', name: 'x-customer', claim: 'sub' })(req())).toEqual({ customer: 'anonymous' });
    expect(createCustomerIdentifier(undefined)(req({ headers: { 'x-customer': 'acme' } }))).toEqual({ customer: 'anonymous' });
  });

  it('decodes a JWT claim (nested), with no key configured', () => {
    const token = jwt.sign({ org: { id: 'acme' } }, 'whatever');
    const identify = createCustomerIdentifier({ from: 'jwt', claim: 'org.id' });
    expect(identify(req({ headers: { authorization: `Bearer ${token}` } }))).toEqual({ customer: 'acme' });
    expect(identify(req({ headers: { authorization: 'Bearer not-a-jwt' } }))).toEqual({ customer: 'anonymous', problem: 'bad_token' });
  });

  it('verifies the signature when a key is configured', () => {
    const identify = createCustomerIdentifier({ from: 'jwt', claim: 'sub', jwtKey: 'right-secret', jwtAlgorithms: ['HS256'] });
    expect(identify(req({ headers: { authorization: `Bearer ${jwt.sign({ sub: 'acme' }, 'right-secret')}` } }))).toEqual({
      customer: 'acme',
    });
    expect(identify(req({ headers: { authorization: `Bearer ${jwt.sign({ sub: 'acme' }, 'wrong-secret')}` } }))).toEqual({
      customer: 'anonymous',
      problem: 'bad_token',
    });
    const expired = jwt.sign({ sub: 'acme', exp: Math.floor(Date.now() / 1000) - 60 }, 'right-secret');
    expect(identify(req({ headers: { authorization: `Bearer ${expired}` } }))).toEqual({ customer: 'anonymous', problem: 'bad_token' });
  });

  it('refuses unusable ids and survives a throwing custom resolver', () => {
    const fromHeader = createCustomerIdentifier({ from: 'header', name: 'x-customer', claim: 'sub' });
    expect(fromHeader(req({ headers: { 'x-customer': 'a|b' } }))).toEqual({ customer: 'anonymous', problem: 'invalid_id' });
    expect(fromHeader(req({ headers: { 'x-customer': 'x'.repeat(129) } }))).toEqual({ customer: 'anonymous', problem: 'invalid_id' });
    const throwing = createCustomerIdentifier({
      resolve: () => {
        throw new Error('boom');
      },
    });
    expect(throwing(req())).toEqual({ customer: 'anonymous', problem: 'resolve_error' });
    expect(createCustomerIdentifier({ resolve: (r) => r.params.id })(req({ params: { id: '7' } }))).toEqual({ customer: '7' });
  });

  it('validates the customer block in the config', () => {
    const base = { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' } };
    expect(() => createConfig({ ...base, customer: { from: 'header' } } as never)).toThrow(/customer.*name is required/s);
    expect(createConfig({ ...base, customer: { from: 'jwt' } }).customer).toEqual({ from: 'jwt', claim: 'sub' });
    expect(createConfig({ ...base, servedByHeader: false }).servedByHeader).toBe(false);
    expect(createConfig(base).rollout).toEqual({ threshold: 0.99, window: 200, minCompared: 20, pollMs: 250, auditSize: 1000 });
  });
});
