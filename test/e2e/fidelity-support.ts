import http from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { startTestTandem, type TestTandem } from '../support/tandem';

/** Header lines as `[name, value]` pairs, exactly as they crossed the wire (casing, order, repeats). */
export type Pairs = [string, string][];

/** One request as a recording backend received it. */
export interface Received {
  method: string;
  /** The request target, raw. */
  url: string;
  headers: Pairs;
  body: Buffer;
  /** The chunked body's trailer lines as received (Node's `rawTrailers`), `[]` when none. */
  trailers: Pairs;
}

/** A reply: status, header lines (sent as given) and body. */
export interface RawReply {
  status?: number;
  headers?: Pairs;
  body?: string;
}

/** A real HTTP server on 127.0.0.1 recording exactly what it receives. */
export interface Recorder {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export const pairs = (raw: readonly string[]): Pairs => {
  const out: Pairs = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
};

export const flat = (p: Pairs): string[] => p.flat();

/** The pairs without the named headers (any case). */
export const without = (p: Pairs, names: string[]): Pairs => p.filter(([n]) => !names.includes(n.toLowerCase()));

/** The first value of a header (any case). */
export const valueOf = (p: Pairs, name: string): string | undefined => p.find(([n]) => n.toLowerCase() === name)?.[1];

export async function startRecorder(reply: (r: Received) => RawReply = () => ({})): Promise<Recorder> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: pairs(req.rawHeaders),
        body: Buffer.concat(chunks),
        trailers: pairs(req.rawTrailers),
      };
      received.push(r);
      const out = reply(r);
      const body = out.body ?? '{"ok":true}';
      const headers = out.headers ?? [
        ['Content-Type', 'application/json'],
        ['ETag', '"v1"'],
        ['X-Powered-By', 'recorder'],
      ];
      res.writeHead(out.status ?? 200, flat([...headers, ['Content-Length', String(Buffer.byteLength(body))]]));
      res.end(body);
    });
  });
  // Every header line as it crossed the wire: Node's own server keeps only about the first 1,000.
  server.maxHeadersCount = 0;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/**
 * Send exactly these header lines (casing, order) and body; with `expect`, the
 * body waits for the `100 Continue` as curl does.
 */
export function sendRaw(
  base: string,
  o: { method: string; path: string; headers: Pairs; body?: Buffer; expect?: boolean },
): Promise<{ status: number; headers: Pairs; body: Buffer }> {
  const u = new URL(base);
  return new Promise((done, fail) => {
    const req = http.request(
      { host: u.hostname, port: u.port, method: o.method, path: o.path, headers: flat(o.headers), agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: pairs(res.rawHeaders), body: Buffer.concat(chunks) }));
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    if (o.expect) {
      req.flushHeaders();
      req.once('continue', () => req.end(o.body));
    } else req.end(o.body);
  });
}

/** Poll until `check` gives a truthy value, or fail after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A recording legacy and candidate with a Tandem in front of them (see `recordedPair`). */
export interface RecordedPair {
  legacy: Recorder;
  candidate: Recorder;
  tandem: TestTandem;
}

/**
 * Within a `describe`: a recording legacy and candidate (each answering with its `reply`)
 * and a Tandem in front of them with one route `t` (`GET /t/*` unless `route` says
 * otherwise) and no linger, started in `beforeAll` and stopped in `afterAll`. The returned
 * object's fields are set once `beforeAll` has run. `legacyUrl` turns the legacy
 * recorder's address into `legacy.url` (a base path, say).
 *
 * @example
 * const p = recordedPair({ route: { match: 'POST /t/*', mirrorWrites: true } });
 * it('...', async () => { await fetch(`${p.tandem.url}/t/x`); expect(p.legacy.received).toHaveLength(1); });
 */
export function recordedPair(
  o: {
    legacy?: (r: Received) => RawReply;
    candidate?: (r: Received) => RawReply;
    route?: { match: string; mirrorWrites?: boolean; phase?: 'shadow' | 'candidate' | 'candidate-only' };
    legacyUrl?: (url: string) => string;
  } = {},
): RecordedPair {
  const p = {} as RecordedPair;
  beforeAll(async () => {
    p.legacy = await startRecorder(o.legacy);
    p.candidate = await startRecorder(o.candidate);
    p.tandem = await startTestTandem({
      legacy: { url: o.legacyUrl ? o.legacyUrl(p.legacy.url) : p.legacy.url },
      candidate: { url: p.candidate.url },
      queue: { lingerMs: 0 },
      routes: [{ name: 't', match: 'GET /t/*', ...o.route }],
    });
  });
  afterAll(async () => {
    await p.tandem?.stop();
    await Promise.all([p.legacy?.close(), p.candidate?.close()]);
  });
  return p;
}

/**
 * Header lines a raw backend answers with, chosen to show a head rebuilt rather than relayed:
 * repeated names apart and in two casings, two challenges, an obs-text byte.
 */
export const ODD_HEAD_LINES = [
  'Vary: Accept',
  'X-Dup: 1',
  'Set-Cookie: a=1',
  'vary: Origin',
  'set-cookie: b=2',
  'WWW-Authenticate: Basic realm="a"',
  'Content-Type: application/json',
  'Www-Authenticate: Bearer',
  'x-dup: 2',
  'X-Obs: v\xe9x',
];

/**
 * A raw TCP backend on 127.0.0.1: for each request head it reads (the text before the blank
 * line, latin1; bodies are not read), it writes what `answer` returns, each string as latin1
 * bytes, so every byte of its answer is chosen. `answer` gets the server's own URL too.
 *
 * @example
 * const legacy = await startRawResponder((head) => `HTTP/1.1 203 Fine By Me\r\n${ODD_HEAD_LINES.join('\r\n')}\r\nContent-Length: 2\r\n\r\n{}`);
 */
export function startRawResponder(answer: (head: string, url: string) => string | string[]): Promise<{ server: Server; url: string }> {
  let url = '';
  const server = createServer((socket) => {
    let got = '';
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      for (let end = got.indexOf('\r\n\r\n'); end >= 0; end = got.indexOf('\r\n\r\n')) {
        const head = got.slice(0, end);
        got = got.slice(end + 4);
        for (const piece of [answer(head, url)].flat()) socket.write(Buffer.from(piece, 'latin1'));
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      done({ server, url });
    }),
  );
}
