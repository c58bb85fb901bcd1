import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

/**
 * Preloaded (`node -r dist/bench/heap-sampler.js`) into a process whose allocation the
 * heap-profile bench measures: the first SIGUSR2 starts V8's sampling heap profiler (every
 * `TANDEM_HEAP_SAMPLE_INTERVAL` bytes, 4096 by default; objects a collection freed included,
 * so the profile is what was allocated, not what stayed), the second stops it and writes the
 * profile (a `.heapprofile`, JSON) to `TANDEM_HEAP_SAMPLE_FILE`, then prints `heap-sample-written`
 * on stderr. Nothing happens without that variable.
 */
function install(file: string): void {
  const session = new Session();
  session.connect();
  const interval = Number(process.env.TANDEM_HEAP_SAMPLE_INTERVAL ?? 4096);
  let sampling = false;
  process.on('SIGUSR2', () => {
    if (!sampling) {
      sampling = true;
      session.post('HeapProfiler.startSampling', {
        samplingInterval: interval,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      } as object);
      return;
    }
    sampling = false;
    session.post('HeapProfiler.stopSampling', (err, res) => {
      if (err) process.stderr.write(`heap-sample-failed ${err.message}\n`);
      else writeFileSync(file, JSON.stringify(res.profile));
      process.stderr.write('heap-sample-written\n');
    });
  });
}

if (process.env.TANDEM_HEAP_SAMPLE_FILE) install(process.env.TANDEM_HEAP_SAMPLE_FILE);
