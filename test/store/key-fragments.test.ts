import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * One Redis schema (issue #13): every key name is built by src/store/key-schema.ts (with
 * the declarations, segments and queue key names it re-exports from its own files). This
 * fails when a key fragment (a key family's name, a `{prefix}` hash tag, a Lua script
 * concatenating a key) is spelled in any other file under src/.
 */
const ROOT = join(__dirname, '..', '..');
const SCHEMA = 'src/store/key-schema.ts';
/** The key schema's files: the builders (`SCHEMA`), the declarations, segments and the queue's key names. */
const SCHEMA_FILES = new Set([
  SCHEMA,
  'src/store/key-specs.ts',
  'src/store/key-spec.ts',
  'src/store/key-specs-deployment.ts',
  'src/store/key-specs-records.ts',
  'src/store/key-specs-derived.ts',
  'src/store/key-segment.ts',
  'src/store/queue-keys.ts',
]);

/** Fragments that only a key name contains; each with why it is one. */
const FRAGMENTS: [RegExp, string][] = [
  [/:route:|\}route:|'route:[^ ]|`route:/, 'per-route key layout'],
  [/:rollout:|\}rollout:|'rollout:/, 'rollout keys'],
  [/:mismatch:|:exchange:|:done:|'mismatch:|'exchange:|'done:/, 'per-exchange record keys'],
  [/:rules:|\}rules:/, 'runtime rules keys'],
  [/mm-by|ex-by|cause-cust|readiness-customer|report-tmp/, 'report index keys'],
  [/customer-set|signature-meta|noise-fields|repeat-fields|dedupe-order|cause-meta|rediff-lock|'redact-key/, 'derived and state key names'],
  [
    /[:}](counters|customers|fields|signatures|mismatches|exchanges|suspected|duplicates|causes|readiness|trend|dedupe|drops|routes)\b['`:]/,
    'a key family after a key separator',
  ],
  [
    /\.\.\s*'(counters|customers|fields|signatures|mismatches|exchanges|suspected|duplicates|causes|readiness|trend|dedupe|routes)/,
    'a Lua script building a key by concatenation',
  ],
  [/\{\$\{[\w.]*prefix\}\}/i, 'a hand-made `{prefix}` hash tag'],
  [/:bodies:|notify:(sig|rate)|report:revoked/, 'queue body, notification and session keys'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|lua)$/.test(e.name) ? [p] : [];
  });
}

/** `file:line: fragment` for every key fragment outside the schema module. */
export function keyFragmentsOutsideSchema(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    if (SCHEMA_FILES.has(path)) continue;
    text.split('\n').forEach((line, i) => {
      for (const [re, why] of FRAGMENTS) {
        const m = re.exec(line);
        if (m) found.push(`${path}:${i + 1}: "${m[0]}" (${why})`);
      }
    });
  }
  return found;
}

describe('Redis key names have one home', () => {
  it('no key fragment is spelled under src/ outside the key schema', () => {
    const files = sources(join(ROOT, 'src')).map((f) => ({ path: relative(ROOT, f).split('\\').join('/'), text: readFileSync(f, 'utf8') }));
    for (const schemaFile of SCHEMA_FILES) expect(files.some((f) => f.path === schemaFile)).toBe(true);
    expect(keyFragmentsOutsideSchema(files)).toEqual([]);
  });

  it('catches each kind of fragment (the check can fail)', () => {
    const samples = [
      'const k = `${p}:route:${route}:counters`;',
      "redis.call('HINCRBY', rk .. 'counters', 'compared', 1)",
      'const idx = `${base}mm-by:customer:${c}`;',
      'const tag = `{${prefix}}`;',
      'redis.hgetall(`${prefix}:rollout:groups`)',
      "local ck = rk .. 'readiness-customer:' .. p.customer",
    ];
    for (const text of samples) expect(keyFragmentsOutsideSchema([{ path: 'src/x.ts', text }])).not.toEqual([]);
    expect(keyFragmentsOutsideSchema([{ path: SCHEMA, text: samples.join('\n') }])).toEqual([]);
    expect(
      keyFragmentsOutsideSchema([{ path: 'src/x.ts', text: 'const counters = new CounterBuffer(); // routes and customers' }]),
    ).toEqual([]);
  });
});
