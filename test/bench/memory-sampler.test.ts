import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { sampleGroupMemory } from '../../bench/memory-sampler';
import { memoryNow, peakRssMb } from '../../bench/proc-stats';

/** A Node process that fills `mb` MB of its own memory, then says so on stdout and waits. */
async function holder(mb: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-e', `globalThis.b = Buffer.alloc(${mb} << 20, 1); console.log('ready'); setInterval(() => {}, 1000);`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await once(child.stdout!, 'data');
  return child;
}

describe('memory of a group of processes', () => {
  const children: ChildProcess[] = [];
  afterAll(() => children.forEach((c) => c.kill()));

  it("reads a process's resident, proportional, private and shared pages", () => {
    const m = memoryNow(process.pid)!;
    expect(m.rss).toBeGreaterThan(0);
    expect(m.private + m.shared).toBe(m.rss);
    expect(m.pss).toBeGreaterThanOrEqual(m.private);
    expect(m.pss).toBeLessThanOrEqual(m.rss);
    expect(memoryNow(-1)).toBeNull();
  });

  it("counts two Node processes' shared pages (Node's binary) once, where summed VmHWM counts them twice", async () => {
    children.push(await holder(40), await holder(40));
    const pids = children.map((c) => c.pid!);
    const sampler = sampleGroupMemory(() => pids, 20);
    await new Promise((r) => setTimeout(r, 100));
    const peak = sampler.stop()!;
    const summedHwm = peakRssMb(pids[0])! + peakRssMb(pids[1])!;
    const shared = Math.min(...pids.map((p) => memoryNow(p)!.shared)) / 1024;
    expect(peak.samples).toBeGreaterThan(1);
    // Both hold their 40 MB privately.
    expect(peak.pssMb).toBeGreaterThan(80);
    expect(peak.ownMb).toBeGreaterThan(80);
    // The shared pages are counted once, not twice (a little slack for pages touched between readings).
    expect(shared).toBeGreaterThan(5);
    expect(peak.ownMb).toBeLessThan(summedHwm - shared + 2);
    // PSS shares them among every process mapping them, so it is at most the group's count.
    expect(peak.pssMb).toBeLessThanOrEqual(peak.ownMb + 0.1);
    expect(sampler.stop()).toEqual(peak);
  });

  it('reports nothing for processes it could never read', () => {
    expect(sampleGroupMemory(() => [-1], 20).stop()).toBeNull();
  });
});
