import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_MISSING_MESSAGE, startEmbeddedRedis } from '../../src/store';

const BIN = join(__dirname, '../../bin/tandem.js');

/**
 * Run the demo CLI without REDIS_URL, so it starts its own redis-server. Without
 * `--once` it is sent SIGINT (Ctrl-C) once it says it is serving.
 */
function runDemo(cwd: string, once = true, port = 0): Promise<{ code: number | null; out: string }> {
  const env = { ...process.env };
  delete env.REDIS_URL;
  return new Promise((done) => {
    const args = [BIN, 'demo', '--port', String(port), '--requests', '100', ...(once ? ['--once'] : [])];
    const child = spawn(process.execPath, args, { cwd, env });
    let out = '';
    let interrupted = false;
    const collect = (c: Buffer) => {
      out += c;
      if (!once && !interrupted && out.includes('serving the report until Ctrl-C')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code) => done({ code, out }));
  });
}

const redisPort = (out: string) => Number(new URL(/redis (redis:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]).port);

function connects(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1', () => (s.destroy(), done(true)));
    s.on('error', () => done(false));
  });
}

describe('npm run demo', () => {
  it('runs on its own embedded Redis, finds the planted differences and leaves no process behind', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tandem-demo-'));
    const { code, out } = await runDemo(cwd);
    expect(code).toBe(0);
    expect(out).toMatch(/sent 100 requests \(0 failed at the client\); 5 of them, GET \/api\/v1\/products, match no route/);
    expect(out).toMatch(/product\s+90\s+90\s+90\s+\d+\s+\d+\s+0/);
    // The legacy / candidate / tandem lines are a table: each column starts where the others' do.
    const table = out.split('\n').filter((l) => /^(legacy|candidate|tandem) +http/.test(l));
    expect(table).toHaveLength(3);
    const at = (re: RegExp) => table.map((l) => re.exec(l)!.index);
    expect(new Set(at(/http:/)).size).toBe(1);
    expect(new Set(at(/ \(/)).size).toBe(1);
    expect(out).toMatch(/\[medium\] price/);
    expect(out).toMatch(/\[high\] currency/);
    expect(out).not.toMatch(/sku/);
    // --once stops the server after the summary: no URL or token for it, and no JSON log line in the summary.
    expect(out).not.toMatch(/report: |token: /);
    expect(out).toMatch(/without --once to browse/);
    expect(out).not.toMatch(/^\{"level"/m);
    const redisUrl = /redis (redis:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(redisUrl).toBeDefined();
    expect(redisUrl).not.toBe('redis://127.0.0.1:6379');
    // The embedded redis-server was stopped with the demo: nothing listens on its port any more.
    const port = Number(new URL(redisUrl!).port);
    await expect(connects(port)).resolves.toBe(false);
    expect(existsSync(join(cwd, '.tandem/demo-redis'))).toBe(true);
  }, 60_000);

  it('stops on Ctrl-C, exiting 0 and stopping its redis-server', async () => {
    const { code, out } = await runDemo(mkdtempSync(join(tmpdir(), 'tandem-demo-')), false);
    expect(out).toMatch(/report: {3}http:\/\/127\.0\.0\.1:\d+\/_tandem\//);
    expect(out).toMatch(/SIGINT: stopping/);
    expect(code).toBe(0);
    await expect(connects(redisPort(out))).resolves.toBe(false);
  }, 60_000);

  it('picks a free port when its port is taken, with the embedded Redis a failed start gave back', async () => {
    const taken: Server = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as { port: number }).port;
    try {
      const { code, out } = await runDemo(mkdtempSync(join(tmpdir(), 'tandem-demo-')), true, port);
      expect(out).not.toMatch(/in use by this process|tandem\.lock/);
      expect(out).toContain(`port ${port}`);
      expect(out).toMatch(/picking free ones/);
      expect(out).toMatch(/sent 100 requests \(0 failed at the client\)/);
      expect(code).toBe(0);
      await expect(connects(redisPort(out))).resolves.toBe(false);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  }, 60_000);

  it('says how to get redis-server when it is missing', async () => {
    await expect(startEmbeddedRedis(join(tmpdir(), 'x'), 'redis-server-that-does-not-exist')).rejects.toThrow(REDIS_MISSING_MESSAGE);
    expect(REDIS_MISSING_MESSAGE).toMatch(/apt-get install redis-server/);
  });
});
