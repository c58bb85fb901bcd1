import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError, ERRORS } from './errors';
import { createConfig, type TandemConfig } from './create-config';
import { substituteEnv, type UnsetVariable } from './substitute-env';
import { issueText, type ConfigIssue } from './describe-issues';

/**
 * Read a YAML or JSON config file and resolve it. `${VAR}` in the file is replaced
 * by the environment variable, so secrets stay out of the file (`${VAR:-default}` for
 * a default). Throws a ConfigError naming every problem at once: unset variables
 * (with their line), schema problems, route conflicts.
 *
 * @example
 * const config = loadConfigFile('tandem.yaml');
 */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): TandemConfig {
  const { options, unset } = readConfigOptions(file, env);
  let issues: ConfigIssue[] = [];
  let code: string = ERRORS.CONFIG_INVALID;
  try {
    const config = createConfig(options as unknown as Parameters<typeof createConfig>[0], env);
    if (!unset.length) return config;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    issues = [...e.issues];
    code = e.code;
  }
  const all = withUnset(issues, unset, options.lineOf);
  throw new ConfigError(unset.length ? ERRORS.CONFIG_INVALID : code, all.map(issueText), all);
}

/**
 * A config file's options as written (after `${VAR}` substitution), translator paths
 * made absolute relative to the file; not validated. Throws CONFIG_UNREADABLE.
 *
 * @example
 * const { options, unset } = readConfigOptions('tandem.yaml');
 */
export function readConfigOptions(file: string, env: NodeJS.ProcessEnv = process.env): { options: RawOptions; unset: UnsetVariable[] } {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(ERRORS.CONFIG_UNREADABLE, [`${file}: ${(e as Error).message}`]);
  }
  const { text, unset } = substituteEnv(source, env);
  const json = extname(file) === '.json';
  let raw: unknown;
  let lineOf: RawOptions['lineOf'] = () => undefined;
  try {
    if (json) raw = JSON.parse(text);
    else {
      const lines = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
      if (doc.errors.length) throw doc.errors[0];
      raw = doc.toJS();
      lineOf = (path) => nodeLine(doc, lines, path);
    }
  } catch (e) {
    throw new ConfigError(ERRORS.CONFIG_UNREADABLE, [`${file}: not valid ${json ? 'JSON' : 'YAML'}: ${(e as Error).message}`]);
  }
  const options = (raw && typeof raw === 'object' ? raw : {}) as RawOptions;
  // Translator modules are found relative to the config file, not the working directory:
  // `./x.js` always, `translators/x.js` when that file exists there (else it is a package name).
  if (Array.isArray(options.translators)) {
    options.translators = options.translators.map((p) =>
      typeof p === 'string' && isLocalModule(p, dirname(file)) ? resolve(dirname(file), p) : p,
    );
  }
  Object.defineProperty(options, 'lineOf', { value: lineOf, enumerable: false });
  return { options, unset };
}

/** Options as read from a file; `lineOf` gives the 1-based line of a path (YAML only). */
export type RawOptions = Record<string, unknown> & {
  translators?: unknown;
  routes?: unknown;
  lineOf: (path: (string | number)[]) => number | undefined;
};

function nodeLine(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
    // A key with an empty value has no node: find the key's own line through its parent map.
    const parent =
      n > 1
        ? (doc.getIn(path.slice(0, n - 1), true) as
            { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | undefined)
        : (doc.contents as never);
    const pair = parent?.items?.find((p) => p.key?.value === path[n - 1]);
    if (pair?.key?.range) return lines.linePos(pair.key.range[0]).line;
  }
  return undefined;
}

/** A problem on a line where a variable was unset is reported as that variable; unset variables elsewhere by line. */
function withUnset(issues: ConfigIssue[], unset: UnsetVariable[], lineOf: RawOptions['lineOf']): ConfigIssue[] {
  const byLine = new Map<number, string[]>();
  for (const u of unset) byLine.set(u.line, [...(byLine.get(u.line) ?? []), u.name]);
  const named = new Set<number>();
  const out = issues.map((i) => {
    const line = lineOf(i.path);
    const names = line === undefined ? undefined : byLine.get(line);
    if (!names) return i;
    named.add(line!);
    return {
      path: i.path,
      message: `${names.map((n) => `\${${n}}`).join(', ')} ${names.length > 1 ? 'are' : 'is'} not set in the environment (line ${line})`,
    };
  });
  for (const [line, names] of byLine) {
    if (named.has(line)) continue;
    out.push({
      path: [`line ${line}`],
      message: `${names.map((n) => `\${${n}}`).join(', ')} ${names.length > 1 ? 'are' : 'is'} not set in the environment (write \${${names[0]}:-default} for a default)`,
    });
  }
  return out;
}

/**
 * Whether a `translators` entry names a file relative to `dir` (rather than a
 * package): it starts with `.`, or a file of that name exists in `dir`.
 *
 * @example
 * isLocalModule('translators/orders.js', '/etc/tandem'); // true when /etc/tandem/translators/orders.js exists
 */
export function isLocalModule(path: string, dir: string): boolean {
  if (isAbsolute(path)) return false;
  return path.startsWith('.') || existsSync(resolve(dir, path));
}
