import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { parseProm, sumOf } from '../support/prom-text';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { eventually } from '../e2e/fidelity-support';

/**
 * A client that leaves before its response has finished is still one request in
 * `tandem_requests_total`: before any status with `status="closed"`, mid-body with the
 * status it was sent. Before, only finished responses were counted there, so a client
 * giving up on a slow legacy vanished from the request count (on a matched route it was
 * `skipped:client_closed`, on an unmatched one nowhere).
 */
describe('clients that leave before their response finished', () => {
  let legacy: http.Server;
  let tandem: TestTandem;
  const held: http.ServerResponse[] = [];
  beforeAll(async () => {
    legacy = http.createServer((req, res) => {
      req.resume();
      held.push(res);
      // /half/...: a status and part of the body, then nothing.
      if (req.url?.includes('/half')) res.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' }).write('{"half":');
    });
    await new Promise<void>((r) => legacy.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(legacy.address() as AddressInfo).port}`;
    tandem = await startTestTandem({ legacy: { url }, candidate: { url }, routes: [{ name: 't', match: 'GET /t/*' }] });
  });
  afterAll(async () => {
    await tandem?.stop();
    legacy?.closeAllConnections();
    await new Promise((r) => legacy?.close(r));
  });

  /** Send a GET and close the connection once `after` is seen in the reply (or at once when empty). */
  const leave = (path: string, after: string) =>
    new Promise<void>((done) => {
      const u = new URL(tandem.url);
      const c = net.connect(Number(u.port), u.hostname, () => {
        c.write(`GET ${path} HTTP/1.1\r\nHost: shop.example\r\n\r\n`);
        if (!after) setTimeout(() => c.destroy(), 100);
      });
      let seen = '';
      c.on('data', (d: Buffer) => {
        seen += d.toString('latin1');
        if (after && seen.includes(after)) c.destroy();
      });
      c.on('close', () => done());
    });
  const requests = async (labels: Record<string, string>) =>
    sumOf(parseProm(await (await fetch(`${tandem.opsUrl}/metrics`)).text()), 'tandem_requests_total', labels);

  it('counts one before any status as closed, matched or not', async () => {
    await leave('/t/wait', '');
    await leave('/elsewhere', '');
    expect(await eventually(async () => (await requests({ route: 't', status: 'closed' })) === 1)).toBe(true);
    expect(await eventually(async () => (await requests({ route: '(unmatched)', status: 'closed' })) === 1)).toBe(true);
  });

  it('counts one that left mid-body with the status it was sent', async () => {
    await leave('/t/half', '{"half":');
    expect(await eventually(async () => (await requests({ route: 't', status: '2xx' })) === 1)).toBe(true);
    expect(await requests({ route: 't', status: 'closed' })).toBe(1);
  });
});
