import { connect } from 'node:net';
import { TEST_TOKEN } from '../support/tandem';
import { eventually, recordedPair, valueOf, type Pairs, type Received } from './fidelity-support';

/**
 * Connection options are hop-by-hop (RFC 9110 section 7.6.1): a proxy removes the
 * `Connection` header, every field it names, and `Keep-Alive`, `Proxy-Connection` and
 * `TE`, before forwarding a message, in both directions. Raw sockets on the client's
 * side: what each backend and the client get is read line by line.
 */
interface RawReply {
  status: string;
  headers: Pairs;
  body: string;
}

/** Send these exact bytes on a new connection; the response head and body as received (the connection closes). */
function rawRequest(base: string, bytes: string): Promise<RawReply> {
  const u = new URL(base);
  return new Promise((done, fail) => {
    const socket = connect(Number(u.port), u.hostname, () => socket.write(Buffer.from(bytes, 'latin1')));
    let got = Buffer.alloc(0);
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      const text = got.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
      if (end !== -1 && length && text.length >= end + 4 + Number(length[1])) socket.end();
    });
    socket.on('close', () => {
      const text = got.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const [status, ...lines] = text.slice(0, end).split('\r\n');
      done({
        status,
        headers: lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
        body: text.slice(end + 4),
      });
    });
    socket.on('error', fail);
  });
}

const HOP = ['connection', 'x-hop', 'x-hop-two', 'keep-alive', 'proxy-connection', 'te'];
const names = (p: Pairs) => p.map(([n]) => n.toLowerCase());
const legacyReply = () => ({
  headers: [
    ['Content-Type', 'application/json'],
    ['Connection', 'X-Legacy-Hop, keep-alive'],
    ['X-Legacy-Hop', 'legacy secret'],
    ['Keep-Alive', 'timeout=600'],
    ['X-Kept', 'k'],
  ] as Pairs,
});

/** A request whose Connection names two of its fields, with the other hop-by-hop fields. */
const request = (path: string, host: string) =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: X-Hop, close, x-hop-two\r\nX-Hop: secret\r\nX-Kept: 1\r\n` +
  `Keep-Alive: timeout=5\r\nx-hop-two: 2\r\nTE: trailers\r\nProxy-Connection: keep-alive\r\n\r\n`;

function expectNoHopByHop(got: Received): void {
  for (const n of HOP.filter((x) => x !== 'connection')) expect(names(got.headers)).not.toContain(n);
  // Node's client writes its own `Connection: keep-alive` (its pooled socket), never the client's options.
  expect(valueOf(got.headers, 'connection')).toBe('keep-alive');
  expect(valueOf(got.headers, 'x-kept')).toBe('1');
}

describe('Connection options while shadowing (RFC 9110 section 7.6.1)', () => {
  const p = recordedPair({ legacy: legacyReply, candidate: legacyReply });

  it('neither backend gets the client Connection, the fields it names, Keep-Alive, Proxy-Connection or TE; the client gets none of legacy’s, nor its own echoed', async () => {
    const res = await rawRequest(p.tandem.url, request('/t/1', 'shop.example'));
    expect(res.status).toBe('HTTP/1.1 200 OK');
    const legacy = await eventually(() => p.legacy.received.find((r) => r.url === '/t/1'));
    expectNoHopByHop(legacy);
    const shadow = await eventually(() => p.candidate.received.find((r) => r.url === '/t/1'));
    expectNoHopByHop(shadow);
    // Legacy's response: its own connection options stay on its hop; the client asked to close.
    expect(names(res.headers)).not.toContain('x-legacy-hop');
    expect(names(res.headers)).not.toContain('keep-alive');
    expect(res.headers.filter(([n]) => n.toLowerCase() === 'connection').map(([, v]) => v)).toEqual(['close']);
    expect(valueOf(res.headers, 'x-kept')).toBe('k');
    // The exchange ends in one counter.
    const counters = await eventually(async () => {
      const t = await p.tandem.counters('t');
      return t.compared ? t : undefined;
    });
    expect(counters).toMatchObject({ seen: 1, shadowed: 1, compared: 1 });
    // What is stored and replayed is the request legacy got: no connection options either.
    const [row] = await p.tandem.api<{ exchange: { id: string } }[]>('/routes/t/export?format=json&class=match');
    const replay = await fetch(`${p.tandem.reportUrl}/_tandem/api/exchanges/${encodeURIComponent(row.exchange.id)}/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(replay.status).toBe(200);
    const replayed = p.candidate.received.filter((r) => r.url === '/t/1')[1];
    expect(valueOf(replayed.headers, 'x-tandem-replay')).toBe('1');
    expectNoHopByHop(replayed);
  });
});

describe('Connection options when the candidate serves', () => {
  const p = recordedPair({ legacy: legacyReply, candidate: legacyReply, route: { match: 'GET /t/*', phase: 'candidate' } });

  it('neither backend gets the client’s connection options, the client none of the candidate’s', async () => {
    const res = await rawRequest(p.tandem.url, request('/t/2', 'shop.example'));
    expect(res.status).toBe('HTTP/1.1 200 OK');
    expect(valueOf(res.headers, 'x-served-by')).toBe('candidate');
    const served = await eventually(() => p.candidate.received.find((r) => r.url === '/t/2'));
    expectNoHopByHop(served);
    const legacy = await eventually(() => p.legacy.received.find((r) => r.url === '/t/2'));
    expectNoHopByHop(legacy);
    expect(names(res.headers)).not.toContain('x-legacy-hop');
    expect(names(res.headers)).not.toContain('keep-alive');
    expect(valueOf(res.headers, 'x-kept')).toBe('k');
  });
});
