import { isUtf8 } from 'node:buffer';
import { createRedactor } from '../../src/redact';
import { mayName, mayNameBytes } from '../../src/redact/redact-nested';
import type { BodyRedaction } from '../../src/redact/redact-limits';
import { secretNames, type SecretNameOptions } from '../../src/redact/secret-names';
import { decodeBody, encodeBody } from '../../src/records';

// The proxy probes a body's bytes for secret names without decoding them; a body it passes
// is not read further. That is safe only if the byte probe says "may" wherever the text
// probe would, for the bytes read as UTF-8 and as Latin-1 (the two readings of the redactor).
describe('secret name probe over bytes', () => {
  const configs: SecretNameOptions[] = [
    { headers: [], bodyPaths: [] },
    { headers: [], query: ['pin'], bodyPaths: ['**.card.number', 'user.ssn'] },
  ];
  const fragments = [
    'token',
    'TOKEN',
    'ToKeN',
    'password',
    'pass',
    'word',
    'api_key',
    'x-api-key',
    'access',
    '_token',
    'tokens',
    'pin',
    'PIN',
    'card',
    'Number',
    'ssn',
    'sig',
    'x.sig',
    'a',
    '_',
    '-',
    '1',
    ' ',
    '"',
    ':',
    '{',
    '}',
    ',',
    '.',
    '=',
    '&',
    '\\',
    '\\u',
    't',
    'u',
    'n',
    'r',
    'b',
    'f',
    '%',
    '%74',
    '%5C',
    '%5c',
    '%7',
    '%54oken',
    'é',
    '\u212A',
    '\u017F',
    '\u0131',
    '\u00ff',
    '\u00e2',
    '\u0084',
    '\u00aa',
    '\ud83d\ude00',
    '\u0130',
    '\n',
  ];
  // A deterministic generator: the same texts every run.
  let seed = 20;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const texts = Array.from({ length: 4000 }, () =>
    Array.from({ length: 1 + Math.floor(next() * 12) }, () => fragments[Math.floor(next() * fragments.length)]).join(''),
  );

  it.each(configs.map((c, i) => [i, c] as const))('says "may" wherever the text probe does (config %i)', (_, config) => {
    const o = { names: secretNames(config) } as unknown as BodyRedaction;
    let same = 0;
    for (const text of texts) {
      for (const bytes of [Buffer.from(text, 'utf8'), Buffer.from(text, 'latin1')]) {
        if (bytes.includes(0)) continue;
        const byBytes = mayNameBytes(bytes, o);
        const readings = [bytes.toString('latin1'), ...(isUtf8(bytes) ? [bytes.toString('utf8')] : [])];
        for (const reading of readings) if (mayName(reading, o)) expect([text, reading, byBytes]).toEqual([text, reading, true]);
        if (byBytes === readings.some((r) => mayName(r, o))) same++;
      }
    }
    // Not "may" for everything: it agrees with the text probe on most texts.
    expect(same).toBeGreaterThan(texts.length * 1.5);
  });

  it('answers as the text probe on plain ASCII', () => {
    const o = { names: secretNames(configs[1]) } as unknown as BodyRedaction;
    for (const [text, want] of [
      ['{"usage":{"prompt_tokens":1,"completion_tokens":2}}', false],
      ['{"next_page_token":"x","secretary":1}', false],
      ['{"spinner":1}', false], // `pin` is a configured name: whole names only
      ['{"a":"b"}', false],
      ['{"Access_Token":1}', true],
      ['{"\\tpassword":1}', true],
      ['{"\\u0074oken":1}', true],
      ['{"x":{"cardnumber":1}}', true], // leaves of body paths are looked for anywhere
      ['pass%77ord=1', true],
      ['{"to\u212Aen":1}', true],
    ] as const) {
      expect([text, mayName(text, o)]).toEqual([text, want]);
      expect([text, mayNameBytes(Buffer.from(text), o)]).toEqual([text, want]);
    }
  });

  it('says "may" for every body when a name is not ASCII or holds other characters (it then decodes)', () => {
    for (const config of [
      { headers: [], query: ['päss'], bodyPaths: [] },
      { headers: [], query: ['x.sig'], bodyPaths: [] },
      { headers: [], bodyPaths: ['**.clé'] },
      { headers: [], bodyPaths: ['**'] },
    ])
      expect([config, secretNames(config).mayOccurInBytes(Buffer.from('{"a":"b"}'))]).toEqual([config, true]);
  });

  it('still redacts secrets the probe has to find in the bytes', () => {
    const redactor = createRedactor({ headers: [], bodyPaths: ['**.card.number'] }, 'test-redaction-key-0123456789');
    for (const [type, body] of [
      ['application/json', '{"prompt_tokens":1,"token":"SECRET-1"}'],
      ['application/json', '{"to\u212Aen":"SECRET-1"}'],
      ['application/json', '{"\\u0074oken":"SECRET-1"}'],
      ['application/json', '{"x":{"Card":{"NUMBER":"SECRET-1"}}}'],
      ['application/json', '{"é":{"PassWord":"SECRET-1"}}'],
      ['application/json; charset=utf-8', '{"data":"a=1&%74oken=SECRET-1"}'],
      ['application/x-www-form-urlencoded', 'a=1&pass%77ord=SECRET-1'],
      ['text/plain', '{"api_key":"SECRET-1"}'],
    ]) {
      const out = redactor.response({ status: 200, headers: { 'content-type': type }, body: encodeBody(Buffer.from(body)), durationMs: 1 });
      expect([body, decodeBody(out.body!).toString().includes('SECRET')]).toEqual([body, false]);
    }
  });
});
