import http from 'node:http';
import { CandidateBreaker, createUpstream, sendRequest, type SendOutcome, type Upstream } from '../../src/upstream';
import type { RequestRecord } from '../../src/records';
import { freePort } from '../support/processes';

const GET: RequestRecord = { method: 'GET', path: '/x', query: {}, headers: {}, body: null };

describe('CandidateBreaker', () => {
  let port: number;
  let up: Upstream;
  let server: http.Server | null = null;
  let dialled = 0;
  const counting = (u: Upstream, r: RequestRecord): Promise<SendOutcome> => {
    dialled++;
    return sendRequest(u, r);
  };

  beforeEach(async () => {
    port = await freePort();
    up = createUpstream(`http://127.0.0.1:${port}`, { timeoutMs: 2000, maxBodyBytes: 1024, maxSockets: 4 });
    dialled = 0;
  });
  afterEach(async () => {
    up.agent.destroy();
    if (server) await new Promise<void>((r) => (server!.closeAllConnections(), server!.close(() => r())));
    server = null;
  });

  it('stops dialling after 3 refused connections, still answering each send with a connect error', async () => {
    const breaker = new CandidateBreaker({ threshold: 3, probeEveryMs: 60_000 }, counting);
    const outcomes: SendOutcome[] = [];
    for (let i = 0; i < 10; i++) outcomes.push(await breaker.send(up, GET));
    expect(dialled).toBe(3);
    expect(breaker.open).toBe(true);
    expect(outcomes.every((o) => 'error' in o && o.error.kind === 'connect')).toBe(true);
    const last = outcomes[9] as { error: { message: string } };
    expect(last.error.message).toMatch(/^not sent: the candidate refused 3 connections in a row \(last: ECONNREFUSED/);
  });

  it('probes once per interval and closes when the candidate answers again', async () => {
    let now = 1000;
    const breaker = new CandidateBreaker({ threshold: 2, probeEveryMs: 500 }, counting, () => now);
    await breaker.send(up, GET);
    await breaker.send(up, GET);
    expect(breaker.open).toBe(true);
    await breaker.send(up, GET);
    expect(dialled).toBe(2);
    now += 500; // the probe is due: it is refused, the breaker stays open
    await breaker.send(up, GET);
    await breaker.send(up, GET);
    expect(dialled).toBe(3);
    server = http.createServer((_, res) => res.end('{"ok":true}'));
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    now += 500;
    const probe = await breaker.send(up, GET);
    expect('response' in probe && probe.response.status).toBe(200);
    expect(breaker.open).toBe(false);
    await breaker.send(up, GET);
    expect(dialled).toBe(5);
  });

  it('does not open on errors other than refused connections', async () => {
    server = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => server!.listen(port, '127.0.0.1', r));
    const breaker = new CandidateBreaker({ threshold: 2, probeEveryMs: 60_000 }, counting);
    const outcomes = [await breaker.send(up, GET), await breaker.send(up, GET), await breaker.send(up, GET)];
    expect(outcomes.map((o) => ('error' in o ? o.error.kind : 'ok'))).toEqual(['reset', 'reset', 'reset']);
    expect(dialled).toBe(3);
    expect(breaker.open).toBe(false);
  });
});
