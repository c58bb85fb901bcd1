import { eventually, recordedPair, sendRaw, valueOf, type RecordedPair } from './fidelity-support';

/**
 * `X-Forwarded-Port` says which port the client connected to: Tandem's listening port (as
 * nginx's `$server_port`, Envoy and cloud load balancers set it), appended to what an earlier
 * hop wrote, never the port the client wrote in its Host header (a value it chooses, which
 * then reached legacy and the candidate as a forwarded fact). The same on every path.
 */
const forwarded = (p: RecordedPair, side: 'legacy' | 'candidate', url: string) =>
  eventually(() => p[side].received.find((r) => r.url === url)).then((r) => ({
    port: valueOf(r.headers, 'x-forwarded-port'),
    proto: valueOf(r.headers, 'x-forwarded-proto'),
    host: valueOf(r.headers, 'x-forwarded-host'),
  }));

const listening = (p: RecordedPair) => new URL(p.tandem.url).port;

describe.each([['shadow'], ['candidate']] as const)('X-Forwarded-Port, %s phase', (phase) => {
  const p = recordedPair({ route: { match: 'GET /t/*', phase } });

  it("is Tandem's listening port, not the Host header's", async () => {
    await sendRaw(p.tandem.url, { method: 'GET', path: '/t/a', headers: [['Host', 'shop.example:9999']] });
    for (const side of ['legacy', 'candidate'] as const)
      expect(await forwarded(p, side, '/t/a')).toEqual({ port: listening(p), proto: 'http', host: 'shop.example:9999' });
    // A Host without a port: still the port connected to (http-proxy wrote 80).
    await sendRaw(p.tandem.url, { method: 'GET', path: '/t/b', headers: [['Host', 'shop.example']] });
    for (const side of ['legacy', 'candidate'] as const) expect((await forwarded(p, side, '/t/b')).port).toBe(listening(p));
  });

  it("is appended to an earlier hop's", async () => {
    await sendRaw(p.tandem.url, {
      method: 'GET',
      path: '/t/c',
      headers: [
        ['Host', 'shop.example'],
        ['X-Forwarded-Port', '443'],
        ['X-Forwarded-Proto', 'https'],
      ],
    });
    for (const side of ['legacy', 'candidate'] as const)
      expect(await forwarded(p, side, '/t/c')).toEqual({ port: `443,${listening(p)}`, proto: 'https,http', host: 'shop.example' });
  });
});
