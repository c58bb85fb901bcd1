import { execFile } from 'node:child_process';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, writeConfig } from '../support/processes';
import { TEST_REDIS_URL, uniquePrefix } from '../support/redis';

/**
 * Usage errors of every command, run through the real binary: a bad numeric flag, an unknown
 * option or a missing required one is one line naming the flag, then `(see tandem <cmd> --help)`
 * (not the whole help), and exit 2; nothing starts before it (no NaN reaches a listener or a
 * config, no report token is generated).
 */

jest.setTimeout(120_000);

const BIN = join(__dirname, '../../bin/tandem.js');

function tandem(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, REDIS_URL: '' } }, (err, stdout, stderr) =>
      done({ code: err ? Number((err as NodeJS.ErrnoException).code) : 0, out: stdout + stderr }),
    ),
  );
}

describe('usage errors', () => {
  const cases: [string[], RegExp][] = [
    [['serve', '-p', 'abc'], /option '-p, --port <port>' argument 'abc' is invalid\. must be a whole number from 0 to 65535/],
    [['serve', '--processes', 'abc'], /option '--processes <n>' argument 'abc' is invalid\. must be a whole number from 1 to 64, or auto/],
    [['demo', '--once', '-p', 'abc'], /option '-p, --port <port>' argument 'abc' is invalid/],
    [['demo', '--once', '-n', 'abc'], /option '-n, --requests <n>' argument 'abc' is invalid\. must be a whole number of 0 or more/],
    [
      ['worker', '--metrics-port', '99999'],
      /option '--metrics-port <port>' argument '99999' is invalid\. must be a whole number from 0 to 65535/,
    ],
    [['worker', '--concurrency', 'abc'], /option '--concurrency <n>' argument 'abc' is invalid\. must be a whole number of 1 or more/],
    [['replay', 'x.har', '-r', 'fast'], /option '-r, --rate <n>' argument 'fast' is invalid\. must be a number of 0 or more/],
    [['dry-run', '--requests', 'x', '--min-match-rate', '99'], /argument '99' is invalid\. must be a number from 0 to 1/],
    [['suggest', '--limit', '1.5'], /option '--limit <n>' argument '1.5' is invalid/],
    [['translate', 'x', 'y', '--timeout', '0'], /option '--timeout <ms>' argument '0' is invalid/],
    [
      ['rollout', 'set', 'product', '--percentage', '150'],
      /option '--percentage <n>' argument '150' is invalid\. must be a whole number from 0 to 100/,
    ],
    [
      ['rollout', 'set', 'product', '--sample-rate', 'half'],
      /option '--sample-rate <r>' argument 'half' is invalid\. must be a number from 0 to 1/,
    ],
    [['rollout', 'audit', '-n', '-3'], /option '-n, --limit <n>' argument '-3' is invalid/],
    [['rediff'], /required option '-r, --route <name>' not specified/],
    [['serve', '--bogus'], /unknown option '--bogus'/],
    [['--bogus'], /unknown option '--bogus'/],
  ];

  it.each(cases)('tandem %j: one line naming the flag, a pointer to --help, exit 2', async (args, message) => {
    const { code, out } = await tandem(args);
    expect(out).toMatch(message);
    const cmd = ['tandem', ...args.filter((a, i) => !a.startsWith('-') && i < (args[0] === 'rollout' ? 2 : 1))].join(' ');
    expect(out).toContain(`(see ${cmd} --help)`);
    expect(out).not.toContain('Usage:');
    expect(out).not.toMatch(/NaN|report token|generated/);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(code).toBe(2);
  });

  it('--help and --version still exit 0', async () => {
    expect((await tandem(['serve', '--help'])).code).toBe(0);
    expect((await tandem(['--version'])).code).toBe(0);
  });

  it('tandem --help lists TANDEM_LOG_FORMAT and the exit codes', async () => {
    const { out } = await tandem(['--help']);
    expect(out).toContain('TANDEM_LOG_FORMAT');
    expect(out).toMatch(/Exit codes: 0 done, 1 failure at run time, 2 bad usage/);
  });
});

describe('messages of commands that cannot run', () => {
  const dir = tempDir('usage');
  afterAll(() => dir.remove());

  it('tandem worker --metrics-port <taken>: ERR_TANDEM_LISTEN_FAILED naming the flag, exit 2', async () => {
    const held = http.createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    const port = (held.address() as { port: number }).port;
    try {
      const config = writeConfig(dir.path, {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        redis: { url: TEST_REDIS_URL, prefix: uniquePrefix('usage') },
        routes: [],
      });
      const { code, out } = await tandem(['worker', '-c', config, '--metrics-port', String(port)]);
      expect(out).toContain(
        `the worker metrics listener's address 127.0.0.1:${port} (--metrics-port ${port}) is already in use: pass another --metrics-port (0 picks a free one) (ERR_TANDEM_LISTEN_FAILED)`,
      );
      expect(code).toBe(2);
    } finally {
      await new Promise((r) => held.close(r));
    }
  });

  it('commands without a Redis say so once, prefixed by the command, exit 2', async () => {
    const config = writeConfig(
      dir.path,
      {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        redis: { dataDir: join(dir.path, 'redis') },
        routes: [{ name: 'product', match: 'GET /p/:id' }],
      },
      'noredis.json',
    );
    const rollout = await tandem(['rollout', 'status', '-c', config]);
    expect(rollout.out).toMatch(/^tandem rollout needs the Redis/);
    expect(rollout.code).toBe(2);
    const suggest = await tandem(['suggest', '-c', config]);
    expect(suggest.out).toBe('tandem suggest: --route is needed (or --from-dry-run FILE)\n');
    expect(suggest.code).toBe(2);
  });

  it.each([
    ['dry-run', ['dry-run', '--requests', '/nonexistent/x.ndjson']],
    ['replay', ['replay', '/nonexistent/x.ndjson']],
    ['suggest', ['suggest', '--from-dry-run', '/nonexistent/x.json']],
  ])('tandem %s with a file that cannot be read: prefixed by the command, exit 2', async (name, args) => {
    const config = writeConfig(
      dir.path,
      {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        redis: { url: TEST_REDIS_URL, prefix: uniquePrefix('usage') },
        routes: [],
      },
      `${name}.json`,
    );
    const { code, out } = await tandem([...args, '-c', config]);
    expect(out).toMatch(new RegExp(`^tandem ${name}: .*ENOENT`));
    expect(code).toBe(2);
  });

  it("tandem suggest names a file that is not a dry run's JSON, a route it lacks, and a route neither stored nor configured", async () => {
    const config = writeConfig(
      dir.path,
      {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        redis: { url: TEST_REDIS_URL, prefix: uniquePrefix('usage') },
        routes: [{ name: 'product', match: 'GET /p/:id' }],
      },
      'suggest-files.json',
    );
    // The requests file given where the dry run's output belongs: one line, not one JSON document.
    const ndjson = join(dir.path, 'traffic.ndjson');
    writeFileSync(ndjson, '{"method":"GET","url":"/p/1"}\n{"method":"GET","url":"/p/2"}\n');
    const notJson = await tandem(['suggest', '--from-dry-run', ndjson]);
    expect(notJson.out).toMatch(/^tandem suggest: .*traffic\.ndjson: not JSON \(.*\); write it with tandem dry-run --json or --save\n$/);
    expect(notJson.code).toBe(2);

    const dryRun = join(dir.path, 'dry-run.json');
    writeFileSync(dryRun, JSON.stringify({ exchanges: [{ route: 'product' }] }));
    const otherRoute = await tandem(['suggest', '--from-dry-run', dryRun, '--route', 'prodcut']);
    expect(otherRoute.out).toBe(`tandem suggest: ${dryRun} has no exchange of route "prodcut" (its routes: product)\n`);
    expect(otherRoute.code).toBe(2);

    const unknown = await tandem(['suggest', '--route', 'prodcut', '-c', config]);
    expect(unknown.out).toBe('tandem suggest: no configured route is named "prodcut" (configured: product)\n');
    expect(unknown.code).toBe(2);
  });

  it('a command whose Redis does not answer names it (password left out) and the cause, exit 1', async () => {
    const config = writeConfig(
      dir.path,
      {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        redis: { url: 'redis://user:sekrit@127.0.0.1:1', prefix: uniquePrefix('usage') },
        routes: [{ name: 'product', match: 'GET /p/:id' }],
      },
      'no-redis.json',
    );
    const requests = join(dir.path, 'one.ndjson');
    writeFileSync(requests, '{"method":"GET","url":"/p/1"}\n');
    // replay included: it used to send the requests and then wait 120 s per result for a Redis that never answered.
    for (const args of [
      ['rollout', 'status'],
      ['rediff', '--route', 'product'],
      ['replay', requests, '--no-progress'],
    ]) {
      const { code, out } = await tandem([...args, '-c', config]);
      expect(out).toBe(
        `tandem ${args[0]}: Redis at redis://user@127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1) is not answering: is it running, and are redis.url / REDIS_URL right?\n`,
      );
      expect(code).toBe(1);
    }
    // A mistyped phase is bad input whatever the Redis: said first, exit 2, before any Redis is
    // looked for (with none configured, "no Redis" was said instead) or opened.
    const noRedis = writeConfig(
      dir.path,
      {
        legacy: { url: 'http://127.0.0.1:1' },
        candidate: { url: 'http://127.0.0.1:2' },
        routes: [{ name: 'product', match: 'GET /p/:id' }],
      },
      'none.json',
    );
    for (const args of [
      ['rollout', 'set', 'product', '--phase', 'bogus'],
      ['rollout', 'customer', 'product', 'acme', 'clera'],
      ['rollout', 'group', 'beta', '--route', 'product', '--phase', 'clera'],
    ])
      for (const c of [config, noRedis]) {
        const { code, out } = await tandem([...args, '-c', c]);
        expect(out).toMatch(
          /^tandem rollout: phase must be one of legacy, shadow, candidate, candidate-only(, or clear to remove the override)? \(got "(bogus|clera)"\)\n$/,
        );
        expect(code).toBe(2);
      }
  });
});
