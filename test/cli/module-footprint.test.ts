import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/**
 * What a fresh Node process holds after requiring `modules` (compiled, from dist/): the
 * packages and Tandem's dist/src folders of every module in `require.cache`.
 */
function loadedBy(modules: string[], then = ''): { packages: Set<string>; files: string[] } {
  const script = `${modules.map((m) => `require(${JSON.stringify(resolve(ROOT, m))});`).join('')}${then}
    process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const files = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
  const packages = new Set(files.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f)?.[1] ?? []));
  return { packages, files: files.map((f) => f.slice(ROOT.length + 1)) };
}

/**
 * Every module loaded stays in a process's heap, and the old generation grows to a multiple
 * of what is live (#20's peak RSS): a command holds only what it runs. These are loaded
 * where they are used (the command's action, a JWT customer identifier, a terminal's logger).
 */
describe('module footprint', () => {
  it('the command line, before a command runs, holds no command-only code: no proxy, report, dry run, suggestion or demo', () => {
    const { packages, files } = loadedBy(['dist/src/cli/main.js']);
    expect(['express', 'http-proxy-middleware', 'pino-pretty', 'jsonwebtoken', 'cli-progress'].filter((p) => packages.has(p))).toEqual([]);
    // The ingress's route matching is the replay's too; its server and middleware are serve's alone.
    const commandOnly = ['ingress/index.js', 'ingress/middleware.js', 'report/', 'dryrun/', 'suggest/', 'demo/'];
    expect(commandOnly.filter((d) => files.some((f) => f.startsWith(`dist/src/${d}`)))).toEqual([]);
  });

  it("`tandem worker` loads its own command's code only: no other command's, no replay", () => {
    const worker = loadedBy(
      ['dist/src/cli/main.js'],
      `require(${JSON.stringify(resolve(ROOT, 'dist/src/cli/main.js'))}).buildProgram('worker');`,
    );
    expect(worker.files).toContain('dist/src/cli/worker-command.js');
    const others = ['serve', 'demo', 'translate', 'replay', 'dry-run', 'suggest', 'config', 'rediff', 'rollout'];
    expect(others.filter((c) => worker.files.includes(`dist/src/cli/${c}-command.js`))).toEqual([]);
    expect(worker.files.filter((f) => f.startsWith('dist/src/replay/'))).toEqual([]);
    // Without a command (`tandem --help`), every command is there to be listed.
    const all = loadedBy(['dist/src/cli/main.js'], `require(${JSON.stringify(resolve(ROOT, 'dist/src/cli/main.js'))}).buildProgram();`);
    expect(others.filter((c) => !all.files.includes(`dist/src/cli/${c}-command.js`))).toEqual([]);
  });

  it("the runtime (a worker's, a rediff's) holds no report routes and no express", () => {
    const { packages, files } = loadedBy(['dist/src/runtime/index.js']);
    expect(packages.has('express')).toBe(false);
    expect(files.filter((f) => f.startsWith('dist/src/report/http/'))).toEqual([]);
  });
});
