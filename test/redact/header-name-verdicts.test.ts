import { lowerName, type ExchangeRecord, type RequestRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';
import { DEFAULT_REDACTED_HEADERS, DEFAULT_REDACTED_QUERY, NOT_SECRET_HEADERS, SECRET_HEADER_WORDS } from '../../src/redact/secret-lists';
import { endsInName } from '../../src/redact/secret-names';

/**
 * Header redaction tests names without lower-casing those already lower case and without
 * slicing their last words (allocation on the proxy's path). The verdicts must be exactly
 * the ones of the plain definition: `toLowerCase`, then the whole name or any last words
 * after `-` or `_` in the secret sets, for every casing and odd byte.
 */
const KEY = 'test-redaction-key-0123456789';
const CONFIGURED = ['X-Custom-Secret', 'Sig'];
const redactor = createRedactor({ headers: CONFIGURED, query: ['PIN'], bodyPaths: [] }, KEY);

const lowerSet = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
const HEADERS = lowerSet([...DEFAULT_REDACTED_HEADERS, ...CONFIGURED]);
const NAMES = lowerSet([...DEFAULT_REDACTED_QUERY, 'PIN']);
/** The definition as it was written before: a slice per trailing word. */
const plainEndsIn = (name: string, names: ReadonlySet<string>) => {
  for (let i = name.length - 2; i > 0; i--) {
    const c = name.charCodeAt(i);
    if ((c === 45 || c === 95) && names.has(name.slice(i + 1))) return true;
  }
  return false;
};
const NOT_SECRET = new Set(NOT_SECRET_HEADERS);
const SECRET_WORD = new RegExp(`(?:^|[-_.])(?:${SECRET_HEADER_WORDS.join('|')})(?:$|[-_.])`);
const plainHeader = (name: string) => {
  const n = name.toLowerCase();
  if (HEADERS.has(n)) return true;
  if (NOT_SECRET.has(n)) return false;
  return SECRET_WORD.test(n) || NAMES.has(n) || plainEndsIn(n, NAMES);
};

const casings = (n: string) => [n, n.toUpperCase(), n.replace(/(^|[-_])([a-z])/g, (_, s: string, c: string) => s + c.toUpperCase())];
const NAMES_TRIED = [
  ...[...HEADERS, ...NAMES].flatMap((n) => [n, `x-${n}`, `x_${n}`, `vendor-${n}`, `${n}-count`, `x${n}`, `${n}-`, `-${n}`]),
  'content-type',
  'x-request-id',
  'sec-websocket-key',
  'idempotency-key',
  'x-next-page-token',
  'x-amz-security-token',
  'x-goog-api-key',
  'api-key',
  'key',
  '-',
  '_',
  '--token',
  'token--',
  '',
  'x-\u212Aey',
  'x-api-\u212Aey',
  'x-tok\u00e9n',
  'X-API-KEY\u0130',
  'x-pin',
  'x-sig',
  ...NOT_SECRET_HEADERS,
  ...SECRET_HEADER_WORDS.flatMap((w) => [`x-${w}`, `${w}-id`, `x.${w}.v`, `x${w}`]),
].flatMap(casings);

describe('header name verdicts', () => {
  it.each(NAMES_TRIED)('%j is secret exactly when its lower-cased name or last words are a secret name', (name) => {
    expect(redactor.names.header(name)).toBe(plainHeader(name));
    expect(endsInName(name.toLowerCase(), NAMES)).toBe(plainEndsIn(name.toLowerCase(), NAMES));
  });

  it('lowerName is toLowerCase, and the same string for a lower-case ASCII name', () => {
    for (const n of [...NAMES_TRIED, 'ÄBC', '\u212A', 'a\u0130b', 'x-ß', 'MiXeD-CaSe']) expect(lowerName(n)).toBe(n.toLowerCase());
    const lower = 'content-type';
    expect(lowerName(lower)).toBe(lower);
  });
});

const fingerprinted = (v: string | undefined) => expect(v).toMatch(/\[REDACTED:/);

describe('secret headers in every casing, in the map and in the lines', () => {
  // `Token`, not `Bearer`: a Bearer or Basic credential is secret under any name (credential-header-values.test.ts), and a header not secret by its name keeps this value.
  const request = (name: string, extra: string[] = []): RequestRecord => ({
    method: 'GET',
    path: '/p',
    query: {},
    rawQuery: '',
    headers: { [name.toLowerCase()]: 'Token SECRET-1', accept: '*/*' },
    headerNames: [name, 'Accept'],
    headerLines: [name, 'Token SECRET-1', 'Accept', '*/*', ...extra],
    body: null,
  });
  const secretNames = [
    'authorization',
    'Authorization',
    'AUTHORIZATION',
    'x-api-key',
    'X-Api-Key',
    'X-Auth-Token',
    'x_private_token',
    'X-Custom-Secret',
    'SIG',
  ];

  it.each(secretNames)('%s is fingerprinted in the request and in the candidate request relaying its lines', (name) => {
    const req = request(name);
    const candidateRequest: RequestRecord = { ...req, headers: { ...req.headers, host: 'candidate', 'x-tandem-shadow': '1' } };
    const ex = {
      id: 'e1',
      route: 'r',
      customer: 'c',
      request: req,
      candidateRequest,
      legacy: { status: 200, headers: {}, body: null, durationMs: 1 },
    };
    const out = redactor.exchange(ex as unknown as ExchangeRecord);
    for (const r of [out.request, out.candidateRequest!]) {
      fingerprinted(r.headers[name.toLowerCase()] as string);
      fingerprinted(r.headerLines![1]);
      expect(r.headerLines![3]).toBe('*/*');
      expect(JSON.stringify(r)).not.toContain('SECRET');
    }
    // The candidate's request relays the client's lines: both redacted alike.
    expect(out.candidateRequest!.headerLines).toEqual(out.request.headerLines);
  });

  it('a candidate request with lines of its own (a translator changed them) has them redacted on their own', () => {
    const req = request('Accept-Language');
    const candidateRequest: RequestRecord = {
      ...req,
      headers: { ...req.headers, 'x-api-key': 'SECRET-2' },
      headerLines: [...req.headerLines!, 'X-Api-Key', 'SECRET-2'],
    };
    const ex = {
      id: 'e1',
      route: 'r',
      customer: 'c',
      request: req,
      candidateRequest,
      legacy: { status: 200, headers: {}, body: null, durationMs: 1 },
    };
    const out = redactor.exchange(ex as unknown as ExchangeRecord);
    expect(out.request.headerLines).toEqual(req.headerLines);
    fingerprinted(out.candidateRequest!.headerLines![5]);
    fingerprinted(out.candidateRequest!.headers['x-api-key'] as string);
    expect(JSON.stringify(out)).not.toContain('SECRET-2');
  });

  it('repeated secret lines, a secret URL header and a secret header that is also a URL header are redacted each', () => {
    const r = createRedactor({ headers: ['Referer'], bodyPaths: [] }, KEY);
    const req: RequestRecord = {
      ...request('Cookie', ['cookie', 'b=SECRET-3', 'Location', '/cb?access_token=SECRET-4&a=1']),
      headers: {
        cookie: 'Bearer SECRET-1; b=SECRET-3',
        accept: '*/*',
        location: '/cb?access_token=SECRET-4&a=1',
        referer: '/r?token=SECRET-5',
        'set-cookie': ['s=SECRET-6; Path=/', 't=SECRET-7'],
      },
    };
    const out = r.request(req);
    expect(JSON.stringify(out)).not.toMatch(/SECRET/);
    expect(out.headers.location).toMatch(/^\/cb\?access_token=%5BREDACTED%3A[^&]*&a=1$/);
    expect(out.headers['set-cookie']).toEqual([
      expect.stringMatching(/^s=\[REDACTED:.*; Path=\/$/),
      expect.stringMatching(/^t=\[REDACTED:/),
    ]);
    expect(out.headers.accept).toBe('*/*');
    // A map with nothing secret comes back as itself.
    const plain: RequestRecord = { ...request('Accept-Language'), headers: { accept: '*/*', 'content-type': 'text/plain' } };
    expect(r.request({ ...plain, headerLines: ['Accept', '*/*'] }).headers).toBe(plain.headers);
  });
});
