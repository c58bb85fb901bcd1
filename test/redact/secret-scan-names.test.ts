import { TEST_REDIS_URL } from '../support/redis';
import { TEST_TOKEN } from '../support/tandem';
import { recordedPair, sendRaw, valueOf, type Pairs } from '../e2e/fidelity-support';
import { scanRedis } from './secret-scan';

const SECRET = /SECRET-[A-Za-z0-9-]+/g;

/**
 * Secrets where only a whole, clean name was looked for, through a real proxy into real
 * Redis: `;name=value` path parameters (RFC 3986 3.3, Java's `;jsessionid=`) in any
 * segment, query and form names with noise around a secret name (`password%20`,
 * `amp;password` from an HTML-escaped `&amp;`), and headers whose name ends in a secret
 * name (`Private-Token`, `X-Amz-Security-Token`). Backends get every request as sent.
 */
describe('secrets in path parameters, noisy field names and token-suffixed headers', () => {
  const p = recordedPair({
    route: { match: 'GET /api/:version/products/:id' },
    legacy: (r) => ({
      headers: [
        ['Content-Type', 'application/json'],
        ['Location', r.url.includes('loc') ? '/login;jsessionid=SECRET-p-loc?next=1' : '/x'],
      ],
    }),
    candidate: (r) => ({
      headers: [
        ['Content-Type', 'application/json'],
        ['Location', r.url.includes('loc') ? '/login;jsessionid=SECRET-p-loc?next=1' : '/x'],
      ],
    }),
  });
  let sent = 0;
  const get = async (path: string, headers: Pairs = []) => {
    expect((await sendRaw(p.tandem.url, { method: 'GET', path, headers: [['Host', 'shop.example'], ...headers] })).status).toBe(200);
    sent++;
  };
  const stored = async (marker: RegExp) => {
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === sent, 20_000);
    const scan = await scanRedis(TEST_REDIS_URL, p.tandem.prefix, SECRET);
    expect(scan.keys).toBeGreaterThan(0);
    return { secrets: [...new Set(scan.secrets.filter((s) => marker.test(s)))].sort(), text: scan.text };
  };

  const PATHS = [
    '/api/v1/products/5;password=SECRET-p-1',
    '/api/v1/products/5;jsessionid=SECRET-p-2?x=1',
    '/api/v1;Token=SECRET-p-3/products/5',
    '/api/v1/products/5;a=1;%70assword=SECRET-p-4;b=2',
    '/api/v1/products/5;PHPSESSID=SECRET-p-5',
    '/api/v1/products/5%3Bpassword%3DSECRET-p-6',
    '/api/v1/products/loc;token=SECRET-p-7',
  ];

  it('redacts secret ;name=value path parameters in the path, the route parameters and URL headers; relays them as sent', async () => {
    for (const path of PATHS) await get(path);
    // The target as a proxy in front passed it on.
    await get('/api/v1/products/9', [
      ['X-Original-URL', '/api/v1/products/9;jsessionid=SECRET-p-8?token=SECRET-p-9'],
      ['X-Forwarded-Uri', '/app;password=SECRET-p-10/x'],
    ]);
    const { secrets, text } = await stored(/SECRET-p-/);
    expect(secrets).toEqual([]);
    // What is not secret stays readable: the segment and the other parameters.
    expect(text).toMatch(/\/api\/v1\/products\/5;a=1;%70assword=%5BREDACTED%3A[0-9a-f]{16}%5D;b=2/);
    expect(text).toMatch(/"id":"5;password=\[REDACTED:[0-9a-f]{16}\]"/);
    // Legacy and the candidate got every target byte for byte.
    for (const path of PATHS) {
      expect(p.legacy.received.map((r) => r.url)).toContain(path);
      expect(p.candidate.received.map((r) => r.url)).toContain(path);
    }
  });

  it('a replay of a stored exchange leaves the redacted path parameter out, as it does a redacted query parameter', async () => {
    const items = await p.tandem.api<{ exchange: { id: string; request: { path: string } } }[]>('/routes/t/export?format=json&class=match');
    const one = items.find((x) => x.exchange.request.path.startsWith('/api/v1/products/5;a=1;'))!;
    expect(one).toBeDefined();
    const before = p.candidate.received.length;
    const res = await fetch(`${p.tandem.reportUrl}/_tandem/api/exchanges/${encodeURIComponent(one.exchange.id)}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(p.candidate.received.slice(before).map((r) => r.url)).toEqual(['/api/v1/products/5;a=1;b=2']);
  });

  it('redacts query names with noise around a secret name (spaces, HTML-escaped &amp;, brackets, ;-separated pairs)', async () => {
    const paths = [
      '/api/v1/products/1?password%20=SECRET-q-1',
      '/api/v1/products/1?%20token=SECRET-q-2',
      '/api/v1/products/1?a=1&amp;password=SECRET-q-3',
      '/api/v1/products/1?a=1&amp;amp;client_secret=SECRET-q-4',
      '/api/v1/products/1?password%09%5B%5D=SECRET-q-5',
      '/api/v1/products/1?user%5B%20password%20%5D=SECRET-q-6',
      '/api/v1/products/1?password+=SECRET-q-7',
      // `;` between pairs, for servers that split there too.
      '/api/v1/products/1?a=1;password=SECRET-q-8;b=2',
    ];
    for (const path of paths) await get(path);
    expect((await stored(/SECRET-q-/)).secrets).toEqual([]);
    for (const path of paths) expect(p.candidate.received.map((r) => r.url)).toContain(path);
  });

  it('redacts headers whose dash-separated name ends in a secret name', async () => {
    const headers: Pairs = [
      ['Private-Token', 'SECRET-h-1'],
      ['X-Amz-Security-Token', 'SECRET-h-2'],
      ['X-CSRF-Token', 'SECRET-h-3'],
      ['X-Goog-Api-Key', 'SECRET-h-4'],
      ['X-Upstream-Client-Secret', 'SECRET-h-5'],
      ['X_Auth_Token', 'SECRET-h-6'],
      ['X-Client-Note', 'V-visible-1'],
    ];
    await get('/api/v1/products/h', headers);
    const { secrets, text } = await stored(/SECRET-h-/);
    expect(secrets).toEqual([]);
    expect(text).toContain('V-visible-1');
    expect(valueOf(p.candidate.received.find((r) => r.url === '/api/v1/products/h')!.headers, 'private-token')).toBe('SECRET-h-1');
  });
});

/**
 * JSON object keys with noise around a secret name, read as query and form names are
 * (whitespace or control characters at the ends, anything up to a `;`), in request and
 * response bodies, JSON inside JSON strings, form values and multipart parts.
 */
describe('JSON keys with noise around a secret name', () => {
  // Raw JSON text: `\u0077` spells the `w` of `password`, `\t` and `\u0000` are control characters
  // (`\tsecret`: a tab, then `secret`).
  const noisy = (tag: string) =>
    `{"user":"bob","password ":"SECRET-${tag}-1"," token":"SECRET-${tag}-2","password\\t":"SECRET-${tag}-3",` +
    `"pass\\u0077ord ":"SECRET-${tag}-4","amp;client_secret":"SECRET-${tag}-5","a":{"Api_Key\\u0000":"SECRET-${tag}-6","\\tsecret":"SECRET-${tag}-7"},` +
    `"password_":"V-${tag}-1","passwords":"V-${tag}-2","my password":"V-${tag}-3"}`;
  const p = recordedPair({
    route: { match: 'POST /login', mirrorWrites: true },
    legacy: () => ({ headers: [['Content-Type', 'application/json']], body: noisy('rl') }),
    candidate: () => ({ headers: [['Content-Type', 'application/json']], body: noisy('rc') }),
  });
  const post = async (contentType: string, body: string) =>
    expect(
      (
        await sendRaw(p.tandem.url, {
          method: 'POST',
          path: '/login',
          headers: [
            ['Host', 'shop.example'],
            ['Content-Type', contentType],
          ],
          body: Buffer.from(body),
        })
      ).status,
    ).toBe(200);

  it('redacts them in bodies, JSON inside JSON strings, form values and multipart parts; keeps other names; relays as sent', async () => {
    const bodies: [string, string][] = [
      ['application/json', noisy('b')],
      ['application/json', JSON.stringify({ payload: noisy('s') })],
      ['application/x-www-form-urlencoded', `user=bob&data=${encodeURIComponent(noisy('f'))}`],
      [
        'multipart/form-data; boundary=XyZ',
        `--XyZ\r\nContent-Disposition: form-data; name="profile"\r\nContent-Type: application/json\r\n\r\n${noisy('m')}\r\n--XyZ--\r\n`,
      ],
    ];
    for (const [type, body] of bodies) await post(type, body);
    await p.tandem.waitFor(async () => (await p.tandem.counters('t')).compared === bodies.length, 20_000);
    const scan = await scanRedis(TEST_REDIS_URL, p.tandem.prefix, /(?:SECRET|V)-[A-Za-z0-9-]+/g);
    expect(scan.keys).toBeGreaterThan(0);
    expect([...new Set(scan.secrets.filter((s) => s.startsWith('SECRET-')))].sort()).toEqual([]);
    // `password_`, `passwords` and `my password` are other names: still readable.
    for (const tag of ['b', 's', 'f', 'm', 'rl', 'rc']) for (const n of [1, 2, 3]) expect(scan.text).toContain(`V-${tag}-${n}`);
    for (const [, body] of bodies) expect(p.candidate.received.map((r) => r.body.toString())).toContain(body);
  });
});
