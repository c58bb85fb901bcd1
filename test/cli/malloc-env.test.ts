import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shebangOf } from '../../bench/tandem-target';

const BIN = join(__dirname, '..', '..', 'bin', 'tandem.js');

describe("bin/tandem.js's #! line", () => {
  it("sets glibc's malloc mmap threshold beside Node's flags (the benchmark reads both from it)", () => {
    expect(shebangOf(BIN)).toEqual({
      env: { MALLOC_MMAP_THRESHOLD_: '131072' },
      flags: ['--max-semi-space-size=4', '--heap-growing-percent=100'],
    });
  });

  it('gives a tandem started through it that environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-shebang-'));
    try {
      // A preload (NODE_OPTIONS) prints what the process was started with, then tandem prints its version.
      const probe = join(dir, 'probe.js');
      writeFileSync(probe, 'process.stdout.write(`${process.env.MALLOC_MMAP_THRESHOLD_} ${process.execArgv.join(" ")}\\n`);\n');
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: `--require ${probe}` };
      delete env.MALLOC_MMAP_THRESHOLD_;
      const run = spawnSync(BIN, ['--version'], { encoding: 'utf8', env });
      expect(run.status).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('131072 --max-semi-space-size=4 --heap-growing-percent=100');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
