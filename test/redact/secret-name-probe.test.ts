import { createRedactor } from '../../src/redact';
import { secretNames } from '../../src/redact/secret-names';
import { decodeBody, encodeBody } from '../../src/records';

// The probe that spares most bodies a full parse counts a name only as a whole key, as the
// redactor matches keys; whatever may spell a secret key still sends the body to the parse.
describe('secret name probe', () => {
  const s = secretNames({ headers: [], bodyPaths: [] });

  it('skips names inside longer names', () => {
    for (const text of [
      '{"usage":{"prompt_tokens":1,"completion_tokens":2}}',
      '{"next_page_token":"x"}',
      'csrf_token=1',
      '{"secretary":1,"tokenizer":2}',
    ]) {
      expect([text, s.mayOccurIn(text)]).toEqual([text, false]);
    }
  });

  it('finds whole names, in any case, after a longer one, and anything that may spell one', () => {
    const texts = [
      '{"token":1}',
      '{"TOKEN":1}',
      '{"a":{"Access_Token":1}}',
      '{"prompt_tokens":1,"token":2}',
      'x-api-key: 1',
      'tokens_token token',
      '{"\\u0074oken":1}',
      '{"to\u212Aen":1}',
      // After a JSON escape's letter: a tab, a newline (noise around a key, not part of it).
      '{"\\tpassword":1}',
      '{"\\r\\ntoken":1}',
    ];
    for (const text of texts) expect([text, s.mayOccurIn(text)]).toEqual([text, true]);
  });

  it('still redacts every spelling the redactor reads as a secret key', () => {
    const redactor = createRedactor({ headers: [], bodyPaths: [] }, 'test-redaction-key-0123456789');
    for (const body of [
      '{"prompt_tokens":1,"token":"SECRET-1"}',
      '{"to\u212Aen":"SECRET-1"}',
      '{"\\u0074oken":"SECRET-1"}',
      '{"x":{"refresh-token":"SECRET-1"}}',
    ]) {
      const out = redactor.response({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: encodeBody(Buffer.from(body)),
        durationMs: 1,
      });
      expect([body, decodeBody(out.body!).toString().includes('SECRET')]).toEqual([body, false]);
    }
  });

  it('reads a long run of names once (linear)', () => {
    expect(s.mayOccurIn('token_'.repeat(200_000))).toBe(false);
  });

  it('looks for the leaves of configured body paths anywhere', () => {
    expect(secretNames({ headers: [], bodyPaths: ['**.pin'] }).mayOccurIn('{"spinner":1}')).toBe(true);
  });
});
