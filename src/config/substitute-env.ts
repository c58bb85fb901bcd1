/**
 * `${VAR}` substitution in a config file's text, before it is parsed. `${VAR:-default}`
 * gives a default (empty allowed: `${VAR:-}`). A variable that is not set and has no
 * default is reported with its line, never silently replaced by nothing.
 *
 * @example
 * substituteEnv('token: ${TOKEN}\n', {}); // { text: 'token: \n', unset: [{ name: 'TOKEN', line: 1 }] }
 */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv): { text: string; unset: UnsetVariable[] } {
  const unset: UnsetVariable[] = [];
  const out = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}/g,
    (whole, name: string, hasDefault: string | undefined, dflt: string | undefined, offset: number) => {
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (hasDefault !== undefined) return dflt ?? '';
      unset.push({ name, line: lineAt(text, offset) });
      return '';
    },
  );
  return { text: out, unset };
}

/** A `${VAR}` whose variable was not set (1-based line of the file). */
export interface UnsetVariable {
  name: string;
  line: number;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
