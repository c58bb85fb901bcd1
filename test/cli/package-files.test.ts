import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// What `npm pack` ships is what a user's install needs to run (README, "npm pack"): the CLI,
// the built code and builtin translators, the report page's files; never the sources,
// tests, benchmarks or CI scripts. Scripts are skipped: the global setup has built dist/.
jest.setTimeout(120_000);

const root = join(__dirname, '../..');

function packed(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
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

  it('ships no compiled file whose source is gone: dist/ is emptied before the build that packing runs', () => {
    // tsc never removes outputs: a deleted or moved source leaves its .js in dist/. Our own
    // prepack script runs in a copy of the package whose build (prepare) is a stand-in for
    // tsc (the real one takes a minute), under npm's real lifecycle: prepack, prepare, pack.
    const ours = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[]; scripts: Record<string, string> };
    const dir = mkdtempSync(join(tmpdir(), 'tandem-pack-'));
    try {
      const build =
        "const fs = require('fs'); fs.mkdirSync('dist/src/cli', { recursive: true }); fs.writeFileSync('dist/src/cli/main.js', '')";
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: 'tandem-pack-check',
          version: '1.0.0',
          files: ours.files,
          scripts: { prepack: ours.scripts.prepack, prepare: `node -e "${build}"` },
        }),
      );
      mkdirSync(join(dir, 'dist/src/cli'), { recursive: true });
      writeFileSync(join(dir, 'dist/src/cli/stale-output-of-a-deleted-source.js'), 'module.exports = {};\n');
      const out = execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
      expect(files).toContain('dist/src/cli/main.js');
      expect(files).not.toContain('dist/src/cli/stale-output-of-a-deleted-source.js');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
