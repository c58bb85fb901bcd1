import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createConfig, loadConfigFile, type TandemOptions } from '../../src/config';
import { substituteEnv } from '../../src/config/substitute-env';
import { checkConfigFile } from '../../src/cli/load-or-exit';
import { runTranslate } from '../../src/cli/translate-command';

// What a newcomer meets copying the README: each case is a problem found from a clean clone.
const base = 'legacy:\n  url: http://127.0.0.1:1\ncandidate:\n  url: http://127.0.0.1:2\n';

function file(text: string, name = 'tandem.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-newcomer-'));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

function thrown(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no ConfigError thrown');
}

describe('the README as a newcomer copies it', () => {
  it('the Standalone tandem.yaml checks clean as copied, TANDEM_REPORT_TOKEN unset', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const yaml = /```yaml\n(# tandem\.yaml\n[\s\S]*?)```/.exec(readme)![1];
    const saved = process.env.TANDEM_REPORT_TOKEN;
    delete process.env.TANDEM_REPORT_TOKEN;
    try {
      const { config, problems } = checkConfigFile(file(yaml));
      expect(problems).toEqual([]);
      expect(config!.report.tokenGenerated).toBe(true);
    } finally {
      if (saved !== undefined) process.env.TANDEM_REPORT_TOKEN = saved;
    }
  });
});

describe('an empty optional secret means unset', () => {
  it.each([
    ['unquoted ${VAR:-}', () => '${TANDEM_NB_UNSET:-}'],
    ['quoted "${VAR:-}"', () => '"${TANDEM_NB_UNSET:-}"'],
    ['empty value', () => ''],
  ])('report.token, redact.key, metrics.token: %s', (_, value) => {
    const v = value();
    const f = file(`${base}report: { token: ${v} }\nredact: { key: ${v} }\nmetrics: { token: ${v} }\n`);
    const config = loadConfigFile(f, {});
    expect(config.report.tokenGenerated).toBe(true);
    expect(config.report.token.length).toBeGreaterThanOrEqual(16);
    expect(config.redact.key).toBeUndefined();
    expect(config.metrics.token).toBeUndefined();
    // The environment fallback still applies to an empty key.
    expect(loadConfigFile(f, { TANDEM_REPORT_TOKEN: 'from-the-environment-1' }).report.token).toBe('from-the-environment-1');
  });

  it('in createConfig too, and a short secret is still refused', () => {
    const sides = { legacy: { url: 'http://127.0.0.1:1' }, candidate: { url: 'http://127.0.0.1:2' } };
    const empty = { ...sides, report: { token: '' }, redact: { key: null }, metrics: { token: '' } } as unknown as TandemOptions;
    const config = createConfig(empty, {});
    expect([config.report.tokenGenerated, config.redact.key, config.metrics.token]).toEqual([true, undefined, undefined]);
    expect(thrown(() => createConfig({ ...sides, report: { token: 'short' } }, {})).problems).toEqual([
      'report.token: must be at least 16 characters',
    ]);
  });

  it('an unset ${VAR} says what to do: export it, ${VAR:-} to leave it unset, or remove the key', () => {
    const e = thrown(() => loadConfigFile(file(`${base}report: { path: /_tandem, token: \${TANDEM_NB_UNSET} }\n`), {}));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatch(/^report\.token: \$\{TANDEM_NB_UNSET\} is not set in the environment \(line 5\)/);
    expect(e.problems[0]).toMatch(/export TANDEM_NB_UNSET/);
    expect(e.problems[0]).toContain('${TANDEM_NB_UNSET:-}');
    expect(e.problems[0]).toMatch(/remove the key/);
  });
});

describe('${VAR} in comments', () => {
  it('is left as written: full-line and trailing comments; # in quotes and URLs is text', () => {
    const text = [
      '# report: { token: ${NB_A} }',
      '  # indented: ${NB_B}',
      'a: 1 # trailing ${NB_C}',
      'b: "quoted # ${NB_D}" # ${NB_E}',
      "c: 'single # ${NB_F}'",
      'd: http://host/#${NB_G}',
      "e: it's # ${NB_H}",
    ].join('\n');
    const { text: out, unset } = substituteEnv(text, { NB_D: 'd', NB_F: 'f', NB_G: 'g' });
    expect(unset).toEqual([]);
    expect(out.split('\n')).toEqual([
      '# report: { token: ${NB_A} }',
      '  # indented: ${NB_B}',
      'a: 1 # trailing ${NB_C}',
      'b: "quoted # d" # ${NB_E}',
      "c: 'single # f'",
      'd: http://host/#g',
      "e: it's # ${NB_H}",
    ]);
  });

  it('a commented-out block does not fail the config', () => {
    const f = file(`${base}# report: { token: \${SOME_UNSET_VAR} }\nlog: { level: warn } # was \${OTHER_UNSET_VAR}\n`);
    expect(loadConfigFile(f, {}).log.level).toBe('warn');
  });
});

describe('every ERR_TANDEM_* code involved is listed', () => {
  it('a route conflict beside a schema problem lists ROUTES_CONFLICT too', () => {
    const routes = 'routes:\n  - { name: a, match: GET /a }\n  - { name: a, match: GET /b }\n';
    const alone = checkConfigFile(file(`${base}${routes}`));
    expect(alone.codes).toEqual(['ERR_TANDEM_ROUTES_CONFLICT']);
    const both = checkConfigFile(file(`${base}bogus: 1\n${routes}`));
    expect(both.codes.sort()).toEqual(['ERR_TANDEM_CONFIG_INVALID', 'ERR_TANDEM_ROUTES_CONFLICT']);
    const withTranslator = checkConfigFile(
      file(`${base}bogus: 1\nroutes:\n  - { name: a, match: GET /a, translator: nope }\n  - { name: a, match: GET /b }\n`),
    );
    expect(withTranslator.codes.sort()).toEqual([
      'ERR_TANDEM_CONFIG_INVALID',
      'ERR_TANDEM_ROUTES_CONFLICT',
      'ERR_TANDEM_TRANSLATOR_UNKNOWN',
    ]);
  });
});

describe('errors say what to do', () => {
  it('an empty config names legacy.url and candidate.url, with an example', () => {
    const e = thrown(() => loadConfigFile(file('\n'), {}));
    expect(thrown(() => loadConfigFile(file('legacy:\ncandidate:\n'), {})).problems).toEqual(e.problems);
    expect(e.problems).toEqual([
      expect.stringMatching(/^legacy: required: legacy\.url and candidate\.url .*e\.g\. legacy: \{ url: http:/),
      expect.stringMatching(/^candidate: required: .*e\.g\. candidate: \{ url: http:/),
    ]);
  });

  it('a missing config file: pass -c FILE or create tandem.yaml', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'tandem-newcomer-')), 'tandem.yaml');
    const { problems, codes } = checkConfigFile(missing);
    expect(codes).toEqual(['ERR_TANDEM_CONFIG_UNREADABLE']);
    expect(problems).toEqual([expect.stringMatching(/tandem\.yaml: no such file: pass -c FILE, or create tandem\.yaml \(see the README/)]);
  });

  it('an unknown translator name gets "did you mean"', () => {
    const { problems } = checkConfigFile(file(`${base}routes:\n  - { name: product, match: GET /p/:id, translator: product-v2 }\n`));
    expect(problems).toEqual([expect.stringMatching(/translator "product-v2", which is not registered \(did you mean "products-v2"\?/)]);
  });

  it('`tandem translate <route name>` without -c hints that -c resolves route names', async () => {
    const sample = file(JSON.stringify({ request: { method: 'GET', path: '/p/1', headers: {} } }), 'sample.json');
    await expect(runTranslate({ translator: 'product', file: sample })).rejects.toThrow(
      /pass -c with your config file, which resolves route names/,
    );
  });
});
