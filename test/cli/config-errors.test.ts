import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile } from '../../src/config';
import { checkConfigFile } from '../../src/cli/load-or-exit';

const BIN = join(__dirname, '../../bin/tandem.js');

// Each test starts several CLI processes; on a loaded machine each start takes seconds.
jest.setTimeout(180_000);
const base = 'legacy:\n  url: http://127.0.0.1:1\ncandidate:\n  url: http://127.0.0.1:2\n';

function file(text: string, name = 'tandem.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-cfgerr-'));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function tandem(args: string[], env: NodeJS.ProcessEnv = {}) {
  const e = { ...process.env, ...env };
  delete e.TANDEM_REPORT_TOKEN;
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...e, ...env } });
}

describe('configuration errors', () => {
  it('suggests the key a misspelled one was meant to be', () => {
    const f = file(
      `${base.replace('  url: http://127.0.0.1:2\n', '  url: http://127.0.0.1:2\n  timeoutMS: 100\n')}retention:\n  ttlSecond: 5\nrouts: []\n`,
    );
    const err = (() => {
      try {
        loadConfigFile(f);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toEqual(
      expect.arrayContaining([
        'candidate.timeoutMS: unknown key (did you mean "timeoutMs"?)',
        'retention.ttlSecond: unknown key (did you mean "ttlSeconds"?)',
        'routs: unknown key (did you mean "routes"?)',
      ]),
    );
  });

  it('names an unset ${VAR} instead of "expected string, received null"', () => {
    const f = file(`${base}report: { path: /_tandem, token: \${TANDEM_TEST_UNSET_TOKEN} }\n`);
    expect(() => loadConfigFile(f, {})).toThrow(/report\.token: \$\{TANDEM_TEST_UNSET_TOKEN\} is not set in the environment \(line 5\)/);
    expect(() => loadConfigFile(f, {})).not.toThrow(/received null/);
    // A default makes it optional.
    const g = file(`${base}redis: { prefix: "tandem\${TANDEM_TEST_SUFFIX:-}" }\n`);
    expect(loadConfigFile(g, {}).redis.prefix).toBe('tandem');
    expect(loadConfigFile(f, { TANDEM_TEST_UNSET_TOKEN: 'a-token-of-16-chars-at-least' }).report.token).toBe(
      'a-token-of-16-chars-at-least',
    );
  });

  it('reports schema problems, route conflicts and translators at once, exit 2 with every ERR_ code', () => {
    const f = file(
      `${base}log: { level: loud }\nroutes:\n  - { name: a, match: GET /p/:id, translator: nope-translator }\n  - { name: a, match: GET /p/:x }\n`,
    );
    const { problems, codes } = checkConfigFile(f);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^log\.level: /),
        'routes.1.name: "a" is already used by routes.0',
        'routes.1.match: "GET /p/:x" is already claimed by routes.0',
        expect.stringMatching(/^translators: .*nope-translator/),
      ]),
    );
    expect(codes).toEqual(expect.arrayContaining(['ERR_TANDEM_CONFIG_INVALID', 'ERR_TANDEM_TRANSLATOR_UNKNOWN']));
    for (const cmd of [
      ['config', 'check', f],
      ['serve', '-c', f],
    ]) {
      const run = tandem(cmd);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/log\.level/);
      expect(run.stderr).toMatch(/already claimed/);
      expect(run.stderr).toMatch(/nope-translator/);
      expect(run.stderr).toMatch(/\(ERR_TANDEM_CONFIG_INVALID, ERR_TANDEM_ROUTES_CONFLICT, ERR_TANDEM_TRANSLATOR_UNKNOWN; file: /);
    }
  });

  it('an unknown or unloadable translator exits 2 (not 1), with its code', () => {
    const unknown = file(`${base}routes:\n  - { name: a, match: GET /p/:id, translator: nope-translator }\n`);
    const run = tandem(['serve', '-c', unknown]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ERR_TANDEM_TRANSLATOR_UNKNOWN');
    const missing = file(`${base}translators: [./no-such-module.js]\n`);
    const check = tandem(['config', 'check', missing]);
    expect(check.status).toBe(2);
    expect(check.stderr).toMatch(/translator module ".*no-such-module\.js" not found/);
    expect(check.stderr).toContain('ERR_TANDEM_TRANSLATOR_LOAD');
  });

  it('`config check` prints the ERR_ code of a schema problem, as `serve` does', () => {
    const f = file(`${base}listen: { port: -1 }\n`);
    const run = tandem(['config', 'check', f]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/listen\.port: /);
    expect(run.stderr).toContain('(ERR_TANDEM_CONFIG_INVALID; file: ');
  });
});
