import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LosslessNumber } from '../../src/records';
import { revive } from '../../src/runtime/compare-threads';
import { startBackend, type TestBackend } from '../support/backends';
import { tempDir } from '../support/processes';
import { request, startTestTandem, type TestTandem } from '../support/tandem';
import { apiSend } from '../rollout/helpers';

/** A response translator that says on which thread it ran (0 is the process's main thread). */
const WHICH_THREAD = `const { threadId } = require('node:worker_threads');
module.exports = {
  name: 'which-thread',
  request: (req) => ({ ...req, headers: { ...req.headers, 'x-translated-on': 'thread ' + threadId } }),
  response: (res) => ({ ...res, body: { ...res.body, id: 'thread ' + threadId } }),
};`;

/** A response translator that needs far more heap than a comparison thread has, for one id. */
const GREEDY = `module.exports = {
  name: 'greedy',
  timeoutMs: 60000,
  response: (res) => {
    if (res.body.id !== 'greedy') return res;
    const hoard = [];
    for (;;) hoard.push(new Array(1 << 20).fill(hoard.length));
  },
};`;

/** A response translator that never returns, for one id: nothing in its thread can stop it. */
const SPIN = `module.exports = {
  name: 'spin',
  response: (res) => {
    if (res.body.id !== 'spin') return res;
    for (;;);
  },
};`;

/** A translator whose module writes the id of each thread that loads it (each comparison thread loads the config's translators). */
const LOADED_ON = (file: string) => `const { threadId } = require('node:worker_threads');
require('node:fs').appendFileSync(${JSON.stringify(file)}, threadId + '\\n');
module.exports = { name: 'loaded-on', routes: ['claimed'], request: (req) => req };`;

/**
 * `tandem serve`'s in-process worker compares on worker threads (#14: heavy work never
 * runs on the proxy's event loop): translators and diffs run there, results stay exact,
 * and a comparison that exhausts a thread's heap fails alone, counted.
 */
describe('comparisons run off the proxy thread', () => {
  const dir = tempDir('compare-threads');
  let legacy: TestBackend;
  let candidate: TestBackend;
  const started: TestTandem[] = [];

  beforeAll(async () => {
    writeFileSync(join(dir.path, 'which-thread.js'), WHICH_THREAD);
    writeFileSync(join(dir.path, 'greedy.js'), GREEDY);
    writeFileSync(join(dir.path, 'spin.js'), SPIN);
    legacy = await startBackend((r) => ({ raw: `{"id":"${r.url.split('/').pop()}","n":9007199254740993}` }));
    candidate = await startBackend((r) => ({ raw: `{"id":"${r.url.split('/').pop()}","n":9007199254740992}` }));
  });

  afterAll(async () => {
    await Promise.all(started.map((t) => t.stop()));
    await Promise.all([legacy?.close(), candidate?.close()]);
    dir.remove();
  });

  const tandem = async (worker: { threads?: number; threadHeapMb?: number; compareTimeoutMs?: number }, translator: string) => {
    const t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      worker,
      translators: [join(dir.path, `${translator}.js`)],
      routes: [{ name: 'item', match: 'GET /items/:id', translator }],
    });
    started.push(t);
    return t;
  };

  const firstMismatch = async (t: TestTandem) => {
    const page = await t.waitFor(async () => {
      const p = await t.api<{ items: { id: string }[] }>('/routes/item/mismatches');
      return p.items.length > 0 && p;
    });
    return t.api<{ result: { differences: { path: string; legacy?: unknown; candidate?: unknown }[] } }>(`/mismatches/${page.items[0].id}`);
  };

  it('by default, on a worker thread, with big numbers compared exactly', async () => {
    const t = await tandem({}, 'which-thread');
    // a request body of 32 KB or more is translated off the proxy's thread too; a small one on it
    const big = JSON.stringify({ filler: 'x'.repeat(40 * 1024) });
    await request(`${t.url}/items/a`, { headers: { 'content-type': 'application/json', 'content-length': String(big.length) }, body: big });
    const m = await firstMismatch(t);
    const thread = m.result.differences.find((d) => d.path === 'id');
    expect(thread?.candidate).toMatch(/^thread [1-9]\d*$/);
    expect(m.result.differences.find((d) => d.path === 'n')).toMatchObject({ legacy: '9007199254740993', candidate: '9007199254740992' });
    expect(candidate.seen.find((r) => r.url === '/items/a')?.headers['x-translated-on']).toMatch(/^thread [1-9]\d*$/);
    await request(`${t.url}/items/small`);
    await t.waitFor(async () => candidate.seen.some((r) => r.url === '/items/small'));
    expect(candidate.seen.find((r) => r.url === '/items/small')?.headers['x-translated-on']).toBe('thread 0');
  });

  it('in the candidate phase too, a big request body is translated off the proxy thread', async () => {
    const t = await tandem({}, 'which-thread');
    expect((await apiSend(t.reportUrl, 'PUT', '/rollout/routes/item', { phase: 'candidate', force: true })).status).toBe(200);
    const big = JSON.stringify({ filler: 'y'.repeat(40 * 1024) });
    await t.waitFor(async () => {
      const res = await request(`${t.url}/items/served`, {
        headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
        body: big,
      });
      return res.headers['x-served-by'] === 'candidate';
    });
    expect(candidate.seen.filter((r) => r.url === '/items/served').map((r) => r.headers['x-translated-on'])).toContainEqual(
      expect.stringMatching(/^thread [1-9]\d*$/),
    );
  });

  it('on the process thread when worker.threads is 0', async () => {
    const t = await tandem({ threads: 0 }, 'which-thread');
    await request(`${t.url}/items/b`);
    const m = await firstMismatch(t);
    expect(m.result.differences.find((d) => d.path === 'id')?.candidate).toBe('thread 0');
    expect(candidate.seen.find((r) => r.url === '/items/b')?.headers['x-translated-on']).toBe('thread 0');
  });

  it('serve --no-worker starts no thread while no route has a translator: the first task starts it', async () => {
    const loads = join(dir.path, 'loads-1.txt');
    writeFileSync(join(dir.path, 'loaded-on.js'), LOADED_ON(loads));
    const t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      worker: { inProcess: false },
      translators: [join(dir.path, 'loaded-on.js')],
      routes: [{ name: 'item', match: 'GET /items/:id' }],
    });
    started.push(t);
    await request(`${t.url}/items/lazy`);
    await t.waitFor(async () => candidate.seen.some((r) => r.url === '/items/lazy'));
    await new Promise((r) => setTimeout(r, 500));
    expect(readFileSync(loads, 'utf8')).toBe('0\n'); // the process's own thread only
    const request_ = { method: 'GET', path: '/items/x', query: {}, headers: {}, body: null };
    expect(await t.server.middleware.runtime.comparer().translateRequest!('item', request_, { id: 'x' })).toMatchObject({
      path: '/items/x',
    });
    expect(readFileSync(loads, 'utf8')).toMatch(/^0\n[1-9]\d*\n$/);
  });

  it('serve --no-worker starts its thread at once when a route has a translator (one claiming it included)', async () => {
    const loads = join(dir.path, 'loads-2.txt');
    writeFileSync(join(dir.path, 'loaded-on-2.js'), LOADED_ON(loads));
    const t = await startTestTandem({
      legacy: { url: legacy.url },
      candidate: { url: candidate.url },
      worker: { inProcess: false },
      translators: [join(dir.path, 'loaded-on-2.js')],
      routes: [{ name: 'claimed', match: 'GET /items/:id' }],
    });
    started.push(t);
    await t.waitFor(async () => existsSync(loads) && /^0\n[1-9]\d*\n$/.test(readFileSync(loads, 'utf8')));
  });

  it('a comparison that exhausts its thread heap is counted as failed; the next one is compared', async () => {
    const t = await tandem({ threadHeapMb: 64 }, 'greedy');
    await request(`${t.url}/items/greedy`);
    await t.waitFor(async () => ((await t.counters('item')).unparseable ?? 0) >= 1, 60_000);
    await request(`${t.url}/items/plain`);
    await t.waitFor(async () => ((await t.counters('item')).compared ?? 0) >= 2, 30_000);
    expect(await t.counters('item')).toMatchObject({ compared: 2, unparseable: 1, mismatch: 1 });
  }, 90_000);

  it('a comparison that never returns is stopped at worker.compareTimeoutMs, counted once as failed; the thread is replaced', async () => {
    const t = await tandem({ compareTimeoutMs: 2000 }, 'spin');
    await request(`${t.url}/items/spin`);
    // Without a deadline the spinning task holds the only thread for ever: nothing is ever counted.
    await t.waitFor(async () => ((await t.counters('item')).unparseable ?? 0) >= 1, 60_000);
    await request(`${t.url}/items/plain`);
    await t.waitFor(async () => ((await t.counters('item')).compared ?? 0) >= 2, 30_000);
    expect(await t.counters('item')).toMatchObject({ compared: 2, unparseable: 1, mismatch: 1 });
  }, 90_000);
});

describe('revive', () => {
  it('restores exact numbers and buffers flattened by structured cloning', () => {
    const cloned = structuredClone({ a: [new LosslessNumber('12345678901234567891')], b: { c: Buffer.from('hi') }, d: 1 });
    const out = revive(cloned);
    expect(out.a[0]).toBeInstanceOf(LosslessNumber);
    expect(String(out.a[0])).toBe('12345678901234567891');
    expect(Buffer.isBuffer(out.b.c)).toBe(true);
    expect(out.b.c.toString()).toBe('hi');
    expect(out.d).toBe(1);
  });
});
