import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

/** Throughput at saturation: closed loop, `connections` keep-alive connections. */
export interface SaturationResult {
  tool: 'wrk' | 'autocannon';
  connections: number;
  durationSec: number;
  requests: number;
  /** Successful (2xx) responses per second. */
  rps: number;
  errors: number;
  non2xx: number;
  p50Ms: number;
  p99Ms: number;
}

export type LoadTool = 'wrk' | 'autocannon';

/**
 * The saturation load generator to use: wrk when installed (it costs the shared core
 * far less CPU per request than autocannon), else autocannon from npm.
 *
 * @example
 * pickLoadTool('auto'); // 'wrk' or 'autocannon'
 */
export function pickLoadTool(wanted: LoadTool | 'auto'): LoadTool {
  if (wanted !== 'auto') return wanted;
  return spawnSync('wrk', ['-v']).error ? 'autocannon' : 'wrk';
}

/**
 * Drive `url` as hard as possible for `durationSec` and report what got through.
 *
 * @example
 * const r = await saturate({ tool: 'autocannon', url: 'http://127.0.0.1:8080/api/2k/1', connections: 50, durationSec: 5 });
 */
export async function saturate(o: { tool: LoadTool; url: string; connections: number; durationSec: number }): Promise<SaturationResult> {
  return o.tool === 'wrk' ? withWrk(o) : withAutocannon(o);
}

async function withAutocannon(o: { url: string; connections: number; durationSec: number }): Promise<SaturationResult> {
  const r = await autocannon({ url: o.url, connections: o.connections, duration: o.durationSec, timeout: 10 });
  const ok = r['2xx'];
  return {
    tool: 'autocannon',
    connections: o.connections,
    durationSec: r.duration,
    requests: r.requests.total,
    rps: Math.round(ok / r.duration),
    errors: r.errors,
    non2xx: r.non2xx,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
  };
}

/** wrk's Lua `done` hook prints the summary as one JSON line. */
const WRK_SUMMARY_LUA = `
done = function(s, latency, requests)
  local e = s.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"errors":%d,"non2xx":%d,"p50Us":%d,"p99Us":%d}\\n',
    s.requests, s.duration, e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
`;

async function withWrk(o: { url: string; connections: number; durationSec: number }): Promise<SaturationResult> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-wrk-'));
  const script = join(dir, 'summary.lua');
  writeFileSync(script, WRK_SUMMARY_LUA);
  try {
    const out = await new Promise<string>((done, fail) => {
      const p = spawn('wrk', ['-t1', `-c${o.connections}`, `-d${o.durationSec}s`, '--timeout', '10s', '-s', script, o.url], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.stderr.on('data', (d: Buffer) => (text += d.toString()));
      p.once('error', fail);
      p.once('exit', (code) => (code === 0 ? done(text) : fail(new Error(`wrk exited ${code}: ${text}`))));
    });
    const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
    if (!line) throw new Error(`wrk printed no summary: ${out}`);
    const s = JSON.parse(line) as { requests: number; durationUs: number; errors: number; non2xx: number; p50Us: number; p99Us: number };
    const durationSec = s.durationUs / 1e6;
    return {
      tool: 'wrk',
      connections: o.connections,
      durationSec,
      requests: s.requests,
      rps: Math.round((s.requests - s.non2xx) / durationSec),
      errors: s.errors,
      non2xx: s.non2xx,
      p50Ms: s.p50Us / 1000,
      p99Ms: s.p99Us / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
