import { gzipSync } from 'node:zlib';
import {
  bodyKind,
  parseTranslatableBody,
  parseBodyForTranslation,
  serializeResponseBody,
  toTranslatableResponse,
} from '../../src/translate';
import { encodeBody } from '../../src/records';

describe('bodyKind', () => {
  it.each([
    ['application/json', 'json'],
    ['application/problem+json; charset=utf-8', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['text/html; charset=UTF-8', 'text'],
    ['application/xml', 'text'],
    ['text/plain; charset=iso-8859-1', 'binary'],
    ['image/png', 'binary'],
    [undefined, 'binary'],
  ])('%s is %s', (ct, kind) => expect(bodyKind(ct)).toBe(kind));
});

describe('parseTranslatableBody', () => {
  it('parses by content type; empty is undefined; JSON null is null', () => {
    expect(parseTranslatableBody(Buffer.from('{"a":[1]}'), { 'content-type': 'application/json' })).toEqual({ a: [1] });
    expect(parseTranslatableBody(Buffer.from('null'), { 'content-type': 'application/json' })).toBeNull();
    expect(parseTranslatableBody(Buffer.alloc(0), { 'content-type': 'application/json' })).toBeUndefined();
    expect(parseBodyForTranslation('text/csv', Buffer.from('a,b'))).toBe('a,b');
    expect(parseBodyForTranslation(undefined, Buffer.from('x'))).toEqual(Buffer.from('x'));
  });
});

describe('serializeResponseBody', () => {
  const json = { 'content-type': 'application/json' };
  it('writes JSON for objects, strings as UTF-8, Buffers as is', () => {
    expect(serializeResponseBody({ status: 200, headers: json, body: { name: 'Mug', tags: [] } }).toString()).toBe(
      '{"name":"Mug","tags":[]}',
    );
    expect(serializeResponseBody({ status: 200, headers: {}, body: [1, 2] }).toString()).toBe('[1,2]');
    expect(serializeResponseBody({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'héllo' })).toEqual(
      Buffer.from('héllo', 'utf8'),
    );
    const bytes = Buffer.from([1, 2, 3]);
    expect(serializeResponseBody({ status: 200, headers: json, body: bytes })).toBe(bytes);
  });

  it('keeps a JSON string and JSON null valid JSON, and writes nothing for no body', () => {
    expect(serializeResponseBody({ status: 200, headers: json, body: 'quoted' }).toString()).toBe('"quoted"');
    expect(serializeResponseBody({ status: 200, headers: json, body: null }).toString()).toBe('null');
    expect(serializeResponseBody({ status: 204, headers: json, body: undefined }).length).toBe(0);
    expect(serializeResponseBody({ status: 200, headers: { 'content-type': 'text/plain' }, body: null }).length).toBe(0);
  });

  it('form-encodes under a form content type and explains unserialisable bodies', () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(serializeResponseBody({ status: 200, headers: form, body: { a: ['1', 2], b: null } }).toString()).toBe('a=1&a=2');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => serializeResponseBody({ status: 200, headers: json, body: circular })).toThrow(/^body cannot be serialised as JSON: /);
  });

  it('round-trips with toTranslatableResponse, decompressing gzip', () => {
    const raw = gzipSync('{"id":1,"title":"Mug"}');
    const res = toTranslatableResponse({
      status: 200,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(raw.length) },
      body: encodeBody(raw),
    });
    expect(res).toEqual({ status: 200, headers: { 'content-type': 'application/json' }, body: { id: 1, title: 'Mug' } });
    expect(serializeResponseBody(res).toString()).toBe('{"id":1,"title":"Mug"}');
  });
});
