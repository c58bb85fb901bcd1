import { createRedactor } from '../../src/redact';
import { KEY, response } from './fixtures';

const redactor = createRedactor({ headers: [], bodyPaths: [] }, KEY);
const ENCODED_FP = /%5BREDACTED%3A[0-9a-f]{16}%5D/g;
const headersOf = (h: Record<string, string>) => redactor.response(response(h, '')).headers;

describe('URL-valued headers', () => {
  it.each([
    ['a password in the userinfo', 'https://ada:pw-1@host.example/p?x=1', 'https://ada:X@host.example/p?x=1'],
    ['a token as the user name', 'https://ghp_tok@git.example/repo', 'https://X@git.example/repo'],
    ['a scheme-relative URL', '//ada:pw-1@host.example/', '//ada:X@host.example/'],
    ['an @ in the query, not in the authority', 'https://host.example/p?email=a@b.example', 'https://host.example/p?email=a@b.example'],
    ['an @ in a relative path', '/users/@ada?x=1', '/users/@ada?x=1'],
    ['no userinfo', 'https://host.example:8443/p', 'https://host.example:8443/p'],
  ])('Location with %s', (_, value, expected) => {
    expect(String(headersOf({ location: value }).location).replace(ENCODED_FP, 'X')).toBe(expected);
  });

  it("redacts each of Link's URI references (RFC 8288) and keeps its parameters", () => {
    const link = '<https://api.example/p?page=2&access_token=t-1>; rel="next", <https://ada:pw@api.example/>; rel="alt"; title="a, <b>"';
    const out = String(headersOf({ Link: link }).Link);
    expect(out.replace(ENCODED_FP, 'X')).toBe(
      '<https://api.example/p?page=2&access_token=X>; rel="next", <https://ada:X@api.example/>; rel="alt"; title="a, <b>"',
    );
    // Redacting again changes nothing; equal secrets fingerprint alike.
    expect(String(headersOf({ Link: out }).Link)).toBe(out);
    expect(String(headersOf({ Link: link }).Link)).toBe(out);
  });

  it('redacts the request header lines as the map (a repeated Link line too)', () => {
    const req = redactor.request({
      method: 'GET',
      path: '/',
      query: {},
      headers: { link: '<https://a.example/?access_token=t-1>, <https://a.example/?access_token=t-2>', referer: 'http://u:p-3@r.example/' },
      headerLines: [
        'Link',
        '<https://a.example/?access_token=t-1>',
        'link',
        '<https://a.example/?access_token=t-2>',
        'Referer',
        'http://u:p-3@r.example/',
      ],
      body: null,
    });
    expect(JSON.stringify(req)).not.toMatch(/t-1|t-2|p-3/);
    expect(req.headerLines![1]).toMatch(ENCODED_FP);
  });
});
