import type { TestBackend } from '../support/backends';
import { TEST_REDIS_URL } from '../support/redis';
import type { TestTandem } from '../support/tandem';
import { runTraffic, startLegacy, startRawServer, tandemFor, type RawServer } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { storedExchanges, tally } from './helpers/store-state';

/** Four kinds of garbage, by product id modulo 4. */
function answerGarbage(socket: import('node:net').Socket): void {
  socket.once('data', (req: Buffer) => {
    const id = Number(/GET \/products\/(\d+)/.exec(req.toString())?.[1] ?? 0);
    switch (id % 4) {
      case 0: // not HTTP at all
        return void socket.end('\x00\x01garbage that is not HTTP\r\n\r\n');
      case 1: // valid HTTP, body that is not the JSON it claims to be
        return void socket.end(
          'HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 9\r\n\r\n{"id": 1,',
        );
      case 2: // headers, then the connection drops mid-body
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"id":');
        return void setTimeout(() => socket.destroy(), 20);
      default: // invalid UTF-8 in a JSON body
        return void socket.end(
          'HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 4\r\n\r\n\xff\xfe\xfd\xfc',
          'latin1',
        );
    }
  });
}

describe('fault: candidate answers garbage', () => {
  let legacy: TestBackend;
  let candidate: RawServer;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startLegacy();
    candidate = await startRawServer(answerGarbage);
    t = await tandemFor(legacy.url, candidate.url);
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it('serves every client and classifies each kind of garbage', async () => {
    const { client, counters } = await runTraffic(t, 40, 4);
    const stored = await storedExchanges(TEST_REDIS_URL, t.prefix, 'product');
    const kinds = tally(stored, (e) => e.candidateError?.kind ?? `answered ${e.candidate?.status}`);
    recordFigures('candidate-garbage', { sent: client.sent, clientFailures: client.failed, counters, kinds });

    expect(client.errors).toEqual([]);
    expect(client.ok).toBe(40);
    expect(counters).toMatchObject({ seen: 40, shadowed: 40, compared: 40 });
    // Not HTTP and dropped mid-body: candidate errors. Bad JSON and bad UTF-8: unparseable.
    expect(counters.candidate_error).toBe(20);
    expect(counters.unparseable).toBe(20);
    expect(kinds).toEqual({ protocol: 10, reset: 10, 'answered 200': 20 });
  });
});
