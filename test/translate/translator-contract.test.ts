import { gzipSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile } from '../../src/config';
import { encodeBody, parseQuery, type ResponseRecord } from '../../src/records';
import { candidateResponse } from '../../src/rollout';
import { defineTranslator, loadTranslatorModules, translateRequest, type TranslatableRequest } from '../../src/translate';
import { bodyText, request } from './fixtures';

/** What a translator sees and what it may change: only its change is rebuilt. */
describe('translator contract', () => {
  it('gives request translators the raw URL and query, a null-prototype query view, params, headers and body', async () => {
    let seen: TranslatableRequest | undefined;
    const t = defineTranslator({ name: 'spy', request: (r) => ((seen = r), r) });
    const rec = { ...request('POST', '/items/7', { body: { a: 1 } }), rawQuery: '?b=2&a=1&b=3&uploads&constructor=c&__proto__=p' };
    await translateRequest(t, rec, { id: '7' });
    expect(seen!.url).toBe('/items/7?b=2&a=1&b=3&uploads&constructor=c&__proto__=p');
    expect(seen!.rawQuery).toBe('?b=2&a=1&b=3&uploads&constructor=c&__proto__=p');
    expect(Object.getPrototypeOf(seen!.query)).toBeNull();
    expect({ ...seen!.query }).toEqual({ b: ['2', '3'], a: '1', uploads: '', constructor: 'c', ['__proto__']: 'p' });
    expect(seen!.params).toEqual({ id: '7' });
    expect(seen!.body).toEqual({ a: 1 });
  });

  it('parses the query without Object.prototype leaking in or __proto__ vanishing', () => {
    const q = parseQuery('?constructor=x&__proto__=y&toString');
    expect(q.constructor).toBe('x');
    expect(Object.keys(q)).toEqual(['constructor', '__proto__', 'toString']);
    expect(q.toString).toBe('');
  });

  it('keeps the raw query and the body bytes when a translator changes only the path', async () => {
    const raw = '{ "a" : 1,  "b": [1.50, 2] }';
    const rec = {
      ...request('POST', '/x', { body: raw, headers: { 'content-type': 'application/json' } }),
      rawQuery: '?q=hello%20world&n=%FF&x=a+b&b=2&b=1',
    };
    const out = await translateRequest(defineTranslator({ name: 'move', request: (r) => ({ ...r, path: `/v2${r.path}` }) }), rec);
    expect(out.path).toBe('/v2/x');
    expect(out.rawQuery).toBe(rec.rawQuery);
    expect(bodyText(out)).toBe(raw);
  });

  it('keeps a compressed body compressed when it is left alone, and sends a changed one plain', async () => {
    const gz = gzipSync('{"n":1}');
    const rec = request('POST', '/z', { body: gz, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    const same = await translateRequest(defineTranslator({ name: 'same', request: (r) => ({ ...r, path: '/y' }) }), rec);
    expect(Buffer.from(same.body!.data, same.body!.encoding).equals(gz)).toBe(true);
    expect(same.headers['content-encoding']).toBe('gzip');
  });

  it('treats a body mutated in place as changed', async () => {
    const rec = request('POST', '/m', { body: { n: 1 } });
    const out = await translateRequest(defineTranslator({ name: 'mut', request: (r) => (((r.body as { n: number }).n = 2), r) }), rec);
    expect(bodyText(out)).toBe('{"n":2}');
  });

  it('serialises a changed query, sends a changed rawQuery as given', async () => {
    const rec = { ...request('GET', '/q'), rawQuery: '?b=2&a=1&b=3' };
    const changed = await translateRequest(defineTranslator({ name: 'add', request: (r) => ((r.query.c = 'x y'), r) }), rec);
    expect(changed.rawQuery).toBe('?b=2&b=3&a=1&c=x+y');
    const raw = await translateRequest(defineTranslator({ name: 'raw', request: (r) => ({ ...r, rawQuery: 'z=%20' }) }), rec);
    expect(raw.rawQuery).toBe('?z=%20');
  });

  it("serves the candidate's own bytes when the response translator leaves the body alone", async () => {
    const raw = '{ "id" : 7,   "price": 9.50 }';
    const rec: ResponseRecord = {
      status: 200,
      headers: { 'content-type': 'application/json', etag: '"1"' },
      headerNames: ['Content-Type', 'ETag'],
      body: encodeBody(Buffer.from(raw)),
      durationMs: 1,
    };
    const headersOnly = defineTranslator({ name: 'h', response: (res) => ({ ...res, headers: { ...res.headers, 'x-added': '1' } }) });
    const out = await candidateResponse(headersOnly, rec, { request: request('GET', '/p/7'), params: { id: '7' }, route: 'p' });
    expect(out.ok && out.response.body.toString()).toBe(raw);
    expect(out.ok && out.response.headers['x-added']).toBe('1');
    expect(out.ok && out.response.headerNames).toEqual(['Content-Type', 'ETag']);
    const reshaped = defineTranslator({ name: 'r', response: (res) => ({ ...res, body: { ...(res.body as object), extra: true } }) });
    const out2 = await candidateResponse(reshaped, rec, { request: request('GET', '/p/7'), params: {}, route: 'p' });
    expect(out2.ok && JSON.parse(out2.response.body.toString())).toEqual({ id: 7, price: 9.5, extra: true });
  });

  it('gives response translators the original request with its params, and the route', async () => {
    let ctxSeen: unknown;
    const t = defineTranslator({ name: 'ctx', response: (res, ctx) => ((ctxSeen = ctx), res) });
    const rec: ResponseRecord = { status: 200, headers: {}, body: null, durationMs: 1 };
    await candidateResponse(t, rec, { request: { ...request('GET', '/p/7'), rawQuery: '?x=1' }, params: { id: '7' }, route: 'product' });
    expect(ctxSeen).toMatchObject({ route: 'product', request: { url: '/p/7?x=1', params: { id: '7' }, method: 'GET' } });
  });

  it('accepts a module whose export is a translator with neither function', () => {
    const d = mkdtempSync(join(tmpdir(), 'tandem-contract-'));
    writeFileSync(join(d, 'id.js'), "module.exports = { name: 'only-a-name', routes: ['health'] };\n");
    expect(loadTranslatorModules(['./id.js'], d).map((t) => t.name)).toEqual(['only-a-name']);
  });

  it('finds translators/x.js (no "./") relative to the config file', () => {
    const d = mkdtempSync(join(tmpdir(), 'tandem-contract-'));
    mkdirSync(join(d, 'translators'));
    writeFileSync(join(d, 'translators', 'x.js'), "module.exports = { name: 'x', request: (r) => r };\n");
    writeFileSync(
      join(d, 'tandem.json'),
      JSON.stringify({
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        translators: ['translators/x.js'],
      }),
    );
    const config = loadConfigFile(join(d, 'tandem.json'));
    expect(config.translators[0]).toBe(join(d, 'translators', 'x.js'));
    expect(loadTranslatorModules(config.translators).map((t) => t.name)).toEqual(['x']);
  });
});
