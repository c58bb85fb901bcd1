import { createConfig, workerConcurrency, WORKER_CONCURRENCY } from '../../src/config';

const base = { legacy: { url: 'http://legacy.internal:3001' }, candidate: { url: 'http://candidate.internal:3002' } };

describe('workerConcurrency: packs a worker holds at once', () => {
  it('inside tandem serve, unset: one per comparison thread plus one being fetched or recorded', () => {
    expect(workerConcurrency(createConfig(base, {}).worker, true)).toBe(2); // threads unset there: 1
    expect(workerConcurrency(createConfig({ ...base, worker: { threads: 3 } }, {}).worker, true)).toBe(4);
  });

  it('a separate worker, or serve comparing on its own thread, keeps 8', () => {
    expect(WORKER_CONCURRENCY).toBe(8);
    expect(workerConcurrency(createConfig(base, {}).worker, false)).toBe(8);
    expect(workerConcurrency(createConfig({ ...base, worker: { threads: 0 } }, {}).worker, true)).toBe(8);
    expect(workerConcurrency(createConfig({ ...base, worker: { threads: 2 } }, {}).worker, false)).toBe(8);
  });

  it('a configured worker.concurrency wins everywhere', () => {
    const worker = createConfig({ ...base, worker: { concurrency: 8, threads: 1 } }, {}).worker;
    expect([workerConcurrency(worker, true), workerConcurrency(worker, false)]).toEqual([8, 8]);
  });

  it('refuses a concurrency below 1', () => {
    expect(() => createConfig({ ...base, worker: { concurrency: 0 } }, {})).toThrow(/concurrency/);
  });
});
