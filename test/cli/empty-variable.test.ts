import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile } from '../../src/config';
import { substituteEnv } from '../../src/config/substitute-env';

// A variable exported empty (`export MT=""`) is set: it is not reported as "not set". For an
// optional secret it means unset (as `optionalSecret` reads ''); elsewhere a problem on its
// line says it is empty. Each hint names what applies to the key it stands for.
const base = 'legacy:\n  url: http://127.0.0.1:1\ncandidate:\n  url: http://127.0.0.1:2\n';

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-emptyvar-'));
  writeFileSync(join(dir, 'tandem.yaml'), text);
  return join(dir, 'tandem.yaml');
}

function problems(text: string, env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfigFile(file(text), env);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe('a variable exported empty', () => {
  it('is empty, not unset, for substituteEnv; `:-` still replaces it', () => {
    expect(substituteEnv('token: ${MT}\n', { MT: '' })).toEqual({
      text: 'token: \n',
      unset: [],
      empty: [{ name: 'MT', line: 1, column: 7 }],
    });
    expect(substituteEnv('token: ${MT:-x}\n', { MT: '' })).toEqual({ text: 'token: x\n', unset: [], empty: [] });
  });

  it('for an optional secret means unset: metrics.token, report.token, redact.key', () => {
    const env = { MT: '', RT: '', RK: '' };
    const config = loadConfigFile(file(`${base}report: { token: \${RT} }\nredact: { key: \${RK} }\nmetrics: { token: \${MT} }\n`), env);
    expect([config.metrics.token, config.redact.key, config.report.tokenGenerated]).toEqual([undefined, undefined, true]);
  });

  it('for a required value says it is empty, not unset', () => {
    expect(problems(`legacy:\n  url: \${LU}\ncandidate:\n  url: http://127.0.0.1:2\n`, { LU: '' })).toEqual([
      'legacy.url: ${LU} is empty in the environment (line 2): give LU a value, or write ${LU:-default} for a default, or remove the key',
    ]);
    expect(problems(`${base}listen: { port: \${P} }\n`, { P: '' })).toEqual([
      'listen.port: ${P} is empty in the environment (line 5): give P a value, or write ${P:-default} for a default, or remove the key',
    ]);
  });

  it('an unset variable gets the hint of its own key', () => {
    expect(problems(`${base}metrics: { token: \${MT} }\n`, {})).toEqual([
      'metrics.token: ${MT} is not set in the environment (line 5): export MT, or write ${MT:-default} for a default ' +
        '(${MT:-} leaves metrics.token unset: the metrics endpoint then needs no token), or remove the key',
    ]);
    expect(problems(`${base}redact: { key: \${RK} }\n`, {})).toEqual([
      expect.stringContaining('(${RK:-} leaves redact.key unset: the redaction key is then generated and kept in Redis)'),
    ]);
    expect(problems(`${base}listen: { port: \${P} }\n`, {})).toEqual([
      'listen.port: ${P} is not set in the environment (line 5): export P, or write ${P:-default} for a default, or remove the key',
    ]);
  });
});
