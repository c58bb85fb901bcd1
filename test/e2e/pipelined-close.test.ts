import http from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { startTestTandem, type TestTandem } from '../support/tandem';

/**
 * Every accepted exchange ends in exactly one counter, pipelined ones too. A client that
 * pipelines requests (HTTP/1.1) and hangs up before the answers: Node queues the second
 * and later responses without a socket and, when the connection closes, never closes them
 * (no `close`, no `finish`). Those exchanges were `seen` and nothing else.
 */
describe('pipelined requests whose client hangs up', () => {
  let tandem: TestTandem;
  let legacy: http.Server;
  const held: http.ServerResponse[] = [];

  beforeAll(async () => {
    // Legacy holds every answer until the test releases them.
    legacy = http.createServer((req, res) => {
      req.resume();
      held.push(res);
    });
    await new Promise<void>((r) => legacy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(legacy.address() as AddressInfo).port}`;
    tandem = await startTestTandem({
      legacy: { url },
      candidate: { url },
      queue: { lingerMs: 0 },
      routes: [{ name: 'p', match: 'GET /p/*' }],
    });
  });
  afterAll(async () => {
    await tandem?.stop();
    legacy?.closeAllConnections();
    await new Promise((r) => legacy?.close(r));
  });

  it('counts each as skipped:client_closed once', async () => {
    const u = new URL(tandem.url);
    const socket = connect(Number(u.port), u.hostname);
    await new Promise((r) => socket.once('connect', r));
    socket.write([1, 2, 3, 4].map((i) => `GET /p/${i} HTTP/1.1\r\nHost: shop.example\r\n\r\n`).join(''));
    // All four reached legacy (Node parses pipelined requests at once and the proxy relays each).
    await tandem.waitFor(async () => held.length === 4);
    socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

    const counters = await tandem
      .waitFor(async () => {
        const c = await tandem.counters('p');
        return (c['skipped:client_closed'] ?? 0) + (c.shadowed ?? 0) === 4 && c;
      })
      .catch(async () => tandem.counters('p'));
    expect(counters).toMatchObject({ seen: 4, 'skipped:client_closed': 4 });
    expect(counters.shadowed).toBeUndefined();
  });
});
