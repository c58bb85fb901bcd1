import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

// What `npm pack` ships is what a user's install needs to run (README, "npm pack"): the CLI,
// the built code and builtin translators, the report page's files; never the sources,
// tests, benchmarks or CI scripts. Scripts are skipped: the global setup has built dist/.
jest.setTimeout(120_000);

function packed(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: join(__dirname, '../..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

describe('npm pack', () => {
  it('ships what an install runs, and nothing of the development tree', () => {
    const files = packed();
    for (const needed of [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      // package.json says MIT: the licence's text goes with it (npm adds LICENSE by itself)
      'LICENSE',
      'bin/tandem.js',
      'dist/src/cli/main.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/runtime/compare-thread.js',
      'dist/translators/index.js',
      'reports/index.html',
      'reports/app.js',
    ]) {
      expect(files).toContain(needed);
    }
    const unwanted = files.filter(
      (f) => /^(src|test|bench|\.ci|examples|translators|dist\/bench)\//.test(f) || /\.(map|tsbuildinfo)$|\.test\./.test(f),
    );
    expect(unwanted).toEqual([]);
    expect(
      files.every((f) => /^(bin|dist\/src|dist\/translators|reports)\/|^(package\.json|README\.md|CHANGELOG\.md|LICEN[CS]E)$/.test(f)),
    ).toBe(true);
  });
});
