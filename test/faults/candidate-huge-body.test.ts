import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestBackend } from '../support/backends';
import { TEST_REDIS_URL } from '../support/redis';
import type { TestTandem } from '../support/tandem';
import { runTraffic, startLegacy, tandemFor } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { storedExchanges, tally } from './helpers/store-state';

describe('fault: candidate answers a huge body', () => {
  const cap = 64 * 1024;
  const hugeBytes = 20 * 1024 * 1024;
  let legacy: TestBackend;
  let candidate: http.Server;
  let candidateUrl: string;
  let bytesWritten = 0;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startLegacy();
    // Streams 20 MB of JSON per request, as fast as the reader takes it.
    candidate = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < hugeBytes) {
          sent += chunk.length;
          bytesWritten += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = hugeBytes));
      pump();
    });
    await new Promise<void>((r) => candidate.listen(0, '127.0.0.1', r));
    candidateUrl = `http://127.0.0.1:${(candidate.address() as AddressInfo).port}`;
    t = await tandemFor(legacy.url, candidateUrl, { capture: { maxBodyBytes: cap }, candidate: { url: candidateUrl, timeoutMs: 5000 } });
  });
  afterAll(async () => {
    await t?.stop();
    await legacy?.close();
    candidate.closeAllConnections();
    await new Promise((r) => candidate.close(r));
  });

  it('stops reading past the capture cap and classifies the exchange as too_large', async () => {
    const { client, counters } = await runTraffic(t, 10, 2);
    const stored = await storedExchanges(TEST_REDIS_URL, t.prefix, 'product');
    const kinds = tally(stored, (e) => e.candidateError?.kind);
    recordFigures('candidate-huge-body', {
      sent: client.sent,
      clientFailures: client.failed,
      counters,
      kinds,
      candidateBytesEach: hugeBytes,
      candidateBytesWrittenTotal: bytesWritten,
      storedExchangeBytesMax: Math.max(...stored.map((e) => JSON.stringify(e).length)),
    });

    expect(client.errors).toEqual([]);
    expect(client.ok).toBe(10);
    expect(counters).toMatchObject({ seen: 10, shadowed: 10, compared: 10, too_large: 10 });
    expect(kinds).toEqual({ too_large: 10 });
    // Tandem hung up early: far less than 10 x 20 MB was ever sent.
    expect(bytesWritten).toBeLessThan((10 * hugeBytes) / 4);
    expect(Math.max(...stored.map((e) => JSON.stringify(e).length))).toBeLessThan(4096);
  });
});
