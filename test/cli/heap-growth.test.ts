import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHEBANG_HEAP_GROWING, useWorkerHeapGrowth, WORKER_HEAP_GROWING_PERCENT } from '../../src/cli/heap-growth';

const ROOT = join(__dirname, '..', '..');

describe("tandem worker's heap growth", () => {
  it("is the #! line's flag that bin/tandem.js starts Node with", () => {
    const shebang = readFileSync(join(ROOT, 'bin', 'tandem.js'), 'utf8').split('\n', 1)[0];
    expect(shebang.split(/\s+/)).toContain(SHEBANG_HEAP_GROWING);
  });

  it("is raised to 2.5× under the #! line's flag, and a value passed by hand (or none) is kept", () => {
    const set: string[] = [];
    const record = (f: string) => void set.push(f);
    expect(useWorkerHeapGrowth(['--max-semi-space-size=4', SHEBANG_HEAP_GROWING], record)).toBe(true);
    expect(set).toEqual([`--heap-growing-percent=${WORKER_HEAP_GROWING_PERCENT}`]);
    expect(useWorkerHeapGrowth(['--heap-growing-percent=50'], record)).toBe(false);
    expect(useWorkerHeapGrowth([], record)).toBe(false);
    expect(useWorkerHeapGrowth([SHEBANG_HEAP_GROWING, '--heap-growing-percent=50'], record)).toBe(false);
    expect(set).toHaveLength(1);
  });
});
