import { translateRequest, translateResponse, TranslationFailure } from '../src/translate';
import { ctxFor, jsonResponse, request } from '../test/translate/fixtures';
import candidateAuthHeaders, { CANDIDATE_TOKEN_ENV } from './candidate-auth-headers';

const clientHeaders = {
  authorization: 'Bearer client-token',
  cookie: 'sid=abc',
  'x-legacy-session': 's-1',
  accept: 'application/json',
  'x-request-id': 'r1',
};

describe('candidate-auth-headers', () => {
  const saved = process.env[CANDIDATE_TOKEN_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[CANDIDATE_TOKEN_ENV];
    else process.env[CANDIDATE_TOKEN_ENV] = saved;
  });

  it('swaps authorization for the candidate token, drops legacy-only headers and keeps the rest', async () => {
    process.env[CANDIDATE_TOKEN_ENV] = 'cand-123';
    const req = request('GET', '/account', { headers: clientHeaders });
    const out = await translateRequest(candidateAuthHeaders, req);
    expect(out.headers).toEqual({
      host: 'legacy.test',
      authorization: 'Bearer cand-123',
      accept: 'application/json',
      'x-request-id': 'r1',
    });
    expect(req.headers.authorization).toBe('Bearer client-token');
  });

  it('reads the variable at call time and keeps a value that already has a scheme', async () => {
    process.env[CANDIDATE_TOKEN_ENV] = 'first';
    expect((await translateRequest(candidateAuthHeaders, request('GET', '/a'))).headers.authorization).toBe('Bearer first');
    process.env[CANDIDATE_TOKEN_ENV] = 'Basic dXNlcjpwdw==';
    expect((await translateRequest(candidateAuthHeaders, request('GET', '/a'))).headers.authorization).toBe('Basic dXNlcjpwdw==');
  });

  it('adds the credential when the client sent none, and keeps the body', async () => {
    process.env[CANDIDATE_TOKEN_ENV] = 'cand-123';
    const out = await translateRequest(candidateAuthHeaders, request('POST', '/a', { body: { x: 1 } }));
    expect(out.headers.authorization).toBe('Bearer cand-123');
    expect(out.body?.data).toBe('{"x":1}');
  });

  it('fails rather than forward the client credential when the variable is unset or blank', async () => {
    for (const value of [undefined, '  ']) {
      if (value === undefined) delete process.env[CANDIDATE_TOKEN_ENV];
      else process.env[CANDIDATE_TOKEN_ENV] = value;
      const e = await translateRequest(candidateAuthHeaders, request('GET', '/a', { headers: clientHeaders })).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TranslationFailure);
      expect((e as Error).message).toBe(
        `translator "candidate-auth-headers" threw: ${CANDIDATE_TOKEN_ENV} is not set; it holds the candidate's credential`,
      );
    }
  });

  it('leaves responses untouched', async () => {
    const res = jsonResponse(200, { ok: true }, { 'set-cookie': 'x=1' });
    await expect(translateResponse(candidateAuthHeaders, res, ctxFor(request('GET', '/a')))).resolves.toBe(res);
  });
});
