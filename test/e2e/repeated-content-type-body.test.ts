import { storedSecrets } from '../support/stored-secrets';
import { eventually, recordedPair, sendRaw, type Pairs } from './fidelity-support';

/**
 * A second Content-Type line is relayed as sent (7927a42): a backend that reads the last
 * line (many do) reads the body as a form or JSON though Node's map holds the first
 * (`text/plain`). Its secrets must be redacted as that backend would read them.
 */
describe('a body under two Content-Type lines', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });

  it('is redacted as each of its lines would have it read', async () => {
    const send = async (path: string, types: string[], body: string) => {
      const headers: Pairs = [['Host', 'shop.example'], ...types.map((t): [string, string] => ['Content-Type', t])];
      headers.push(['Content-Length', String(Buffer.byteLength(body))]);
      expect((await sendRaw(p.tandem.url, { method: 'POST', path, headers, body: Buffer.from(body) })).status).toBe(200);
      await eventually(() => p.legacy.received.find((r) => r.url === path));
    };
    await send('/t/form', ['text/plain', 'application/x-www-form-urlencoded'], 'a=1&password=SECRET-form');
    await send('/t/json', ['text/plain', 'application/json'], '{"password":"SECRET-json"}');
    await send(
      '/t/multi',
      ['text/plain', 'multipart/form-data; boundary=XX'],
      '--XX\r\nContent-Disposition: form-data; name="password"\r\n\r\nSECRET-multi\r\n--XX--\r\n',
    );
    await send('/t/formjson', ['application/x-www-form-urlencoded', 'application/json'], '{"password":"SECRET-formjson"}');
    await send('/t/jsonform', ['application/json', 'application/x-www-form-urlencoded'], 'password=SECRET-jsonform');
    await send('/t/formjson2', ['application/x-www-form-urlencoded', 'application/json'], '{"a":"b","password":"SECRET-fj2","c":"x=y"}');
    await send('/t/multijson', ['multipart/form-data; boundary=XX', 'application/json'], '{"password":"SECRET-multijson"}');
    await send(
      '/t/formmulti',
      ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=XX'],
      '--XX\r\nContent-Disposition: form-data; name="password"\r\n\r\nSECRET-fm\r\n--XX--\r\n',
    );
    await send(
      '/t/jsonmulti',
      ['application/json', 'multipart/form-data; boundary=XX'],
      '--XX\r\nContent-Disposition: form-data; name="password"\r\n\r\nSECRET-jm\r\n--XX--\r\n',
    );
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === 9, 20_000);
    expect((await storedSecrets(p.tandem.prefix, /SECRET-\w+/)).found).toEqual([]);
  });
});

describe('a body labelled as a form whose text is JSON', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });

  it('is redacted as JSON too (a server parsing the body whatever its label reads the password)', async () => {
    const body = '{"user":"bob","password":"SECRET-single"}';
    const headers: Pairs = [
      ['Host', 'shop.example'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
      ['Content-Length', String(body.length)],
    ];
    expect((await sendRaw(p.tandem.url, { method: 'POST', path: '/t/single', headers, body: Buffer.from(body) })).status).toBe(200);
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === 1, 20_000);
    expect((await storedSecrets(p.tandem.prefix, /SECRET-\w+/)).found).toEqual([]);
  });
});
