import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfigFile } from '../../src/config';
import { openReplayFile, runReplay } from '../../src/replay';
import { killAll, startTandemProcess, tempDir, writeConfig, type Child } from '../support/processes';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { TEST_TOKEN } from '../support/tandem';
import { eventually, startRecorder, sendRaw, valueOf, without, type Pairs, type Received, type Recorder } from './fidelity-support';

/**
 * The request-fidelity suite: a real `tandem serve` process between a legacy and a
 * candidate that record exactly what they receive (request line, header names,
 * values and order, body bytes). Legacy gets the client's request (plus
 * x-forwarded-* and x-request-id); the candidate, the noise repeat and a replay get
 * that same request (plus x-tandem-shadow / x-tandem-replay), or the translator's
 * change of it and nothing else.
 */
const FORWARDED = ['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-forwarded-host'];
const MARKS = ['x-tandem-shadow', 'x-tandem-replay'];
// Node's client and server set their own connection header on every hop.
const HOP = ['connection'];

describe('request fidelity through tandem serve', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let tandem: { child: Child; url: string; reportUrl: string };
  const prefix = uniquePrefix('fidelity');
  const dir = tempDir('fidelity');
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };
  let configFile = '';

  beforeAll(async () => {
    legacy = await startRecorder((r) =>
      r.url === '/events' ? { headers: [['Content-Type', 'Text/Event-Stream; charset=utf-8']], body: 'data: 1\n\n' } : {},
    );
    candidate = await startRecorder((r) =>
      r.url.startsWith('/served/')
        ? {
            status: 302,
            headers: [
              ['Location', `${candidate.url}/served/next?x=1`],
              ['ETag', '"c1"'],
            ],
            body: '',
          }
        : {},
    );
    mkdirSync(join(dir.path, 'translators'));
    writeFileSync(
      join(dir.path, 'translators', 'fidelity.js'),
      `module.exports = [
        { name: 'move-path', request: (r) => ({ ...r, path: '/v2' + r.path }) },
        { name: 'requery', request: (r) => { r.query.added = 'yes'; return r; } },
        { name: 'set-host', request: (r) => ({ ...r, headers: { ...r.headers, host: 'candidate.internal' } }) },
      ];\n`,
    );
    // A translator with neither function: accepted (it only names itself).
    writeFileSync(join(dir.path, 'translators', 'id.js'), `module.exports = { name: 'id' };\n`);
    configFile = writeConfig(dir.path, {
      listen: { port: 0, host: '127.0.0.1' },
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { url: TEST_REDIS_URL, prefix },
      report: { token: TEST_TOKEN },
      noise: { repeatRate: 1, warmupMs: 0 },
      // Relative to the config file, without "./".
      translators: ['translators/fidelity.js', 'translators/id.js'],
      routes: [
        { name: 'plain', match: 'GET /plain/*', translator: 'id' },
        { name: 'moved', match: 'GET /moved/*', translator: 'move-path' },
        { name: 'requery', match: 'GET /requery', translator: 'requery' },
        { name: 'host', match: 'GET /host', translator: 'set-host' },
        { name: 'upload', match: 'POST /upload', mirrorWrites: true, translator: 'move-path' },
        { name: 'preflight', match: 'OPTIONS /cors' },
        { name: 'events', match: 'GET /events' },
        { name: 'served', match: 'GET /served/*', phase: 'candidate' },
      ],
    });
    tandem = await startTandemProcess(configFile);
  }, 60_000);

  afterAll(async () => {
    await killAll();
    await Promise.all([legacy?.close(), candidate?.close()]);
    await deletePrefix(prefix);
    dir.remove();
  });

  const hostOf = () => new URL(tandem.url).host;
  const byUrl = (list: Received[], url: string) => list.filter((r) => r.url === url);
  /** Legacy's primary request (the client's) and its noise repeat (marked as shadow). */
  const legacySides = async (url: string) => {
    const [primary, repeat] = await eventually(() => {
      const seen = byUrl(legacy.received, url);
      const p = seen.find((r) => !valueOf(r.headers, 'x-tandem-shadow'));
      const r = seen.find((x) => valueOf(x.headers, 'x-tandem-shadow'));
      return p && r && ([p, r] as const);
    });
    return { primary, repeat };
  };
  const counters = async (route: string): Promise<Record<string, number>> => {
    const res = await fetch(`${tandem.reportUrl}/_tandem/api/routes`, { headers: auth });
    const body = (await res.json()) as { routes: { name: string; counters: Record<string, number> }[] };
    return body.routes.find((r) => r.name === route)?.counters ?? {};
  };

  /** Replay the stored exchange of the `plain` route with this path from the report; the replay's HTTP status. */
  const replayStored = async (path: string): Promise<number> => {
    type Row = { exchange: { id: string; request: { path: string } } };
    const id = await eventually(async () => {
      for (const cls of ['match', 'mismatch', 'noise_only']) {
        const rows = (await (
          await fetch(`${tandem.reportUrl}/_tandem/api/routes/plain/export?format=json&class=${cls}`, { headers: auth })
        ).json()) as Row[];
        const row = rows.find((r) => r.exchange.request.path === path);
        if (row) return row.exchange.id;
      }
      return undefined;
    });
    return (await fetch(`${tandem.reportUrl}/_tandem/api/exchanges/${encodeURIComponent(id)}/replay`, { method: 'POST', headers: auth }))
      .status;
  };

  /** Legacy got the client's lines, in order, then x-forwarded-* and (when the client sent none) x-request-id. */
  function expectLegacyGotClient(got: Received, sent: Pairs, path: string, body = Buffer.alloc(0)): void {
    expect(`${got.method} ${got.url}`).toBe(`${got.method} ${path}`);
    expect(without(got.headers, [...FORWARDED, 'x-request-id', ...HOP])).toEqual(without(sent, HOP));
    // The client's Connection stays on its hop (RFC 9110 section 7.6.1); Node's client writes its own, last.
    expect(
      without(got.headers, HOP)
        .slice(-5)
        .map(([n]) => n),
    ).toEqual([...FORWARDED, 'x-request-id']);
    expect(got.body.equals(body)).toBe(true);
  }

  /** Another backend got exactly what legacy got, but for the marks and the named changes. */
  function expectSameAs(got: Received, primary: Received, o: { url?: string; drop?: string[] } = {}): void {
    expect(`${got.method} ${got.url}`).toBe(`${primary.method} ${o.url ?? primary.url}`);
    expect(without(got.headers, [...MARKS, ...HOP, ...(o.drop ?? [])])).toEqual(without(primary.headers, [...HOP, ...(o.drop ?? [])]));
    expect(got.body.equals(primary.body)).toBe(true);
  }

  it('relays the raw query, header names, casing and order to legacy, the candidate, the noise repeat and a replay', async () => {
    const path = '/plain/q?b=2&a=1&b=3&uploads&q=hello%20world&x=a+b&n=%FF&constructor=c&__proto__=p';
    const sent: Pairs = [
      ['Host', 'shop.example'],
      ['X-Custom-B', 'b'],
      ['accept', 'application/json'],
      ['X-Custom-A', 'a'],
      ['Accept-Language', 'en, de'],
    ];
    const res = await sendRaw(tandem.url, { method: 'GET', path, headers: sent });
    expect(res.status).toBe(200);
    // Response header names reach the client as legacy wrote them.
    expect(res.headers.map(([n]) => n)).toEqual(expect.arrayContaining(['Content-Type', 'ETag', 'X-Powered-By']));

    const { primary, repeat } = await legacySides(path);
    expectLegacyGotClient(primary, sent, path);
    expect(valueOf(primary.headers, 'host')).toBe('shop.example');
    const shadow = await eventually(() => byUrl(candidate.received, path)[0]);
    expectSameAs(shadow, primary);
    expect(valueOf(shadow.headers, 'x-tandem-shadow')).toBe('1');
    expectSameAs(repeat, primary);

    // A replay of the stored exchange sends the candidate the same request again.
    expect(await replayStored('/plain/q')).toBe(200);
    const replayed = byUrl(candidate.received, path)[1];
    expect(valueOf(replayed.headers, 'x-tandem-replay')).toBe('1');
    expectSameAs(replayed, primary);
  });

  it('changes only the path for a path-only translator: raw query and body bytes kept', async () => {
    const path = '/moved/7?b=2&a=1&b=3&flag';
    const sent: Pairs = [
      ['Host', 'shop.example'],
      ['X-Trace', 't'],
    ];
    await sendRaw(tandem.url, { method: 'GET', path, headers: sent });
    const { primary, repeat } = await legacySides(path);
    expectLegacyGotClient(primary, sent, path);
    const shadow = await eventually(() => byUrl(candidate.received, `/v2${path}`)[0]);
    expectSameAs(shadow, primary, { url: `/v2${path}` });
    expectSameAs(repeat, primary);
  });

  it('serialises the query again only when a translator changed it', async () => {
    const path = '/requery?b=2&a=1&b=3';
    await sendRaw(tandem.url, { method: 'GET', path, headers: [['Host', 'shop.example']] });
    const { primary } = await legacySides(path);
    expect(primary.url).toBe(path);
    const shadow = await eventually(() => candidate.received.find((r) => r.url.startsWith('/requery')));
    expectSameAs(shadow, primary, { url: '/requery?b=2&b=3&a=1&added=yes' });
  });

  it('gives both backends the client Host by default and lets a translator set the candidate one', async () => {
    await sendRaw(tandem.url, { method: 'GET', path: '/host', headers: [['Host', 'shop.example']] });
    const { primary, repeat } = await legacySides('/host');
    expect(valueOf(primary.headers, 'host')).toBe('shop.example');
    expect(valueOf(repeat.headers, 'host')).toBe('shop.example');
    const shadow = await eventually(() => byUrl(candidate.received, '/host')[0]);
    expect(valueOf(shadow.headers, 'host')).toBe('candidate.internal');
    expectSameAs(shadow, primary, { drop: ['host'] });
  });

  it('captures an Expect: 100-continue body: legacy gets it with x-request-id, the candidate the same bytes without expect', async () => {
    const body = Buffer.from(`{ "items": [${Array.from({ length: 200 }, (_, i) => `{ "n": ${i} }`).join(', ')}] }`);
    expect(body.length).toBeGreaterThan(1024);
    const sent: Pairs = [
      ['Host', 'shop.example'],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(body.length)],
      ['Expect', '100-continue'],
    ];
    const res = await sendRaw(tandem.url, { method: 'POST', path: '/upload', headers: sent, body, expect: true });
    expect(res.status).toBe(200);
    const primary = await eventually(() => byUrl(legacy.received, '/upload')[0]);
    expectLegacyGotClient(primary, sent, '/upload', body);
    const shadow = await eventually(() => byUrl(candidate.received, '/v2/upload')[0]);
    // The body is not re-encoded (a path-only translator), and `expect` is not relayed (Tandem holds the whole body).
    expect(valueOf(shadow.headers, 'expect')).toBeUndefined();
    expectSameAs(shadow, primary, { url: '/v2/upload', drop: ['expect'] });
  });

  it('mirrors OPTIONS (a safe method, RFC 9110) and compares it', async () => {
    const sent: Pairs = [
      ['Host', 'shop.example'],
      ['Origin', 'https://app.example'],
      ['Access-Control-Request-Method', 'PUT'],
    ];
    await sendRaw(tandem.url, { method: 'OPTIONS', path: '/cors', headers: sent });
    const { primary } = await legacySides('/cors');
    expectLegacyGotClient(primary, sent, '/cors');
    const shadow = await eventually(() => byUrl(candidate.received, '/cors')[0]);
    expectSameAs(shadow, primary);
    const c = await eventually(async () => {
      const x = await counters('preflight');
      return x.shadowed ? x : undefined;
    });
    expect(c['skipped:write']).toBeUndefined();
  });

  it('skips an event stream whatever the case of its media type', async () => {
    const res = await sendRaw(tandem.url, { method: 'GET', path: '/events', headers: [['Host', 'shop.example']] });
    expect(res.body.toString()).toBe('data: 1\n\n');
    const c = await eventually(async () => {
      const x = await counters('events');
      return x['skipped:event_stream'] ? x : undefined;
    });
    expect(c.shadowed).toBeUndefined();
    expect(byUrl(candidate.received, '/events')).toHaveLength(0);
  });

  it('serves the candidate in the candidate phase without leaking its address, header casing kept', async () => {
    const sent: Pairs = [
      ['Host', hostOf()],
      ['X-Custom', '1'],
    ];
    const res = await sendRaw(tandem.url, { method: 'GET', path: '/served/a?z=1&y', headers: sent });
    expect(res.status).toBe(302);
    expect(valueOf(res.headers, 'location')).toBe(`http://${hostOf()}/served/next?x=1`);
    expect(res.headers.map(([n]) => n)).toContain('ETag');
    const got = await eventually(() => byUrl(candidate.received, '/served/a?z=1&y')[0]);
    // Served to the client: not marked as shadow traffic.
    expect(valueOf(got.headers, 'x-tandem-shadow')).toBeUndefined();
    const primary = await eventually(() => byUrl(legacy.received, '/served/a?z=1&y')[0]);
    expectSameAs(got, primary);
    expect(without(primary.headers, [...FORWARDED, 'x-request-id', ...HOP])).toEqual(sent);
  });

  it('relays repeated header lines one by one (two X-Forwarded-For, Cookie, Accept) to legacy, the candidate, the noise repeat and a replay', async () => {
    const path = '/plain/repeats';
    const sent: Pairs = [
      ['Host', 'shop.example'],
      ['Accept', 'application/json'],
      ['X-Forwarded-For', '10.0.0.1'],
      ['Cookie', 'a=1'],
      ['X-Trace', 't'],
      ['X-Forwarded-For', '10.0.0.2'],
      ['cookie', 'b=2'],
      ['accept', 'text/plain'],
    ];
    await sendRaw(tandem.url, { method: 'GET', path, headers: sent });
    const { primary, repeat } = await legacySides(path);
    // Every line of the client's, apart and in order; the proxy's address appended to the last X-Forwarded-For line.
    const lines = without(primary.headers, ['x-request-id', 'x-forwarded-port', 'x-forwarded-proto', 'x-forwarded-host', ...HOP]);
    expect(lines).toEqual(
      sent.map(([n, v]): [string, string] => [n, n === 'X-Forwarded-For' && v === '10.0.0.2' ? '10.0.0.2,127.0.0.1' : v]),
    );
    const shadow = await eventually(() => byUrl(candidate.received, path)[0]);
    expectSameAs(shadow, primary);
    expectSameAs(repeat, primary);

    expect(await replayStored(path)).toBe(200);
    const replayed = byUrl(candidate.received, path)[1];
    // Stored cookies are fingerprinted (redacted), so not sent again; everything else is the same request, line by line.
    expectSameAs(replayed, primary, { drop: ['cookie'] });
    expect(valueOf(replayed.headers, 'cookie')).toBeUndefined();
  });

  it('tandem replay from HAR and NDJSON files sends the recorded query bytes and header lines as recorded', async () => {
    const query = '?b=2&a=1&b=3&flag&q=hello%20world&x=a+b&n=%FF&constructor=c';
    const ndjson = join(dir.path, 'requests.ndjson');
    writeFileSync(
      ndjson,
      `${JSON.stringify({ method: 'GET', url: `/plain/file-ndjson${query}`, headers: { Accept: ['application/json', 'text/plain'], 'X-Trace': 't' } })}\n`,
    );
    const har = join(dir.path, 'requests.har');
    const harHeaders = [
      ['Accept', 'application/json'],
      ['Cookie', 'a=1'],
      ['X-Trace', 't'],
      ['cookie', 'b=2'],
      ['accept', 'text/plain'],
    ];
    writeFileSync(
      har,
      JSON.stringify({
        log: {
          entries: [
            {
              request: {
                method: 'GET',
                url: `https://shop.example/plain/file-har${query}#frag`,
                headers: harHeaders.map(([name, value]) => ({ name, value })),
              },
            },
          ],
        },
      }),
    );
    const config = loadConfigFile(configFile);
    for (const [file, path, lines] of [
      [
        ndjson,
        `/plain/file-ndjson${query}`,
        [
          ['Accept', 'application/json'],
          ['Accept', 'text/plain'],
          ['X-Trace', 't'],
        ],
      ],
      [har, `/plain/file-har${query}`, harHeaders],
    ] as const) {
      const summary = await runReplay(config, await openReplayFile(file), { rate: 0, concurrency: 1, log: pino({ level: 'silent' }) });
      expect(summary.done).toBe(1);
      const primary = await eventually(() => byUrl(legacy.received, path).find((r) => !valueOf(r.headers, 'x-tandem-shadow')));
      expect(valueOf(primary.headers, 'x-tandem-replay')).toBe('1');
      expect(without(primary.headers, ['host', 'x-request-id', ...MARKS, ...HOP])).toEqual(lines);
      const shadow = await eventually(() => byUrl(candidate.received, path)[0]);
      // The file has no Host: each backend gets its own, first, as Node's client writes it.
      expectSameAs(shadow, primary, { drop: [...MARKS, 'host'] });
      expect([primary.headers[0][0], shadow.headers[0][0]]).toEqual(['host', 'host']);
    }
  }, 60_000);

  it('gives legacy its own Host when an HTTP/1.0 client sends none', async () => {
    const u = new URL(tandem.url);
    const reply = await new Promise<string>((done, fail) => {
      const socket = connect(Number(u.port), u.hostname, () => socket.write('GET /plain/nohost HTTP/1.0\r\nX-Trace: t\r\n\r\n'));
      let got = '';
      socket.on('data', (c: Buffer) => (got += c.toString()));
      socket.on('end', () => done(got));
      socket.on('error', fail);
    });
    expect(reply).toMatch(/^HTTP\/1\.[01] 200/);
    const primary = await eventually(() => byUrl(legacy.received, '/plain/nohost').find((r) => !valueOf(r.headers, 'x-tandem-shadow')));
    expect(valueOf(primary.headers, 'host')).toBe(new URL(legacy.url).host);
    expect(valueOf(primary.headers, 'x-trace')).toBe('t');
  });
});
