import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfigFile } from '../../src/cli/load-or-exit';

// `tandem config check` on a newcomer's mistakes: every problem names the key that is wrong
// and what it takes. A value that fitted none of a union's forms (`customer`, `report.listen`)
// was only "Invalid input"; a translator path was named twice, resolved, with no hint.
const base = 'legacy: { url: http://127.0.0.1:1 }\ncandidate: { url: http://127.0.0.1:2 }\n';

function problemsOf(text: string, files: Record<string, string> = {}): { dir: string; problems: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-problems-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  writeFileSync(join(dir, 'tandem.yaml'), base + text);
  return { dir, problems: checkConfigFile(join(dir, 'tandem.yaml')).problems };
}

describe('config problems name the key and what it takes', () => {
  it('a customer source misspelt names customer.from and its choices', () => {
    expect(problemsOf('customer: { from: haeder, name: x-customer-id }\n').problems).toEqual([
      'customer.from: Invalid option: expected one of "header"|"query"|"path"|"jwt" (got "haeder")',
    ]);
  });

  it('a resolver that is no function names customer.resolve', () => {
    expect(problemsOf('customer: { resolve: 1 }\n').problems).toEqual([
      'customer.resolve: must be a function (req) => string | undefined (got 1)',
    ]);
  });

  it("a side listener that is neither 'proxy' nor an address says both forms", () => {
    expect(problemsOf('report: { listen: prxy }\n').problems).toEqual([
      'report.listen: Invalid input: expected "proxy" or object, received string (got "prxy")',
    ]);
  });

  it("an unknown key in a side listener's address is named, with the nearest known one", () => {
    expect(problemsOf('ops: { listen: { hots: 0.0.0.0 } }\n').problems).toEqual(['ops.listen.hots: unknown key (did you mean "host"?)']);
  });

  it('a translator path that does not exist is named once, with the file of that folder it nearly names', () => {
    const { dir, problems } = problemsOf('translators: [./translators/items-v2.ts, ./nowhere/x.js]\n', {
      'translators/items-v2.js': 'module.exports = { name: "items-v2" };\n',
    });
    expect(problems).toEqual([
      `translators: translator module "${join(dir, 'translators/items-v2.ts')}" not found (did you mean ${join(dir, 'translators/items-v2.js')}?)`,
      `translators: translator module "${join(dir, 'nowhere/x.js')}" not found: no folder ${join(dir, 'nowhere')}`,
    ]);
  });

  // A type error said what it expected and the type it received, never the value: a newcomer
  // could not tell which of the file's spellings was read (`port: "8080"` quoted, `yes` for true).
  it('a value of the wrong type, range or choice is echoed as the file wrote it', () => {
    expect(
      problemsOf('listen: { port: "abc" }\nnoise: { repeatRate: 2 }\nroutes:\n  - { name: p, match: GET /p, mirrorWrites: "yes" }\n')
        .problems,
    ).toEqual([
      'listen.port: Invalid input: expected number, received string (got "abc")',
      'noise.repeatRate: Too big: expected number to be <=1 (got 2)',
      'routes.0.mirrorWrites: Invalid input: expected boolean, received string (got "yes")',
    ]);
  });

  it('a secret, a URL with credentials or a long value is never echoed in full', () => {
    const { problems } = problemsOf(
      `report: { token: short-secret }\nredis: { url: "redis://:hunter2@127.0.0.1:1/x y", prefix: 5 }\nmetrics: { path: "${'x'.repeat(100)}" }\n`,
    );
    expect(problems.join('\n')).not.toMatch(/short-secret|hunter2/);
    expect(problems).toContain('report.token: must be at least 16 characters');
    expect(problems).toContain('redis.prefix: Invalid input: expected string, received number (got 5)');
    expect(problems.find((p) => p.startsWith('metrics.path'))).toContain(`(got "${'x'.repeat(60)}…")`);
  });
});
