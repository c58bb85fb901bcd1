import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ConfigError, ERRORS } from './errors';
import { createConfig, type TandemConfig } from './create-config';
import { substituteEnv, type UnsetVariable } from './substitute-env';
import { issueText, type ConfigIssue } from './describe-issues';
import { OPTIONAL_SECRETS } from './secret-schema';

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
  const { options, unset, empty } = readConfigOptions(file, env);
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
  const all = withUnset(issues, unset, empty, options);
  throw new ConfigError(unset.length ? ERRORS.CONFIG_INVALID : code, all.map(issueText), all);
}

/**
 * A config file's options as written (after `${VAR}` substitution), translator paths
 * made absolute relative to the file; not validated. Throws CONFIG_UNREADABLE when the file
 * cannot be read, does not parse, or holds something other than a mapping (a scalar, a list).
 *
 * @example
 * const { options, unset } = readConfigOptions('tandem.yaml');
 */
export function readConfigOptions(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { options: RawOptions; unset: UnsetVariable[]; empty: UnsetVariable[] } {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    const why = missing ? 'no such file: pass -c FILE, or create tandem.yaml (see the README, "Standalone")' : (e as Error).message;
    throw new ConfigError(ERRORS.CONFIG_UNREADABLE, [`${file}: ${why}`]);
  }
  const { text, unset, empty } = substituteEnv(source, env);
  const json = extname(file) === '.json';
  let raw: unknown;
  let lineOf: RawOptions['lineOf'] = () => undefined;
  let keyAt: RawOptions['keyAt'] = () => undefined;
  try {
    if (json) raw = JSON.parse(text);
    else {
      const lines = new LineCounter();
      const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
      if (doc.errors.length) throw doc.errors[0];
      raw = doc.toJS();
      lineOf = (path) => nodeLine(doc, lines, path);
      keyAt = (line, column) => keyBefore(doc, lines, line, column);
    }
  } catch (e) {
    throw new ConfigError(ERRORS.CONFIG_UNREADABLE, [`${file}: not valid ${json ? 'JSON' : 'YAML'}: ${(e as Error).message}`]);
  }
  // An empty file is an empty config (its problems are the missing keys); anything else that
  // is not a mapping (a plain scalar, a list) is no config at all, and said so.
  if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
    const what = Array.isArray(raw) ? 'a list' : `a ${typeof raw} (${JSON.stringify(raw).slice(0, 40)})`;
    throw new ConfigError(ERRORS.CONFIG_UNREADABLE, [
      `${file}: not a mapping: the file holds ${what}; a config maps keys to values, e.g. legacy: { url: http://127.0.0.1:8081 }`,
    ]);
  }
  const options = (raw ?? {}) as RawOptions;
  // Translator modules are found relative to the config file, not the working directory:
  // `./x.js` always, `translators/x.js` when that file exists there (else it is a package name).
  if (Array.isArray(options.translators)) {
    options.translators = options.translators.map((p) =>
      typeof p === 'string' && isLocalModule(p, dirname(file)) ? resolve(dirname(file), p) : p,
    );
  }
  Object.defineProperty(options, 'lineOf', { value: lineOf, enumerable: false });
  Object.defineProperty(options, 'keyAt', { value: keyAt, enumerable: false });
  return { options, unset, empty };
}

/**
 * Options as read from a file; `lineOf` gives the 1-based line of a path, `keyAt` the path
 * of the last key before a 1-based line's 0-based column (YAML only).
 */
export type RawOptions = Record<string, unknown> & {
  translators?: unknown;
  routes?: unknown;
  lineOf: (path: (string | number)[]) => number | undefined;
  keyAt: (line: number, column: number) => (string | number)[] | undefined;
};

/** The path of the last map key on `line` that starts at or before `column` (the key a `${VAR}` there is the value of). */
function keyBefore(doc: Document, lines: LineCounter, line: number, column: number): (string | number)[] | undefined {
  let best: { path: (string | number)[]; col: number } | undefined;
  const walk = (node: unknown, path: (string | number)[], depth: number): void => {
    if (depth > 64) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key : undefined;
        if (!key || (typeof key.value !== 'string' && typeof key.value !== 'number')) continue;
        const at = key.range ? lines.linePos(key.range[0]) : undefined;
        const p = [...path, key.value];
        if (at && at.line === line && at.col - 1 <= column && (!best || at.col - 1 >= best.col)) best = { path: p, col: at.col - 1 };
        walk(pair.value, p, depth + 1);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i], depth + 1));
  };
  walk(doc.contents, [], 0);
  return best?.path;
}

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

/**
 * A problem on a line where a variable was unset or exported empty is reported as that
 * variable; other unset variables under the key they stand for (else their line). An empty
 * variable on a line without a problem is fine: an optional secret it stands for is unset.
 * Each message says what to do: export it (or give it a value), give a default (for an
 * optional secret, `${VAR:-}` leaves it unset, and the message says what that means for the
 * key), or remove the key.
 */
function withUnset(
  issues: ConfigIssue[],
  unset: UnsetVariable[],
  empty: UnsetVariable[],
  options: Pick<RawOptions, 'lineOf' | 'keyAt'>,
): ConfigIssue[] {
  const byLine = (vars: UnsetVariable[]) => {
    const m = new Map<number, UnsetVariable[]>();
    for (const u of vars) m.set(u.line, [...(m.get(u.line) ?? []), u]);
    return m;
  };
  const unsetAt = byLine(unset);
  const emptyAt = byLine(empty);
  const named = new Set<number>();
  const out = issues.map((i) => {
    const line = options.lineOf(i.path);
    if (line === undefined || !(unsetAt.has(line) || emptyAt.has(line))) return i;
    named.add(line);
    return {
      path: i.path,
      message: variablesMessage(unsetAt.get(line) ?? [], emptyAt.get(line) ?? [], line, i.path),
      code: ERRORS.CONFIG_INVALID,
    };
  });
  for (const [line, vars] of unsetAt) {
    if (named.has(line)) continue;
    const path = options.keyAt(line, vars[0].column);
    out.push({ path: path ?? [`line ${line}`], message: variablesMessage(vars, [], line, path), code: ERRORS.CONFIG_INVALID });
  }
  return out;
}

/** `${A} is not set in the environment (line 5)` / `${B} is empty …`, then what to do for the key at `path`. */
function variablesMessage(unset: UnsetVariable[], empty: UnsetVariable[], line: number, path: (string | number)[] | undefined): string {
  const names = (vars: UnsetVariable[]) => [...new Set(vars.map((v) => v.name))];
  const [u, e] = [names(unset), names(empty)];
  const refs = (ns: string[]) => `${ns.map((n) => `\${${n}}`).join(', ')} ${ns.length > 1 ? 'are' : 'is'}`;
  const what = [u.length ? `${refs(u)} not set in the environment` : '', e.length ? `${refs(e)} empty in the environment` : '']
    .filter(Boolean)
    .join(' and ');
  const todo = [u.length ? `export ${u.join(', ')}` : '', e.length ? `give ${e.join(', ')} a value` : ''].filter(Boolean).join(' and ');
  const first = u[0] ?? e[0];
  const key = path?.join('.');
  const unsetMeans = key !== undefined ? OPTIONAL_SECRETS[key] : undefined;
  const optional = unsetMeans ? ` (\${${first}:-} leaves ${key} unset: ${unsetMeans})` : '';
  return `${what} (line ${line}): ${todo}, or write \${${first}:-default} for a default${optional}, or remove the key`;
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
