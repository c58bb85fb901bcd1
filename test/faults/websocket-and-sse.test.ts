import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startBackend, type TestBackend } from '../support/backends';
import type { TestTandem } from '../support/tandem';
import { tandemFor } from './helpers/candidate-scenario';
import { recordFigures } from './helpers/figures';
import { sleep, waitUntil } from './helpers/load';

/** Legacy: echoes WebSocket frames (raw bytes after the 101) and streams an event stream in two parts. */
async function startStreamingLegacy(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('data: first\n\n');
    setTimeout(() => res.end('data: second\n\n'), 400);
  });
  server.on('upgrade', (_req, socket: Socket) => {
    sockets.add(socket);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    socket.on('data', (d) => socket.write(d));
    socket.on('end', () => socket.end());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.closeAllConnections(), server.close(() => r()))),
  };
}

describe('limits: WebSockets and event streams pass through, never shadowed', () => {
  let legacy: { url: string; close(): Promise<void> };
  let candidate: TestBackend;
  let t: TestTandem;

  beforeAll(async () => {
    legacy = await startStreamingLegacy();
    candidate = await startBackend(() => ({ body: {} }));
    t = await tandemFor(legacy.url, candidate.url, {
      legacy: { url: legacy.url, timeoutMs: 2000 },
      routes: [
        { name: 'socket', match: 'GET /ws/:id' },
        { name: 'events', match: 'GET /events/:id' },
      ],
    });
  });
  afterAll(async () => {
    await t?.stop();
    await Promise.all([legacy?.close(), candidate?.close()]);
  });

  const openSocket = () =>
    new Promise<Socket>((done, fail) => {
      const req = http.request(`${t.url}/ws/1`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('upgrade', (res, s: Socket) => (res.statusCode === 101 ? done(s) : fail(new Error(`status ${res.statusCode}`))));
      req.on('response', (res) => fail(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', fail);
      req.end();
    });

  it('proxies a WebSocket upgrade to legacy both ways and never to the candidate', async () => {
    const socket = await openSocket();
    const echoed = await new Promise<string>((done) => {
      socket.once('data', (d) => done(d.toString()));
      socket.write('hello over the socket');
    });
    socket.destroy();
    await sleep(200);
    recordFigures('websocket', { echoed, candidateRequests: candidate.seen.length });

    expect(echoed).toBe('hello over the socket');
    expect(candidate.seen).toHaveLength(0);
    expect(await t.counters('socket')).toEqual({ seen: 1, 'skipped:upgrade': 1 });
  });

  it('streams an event stream as it comes and records it as skipped:event_stream', async () => {
    const started = Date.now();
    const chunks: { at: number; text: string }[] = [];
    await new Promise<void>((done, fail) => {
      http
        .get(`${t.url}/events/1`, (res) => {
          res.setEncoding('utf8');
          res.on('data', (text: string) => chunks.push({ at: Date.now() - started, text }));
          res.on('end', done);
          res.on('error', fail);
        })
        .on('error', fail);
    });
    const c = await waitUntil(
      () => t.counters('events'),
      (c) => c.seen === 1 && c['skipped:event_stream'] === 1,
    );
    await sleep(200);
    recordFigures('event-stream', { chunks, counters: await t.counters('events'), candidateRequests: candidate.seen.length });

    expect(chunks.map((x) => x.text).join('')).toBe('data: first\n\ndata: second\n\n');
    // The first event reached the client before legacy wrote the second (400 ms later): not buffered.
    expect(chunks[0].text).toBe('data: first\n\n');
    expect(chunks[chunks.length - 1].at - chunks[0].at).toBeGreaterThan(200);
    expect(c).toEqual({ seen: 1, 'skipped:event_stream': 1 });
    expect(await t.counters('events')).toEqual({ seen: 1, 'skipped:event_stream': 1 });
    expect(candidate.seen).toHaveLength(0);
  });

  // Last: it stops Tandem.
  it('does not let an open WebSocket hold shutdown forever: it is cut at the deadline', async () => {
    const socket = await openSocket();
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now())));
    const started = Date.now();
    await t.server.close();
    const stoppedMs = Date.now() - started;
    recordFigures('websocket-shutdown', { deadlineMs: 3000, stoppedMs });
    expect(stoppedMs).toBeGreaterThanOrEqual(2900); // it waited for the deadline (legacy.timeoutMs + 1 s)...
    expect(stoppedMs).toBeLessThan(15_000); // ...and no longer
    expect((await closed) - started).toBeLessThan(15_000);
  });
});
