import { closeUpstream, createUpstream, sendRequest, type Upstream } from '../../src/upstream';
import type { RequestRecord } from '../../src/records';
import { spawnChild, type Child } from '../support/processes';

// A candidate in another process, so it answers while this process's event loop is held.
const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('{"ok":true}')); });
s.listen(0, '127.0.0.1', () => console.log('port=' + s.address().port));
`;

const get: RequestRecord = { method: 'GET', path: '/item', query: {}, rawQuery: '', headers: { host: 'x' }, body: null };

/** Hold the event loop, as a burst of CPU work or a long GC pause does. */
function holdLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('a response that arrived in time while the event loop ran late', () => {
  let server: Child;
  let url: string;
  beforeAll(async () => {
    server = spawnChild(process.execPath, ['-e', SERVER]);
    url = `http://127.0.0.1:${/port=(\d+)/.exec(await server.waitForOutput(/port=\d+/))![1]}`;
  });
  afterAll(async () => {
    server.kill('SIGKILL');
    await server.exited;
  });

  const clients: [string, (u: Upstream) => Upstream][] = [
    ['the connection pool', (u) => u],
    ["Node's client", (u) => ({ ...u, pool: undefined })],
  ];
  it.each(clients)('is a response, not a timeout, through %s', async (_name, pick) => {
    const up = pick(createUpstream(url, { timeoutMs: 50, maxBodyBytes: 1024, maxSockets: 1 }));
    try {
      // A warm keep-alive connection: the request is written at once. The candidate's first
      // answers (a cold process, a loaded machine) may take longer than 50 ms: warm it until one is in time.
      let warm = await sendRequest(up, get);
      for (let i = 0; i < 20 && !('response' in warm); i++) warm = await sendRequest(up, get);
      expect(warm).toHaveProperty('response.status', 200);
      const outcome = sendRequest(up, get);
      // The candidate answers within a millisecond or two; this process looks only after 300 ms,
      // when the 50 ms timer is overdue too. Its reply waits in the socket: it was in time.
      await new Promise<void>((r) => setImmediate(r));
      holdLoop(300);
      const o = await outcome;
      expect(o).toHaveProperty('response.status', 200);
      expect(o).not.toHaveProperty('error');
    } finally {
      closeUpstream(up);
    }
  });

  it('is still a timeout when the candidate has not answered', async () => {
    const up = createUpstream(url, { timeoutMs: 50, maxBodyBytes: 1024, maxSockets: 1 });
    try {
      server.proc.kill('SIGSTOP');
      const o = await sendRequest(up, get);
      expect(o).toHaveProperty('error.kind', 'timeout');
    } finally {
      server.proc.kill('SIGCONT');
      closeUpstream(up);
    }
  });
});
