import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestTandem, type TestTandem } from '../support/tandem';
import { writeTranslatorModule, type TranslatorModule } from '../support/translator-module';
import { eventually, startRecorder, valueOf, type Recorder } from './fidelity-support';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Send `body` with `Transfer-Encoding: chunked` (no Content-Length), in 4 KB writes.
 * Node frames a GET, HEAD, DELETE or OPTIONS body only when the header is set: without
 * it, `end(body)` writes the bytes after the head with no framing at all (see the last tests).
 */
function sendChunked(base: string, method: string, path: string, body: Buffer): Promise<{ status: number; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = http.request(
      `${base}${path}`,
      { method, agent: false, headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', fail);
    for (let at = 0; at < body.length; at += 4096) req.write(body.subarray(at, at + 4096));
    req.end();
  });
}

/** What a client got: a status, or the error its connection ended with. */
function outcome(url: string, send: (req: http.ClientRequest) => void): Promise<{ status?: number; error?: string }> {
  return new Promise((done) => {
    const req = http.request(url, { method: 'GET', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode }));
      res.on('error', (e: Error) => done({ error: e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ error: e.code ?? e.message }));
    send(req);
  });
}

/**
 * Request bodies sent with `Transfer-Encoding: chunked` (no Content-Length), through a
 * real `tandem serve` (in process) to recording legacy and candidate servers: every
 * method, on a shadowed route, on a route with a request translator, on no route, and
 * over `capture.maxBodyBytes`. And every exchange accepted on a route ends in exactly one
 * counter, also when the client's connection closes before legacy's answer reached it.
 */
describe('chunked request bodies through tandem serve', () => {
  const cap = 64 * 1024;
  const body = Buffer.from(JSON.stringify({ filler: 'x'.repeat(40 * 1024) }));
  const overCap = Buffer.from(JSON.stringify({ filler: 'y'.repeat(2 * cap) }));
  let translator: TranslatorModule;
  // HEAD first: a GET route takes HEAD requests too (first match wins).
  const METHODS = ['HEAD', 'GET', 'OPTIONS', 'DELETE', 'POST', 'PUT', 'PATCH'];
  let legacy: Recorder;
  let candidate: Recorder;
  let slow: http.Server;
  let slowUrl = '';
  let t: TestTandem;
  let slowTandem: TestTandem;
  const held: http.ServerResponse[] = [];
  /** Request bodies the early-answering legacy read to their end, by URL. */
  const early = new Map<string, Buffer>();

  beforeAll(async () => {
    legacy = await startRecorder();
    // The candidate fails /fallback-half/*, so the candidate phase falls back to legacy there.
    candidate = await startRecorder((r) => (r.url.startsWith('/fallback-half/') ? { status: 500 } : {}));
    // A legacy that answers only when the test says so: headers and half a body, or nothing yet.
    slow = http.createServer((req, res) => {
      req.resume();
      // /early/*: answered at once, before the request body has arrived (as a handler that ignores the body does).
      if (req.url?.startsWith('/early')) {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => early.set(req.url ?? '', Buffer.concat(chunks)));
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"early":true}');
      }
      if (req.url?.includes('half/')) res.writeHead(200, { 'content-type': 'application/json', 'content-length': '20' }).write('{"half":');
      held.push(res);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    translator = writeTranslatorModule(
      `module.exports = { name: 'mark', request: (r) => ({ ...r, headers: { ...r.headers, 'x-translated': 'yes' } }) };\n`,
    );
    t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      capture: { maxBodyBytes: cap },
      translators: [translator.path],
      worker: { threads: 0 },
      routes: [
        ...METHODS.map((m) => ({ name: `plain-${m}`, match: `${m} /plain/:id`, mirrorWrites: true })),
        ...METHODS.map((m) => ({ name: `translated-${m}`, match: `${m} /translated/:id`, mirrorWrites: true, translator: 'mark' })),
        { name: 'big', match: 'POST /big/:id', mirrorWrites: true },
        { name: 'big-get', match: 'GET /big/:id' },
        { name: 'items', match: 'GET /items/:id' },
        { name: 'served', match: 'POST /served/:id', mirrorWrites: true, phase: 'candidate', translator: 'mark' },
      ],
    });
    slowTandem = await startTestTandem({
      legacy: { url: slowUrl, timeoutMs: 20_000 },
      candidate: { url: candidate.url },
      worker: { threads: 0 },
      routes: [
        { name: 'hold', match: 'GET /hold/:id' },
        { name: 'half', match: 'GET /half/:id' },
        { name: 'gone', match: 'POST /gone/:id', phase: 'candidate', mirrorWrites: true },
        { name: 'fallback-half', match: 'GET /fallback-half/:id', phase: 'candidate' },
        { name: 'early', match: 'GET /early/:id' },
      ],
    });
  }, 60_000);

  afterAll(async () => {
    for (const res of held) res.destroy();
    await Promise.all([t?.stop(), slowTandem?.stop()]);
    slow?.closeAllConnections();
    await new Promise((r) => slow?.close(r));
    await Promise.all([legacy?.close(), candidate?.close()]);
    translator?.remove();
  });

  const at = (r: Recorder, method: string, url: string) => r.received.filter((x) => x.method === method && x.url === url);

  it.each(
    METHODS.flatMap((m) => [
      [m, 'plain'],
      [m, 'translated'],
    ]),
  )('relays a chunked %s body on a %s route to legacy as sent and to the candidate, and compares it', async (method, kind) => {
    const path = `/${kind}/${method.toLowerCase()}`;
    const res = await sendChunked(t.url, method, path, body);
    expect(res.status).toBe(200);
    const [toLegacy] = at(legacy, method, path);
    expect(toLegacy.body.length).toBe(body.length);
    expect(sha256(toLegacy.body)).toBe(sha256(body));
    expect(valueOf(toLegacy.headers, 'transfer-encoding')).toBe('chunked');
    expect(valueOf(toLegacy.headers, 'content-length')).toBeUndefined();
    const [toCandidate] = await eventually(() => at(candidate, method, path).length > 0 && at(candidate, method, path));
    expect(sha256(toCandidate.body)).toBe(sha256(body));
    expect(valueOf(toCandidate.headers, 'x-translated')).toBe(kind === 'translated' ? 'yes' : undefined);
    const c = await eventually(async () => {
      const now = await t.counters(`${kind}-${method}`);
      return now.compared === 1 && now;
    });
    expect(c).toMatchObject({ seen: 1, shadowed: 1, compared: 1 });
  });

  it.each(METHODS)('relays a chunked %s body on no route to legacy as sent', async (method) => {
    const path = `/unrouted/${method.toLowerCase()}`;
    expect((await sendChunked(t.url, method, path, body)).status).toBe(200);
    const [toLegacy] = at(legacy, method, path);
    expect(sha256(toLegacy.body)).toBe(sha256(body));
    expect(valueOf(toLegacy.headers, 'transfer-encoding')).toBe('chunked');
  });

  it.each([
    ['POST', 'big'],
    ['GET', 'big-get'],
  ])('streams a chunked %s body over capture.maxBodyBytes to legacy whole and records it as too_large', async (method, route) => {
    const path = `/big/${method.toLowerCase()}`;
    expect((await sendChunked(t.url, method, path, overCap)).status).toBe(200);
    const [toLegacy] = at(legacy, method, path);
    expect(toLegacy.body.length).toBe(overCap.length);
    expect(sha256(toLegacy.body)).toBe(sha256(overCap));
    expect(valueOf(toLegacy.headers, 'transfer-encoding')).toBe('chunked');
    const c = await eventually(async () => {
      const now = await t.counters(route);
      return now.compared === 1 && now;
    });
    expect(c).toMatchObject({ seen: 1, compared: 1, too_large: 1 });
    expect(at(candidate, method, path)).toHaveLength(0);
  });

  it('in the candidate phase, gives a chunked body to the candidate and to legacy whole, under the cap and over it', async () => {
    expect((await sendChunked(t.url, 'POST', '/served/1', body)).status).toBe(200);
    expect(sha256(at(candidate, 'POST', '/served/1')[0].body)).toBe(sha256(body));
    expect(valueOf(at(candidate, 'POST', '/served/1')[0].headers, 'x-translated')).toBe('yes');
    const [toLegacy] = await eventually(() => at(legacy, 'POST', '/served/1').length > 0 && at(legacy, 'POST', '/served/1'));
    expect(sha256(toLegacy.body)).toBe(sha256(body));
    // Over the cap it cannot be translated: streamed to legacy as sent, counted skipped:too_large.
    expect((await sendChunked(t.url, 'POST', '/served/2', overCap)).status).toBe(200);
    expect(sha256(at(legacy, 'POST', '/served/2')[0].body)).toBe(sha256(overCap));
    expect(valueOf(at(legacy, 'POST', '/served/2')[0].headers, 'transfer-encoding')).toBe('chunked');
    expect(at(candidate, 'POST', '/served/2')).toHaveLength(0);
    const c = await eventually(async () => {
      const now = await t.counters('served');
      return now.compared === 1 && now;
    });
    expect(c).toMatchObject({ seen: 2, shadowed: 1, compared: 1, 'skipped:too_large': 1 });
  });

  it('a GET whose body has neither Content-Length nor Transfer-Encoding: legacy sees what it would directly, and the exchange ends in skipped:client_closed', async () => {
    // Node's `http.request(url, { headers: { 'content-type': ... } }).end(body)` on a GET writes the body
    // unframed: by RFC 9112 section 6.3 the request has no body, and the bytes after it are not HTTP.
    const direct = await outcome(`${legacy.url}/items/direct`, (req) => req.end(body));
    const through = await outcome(`${t.url}/items/a`, (req) => req.end(body));
    expect(through).toEqual(direct);
    // (the client may have its answer before legacy has the request)
    const [toLegacy] = await eventually(() => at(legacy, 'GET', '/items/a').length > 0 && at(legacy, 'GET', '/items/a'));
    expect(toLegacy.body.length).toBe(at(legacy, 'GET', '/items/direct')[0].body.length);
    const c = await eventually(async () => {
      const now = await t.counters('items');
      return now['skipped:client_closed'] === 1 && now;
    });
    expect(c).toEqual({ seen: 1, 'skipped:client_closed': 1 });
  });

  it('counts an exchange whose client hangs up before legacy answers, or halfway through its answer, as skipped:client_closed, once', async () => {
    for (const [route, url] of [
      ['hold', '/hold/1'],
      ['half', '/half/1'],
    ]) {
      const before = held.length;
      const req = http.request(`${slowTandem.url}${url}`, { agent: false });
      req.on('error', () => undefined);
      const head = new Promise((r) => req.once('response', (res: http.IncomingMessage) => (res.on('error', () => undefined), r(res))));
      req.end();
      // Once legacy holds the request (and, for /half, the client has the head), the client goes away.
      await eventually(() => held.length > before);
      if (route === 'half') await head;
      req.destroy();
      const c = await eventually(async () => {
        const now = await slowTandem.counters(route);
        return now['skipped:client_closed'] === 1 && now;
      });
      // Legacy finishing its answer afterwards changes nothing.
      held[before].end(route === 'half' ? '"yes","x":1}' : '{"late":true}');
      await new Promise((r) => setTimeout(r, 200));
      expect(await slowTandem.counters(route)).toEqual(c);
      expect(c).toEqual({ seen: 1, 'skipped:client_closed': 1 });
    }
  });

  it("in the candidate phase, counts a client that hangs up mid-body, or halfway through legacy's fallback answer, as skipped:client_closed", async () => {
    const req = http.request(`${slowTandem.url}/gone/1`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => undefined);
    req.write('{"filler":"');
    // Once Tandem has seen the request (and is reading its body), the client goes away.
    await eventually(async () => (await slowTandem.counters('gone')).seen === 1);
    req.destroy();
    const gone = await eventually(async () => {
      const now = await slowTandem.counters('gone');
      return now['skipped:client_closed'] === 1 && now;
    });
    expect(gone).toEqual({ seen: 1, 'skipped:client_closed': 1 });

    const before = held.length;
    const fb = http.request(`${slowTandem.url}/fallback-half/1`, { agent: false });
    fb.on('error', () => undefined);
    const head = new Promise<http.IncomingMessage>((r) =>
      fb.once('response', (res: http.IncomingMessage) => (res.on('error', () => undefined), r(res))),
    );
    fb.end();
    expect((await head).headers['x-served-by']).toBe('legacy-fallback');
    fb.destroy();
    const c = await eventually(async () => {
      const now = await slowTandem.counters('fallback-half');
      return now['skipped:client_closed'] === 1 && now;
    });
    held[before].end('"yes","x":1}');
    await new Promise((r) => setTimeout(r, 200));
    expect(await slowTandem.counters('fallback-half')).toEqual(c);
    expect(c).toMatchObject({ seen: 1, fallback: 1, 'skipped:client_closed': 1 });
    expect(Object.keys(c).filter((k) => k.startsWith('skipped:') || k.startsWith('dropped:') || k === 'shadowed')).toEqual([
      'skipped:client_closed',
    ]);
  });

  it('relays and shadows the whole chunked body when legacy answers before it has all arrived, and counts a client that never finishes it as skipped:client_closed', async () => {
    for (const [path, finish] of [
      ['/early-unrouted/1', true],
      ['/early/1', true],
      ['/early/2', false],
    ] as const) {
      // A kept-alive connection: with `Connection: close` a server hangs up once it has answered, and the rest of the body is lost on any server.
      const agent = new http.Agent({ keepAlive: true });
      const req = http.request(`${slowTandem.url}${path}`, {
        agent,
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      req.on('error', () => undefined);
      const answer = new Promise<{ status?: number; body: string }>((r) =>
        req.once('response', (res: http.IncomingMessage) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => r({ status: res.statusCode, body: text }));
          res.on('error', () => undefined);
        }),
      );
      req.write(body.subarray(0, 4096));
      // Legacy's whole answer reaches the client while most of the body is still to come.
      expect(await answer).toEqual({ status: 200, body: '{"early":true}' });
      if (!finish) {
        req.destroy();
        agent.destroy();
        continue;
      }
      // The rest in one write: more than a socket buffers without asking to wait for 'drain'.
      req.end(body.subarray(4096));
      // Legacy still gets the rest of the body, and its end.
      const atLegacy = await eventually(() => early.get(path));
      agent.destroy();
      expect(sha256(atLegacy)).toBe(sha256(body));
      if (path.startsWith('/early-unrouted/')) continue;
      const [shadow] = await eventually(() => at(candidate, 'GET', path).length > 0 && at(candidate, 'GET', path));
      expect(shadow.body.length).toBe(body.length);
      expect(sha256(shadow.body)).toBe(sha256(body));
    }
    const c = await eventually(async () => {
      const now = await slowTandem.counters('early');
      return now.compared === 1 && now['skipped:client_closed'] === 1 && now;
    });
    expect(c).toMatchObject({ seen: 2, shadowed: 1, compared: 1, 'skipped:client_closed': 1 });
    expect(at(candidate, 'GET', '/early/2')).toHaveLength(0);
  });
});
