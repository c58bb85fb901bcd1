import { brotliCompressSync, brotliDecompressSync, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { decodeBody, encodeBody, type ExchangeRecord, type ResponseRecord } from '../../src/records';
import { createRedactor, FINGERPRINT, redactJsonText } from '../../src/redact';
import { FP, KEY, response } from './fixtures';

const redactor = createRedactor({ headers: ['X-Api-Key'], query: ['session'], bodyPaths: ['**.password', 'card.number'] }, KEY);

const bytesOf = (r: ResponseRecord) => decodeBody(r.body);

describe('redaction of every body form Tandem can parse', () => {
  const big = '{"user":"bob","PASSWORD":"SECRET-1","card":{"Number":"SECRET-2","exp":"12/30"},"id":12345678901234567891}';

  it.each([
    ['gzip', gzipSync, gunzipSync],
    ['br', brotliCompressSync, brotliDecompressSync],
    ['deflate', deflateSync, inflateSync],
  ] as const)('redacts a %s-encoded JSON body, case-insensitively, and keeps its encoding', (coding, pack, unpack) => {
    const out = redactor.response(response({ 'content-type': 'application/json', 'content-encoding': coding }, pack(Buffer.from(big))));
    const text = unpack(bytesOf(out)).toString();
    expect(text).not.toContain('SECRET');
    expect(text).toContain('"exp":"12/30"');
    // Everything but the secret values is byte for byte as sent: the big number is not rounded.
    expect(text.replace(FP, 'X')).toBe('{"user":"bob","PASSWORD":"X","card":{"Number":"X","exp":"12/30"},"id":12345678901234567891}');
  });

  it('gives equal secrets equal fingerprints and different secrets different ones', () => {
    const fpOf = (pw: string) =>
      JSON.parse(bytesOf(redactor.response(response({ 'content-type': 'application/json' }, JSON.stringify({ password: pw })))).toString())
        .password;
    expect(fpOf('a')).toMatch(FINGERPRINT);
    expect(fpOf('a')).toBe(fpOf('a'));
    expect(fpOf('a')).not.toBe(fpOf('b'));
    // Another deployment key gives other fingerprints.
    const other = createRedactor({ headers: [], bodyPaths: [] }, 'another-key-0123456789');
    expect(other.fingerprint('a')).not.toBe(redactor.fingerprint('a'));
  });

  it('redacts urlencoded forms, request and response, with bracket names', () => {
    const req = redactor.request({
      method: 'POST',
      path: '/login',
      query: {},
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeBody(
        Buffer.from('user=bob&Password=SECRET-1&client_secret=SECRET-2&user%5Bpassword%5D=SECRET-3&session[]=SECRET-4&page=2'),
      ),
    });
    const text = decodeBody(req.body).toString();
    expect(text).not.toContain('SECRET');
    expect(text).toMatch(/^user=bob&Password=%5BREDACTED%3A[0-9a-f]{16}%5D&client_secret=.*&page=2$/);
    const res = redactor.response(
      response({ 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, 'access_token=SECRET-5&expires=3600'),
    );
    expect(bytesOf(res).toString()).toMatch(/^access_token=%5BREDACTED%3A[0-9a-f]{16}%5D&expires=3600$/);
  });

  it('redacts multipart form fields and keeps the other parts byte for byte', () => {
    const parts = [
      '--XyZ\r\nContent-Disposition: form-data; name="user"\r\n\r\nbob\r\n',
      '--XyZ\r\nContent-Disposition: form-data; name="Password"\r\n\r\nSECRET-1\r\n',
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n',
      '--XyZ--\r\n',
    ];
    const req = redactor.request({
      method: 'POST',
      path: '/u',
      query: {},
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      body: encodeBody(Buffer.from(parts.join(''))),
    });
    const text = decodeBody(req.body).toString();
    expect(text).not.toContain('SECRET');
    expect(text.replace(FP, 'X')).toBe(parts.join('').replace('SECRET-1', 'X'));
  });

  it.each([['text/plain'], [undefined]])('redacts JSON sent as %s', (type) => {
    const out = redactor.response(response(type ? { 'content-type': type } : {}, big));
    expect(bytesOf(out).toString()).not.toContain('SECRET');
    expect(bytesOf(out).toString()).toContain('"exp":"12/30"');
  });

  it('withholds a body it cannot parse when a secret name occurs in it: size and fingerprint only', () => {
    const html = '<form><input name="password" value="SECRET-1"></form>';
    const out = redactor.response(response({ 'content-type': 'text/html' }, html));
    expect(out.body).toMatchObject({ data: '', size: html.length, truncated: false, withheld: expect.stringMatching(FINGERPRINT) });
    const broken = redactor.response(response({ 'content-type': 'application/json' }, '{"password":"SECRET-1",'));
    expect(broken.body?.data).toBe('');
    const garbled = redactor.response(
      response({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, Buffer.from('not gzip SECRET-1')),
    );
    expect(garbled.body?.withheld).toMatch(FINGERPRINT);
    // A body with no secret name in it is kept as it is.
    const plain = response({ 'content-type': 'text/html' }, '<p>hello</p>');
    expect(redactor.response(plain).body).toBe(plain.body);
  });

  it('bounds the nesting it scans: a deep body with a secret name is withheld, never a stack overflow', () => {
    const deep = '['.repeat(100_000) + '{"password":"SECRET-1"}' + ']'.repeat(100_000);
    const out = redactor.response(response({ 'content-type': 'application/json' }, deep));
    expect(out.body?.withheld).toMatch(FINGERPRINT);
  });

  it('redacts query parameters in any case and bracket form', () => {
    const req = redactor.request({
      method: 'GET',
      path: '/',
      query: { 'password[]': ['SECRET-1', 'SECRET-2'], PASSWORD: 'SECRET-3', 'user[Session]': 'SECRET-4', page: '2' },
      headers: {},
      body: null,
    });
    expect(JSON.stringify(req.query)).not.toContain('SECRET');
    expect(req.query.page).toBe('2');
  });

  it('fingerprints secret headers keeping cookie names, Set-Cookie attributes and the auth scheme; x-tandem-token too', () => {
    const out = redactor.response(
      response({ 'set-cookie': 'sid=SECRET-1; Max-Age=3600; Path=/', 'x-tandem-token': 'SECRET-2', 'x-api-key': 'SECRET-3' }, ''),
    );
    expect(out.headers['set-cookie']).toMatch(/^sid=\[REDACTED:[0-9a-f]{16}\]; Max-Age=3600; Path=\/$/);
    expect(JSON.stringify(out.headers)).not.toContain('SECRET');
    const shorter = redactor.response(response({ 'set-cookie': 'sid=SECRET-1; Max-Age=60; Path=/' }, ''));
    expect(shorter.headers['set-cookie']).not.toBe(out.headers['set-cookie']);
    const req = redactor.request({
      method: 'GET',
      path: '/',
      query: {},
      headers: { authorization: 'Bearer SECRET-4', cookie: 'a=SECRET-5; b=SECRET-6' },
      body: null,
    });
    expect(req.headers.authorization).toMatch(/^Bearer \[REDACTED:[0-9a-f]{16}\]$/);
    expect(req.headers.cookie).toMatch(/^a=\[REDACTED:[0-9a-f]{16}\]; b=\[REDACTED:[0-9a-f]{16}\]$/);
  });

  it('fingerprints each recorded header line of a secret header, repeated lines too, and keeps the others', () => {
    const headerLines = [
      'Host',
      'shop.example',
      'Cookie',
      'a=SECRET-1',
      'X-Api-Key',
      'SECRET-2',
      'Accept',
      'a',
      'cookie',
      'b=SECRET-3',
      'accept',
      'b',
      'Authorization',
      'Bearer SECRET-4',
    ];
    const req = redactor.request({
      method: 'GET',
      path: '/',
      query: {},
      headers: {
        host: 'shop.example',
        cookie: 'a=SECRET-1; b=SECRET-3',
        'x-api-key': 'SECRET-2',
        accept: 'a, b',
        authorization: 'Bearer SECRET-4',
      },
      headerLines,
      body: null,
    });
    expect(JSON.stringify(req)).not.toContain('SECRET');
    const lines = req.headerLines!;
    expect(lines.filter((_, i) => i % 2 === 0)).toEqual(headerLines.filter((_, i) => i % 2 === 0));
    expect([lines[1], lines[7], lines[11]]).toEqual(['shop.example', 'a', 'b']);
    // Line by line, the cookie lines fingerprint as the joined map value does: the relay still sees them unchanged.
    expect(`${lines[3]}; ${lines[9]}`).toBe(req.headers.cookie);
    expect(lines[13]).toBe(req.headers.authorization);
  });

  it('is idempotent: redacting a redacted exchange changes nothing', () => {
    const ex = {
      id: 'x',
      route: 'r',
      customer: 'anonymous',
      at: 1,
      requestId: 'q',
      params: {},
      request: {
        method: 'POST',
        path: '/',
        query: { password: 'SECRET-1' },
        headers: { cookie: 'a=SECRET-2' },
        body: encodeBody(Buffer.from('{"password":"SECRET-3"}')),
      },
      legacy: response({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"Password":"SECRET-4"}')),
    } as unknown as ExchangeRecord;
    ex.request.headers['content-type'] = 'application/json';
    const once = redactor.exchange(ex);
    const twice = redactor.exchange(once);
    expect(JSON.stringify(once)).not.toContain('SECRET');
    expect(decodeBody(twice.request.body).toString()).toBe(decodeBody(once.request.body).toString());
    expect(twice.request.query).toEqual(once.request.query);
    expect(twice.request.headers).toEqual(once.request.headers);
  });

  it('scans JSON without re-encoding it', () => {
    const text = '{ "a" : [1, 2.50, {"b": "\\u0070"}], "Password" : {"x": [1, 2]} , "n": 1e400 }';
    const out = redactJsonText(
      text,
      (p) => p.length === 1 && String(p[0]).toLowerCase() === 'password',
      // A value other than a string comes as its compact JSON after a 0xFF byte (no string's UTF-8 has one).
      (v) => `FP(${Buffer.isBuffer(v) ? `${v[0].toString(16)}:${v.subarray(1).toString()}` : v})`,
    );
    expect(out).toBe('{ "a" : [1, 2.50, {"b": "\\u0070"}], "Password" : "FP(ff:{\\"x\\":[1,2]})" , "n": 1e400 }');
    expect(
      redactJsonText(
        '{"a":1',
        () => true,
        (v) => String(v),
      ),
    ).toBeNull();
    expect(
      redactJsonText(
        '{"a":1} x',
        () => true,
        (v) => String(v),
      ),
    ).toBeNull();
  });
});

describe('a request body under repeated Content-Type lines', () => {
  const body = '{"user":"bob","password":"SECRET-1"}';
  const request = (types: string[]) =>
    redactor.request({
      method: 'POST',
      path: '/',
      query: {},
      headers: { 'content-type': types[0] },
      headerLines: types.flatMap((t) => ['Content-Type', t]),
      body: encodeBody(Buffer.from(body)),
    });

  it('is redacted as each of a few distinct lines would have it read', () => {
    // Four extra values, the last one JSON: the body is read under it and its password fingerprinted.
    const out = request(['text/plain', 'text/x-1', 'text/x-2', 'text/x-3', 'application/json']);
    expect(out.body!.withheld).toBeUndefined();
    const text = decodeBody(out.body).toString();
    expect(text).not.toContain('SECRET');
    expect(text.replace(FP, 'X')).toBe('{"user":"bob","password":"X"}');
  });

  it('is withheld, not read once per line, past MAX_EXTRA_CONTENT_TYPES distinct extra values', () => {
    // A hostile client's 500 distinct lines would cost 500 passes over the body on the proxy's thread.
    const types = ['text/plain', ...Array.from({ length: 500 }, (_, i) => `text/x-${i}`), 'application/json'];
    const out = request(types);
    expect(out.body!.withheld).toMatch(FINGERPRINT);
    expect(out.body!.size).toBe(body.length);
    expect(out.body!.unreadable?.reason).toMatch(/more than 4 distinct extra Content-Type lines/);
    expect(JSON.stringify(out)).not.toContain('SECRET');
    // Repeats of one value count once: the same value on many lines is read once.
    expect(request(['text/plain', ...Array(500).fill('application/json')]).body!.withheld).toBeUndefined();
  });
});
