import { recordedPair } from './fidelity-support';
import { fingerprinter } from '../../src/redact/fingerprint';
import { redactJsonText } from '../../src/redact/redact-json';
import { redactValue } from '../../src/redact/redact-value';
import { LosslessNumber } from '../../src/records';

/**
 * Redacted values the comparison calls equal get one fingerprint: a value other than a
 * string was fingerprinted by its compact text, so `{"token":1.0}` and `{"token":1}`, or
 * one object with its keys in another order, were mismatches "differs (redacted)" although
 * unredacted they compare equal (numbers by value, objects by key). Values that differ still do.
 */
describe('redacted values in canonical form', () => {
  const bodies: Record<string, [string, string]> = {
    '/t/number': ['{"token":1.0}', '{"token":1}'],
    '/t/exponent': ['{"token":[1e3, 0.50]}', '{"token":[1000,5E-1]}'],
    '/t/keys': ['{"token":{"a":1,"b":{"y":"\\u00e9","x":2}}}', '{"token":{"b":{"x":2,"y":"é"},"a":1}}'],
    '/t/big': ['{"token":9007199254740993}', '{"token":9007199254740992}'],
    '/t/type': ['{"token":{"a":"1"}}', '{"token":{"a":1}}'],
  };
  const json = (body: string) => ({ headers: [['Content-Type', 'application/json']] as [string, string][], body });

  const p = recordedPair({ legacy: (r) => json(bodies[r.url][0]), candidate: (r) => json(bodies[r.url][1]) });

  it('matches equal values written differently; different values and types still differ', async () => {
    for (const path of Object.keys(bodies)) expect((await fetch(`${p.tandem.url}${path}`)).status).toBe(200);
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === 5);
    expect(await p.tandem.counters('t')).toMatchObject({ compared: 5, mismatch: 2, match: 3 });
    const { items } = await p.tandem.api<{ items: { path: string }[] }>('/routes/t/mismatches?limit=10');
    expect(items.map((i) => i.path).sort()).toEqual(['/t/big', '/t/type']);
  });

  it('keeps the fingerprint of a string value and of plain compact values as before', () => {
    const fp = fingerprinter('k'.repeat(32));
    const secret = (p: readonly unknown[]) => p[0] === 'token';
    // a string: its decoded text, as stored before
    expect(redactJsonText('{"token":"a\\u0062c"}', secret, fp)).toBe(`{"token":"${fp('abc')}"}`);
    // an integer, an array, a sorted object: 0xFF + the compact JSON, as stored before
    const nonString = (s: string) => fp(Buffer.concat([Buffer.from([0xff]), Buffer.from(s)]));
    expect(redactJsonText('{"token":[1, true, null]}', secret, fp)).toBe(`{"token":"${nonString('[1,true,null]')}"}`);
    expect(redactJsonText('{"token":{"a": "x", "b": 2}}', secret, fp)).toBe(`{"token":"${nonString('{"a":"x","b":2}')}"}`);
  });

  it('gives a translator parsed value the fingerprint of the same value as text', () => {
    const fp = fingerprinter('k'.repeat(32));
    const secret = (p: readonly unknown[]) => p[0] === 'token';
    const parsed = redactValue({ token: { b: new LosslessNumber('1.0'), a: [2n] } }, secret, fp) as { token: string };
    expect(`{"token":"${parsed.token}"}`).toBe(redactJsonText('{"token":{"a":[2],"b":1}}', secret, fp));
  });

  it('stays bounded on hostile nesting', () => {
    const fp = fingerprinter('k'.repeat(32));
    const deep = `{"token":${'['.repeat(500)}${']'.repeat(500)}}`;
    const out = redactJsonText(deep, (p) => p[0] === 'token', fp);
    expect(out).toMatch(/^\{"token":"\[REDACTED:[0-9a-f]{16}\]"\}$/);
  });
});
