import { startBackend, type TestBackend } from '../support/backends';
import { startRawServer, type RawServer } from '../faults/helpers/candidate-scenario';
import { request, startTestTandem, type TestTandem } from '../support/tandem';

/** A candidate whose answers Node cannot write to a client: a status under 100 (Node's client reads `099` as 99). */
function answerUnservable(socket: import('node:net').Socket): void {
  socket.once('data', () =>
    socket.end('HTTP/1.1 099 Odd\r\ncontent-type: application/json\r\ncontent-length: 8\r\nconnection: close\r\n\r\n{"ok":2}'),
  );
}

describe('serving the candidate: an answer that cannot be written to the client', () => {
  let legacy: TestBackend;
  let candidate: RawServer;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startBackend(() => ({ status: 200, body: { by: 'legacy' } }));
    candidate = await startRawServer(answerUnservable);
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      routes: [
        { name: 'odd', match: 'GET /odd/:id', phase: 'candidate' },
        { name: 'odd-write', match: 'POST /odd-write/:id', phase: 'candidate' },
        { name: 'odd-only', match: 'GET /odd-only/:id', phase: 'candidate-only' },
      ],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  it("falls back to legacy's answer (was: Tandem's 502 and an exchange in no counter)", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await request(`${t.url}/odd/${i}`);
      expect(r.status).toBe(200);
      expect(r.headers['x-served-by']).toBe('legacy-fallback');
      expect(JSON.parse(r.body.toString())).toEqual({ by: 'legacy' });
    }
    const c = await t.waitFor(async () => {
      const c = await t.counters('odd');
      return (c.compared ?? 0) >= 3 && c;
    });
    expect(c).toMatchObject({ seen: 3, compared: 3, fallback: 3, 'fallback:candidate_error': 3 });
  });

  it('answers a clear 502 where there is no fallback (a write in candidate, candidate-only), not a thrown writeHead', async () => {
    for (const [method, path] of [
      ['POST', '/odd-write/1'],
      ['GET', '/odd-only/1'],
    ]) {
      const r = await request(`${t.url}${path}`, { method, body: method === 'POST' ? '{}' : undefined });
      expect(r.status).toBe(502);
      expect(JSON.parse(r.body.toString())).toMatchObject({ message: expect.stringContaining('status 99 is not a final status') });
    }
  });
});
