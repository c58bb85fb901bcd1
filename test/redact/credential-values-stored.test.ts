import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeBody, encodeBody, type ResponseRecord } from '../../src/records';
import { createRedactor } from '../../src/redact';
import { storedSecrets } from '../support/stored-secrets';
import { TEST_TOKEN } from '../support/tandem';
import { eventually, recordedPair, sendRaw, type Received } from '../e2e/fidelity-support';

/**
 * Credentials under names that are not secret names were stored in clear outside headers:
 * `?assertion=eyJ…` (a JWT), `{"jwt":"eyJ…"}`, `{"upstream":"Bearer …"}`, a form's or a
 * multipart field's token; JSON or a form inside the query of a URL-valued header
 * (`Referer: …?filter={"password":…}`) was not read; opaque anti-forgery and one-time-code
 * headers (`X-Csrf`, `X-Otp`, `X-Pin`, `X-Xsrf`) were stored in clear. The value-form check
 * headers had now runs on query values and on every string Tandem reads in a body.
 */
const r = createRedactor({ headers: [], bodyPaths: [] }, 'test-redaction-key-0123456789');
const b64 = (s: string) => Buffer.from(s).toString('base64url');
/** A JWS whose payload says SECRET and whose signature is SECRET: base64 or not, the scan sees it. */
const jwt = (tag: string) => `${b64('{"alg":"HS256"}')}.${b64(`{"sub":"SECRET-${tag}"}`)}.SECRET-${tag}-sig`;
const BASIC = `Basic ${Buffer.from('ada:SECRET-basic-pw').toString('base64')}`;
const MARKER = /SECRET[\w-]*/;
const stored = (headers: Record<string, string>, body: Buffer | string): string => {
  const out: ResponseRecord = r.response({ status: 200, headers, body: encodeBody(Buffer.from(body)), durationMs: 1 });
  return out.body?.withheld ? 'WITHHELD' : decodeBody(out.body!).toString('latin1');
};
const JSON_TYPE = { 'content-type': 'application/json' };
const FORM_TYPE = { 'content-type': 'application/x-www-form-urlencoded' };

describe('credential values under names of their own', () => {
  it('are fingerprinted in JSON (at any depth, inside JSON strings), forms, multipart fields and compressed bodies, the scheme kept', () => {
    const json = JSON.stringify({ jwt: jwt('j'), upstream: 'Bearer SECRET-bearer-1', a: [{ b: BASIC }], keep: 'bob' });
    const out = stored(JSON_TYPE, json);
    expect(out).not.toMatch(MARKER);
    expect(out).toContain('"keep":"bob"');
    expect(JSON.parse(out)).toMatchObject({ upstream: expect.stringMatching(/^Bearer \[REDACTED:[0-9a-f]{16}\]$/) });
    expect(stored(JSON_TYPE, JSON.stringify({ payload: JSON.stringify({ x: jwt('n') }) }))).not.toMatch(MARKER);
    expect(stored({ 'content-type': 'text/plain' }, JSON.stringify([jwt('t')]))).not.toMatch(MARKER);
    expect(stored(FORM_TYPE, `assertion=${jwt('f')}&up=Bearer+SECRET-bearer-2&keep=bob`)).toMatch(
      /^assertion=%5BREDACTED.*&up=Bearer%20%5BREDACTED.*&keep=bob$/,
    );
    const multipart = `--B\r\nContent-Disposition: form-data; name="assertion"\r\n\r\n${jwt('m')}\r\n--B\r\nContent-Disposition: form-data; name="keep"\r\n\r\nbob\r\n--B--\r\n`;
    const mp = stored({ 'content-type': 'multipart/form-data; boundary=B' }, multipart);
    expect(mp).not.toMatch(MARKER);
    expect(mp).toContain('bob');
    const zipped = r.response({
      status: 200,
      headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
      body: encodeBody(gzipSync(JSON.stringify({ idAssertion: jwt('z') }))),
      durationMs: 1,
    });
    expect(zipped.body?.withheld).toBeUndefined();
    expect(gunzipSync(decodeBody(zipped.body!)).toString()).toMatch(/^\{"idAssertion":"\[REDACTED:[0-9a-f]{16}\]"\}$/);
  });

  it('are fingerprinted in the parsed and raw query, and inside the query of URL headers with JSON or forms in it', () => {
    const out = r.request({
      method: 'GET',
      path: '/p',
      query: { assertion: jwt('q'), upstream: 'Bearer SECRET-bearer-q', plan: 'Basic plan' },
      rawQuery: `?assertion=${jwt('q')}&upstream=Bearer%20SECRET-bearer-q&plan=Basic+plan`,
      headers: {
        referer: 'https://shop.example/s?filter={"password":"SECRET-r"}&state=a%3D1%26token%3DSECRET-s&page=2',
        link: `</p?q=${encodeURIComponent('{"token":"SECRET-l"}')}>; rel="next"`,
      },
      body: null,
    });
    expect(JSON.stringify(out)).not.toMatch(MARKER);
    expect(out.query.plan).toBe('Basic plan');
    expect(out.query.upstream).toMatch(/^Bearer \[REDACTED:[0-9a-f]{16}\]$/);
    expect(out.headers.referer).toMatch(/^https:\/\/shop\.example\/s\?filter=.*&page=2$/);
  });

  it('are fingerprinted in the strings of a translator output', () => {
    const out = r.translated({ headers: {}, body: { nested: { assertion: jwt('tr') }, keep: 'bob' } });
    expect(JSON.stringify(out)).not.toMatch(MARKER);
    expect(JSON.stringify(out)).toContain('bob');
  });

  it('leave prose and other values as they are (the same bytes)', () => {
    for (const body of [
      JSON.stringify({ plan: 'Basic plan', note: 'Bearer bonds', tier: 'Basic subscription', text: 'eyJ but no dots' }),
      JSON.stringify({ a: 'basic', b: 'bearer' }),
    ])
      expect(stored(JSON_TYPE, body)).toBe(body);
    expect(stored(FORM_TYPE, 'plan=Basic+plan&note=Bearer+bonds')).toBe('plan=Basic+plan&note=Bearer+bonds');
    expect(stored({ 'content-type': 'text/html' }, '<p data-x="Bearer abcdefghijk">')).toBe('<p data-x="Bearer abcdefghijk">');
  });
});

describe('anti-forgery and one-time-code headers', () => {
  it.each(['X-Csrf', 'X-Xsrf', 'X-CSRFToken', 'X-Otp', 'X-Totp', 'X-Pin', 'X-Otp-Code', 'X-Passcode'])('%s is secret', (name) =>
    expect(r.names.header(name)).toBe(true),
  );
  it.each(['X-Pinned', 'X-Pins', 'X-Spin', 'X-Option', 'X-Otpx', 'Public-Key-Pins'])('%s stays in clear', (name) =>
    expect(r.names.header(name)).toBe(false),
  );
});

describe('credential values, through the proxy', () => {
  const reply = (q: Received) =>
    q.url.startsWith('/t/resp')
      ? {
          body: JSON.stringify({ idAssertion: jwt('resp'), next: 'Bearer SECRET-bearer-resp', keep: 'VISIBLE-resp' }),
          headers: [
            ['Content-Type', 'application/json'],
            ['Location', `/t/next?state=${encodeURIComponent('{"token":"SECRET-loc"}')}`],
          ] as [string, string][],
        }
      : {};
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true }, legacy: reply, candidate: reply });

  const send = async (path: string, headers: [string, string][], body: Buffer) => {
    const res = await sendRaw(p.tandem.url, {
      method: 'POST',
      path,
      headers: [['Host', 'shop.example'], ...headers, ['Content-Length', String(body.length)]],
      body,
    });
    expect(res.status).toBe(200);
  };

  it('relays every credential as sent and stores none in clear', async () => {
    const json = Buffer.from(JSON.stringify({ jwt: jwt('body'), upstream: 'Bearer SECRET-bearer-body', keep: 'VISIBLE-json' }));
    await send(
      `/t/q?assertion=${jwt('query')}&upstream=Bearer%20SECRET-bearer-query&keep=VISIBLE-query`,
      [
        ['Content-Type', 'application/json'],
        ['Referer', 'https://shop.example/s?filter={"password":"SECRET-referer"}&keep=VISIBLE-referer'],
        ['X-Csrf', 'SECRET-csrf'],
        ['X-Xsrf', 'SECRET-xsrf'],
        ['X-Otp', 'SECRET-otp'],
        ['X-Pin', 'SECRET-pin'],
        ['X-Pinned', 'VISIBLE-pinned'],
      ],
      json,
    );
    await send(
      '/t/form',
      [['Content-Type', 'application/x-www-form-urlencoded']],
      Buffer.from(`assertion=${jwt('form')}&keep=VISIBLE-form`),
    );
    await send(
      '/t/multi',
      [['Content-Type', 'multipart/form-data; boundary=B']],
      Buffer.from(`--B\r\nContent-Disposition: form-data; name="assertion"\r\n\r\n${jwt('multi')}\r\n--B--\r\n`),
    );
    await send(
      '/t/gz',
      [
        ['Content-Type', 'application/json'],
        ['Content-Encoding', 'gzip'],
      ],
      gzipSync(JSON.stringify({ upstream: BASIC, keep: 'VISIBLE-gzip' })),
    );
    await send('/t/resp', [['Content-Type', 'application/json']], Buffer.from('{}'));
    const seen = await eventually(() => p.candidate.received.length === 5 && p.candidate.received);
    expect(seen[0].url).toContain(jwt('query'));
    expect(seen[0].body.equals(json)).toBe(true);
    type Row = { exchange: { request: { path: string } } };
    const rows = await eventually(async () => {
      const all = (await (
        await fetch(`${p.tandem.reportUrl}/_tandem/api/routes/t/export?format=json&class=match`, {
          headers: { authorization: `Bearer ${TEST_TOKEN}` },
        })
      ).json()) as Row[];
      return all.length === 5 && all;
    });
    const text = JSON.stringify(rows);
    for (const visible of ['VISIBLE-json', 'VISIBLE-query', 'VISIBLE-referer', 'VISIBLE-pinned', 'VISIBLE-form', 'VISIBLE-resp'])
      expect(text).toContain(visible);
    const scan = await storedSecrets(p.tandem.prefix, MARKER);
    expect(scan.keys).toBeGreaterThan(0);
    expect(scan.found).toEqual([]);
  });
});
