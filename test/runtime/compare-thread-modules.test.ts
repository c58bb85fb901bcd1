import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The compiled thread entry, as `compareThreads` starts it (a worker thread loads JavaScript only). */
const ENTRY = resolve(__dirname, '../../dist/src/runtime/compare-thread.js');

/** Packages a comparison thread has no use for: each module loaded stays in the thread's own heap (#20's memory target). */
const NOT_IN_A_THREAD = ['bullmq', 'ioredis', 'express', 'zod', 'prom-client', 'piscina'];

describe('a comparison thread', () => {
  it('loads the comparison and the translators, not the queue, the store, the proxy or the config schema', async () => {
    const loaded = await new Promise<string[]>((done, fail) => {
      const w = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         require(workerData.entry);
         parentPort.postMessage(Object.keys(require.cache));`,
        {
          eval: true,
          workerData: {
            entry: ENTRY,
            config: { translators: [], routes: [] },
            baseDir: process.cwd(),
            redact: { headers: [], paths: [] },
            maxDecompressedBytes: 1 << 20,
          },
        },
      );
      w.once('message', (m: string[]) => void w.terminate().then(() => done(m)));
      w.once('error', fail);
    });
    expect(loaded).toContain(ENTRY);
    const packages = new Set(loaded.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1] ?? []));
    expect(NOT_IN_A_THREAD.filter((p) => packages.has(p))).toEqual([]);
  });
});
