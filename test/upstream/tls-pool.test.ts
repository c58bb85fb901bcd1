import type { RequestRecord } from '../../src/records';
import { closeUpstream, createUpstream, sendRequest, type SendOutcome, type Upstream } from '../../src/upstream';
import { startRawTlsServer, writeEndlessly } from '../support/tls-server';

/**
 * An `https:` candidate is read by the same strict, bounded reader as an `http:` one (its
 * connection pool over TLS), not by Node's client, which parses interim heads and chunk
 * framing without bound until the candidate's timeout, on the proxy's event loop. Its
 * certificate is verified as Node's client verifies it.
 */
const upstreams: Upstream[] = [];
afterEach(() => upstreams.splice(0).forEach(closeUpstream));

/** An upstream trusting `ca` (the test server's self-signed certificate) or, without it, what Node trusts. */
const upstream = (url: string, ca?: string) => {
  const up = createUpstream(url, { timeoutMs: 10_000, maxBodyBytes: 1024 * 1024, maxSockets: 1, ca });
  upstreams.push(up);
  return up;
};

const get: RequestRecord = { method: 'GET', path: '/p', query: {}, rawQuery: '', headers: { host: 'shop.example' }, body: null };

const seen = (o: SendOutcome) =>
  'error' in o ? { error: o.error.kind, message: o.error.message } : { status: o.response.status, body: o.response.body?.data };

describe('an https candidate', () => {
  it('is answered over a kept-alive TLS connection, its certificate verified', async () => {
    const srv = await startRawTlsServer((_head, s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'));
    // Self-signed: refused, as Node's https client refuses it (nothing sent).
    expect(seen(await sendRequest(upstream(srv.url), get))).toMatchObject({
      error: 'protocol',
      message: expect.stringMatching(/SELF_SIGNED/),
    });
    const up = upstream(srv.url, srv.cert);
    const outs = [await sendRequest(up, get), await sendRequest(up, get)];
    expect(outs.map(seen)).toEqual([
      { status: 200, body: '{}' },
      { status: 200, body: '{}' },
    ]);
    expect(up.pool?.size).toBe(1);
    await srv.close();
  });

  // What no body cap counts, streamed until the timeout (see the connection pool's suite for plain http).
  const endless: Record<string, { head: string; unit: string }> = {
    'interim (103) answers without end': { head: '', unit: 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' },
    '1-byte chunks with 1 KB extensions': {
      head: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      unit: `1;${'e'.repeat(1000)}\r\nx\r\n`,
    },
  };
  it.each(Object.keys(endless))('stops reading %s as a protocol error, not at the timeout', async (name) => {
    const srv = await startRawTlsServer((_head, s) => writeEndlessly(s, endless[name].head, endless[name].unit));
    const out = await sendRequest(upstream(srv.url, srv.cert), get);
    // Node's client read on until the 10 s timeout: `timeout`.
    expect(seen(out)).toMatchObject({
      error: 'protocol',
      message: expect.stringMatching(/^HPE_(HEADER_OVERFLOW|CHUNK_EXTENSIONS_OVERFLOW): /),
    });
    await srv.close();
  });
});
