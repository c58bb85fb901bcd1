import { createTranslatorRegistry, serializeResponseBody, translateRequest, translateResponse } from '../src/translate';
import { ctxFor, jsonResponse, request } from '../test/translate/fixtures';
import legacyStringlyTypes, { stringlyTyped, stringlyValue } from './legacy-stringly-types';

const ctx = ctxFor(request('GET', '/report/2024'), {}, 'legacy-report');

describe('legacy-stringly-types', () => {
  it('renders numbers as decimal strings and null as "" at every depth, keeping booleans and strings', async () => {
    const body = {
      year: 2024,
      revenue: 1234.5,
      debt: -0.25,
      manager: null,
      closed: true,
      note: 'as is',
      lines: [{ qty: 3, tag: null }, 7, [null]],
    };
    const out = await translateResponse(legacyStringlyTypes, jsonResponse(200, body), ctx);
    expect(out.body).toEqual({
      year: '2024',
      revenue: '1234.5',
      debt: '-0.25',
      manager: '',
      closed: true,
      note: 'as is',
      lines: [{ qty: '3', tag: '' }, '7', ['']],
    });
  });

  it('documents JavaScript number rendering at the edges', () => {
    expect(stringlyValue([0, -0, 1e21, 0.1 + 0.2, 1e-7], '')).toEqual(['0', '0', '1e+21', '0.30000000000000004', '1e-7']);
  });

  it('is configurable: null as "null", or kept', async () => {
    const nullWord = stringlyTyped({ name: 'stringly-null-word', nullAs: 'null' });
    expect(nullWord.name).toBe('stringly-null-word');
    expect((await translateResponse(nullWord, jsonResponse(200, { a: null, b: 1 }), ctx)).body).toEqual({ a: 'null', b: '1' });
    const keepNull = stringlyTyped({ name: 'keep', nullAs: null });
    expect((await translateResponse(keepNull, jsonResponse(200, { a: null, b: 1 }), ctx)).body).toEqual({ a: null, b: '1' });
    expect(createTranslatorRegistry([legacyStringlyTypes, nullWord, keepNull], []).names).toContain('stringly-null-word');
  });

  it('handles top-level values, empty bodies, error bodies and binary bodies', async () => {
    expect((await translateResponse(legacyStringlyTypes, jsonResponse(200, 5), ctx)).body).toBe('5');
    expect((await translateResponse(legacyStringlyTypes, jsonResponse(200, null), ctx)).body).toBe('');
    expect((await translateResponse(legacyStringlyTypes, jsonResponse(200, undefined), ctx)).body).toBeUndefined();
    expect((await translateResponse(legacyStringlyTypes, jsonResponse(500, { code: 17 }), ctx)).body).toEqual({ code: '17' });
    const bytes = Buffer.from([1, 2]);
    expect((await translateResponse(legacyStringlyTypes, { status: 200, headers: {}, body: bytes }, ctx)).body).toBe(bytes);
  });

  it('serves the stringly body as JSON strings', async () => {
    const out = await translateResponse(legacyStringlyTypes, jsonResponse(200, { n: 42, x: null }), ctx);
    expect(serializeResponseBody(out).toString()).toBe('{"n":"42","x":""}');
  });

  it('leaves requests untouched (response-only translator)', async () => {
    const req = request('POST', '/report', { body: { n: 1 } });
    await expect(translateRequest(legacyStringlyTypes, req)).resolves.toBe(req);
  });
});
