import { TEST_REDIS_URL } from '../support/redis';
import { recordedPair, sendRaw, type Pairs } from '../e2e/fidelity-support';
import { scanRedis } from './secret-scan';

const SECRET = /SECRET-[A-Za-z0-9-]+/g;

/**
 * Hostile or careless clients, through a real proxy into real Redis: bodies whose bytes
 * say more than their labels (ASCII sent under a UTF-16/32 charset, or after a UTF-16
 * BOM) and credentials in headers named like the always-redacted field names
 * (`X-Auth-Token`, `Api-Key`). A server that reads the bytes as ASCII or ignores the
 * charset (most JSON parsers do) sees the secret, so nothing of it may reach Redis.
 */
describe('secrets behind a wrong charset or in secret-named headers', () => {
  const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });
  let sent = 0;
  const send = async (path: string, headers: Pairs, body: Buffer) => {
    const all: Pairs = [['Host', 'shop.example'], ...headers, ['Content-Length', String(body.length)]];
    expect((await sendRaw(p.tandem.url, { method: 'POST', path, headers: all, body })).status).toBe(200);
    sent++;
  };
  const secretsStored = async (marker: RegExp) => {
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === sent, 20_000);
    const { secrets, keys } = await scanRedis(TEST_REDIS_URL, p.tandem.prefix, SECRET);
    expect(keys).toBeGreaterThan(0);
    return [...new Set(secrets.filter((s) => marker.test(s)))].sort();
  };

  it('withholds ASCII bodies labelled UTF-16 or UTF-32 that name a secret', async () => {
    for (const cs of ['utf-16le', 'utf-16be', 'utf-16', 'utf-32', 'ucs-2']) {
      await send(`/t/json-${cs}`, [['Content-Type', `application/json; charset=${cs}`]], Buffer.from(`{"password":"SECRET-b-json-${cs}"}`));
      await send(
        `/t/form-${cs}`,
        [['Content-Type', `application/x-www-form-urlencoded; charset=${cs}`]],
        Buffer.from(`a=1&password=SECRET-b-form-${cs}`),
      );
      await send(`/t/text-${cs}`, [['Content-Type', `text/plain; charset=${cs}`]], Buffer.from(`{"token":"SECRET-b-text-${cs}"}`));
    }
    // No charset, a UTF-16LE BOM, then ASCII.
    await send(
      '/t/bom',
      [['Content-Type', 'application/json']],
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"password":"SECRET-b-bom"}')]),
    );
    expect(await secretsStored(/SECRET-b-/)).toEqual([]);
    // Legacy and the candidate got them as sent.
    expect(p.legacy.received.find((r) => r.url === '/t/json-utf-16le')?.body.toString()).toContain('SECRET-b-json-utf-16le');
    expect(p.candidate.received.find((r) => r.url === '/t/form-utf-32')?.body.toString()).toContain('SECRET-b-form-utf-32');
  });

  it('redacts headers named as secret fields, with or without x-', async () => {
    const headers: Pairs = [
      ['X-Auth-Token', 'SECRET-h-1'],
      ['Api-Key', 'SECRET-h-2'],
      ['X-Access-Token', 'SECRET-h-3'],
      ['Token', 'SECRET-h-4'],
      ['x-session-token', 'SECRET-h-5'],
      ['X-Client-Secret', 'SECRET-h-6'],
      ['Content-Type', 'application/json'],
    ];
    await send('/t/headers', headers, Buffer.from('{}'));
    expect(await secretsStored(/SECRET-h-/)).toEqual([]);
    expect(p.candidate.received.find((r) => r.url === '/t/headers')?.headers).toContainEqual(['X-Auth-Token', 'SECRET-h-1']);
  });
});
