import net from 'node:net';
import type { RequestRecord } from '../../src/records';
import { bytesBody } from '../../src/records';
import { closeUpstream, createUpstream, sendRequest, type SendOutcome, type Upstream } from '../../src/upstream';
import { writeEndlessly } from '../support/tls-server';

/**
 * Resolves once `check()` holds (checked every 10 ms), or throws after 10 s. What a closed socket
 * does on the other side takes a turn of each side's loop: a fixed 50 ms wait was a bet on a quiet machine.
 */
async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 10_000; !check(); await new Promise((r) => setTimeout(r, 10)))
    if (Date.now() > deadline) throw new Error(`${what}: not within 10 s`);
}

/** A TCP server that records every connection's bytes and answers each request with `answer(n)` (n counts requests). */
async function rawServer(answer: (n: number, socket: net.Socket) => void) {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  let requests = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      // One request per head (and its content-length body).
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buf.slice(0, end);
        const length = /\r\ntransfer-encoding: *chunked/i.test(head)
          ? buf.indexOf('\r\n0\r\n\r\n', end) + 7 - (end + 4)
          : Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (length < 0) return;
        if (buf.length < end + 4 + length) return;
        received.push(buf.slice(0, end + 4 + length));
        buf = buf.slice(end + 4 + length);
        answer(requests++, socket);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    connections: () => connections,
    open: () => sockets.size,
    dropIdle: () => sockets.forEach((s) => s.destroy()),
    close: () => (sockets.forEach((s) => s.destroy()), new Promise<void>((r) => server.close(() => r()))),
  };
}

const upstreams: Upstream[] = [];
/** Two clients of one server: through the connection pool, and through Node's `http.request` (the pool left out). */
function clients(url: string, maxSockets = 4) {
  const pooled = createUpstream(url, { timeoutMs: 2000, maxBodyBytes: 1024, maxSockets });
  const node: Upstream = { ...createUpstream(url, { timeoutMs: 2000, maxBodyBytes: 1024, maxSockets }), pool: undefined };
  upstreams.push(pooled, node);
  expect(pooled.pool).toBeDefined();
  return { pooled, node };
}
afterEach(() => upstreams.splice(0).forEach(closeUpstream));

const rec = (r: Partial<RequestRecord>): RequestRecord => ({
  method: 'GET',
  path: '/p',
  query: {},
  rawQuery: '',
  headers: {},
  body: null,
  ...r,
});

/** What a comparison sees of an outcome. */
function seen(o: SendOutcome) {
  if ('error' in o) return { error: o.error.kind, message: o.error.message };
  const { status, headers, headerNames, body } = o.response;
  return {
    status,
    headers,
    headerNames,
    body: body && { data: body.data, size: body.size, encoding: body.encoding, truncated: body.truncated },
  };
}

describe('the upstream connection pool', () => {
  it("writes the bytes Node's client writes, for bodies, repeated lines and every kind of method", async () => {
    const srv = await rawServer((_n, s) => s.write('HTTP/1.1 204 No Content\r\n\r\n'));
    const { pooled, node } = clients(srv.url);
    const lines = ['Host', 'shop.example', 'X-Forwarded-For', '1.1.1.1', 'x-forwarded-for', '2.2.2.2', 'Accept', '*/*'];
    const headers = { host: 'shop.example', 'x-forwarded-for': '1.1.1.1, 2.2.2.2', accept: '*/*', 'x-request-id': 'r1' };
    const cases: RequestRecord[] = [
      rec({ headers, headerLines: lines, rawQuery: '?a=1&a=%20' }),
      rec({
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        headerLines: lines,
        body: bytesBody(Buffer.from('{"a":"é"}')),
      }),
      rec({ method: 'POST', headers, headerLines: lines }),
      rec({ method: 'PUT', headers: { ...headers, 'content-length': '0' }, headerLines: [...lines, 'Content-Length', '0'] }),
      rec({ method: 'DELETE', headers, headerLines: lines }),
      rec({ method: 'OPTIONS', headers, headerLines: lines }),
      rec({ method: 'HEAD', headers: { host: 'h' } }),
      rec({
        method: 'PATCH',
        headers: { 'transfer-encoding': 'chunked' },
        headerLines: ['Transfer-Encoding', 'chunked'],
        body: bytesBody(Buffer.from('xyz')),
      }),
    ];
    for (const r of cases) {
      const viaNode = await sendRequest(node, r);
      const viaPool = await sendRequest(pooled, r);
      expect(seen(viaPool)).toEqual(seen(viaNode));
      const [a, b] = srv.received.splice(0);
      expect(b).toBe(a);
    }
    await srv.close();
  });

  it("refuses a head Node's client refuses (a value that would split it), sending nothing", async () => {
    const srv = await rawServer((_n, s) => s.write('HTTP/1.1 204 No Content\r\n\r\n'));
    const { pooled, node } = clients(srv.url);
    const bad = rec({ headers: { 'x-a': 'ok\r\nX-Injected: 1' } });
    await expect(sendRequest(node, bad)).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
    await expect(sendRequest(pooled, bad)).rejects.toMatchObject({ code: 'ERR_INVALID_CHAR' });
    await expect(sendRequest(pooled, rec({ path: '/a b' }))).rejects.toMatchObject({ code: 'ERR_UNESCAPED_CHARACTERS' });
    expect(srv.received).toEqual([]);
    await srv.close();
  });

  const answers: Record<string, string> = {
    'content-length': 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}',
    'chunked, extensions and trailers':
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n',
    'repeated lines (set-cookie, first-only, joined)':
      'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nVary: accept\r\nset-cookie: b=2\r\nvary: origin\r\nETag: "1"\r\netag: "2"\r\nX-Sp:   padded \t\r\nContent-Length: 0\r\n\r\n',
    'interim 103 before the answer':
      'HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
    'no content': 'HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n',
    'odd values (blank ends, empty, colons, inner tabs, no space)':
      'HTTP/1.1 200 OK\r\nX-Tabs:\t \ta\t b \t\r\nX-Empty:\r\nX-Blank:  \t \r\nX-Url: http://h:1/p?a=b:c\r\nx-mixed-CASE:v\r\nContent-Length: 0\r\n\r\n',
    'a line without a colon': 'HTTP/1.1 200 OK\r\nX-A: 1\r\nno colon here\r\nContent-Length: 0\r\n\r\n',
    'obs-fold': 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded\r\nContent-Length: 0\r\n\r\n',
    'a space before the colon': 'HTTP/1.1 200 OK\r\nX-A : 1\r\nContent-Length: 0\r\n\r\n',
    'a bare LF in a value': 'HTTP/1.1 200 OK\r\nX-A: 1\nX-B: 2\r\nContent-Length: 0\r\n\r\n',
    'not modified with a length': 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n',
    'delimited by the close': 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end',
    'HTTP/1.0': 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi',
    'Latin-1 and invalid UTF-8': 'HTTP/1.1 200 OK\r\nX-Name: caf\xe9\r\nContent-Length: 4\r\n\r\n\xff\xfe\xfd\xfc',
    'body over the cap': `HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n${'x'.repeat(2000)}`,
    'not HTTP': '\x00\x01garbage that is not HTTP\r\n\r\n',
    'cut mid-body': 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"id":',
    'cut before any byte': '',
    'bad chunk size': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'two lengths': 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    'length and chunked': 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    'head over 16 KB': `HTTP/1.1 200 OK\r\nX-Big: ${'b'.repeat(17 * 1024)}\r\nContent-Length: 0\r\n\r\n`,
  };
  it.each(Object.keys(answers))("reads an answer as Node's client does: %s (whole, then byte by byte)", async (name) => {
    const text = answers[name];
    const closes = /until the end|HTTP\/1.0|not HTTP|mid-body|before any/.test(name) || !/Content-Length|chunked|204|304/.test(text);
    for (const byByte of [false, true]) {
      const srv = await rawServer((_n, s) => {
        const bytes = Buffer.from(text, 'latin1');
        const done = () => (closes ? s.end() : undefined);
        if (!byByte) return void (s.write(bytes), done());
        let i = 0;
        const next = () => (i < bytes.length ? s.write(bytes.subarray(i, ++i), next) : done());
        next();
      });
      const { pooled, node } = clients(srv.url);
      const viaNode = seen(await sendRequest(node, rec({})));
      const viaPool = seen(await sendRequest(pooled, rec({})));
      // Node's parse errors name llhttp's codes; the pool's its own: the kind is what is recorded and compared.
      if ('error' in viaNode && viaNode.error === 'protocol') expect(viaPool).toMatchObject({ error: 'protocol' });
      else expect(viaPool).toEqual(viaNode);
      await srv.close();
    }
  });

  it('reads the body of an answer to HEAD as empty, whatever its length says, and keeps the connection', async () => {
    const srv = await rawServer((_n, s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'));
    const { pooled } = clients(srv.url);
    for (let i = 0; i < 3; i++) expect(seen(await sendRequest(pooled, rec({ method: 'HEAD' })))).toMatchObject({ status: 200, body: null });
    expect(srv.connections()).toBe(1);
    await srv.close();
  });

  it('reuses a connection after a complete answer, not after Connection: close, and opens a new one when the server dropped an idle one', async () => {
    const srv = await rawServer((n, s) =>
      s.write(
        n === 2 ? 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nc' : 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk',
      ),
    );
    const { pooled } = clients(srv.url);
    const bodies: string[] = [];
    const one = async () => {
      const o = await sendRequest(pooled, rec({}));
      bodies.push('response' in o ? o.response.body!.data : o.error.message);
    };
    await one();
    await one();
    expect(srv.connections()).toBe(1);
    await one(); // answered with Connection: close
    await one();
    expect(srv.connections()).toBe(2);
    srv.dropIdle();
    await until(() => pooled.pool!.size === 0, 'the pool let go of the connection the server dropped');
    await one();
    expect(bodies).toEqual(['k', 'k', 'c', 'k', 'k']);
    expect(srv.connections()).toBe(3);
    await srv.close();
  });

  it('opens at most maxSockets connections; more requests wait their turn and all are answered', async () => {
    const srv = await rawServer((_n, s) => setTimeout(() => s.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 5));
    const { pooled } = clients(srv.url, 2);
    const out = await Promise.all(Array.from({ length: 10 }, () => sendRequest(pooled, rec({}))));
    expect(out.map((o) => ('response' in o ? o.response.status : o.error.kind))).toEqual(Array(10).fill(200));
    expect(srv.connections()).toBe(2);
    await srv.close();
  });

  it('times out a request that gets no answer and closes its connection', async () => {
    const srv = await rawServer(() => undefined);
    const up = { ...createUpstream(srv.url, { timeoutMs: 100, maxBodyBytes: 1024, maxSockets: 1 }) };
    upstreams.push(up);
    expect(seen(await sendRequest(up, rec({})))).toMatchObject({ error: 'timeout' });
    await until(() => srv.open() === 0, 'the server saw the timed-out connection closed');
    await srv.close();
  });

  it('never reuses a connection it closed at the cap: an answer over the cap that ends in the same read leaves the next requests a fresh one', async () => {
    // A hostile candidate: its whole over-cap answer (head, body, end) arrives in one read, keep-alive.
    const srv = await rawServer((n, s) => {
      const body = n === 0 ? 'x'.repeat(2000) : 'ok';
      s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    });
    const { pooled } = clients(srv.url, 1);
    expect(seen(await sendRequest(pooled, rec({})))).toMatchObject({ error: 'too_large' });
    const next = [];
    for (let i = 0; i < 3; i++) next.push(seen(await sendRequest(pooled, rec({}))));
    expect(next).toEqual(Array(3).fill(expect.objectContaining({ status: 200 })));
    expect(pooled.pool!.size).toBe(1);
    await srv.close();
  });

  // A hostile candidate streams bytes that no body cap counts, until the timeout, each parsed on the proxy's event loop.
  const endless: Record<string, { head: string; unit: string }> = {
    'interim (103) answers without end': { head: '', unit: 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' },
    '1-byte chunks with 1 KB extensions': {
      head: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      unit: `1;${'e'.repeat(1000)}\r\nx\r\n`,
    },
    '1-byte chunks': { head: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n', unit: '1\r\nx\r\n' },
  };
  it.each(Object.keys(endless))('stops reading %s as a protocol error, long before the timeout', async (name) => {
    const { head, unit } = endless[name];
    const srv = await rawServer((_n, s) => writeEndlessly(s, head, unit));
    // The default cap (1 MB): 1-byte chunks reach it only after 6 MB on the wire and a Buffer per byte; the others never.
    const up = createUpstream(srv.url, { timeoutMs: 10_000, maxBodyBytes: 1024 * 1024, maxSockets: 1 });
    upstreams.push(up);
    expect(seen(await sendRequest(up, rec({})))).toMatchObject({ error: 'protocol' });
    await srv.close();
  });

  it('still reads legitimate interim answers and small chunks', async () => {
    const body = 'ab'.repeat(3000);
    const chunks = body
      .match(/.{1,6}/g)!
      .map((c) => `${c.length.toString(16)}\r\n${c}\r\n`)
      .join('');
    const srv = await rawServer((_n, s) =>
      s.write(
        `${'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n'.repeat(20)}HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`,
      ),
    );
    const up = createUpstream(srv.url, { timeoutMs: 5000, maxBodyBytes: 64 * 1024, maxSockets: 1 });
    upstreams.push(up);
    const out = await sendRequest(up, rec({}));
    expect('response' in out && out.response.body?.size).toBe(6000);
    await srv.close();
  });

  it("closes an idle connection before the server's Keep-Alive timeout closes it, as Node's agent does", async () => {
    // The server announces 2 s and (standing in for its close racing a reused request) kills a connection's second request.
    const srv = await rawServer((n, s) => {
      const mine = ((s as net.Socket & { answered?: number }).answered ??= 0);
      (s as net.Socket & { answered?: number }).answered = mine + 1;
      if (mine > 0) return void s.destroy();
      s.write('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=2\r\nContent-Length: 2\r\n\r\nok');
    });
    const { pooled } = clients(srv.url, 1);
    expect(seen(await sendRequest(pooled, rec({})))).toMatchObject({ status: 200 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(seen(await sendRequest(pooled, rec({})))).toMatchObject({ status: 200 });
    expect(srv.connections()).toBe(2);
    await srv.close();
  });

  it('reports a refused connection as a connect error', async () => {
    const srv = await rawServer(() => undefined);
    const url = srv.url;
    await srv.close();
    const { pooled, node } = clients(url);
    expect(seen(await sendRequest(pooled, rec({})))).toEqual(seen(await sendRequest(node, rec({}))));
    expect(seen(await sendRequest(pooled, rec({})))).toMatchObject({ error: 'connect' });
  });
});
