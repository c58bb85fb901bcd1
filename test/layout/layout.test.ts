/**
 * Layout rules read from the source, as a lint rule would (GUIDE: Layout and style):
 * each src/ folder's index.ts exports only what other folders use; a name exported by
 * two folders' indexes is the same thing re-exported; environment fallbacks are
 * resolved by createConfig alone; the README's Architecture section names every folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g;
const names = (list: string, pick: 'local' | 'exported') =>
  list
    .split(',')
    .map((s) => s.trim().replace(/^type\s+/, ''))
    .filter(Boolean)
    .map((s) => (pick === 'local' ? s.split(' as ')[0] : s.split(' as ').pop()!).trim());

const files = ['src', 'test', 'bench', 'translators'].flatMap((d) => tsFiles(join(ROOT, d)));
const indexes = files.filter((f) => f.endsWith('/index.ts') && relative(ROOT, f).split('/').length >= 3).map((f) => dirname(f));

const REEXPORT = /export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g;

/** Where `name`, exported by `module` (a path without extension), is defined: re-exports are followed. */
function origin(module: string, name: string, depth = 0): string {
  const file = [`${module}.ts`, join(module, 'index.ts')].find((f) => files.includes(f));
  if (!file || depth > 5) return `${module}#${name}`;
  for (const m of readFileSync(file, 'utf8').matchAll(REEXPORT)) {
    const i = names(m[1], 'exported').indexOf(name);
    if (i >= 0) return origin(normalize(join(dirname(file), m[2])), names(m[1], 'local')[i], depth + 1);
  }
  return `${module}#${name}`;
}

/** Names each folder's index exports, with where each is defined. */
function exportsOf(folder: string): Map<string, string> {
  return new Map(
    [...readFileSync(join(folder, 'index.ts'), 'utf8').matchAll(REEXPORT)].flatMap((m) => {
      const locals = names(m[1], 'local');
      return names(m[1], 'exported').map((n, i) => [n, origin(normalize(join(folder, m[2])), locals[i])] as const);
    }),
  );
}

/** Names other folders import from each folder's index. */
const used = new Map<string, Set<string>>();
for (const f of files) {
  for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
    if (!m[2].startsWith('.')) continue;
    const target = normalize(join(dirname(f), m[2])).replace(/\/index$/, '');
    if (!indexes.includes(target) || dirname(f) === target) continue;
    for (const n of names(m[1], 'local')) (used.get(target) ?? used.set(target, new Set()).get(target)!).add(n);
  }
}

describe('folder indexes', () => {
  it('export only what other folders use', () => {
    const unused = indexes.flatMap((folder) =>
      [...exportsOf(folder).keys()].filter((n) => !used.get(folder)?.has(n)).map((n) => `${relative(ROOT, folder)}: ${n}`),
    );
    expect(unused).toEqual([]);
  });

  it('give one name one meaning across folders', () => {
    const meaning = new Map<string, Set<string>>();
    for (const folder of indexes)
      for (const [n, source] of exportsOf(folder)) (meaning.get(n) ?? meaning.set(n, new Set()).get(n)!).add(source);
    const clashes = [...meaning]
      .filter(([, sources]) => sources.size > 1)
      .map(([n, sources]) => `${n}: ${[...sources].map((s) => relative(ROOT, s)).join(' vs ')}`);
    expect(clashes).toEqual([]);
  });
});

describe('environment fallbacks', () => {
  it('are read by createConfig only (REDIS_URL, REDIS_CLUSTER_NODES, TANDEM_REDACT_KEY, TANDEM_REPORT_TOKEN)', () => {
    const readers = files
      .filter((f) => relative(ROOT, f).startsWith('src/'))
      .filter((f) =>
        /process\.env(?:\.(?:REDIS_URL|REDIS_CLUSTER_NODES|TANDEM_REDACT_KEY|TANDEM_REPORT_TOKEN)\b|\[)/.test(readFileSync(f, 'utf8')),
      )
      .map((f) => relative(ROOT, f));
    expect(readers).toEqual([]);
  });
});

/** Test folders that are not one src/ folder's: whole-process suites and shared helpers. */
const CROSS_CUTTING = new Set(['e2e', 'faults', 'cluster', 'layout', 'bench', 'support']);

describe('the test tree', () => {
  it('mirrors src/: every other test folder is named after the src/ folder it tests', () => {
    const dirs = (d: string) => readdirSync(join(ROOT, d)).filter((n) => statSync(join(ROOT, d, n)).isDirectory());
    const src = new Set(dirs('src'));
    const strays = dirs('test').filter((n) => !src.has(n) && !CROSS_CUTTING.has(n));
    expect(strays).toEqual([]);
  });
});

describe('README architecture section', () => {
  it('names every folder of src/, and each step of the flow is a folder that exists', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Architecture\n'), readme.indexOf('\n## ', readme.indexOf('\n## Architecture\n') + 1));
    const folders = readdirSync(join(ROOT, 'src')).filter((n) => statSync(join(ROOT, 'src', n)).isDirectory());
    expect(folders.filter((f) => !section.includes(`\`${f}\``))).toEqual([]);
    const named = [...section.matchAll(/^\d+\. `([a-z]+)`/gm)].map((m) => m[1]);
    expect(named.filter((n) => !folders.includes(n))).toEqual([]);
  });
});
