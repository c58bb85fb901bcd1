import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { categoryOf, formatProfileSplits, splitProfile, splitProfiles } from '../../bench/profile-split';

describe("the split of a profile's busy time", () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tandem-profile-split-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the category of a frame', () => {
    expect(categoryOf({ functionName: 'relay', url: 'file:///w/dist/src/ingress/legacy-proxy.js' })).toBe('tandem ingress');
    expect(categoryOf({ functionName: 'asJSON', url: 'file:///w/node_modules/bullmq/dist/cjs/classes/job.js' })).toBe('bullmq');
    expect(categoryOf({ functionName: 'x', url: 'file:///w/node_modules/http-proxy/lib/index.js' })).toBe('http-proxy (legacy relay)');
    expect(categoryOf({ functionName: 'writev', url: '' })).toBe('native calls (socket writes, reads, parsing)');
    expect(categoryOf({ functionName: '(garbage collector)', url: '' })).toBe('garbage collector');
    expect(categoryOf({ functionName: 'socketOnData', url: 'node:_http_client' })).toBe('node http');
    expect(categoryOf({ functionName: 'emit', url: 'node:events' })).toBe('node streams, net, events');
  });

  it('gives each category its share of the time not idle', () => {
    const file = join(dir, 'made.cpuprofile');
    const nodes = [
      { id: 1, callFrame: { functionName: '(idle)', url: '' } },
      { id: 2, callFrame: { functionName: '(garbage collector)', url: '' } },
      { id: 3, callFrame: { functionName: 'relay', url: 'file:///w/dist/src/ingress/legacy-proxy.js' } },
    ];
    // 600 µs idle, 100 µs GC, 300 µs in the ingress
    writeFileSync(file, JSON.stringify({ nodes, samples: [1, 2, 3, 3, 1], timeDeltas: [300, 100, 200, 100, 300] }));
    expect(splitProfile(file)).toMatchObject({
      seconds: 0,
      busySeconds: 0,
      split: [
        ['tandem ingress', 75],
        ['garbage collector', 25],
      ],
    });
  });

  it("splits a real profile of Node's, every share of busy time counted once", () => {
    const script = 'let s = 0; for (let i = 0; i < 3e6; i++) s += JSON.stringify({ i }).length; console.log(s);';
    execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-name=real.cpuprofile', '-e', script]);
    const [real] = splitProfiles(dir).filter((s) => s.file === 'real.cpuprofile');
    expect(real.busySeconds).toBeGreaterThan(0);
    const total = real.split.reduce((n, [, pct]) => n + pct, 0);
    expect(total).toBeGreaterThan(90); // categories under 0.5% are left out
    expect(total).toBeLessThanOrEqual(100.5);
    expect(real.split.map(([c]) => c)).not.toContain('idle');
    expect(readdirSync(dir)).toContain('real.cpuprofile');
    expect(formatProfileSplits([real])[3]).toMatch(/^\| real\.cpuprofile \| [0-9.]+ \| .+ \|$/);
  });
});
