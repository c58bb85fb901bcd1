import { Writable } from 'node:stream';
import { startServer, type TandemServer } from '../../src/ingress';
import { createLogger } from '../../src/log';
import { startBackend, type SeenRequest, type TestBackend } from '../support/backends';
import { request } from '../support/tandem';
import { deletePrefix, testRedisConfig, uniquePrefix } from '../support/redis';

/**
 * The debug line of a request carries the request id both backends got. A request served by
 * the candidate (phase `candidate`) whose client sent no `x-request-id` got a generated one,
 * sent to legacy and the candidate and stored with the exchange, but its `request served`
 * line had none: nothing in Tandem's log led to the backends' lines.
 */
describe('the request id in the debug log', () => {
  const prefix = uniquePrefix('rid-log');
  const lines: Record<string, unknown>[] = [];
  const seen: { legacy: SeenRequest[]; candidate: SeenRequest[] } = { legacy: [], candidate: [] };
  let legacy: TestBackend;
  let candidate: TestBackend;
  let server: TandemServer;

  beforeAll(async () => {
    legacy = await startBackend((req) => (seen.legacy.push(req), { body: { id: 1 } }));
    candidate = await startBackend((req) => (seen.candidate.push(req), { body: { id: 1 } }));
    const sink = new Writable({
      write: (c, _e, done) => {
        for (const l of String(c).split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    server = await startServer(
      {
        listen: { port: 0, host: '127.0.0.1' },
        legacy: { url: legacy.url },
        candidate: { url: candidate.url },
        redis: { ...testRedisConfig(), prefix },
        report: { token: 'rid-log-token-0123456789abcdef' },
        routes: [
          { name: 'served', match: 'GET /served/:id', phase: 'candidate' },
          { name: 'shadowed', match: 'GET /shadowed/:id' },
        ],
      },
      { log: createLogger('debug', 'tandem', { pretty: false, destination: sink }) },
    );
    await server.middleware.ready;
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([legacy?.close(), candidate?.close()]);
    await deletePrefix(prefix);
  });

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  };

  it.each([
    ['served by the candidate', 'served'],
    ['shadowed', 'shadowed'],
  ])('names the id both backends got for a request %s without x-request-id', async (_what, route) => {
    expect((await request(`${server.url}/${route}/1`)).status).toBe(200);
    const line = () => lines.find((l) => l.msg === 'request served' && l.route === route);
    const got = (b: SeenRequest[]) => b.filter((r) => r.url.includes('/1')).map((r) => r.headers['x-request-id']);
    await until(() => !!line() && got(seen.legacy).includes(line()!.requestId as string) && got(seen.candidate).length > 0);
    const id = line()?.requestId;
    expect(typeof id).toBe('string');
    expect(got(seen.legacy)).toContain(id);
    await until(() => got(seen.candidate).includes(id as string));
    expect(got(seen.candidate)).toContain(id);
  });
});
