import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TandemServer } from '../../src/ingress';
import { startBackend, type TestBackend } from '../support/backends';
import { killAll, startTandemProcess, startWorkerProcess, tempDir, writeConfig, type Child } from '../support/processes';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from '../support/redis';
import { request } from '../support/tandem';
import { waitUntil } from './helpers/load';
import { readState } from './helpers/store-state';
import { dumpPrefix } from './helpers/dump-prefix';
import { startQueueingIngress, stopWorkerRig, workerFaultConfig } from './helpers/worker-rig';

/** JSON nesting `depth` arrays: about 2 bytes a level. */
const deepJson = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/** Sum of a route's result classes (each compared exchange ends in exactly one). */
const classes = (c: Record<string, number>) =>
  ['match', 'mismatch', 'noise_only', 'candidate_error', 'translation_error', 'unparseable', 'too_large'].reduce(
    (n, k) => n + (c[k] ?? 0),
    0,
  );

describe('hostile input against a real `tandem serve` (in-process worker)', () => {
  const prefix = uniquePrefix('hostile');
  const dir = tempDir('hostile');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: { child: Child; url: string };
  const state = (route: string) => readState(TEST_REDIS_URL, prefix, route);

  beforeAll(async () => {
    const answer = (r: { url: string }) => (r.url.startsWith('/deep/') ? { raw: deepJson(5000) } : { body: { ok: true, url: r.url } });
    legacy = await startBackend(answer);
    candidate = await startBackend(answer);
    const config = writeConfig(dir.path, {
      listen: { port: 0, host: '127.0.0.1' },
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      redis: { url: TEST_REDIS_URL, prefix },
      report: { token: 'hostile-token-0123456789' },
      redact: { bodyPaths: ['**.password'] },
      routes: [
        { name: 'things', match: 'GET /things/:id' },
        { name: 'deep', match: 'GET /deep/:id' },
        { name: 'ids', match: 'GET /ids/:id' },
        { name: 'fanout', match: 'GET /fanout/:id' },
      ],
    });
    tandem = await startTandemProcess(config);
  });
  afterAll(async () => {
    await killAll();
    await Promise.all([legacy?.close(), candidate?.close()]);
    await deletePrefix(prefix);
    dir.remove();
  });

  it('(1) survives a request body and a legacy response nesting 5,000 levels deep, and counts both exchanges', async () => {
    const deepBody = await request(`${tandem.url}/things/1`, {
      headers: { 'content-type': 'application/json', 'content-length': String(deepJson(5000).length) },
      body: deepJson(5000),
    });
    expect([deepBody.status, deepBody.body.toString().slice(0, 200)]).toEqual([200, expect.anything()]);
    expect(JSON.parse(deepBody.body.toString())).toEqual({ ok: true, url: '/things/1' });
    const deepAnswer = await request(`${tandem.url}/deep/1`);
    expect(deepAnswer.status).toBe(200);
    expect(deepAnswer.body.toString()).toBe(deepJson(5000));
    // Still serving, still comparing.
    expect((await request(`${tandem.url}/things/2`)).status).toBe(200);
    // Every exchange ends in exactly one counter: a result class, or a drop with its reason.
    const ended = (c: Record<string, number>) =>
      classes(c) +
      Object.entries(c)
        .filter(([k]) => k.startsWith('dropped:'))
        .reduce((n, [, v]) => n + v, 0);
    const things = await waitUntil(
      () => state('things'),
      (s) => s.counters.shadowed === 2 && ended(s.counters) === 2,
      15_000,
    );
    expect(things.counters).toMatchObject({ seen: 2, shadowed: 2 });
    const deep = await waitUntil(
      () => state('deep'),
      (s) => s.counters.shadowed === 1 && ended(s.counters) === 1,
      15_000,
    );
    expect(deep.counters).toMatchObject({ seen: 1, shadowed: 1 });
    expect(tandem.child.proc.exitCode).toBeNull();
  });

  it('(3) stores and passes on an x-request-id with ":" but never keys on it: later exchanges are still compared', async () => {
    const evil = 'evil:id'; // BullMQ refuses job ids with one ':'
    expect((await request(`${tandem.url}/ids/1`, { headers: { 'x-request-id': evil } })).status).toBe(200);
    for (let i = 2; i <= 5; i++) expect((await request(`${tandem.url}/ids/${i}`)).status).toBe(200);
    const s = await waitUntil(
      () => state('ids'),
      (x) => x.counters.compared === 5 && x.counters.shadowed === 5,
      15_000,
    );
    expect(s.counters).toMatchObject({ seen: 5, shadowed: 5, compared: 5, match: 5 });
    expect(s.pending).toBe(0);
    expect(candidate.seen.find((r) => r.url === '/ids/1')?.headers['x-request-id']).toBe(evil);
  });

  it('(4) concurrent requests sharing one x-request-id each end in exactly one counter', async () => {
    const n = 60;
    const answers = await Promise.all(
      Array.from({ length: n }, (_, i) => request(`${tandem.url}/fanout/${i}`, { headers: { 'x-request-id': 'shared-correlation-id' } })),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const s = await waitUntil(
      () => state('fanout'),
      (x) => x.counters.shadowed === n && x.counters.compared === n,
      20_000,
    );
    expect(s.counters).toMatchObject({ seen: n, shadowed: n, compared: n, match: n });
    expect(classes(s.counters)).toBe(n);
  });
});

/** A response translator that returns a body nesting 20,000 levels when the candidate's says `poison`. */
const POISON_TRANSLATOR = `module.exports = {
  name: 'poison',
  response: (res) => {
    if (res.body && res.body.boom) throw new Error('boom at the response stage');
    if (!res.body || !res.body.poison) return res;
    let deep = 1;
    for (let i = 0; i < 20000; i++) deep = [deep];
    return { ...res, body: deep };
  },
};`;

describe('(5) a poison exchange in a pack', () => {
  const prefix = uniquePrefix('poison');
  const dir = tempDir('poison');
  let legacy: TestBackend;
  let candidate: TestBackend;
  let tandem: TandemServer;
  let configFile: string;

  beforeAll(async () => {
    legacy = await startBackend((r) => ({ body: { url: r.url } }));
    candidate = await startBackend((r) => ({ body: { url: r.url, poison: r.url === '/p/5', boom: r.url === '/p/7' } }));
    writeFileSync(join(dir.path, 'poison.js'), POISON_TRANSLATOR);
    const config = workerFaultConfig(
      { legacy: legacy.url, candidate: candidate.url, prefix },
      {
        queue: { lingerMs: 1000 }, // the eleven exchanges go as one pack
        translators: [join(dir.path, 'poison.js')],
        routes: [{ name: 'p', match: 'GET /p/:id', translator: 'poison' }],
      },
    );
    ({ tandem, configFile } = await startQueueingIngress(dir.path, config));
  });
  afterAll(() => stopWorkerRig({ tandem, backends: [legacy, candidate], prefix, dir }));

  it('is isolated and counted once as a classified result; its neighbours are compared; a response-stage error keeps its message', async () => {
    const n = 11;
    await Promise.all(Array.from({ length: n }, (_, i) => request(`${tandem.url}/p/${i}`)));
    await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'p'),
      (s) => s.pendingExchanges === n,
      10_000,
    );
    const worker = await startWorkerProcess(configFile);
    const s = await waitUntil(
      () => readState(TEST_REDIS_URL, prefix, 'p'),
      (x) => x.pending === 0 && (x.counters.compared ?? 0) + (x.counters['dropped:job_failed'] ?? 0) >= n,
      30_000,
    );
    worker.kill('SIGTERM');
    await worker.exited;
    expect(s.counters.compared).toBe(n);
    expect(s.counters.match).toBe(n - 2);
    // The poison ends in one class of its own (`unparseable` "comparison failed: ...", or whatever caught it first), the throwing translator in translation_error.
    expect(s.counters.translation_error).toBeGreaterThanOrEqual(1);
    expect(classes(s.counters)).toBe(n);
    expect(s.counters['dropped:job_failed']).toBeUndefined();
    expect(s.failed).toBe(0);
    // (8) The response translator's message is stored with the exchange, as a request translator's is.
    const stored = (await dumpPrefix(TEST_REDIS_URL, prefix)).text;
    expect(stored).toMatch(/translationError\W+stage\W+response\W+message\W+translator \W+poison\W+ threw: boom at the response stage/);
  });
});
