import { compareResponses } from '../../src/compare';
import { canonicalCharset, decodeText } from '../../src/compare/text-encoding';
import { typed } from './helpers';

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const cmp = (a: [string, string | Buffer], b: [string, string | Buffer], rules = {}) =>
  compareResponses(typed(...a), typed(...b), { rules });

describe('text is compared as decoded by its declared charset', () => {
  it('matches the same text in ISO-8859-1 and UTF-8, reporting only the charset change', () => {
    const r = cmp(['text/plain; charset=ISO-8859-1', latin1('café crème')], ['text/plain; charset=utf-8', 'café crème']);
    expect(r.differences).toEqual([{ path: '$charset', kind: 'changed', legacy: 'iso-8859-1', candidate: 'utf-8' }]);
    expect(r.signature).toBe('$charset');
    expect(cmp(['text/plain; charset=latin1', latin1('é')], ['text/plain; charset=utf-8', 'é'], { ignore: ['$charset'] }).class).toBe(
      'match',
    );
  });

  it('compares JSON strings decoded from Latin-1 by value', () => {
    const r = cmp(['application/json; charset=iso-8859-1', latin1('{"name":"Zoë","n":1}')], ['application/json', '{"name":"Zoë","n":2}']);
    expect(r.differences.map((d) => d.path)).toEqual(['$charset', 'n']);
  });

  it('is not fooled by the same bytes declared in another charset (garbled for clients)', () => {
    const r = cmp(['text/plain; charset=iso-8859-1', latin1('café')], ['text/plain; charset=utf-8', latin1('café')]);
    expect(r.class).toBe('mismatch');
    expect(r.differences.map((d) => d.path)).toEqual(['$charset', '$body']);
    expect(r.differences[0]).toMatchObject({ legacy: 'iso-8859-1', candidate: 'utf-8 (invalid bytes)' });
  });

  it('reports a byte-order mark added by the candidate as a difference of its own', () => {
    const r = cmp(['application/json', '{"a":1}'], ['application/json', '\ufeff{"a":1}']);
    expect(r).toMatchObject({ class: 'mismatch', risk: 'medium', signature: '$bom' });
    expect(r.differences).toEqual([{ path: '$bom', kind: 'changed', legacy: 'none', candidate: 'utf-8' }]);
    expect(cmp(['application/json', '\ufeff{"a":1}'], ['application/json', '\ufeff{"a":1}']).class).toBe('match');
  });

  it('treats undeclared JSON as UTF-8 and a declared utf-8 as the same charset', () => {
    expect(cmp(['application/json', '{"a":"é"}'], ['application/json; charset=UTF8', '{"a":"é"}']).class).toBe('match');
  });

  it('decodes UTF-16 by its BOM and names charsets one way', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]);
    expect(decodeText(bytes, undefined)).toEqual({ text: '{"a":1}', encoding: { charset: 'utf-16le', declared: false, bom: 'utf-16le' } });
    expect(canonicalCharset('"Latin1"')).toBe('iso-8859-1');
    expect(canonicalCharset('ISO_8859-1')).toBe('iso-8859-1');
  });
});

describe('charset labels that are no text encoding', () => {
  it.each(['base64', 'hex', 'HEX'])('reads charset=%s as an unknown charset, so redaction withholds the body', (label) => {
    expect(decodeText(Buffer.from('{"password":"SECRET-1"}'), canonicalCharset(label))).toBeNull();
  });
});
