import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createConfig } from '../../src/config';
import { openReplayFile, runReplay } from '../../src/replay';
import { eventually, startRecorder, valueOf, type Recorder } from '../e2e/fidelity-support';
import { tempDir } from '../support/processes';
import { testRedisConfig } from '../support/redis';
import { startTestTandem, TEST_TOKEN, type TestTandem } from '../support/tandem';

jest.setTimeout(60_000);

/**
 * `tandem replay FILE` had no field for a request's trailers, while stored records and the
 * report's replay of a stored exchange carry them: a recorded chunked request with a
 * checksum trailer could not be replayed as it was sent. An NDJSON line's `trailers` (as
 * `headers`: an array for repeated lines) now go after the last chunk to legacy and the
 * candidate, and are stored redacted as a live request's are. Real recording backends and Redis.
 */
describe('tandem replay of a request with trailers', () => {
  let legacy: Recorder;
  let candidate: Recorder;
  let t: TestTandem;
  const dir = tempDir('replay-trailers');
  const routes = [{ name: 'sum', match: 'POST /t/*', mirrorWrites: true }];

  beforeAll(async () => {
    legacy = await startRecorder();
    candidate = await startRecorder();
    t = await startTestTandem({ legacy: { url: legacy.url }, candidate: { url: candidate.url }, routes });
  });

  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
    dir.remove();
  });

  it('sends an NDJSON line`s trailers to both backends, stores them redacted, and names a trailer that cannot be sent', async () => {
    const file = join(dir.path, 'requests.ndjson');
    const lines = [
      {
        method: 'POST',
        url: '/t/sum',
        headers: { 'Content-Type': 'application/json', Trailer: 'X-Checksum, x-sig, X-Api-Key' },
        body: '{"a":1}',
        trailers: { 'X-Checksum': 'abc', 'x-sig': ['1', '2'], 'X-Api-Key': 'T0P-SECRET' },
      },
      { method: 'POST', url: '/t/bad', body: '{}', trailers: { 'X-Bad': 'a\r\nInjected: 1' } },
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const config = createConfig({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { ...testRedisConfig(), prefix: t.prefix },
      report: { token: TEST_TOKEN },
      log: { level: 'silent' },
      routes,
    });
    const summary = await runReplay(config, await openReplayFile(file), { rate: 0, concurrency: 1, log: pino({ level: 'silent' }) });
    expect(summary).toMatchObject({ total: 2, done: 2, match: 1, invalid: 1 });
    expect(summary.invalidMessages[0]).toMatch(/^entry 2: trailers: .*X-Bad/);

    const sent = ['X-Checksum', 'abc', 'x-sig', '1', 'x-sig', '2', 'X-Api-Key', 'T0P-SECRET'];
    const atLegacy = await eventually(() => legacy.received.find((r) => r.url === '/t/sum'));
    const atCandidate = await eventually(() => candidate.received.find((r) => r.url === '/t/sum'));
    for (const r of [atLegacy, atCandidate]) {
      expect(r.trailers.flat()).toEqual(sent);
      expect(r.body.toString()).toBe('{"a":1}');
      expect(valueOf(r.headers, 'transfer-encoding')).toBe('chunked');
      expect(valueOf(r.headers, 'trailer')).toBe('X-Checksum, x-sig, X-Api-Key');
    }
    expect(legacy.received.some((r) => r.url === '/t/bad')).toBe(false);

    type Row = { exchange: { request: { path: string; trailerLines?: string[] } } };
    const row = await eventually(async () =>
      (await t.api<Row[]>('/routes/sum/export?format=json&class=match')).find((r) => r.exchange.request.path === '/t/sum'),
    );
    const trailers = row.exchange.request.trailerLines ?? [];
    expect(JSON.stringify(row)).not.toContain('T0P-SECRET');
    expect(trailers.slice(0, 6)).toEqual(sent.slice(0, 6));
    expect(trailers[6]).toBe('X-Api-Key');
    expect(trailers[7]).toMatch(/^\[REDACTED:[0-9a-f]{16}\]$/);
  });
});
