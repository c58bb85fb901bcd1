/**
 * `${VAR}` substitution in a config file's text, before it is parsed. `${VAR:-default}`
 * gives a default (empty allowed: `${VAR:-}`), used when the variable is not set or empty. A
 * variable that is not set and has no default is reported in `unset` with its line, never
 * silently replaced by nothing. One exported empty (`export VAR=""`) is replaced by nothing
 * and listed in `empty`: an optional key then means unset, and a problem on its line is
 * reported as the empty variable (see `loadConfigFile`).
 *
 * Comments are left as written: a `#` at the start of a line or after a space or tab
 * (YAML 1.2 §6.6), outside a single- or double-quoted string, starts a comment, and no
 * `${VAR}` after it is read. A `#` inside quotes or a word (`http://host/#fragment`) is text.
 *
 * @example
 * substituteEnv('token: ${TOKEN}\n', {}); // { text: 'token: \n', unset: [{ name: 'TOKEN', line: 1, column: 7 }], empty: [] }
 * substituteEnv('token: ${TOKEN}\n', { TOKEN: '' }); // { text: 'token: \n', unset: [], empty: [{ name: 'TOKEN', line: 1, column: 7 }] }
 * substituteEnv('# token: ${TOKEN}\n', {}); // { text: '# token: ${TOKEN}\n', unset: [] }
 */
export function substituteEnv(text: string, env: NodeJS.ProcessEnv): { text: string; unset: UnsetVariable[]; empty: UnsetVariable[] } {
  const unset: UnsetVariable[] = [];
  const empty: UnsetVariable[] = [];
  const lines = text.split('\n');
  const out = lines.map((line, i) => {
    const end = commentStart(line);
    let shift = 0; // output column minus input column, from the replacements so far
    const code = line
      .slice(0, end)
      .replace(
        /\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}/g,
        (whole: string, name: string, hasDefault: string | undefined, dflt: string | undefined, at: number) => {
          const value = env[name];
          // As in the shell, `:-` also replaces an empty value; a bare `${VAR}` exported empty is ''.
          const put = value !== undefined && value !== '' ? value : hasDefault !== undefined ? (dflt ?? '') : value;
          if (put === undefined) unset.push({ name, line: i + 1, column: at + shift });
          else if (put === '' && hasDefault === undefined) empty.push({ name, line: i + 1, column: at + shift });
          shift += (put ?? '').length - whole.length;
          return put ?? '';
        },
      );
    return code + line.slice(end);
  });
  return { text: out.join('\n'), unset, empty };
}

/** A `${VAR}` whose variable was not set (or was empty): 1-based line of the file, 0-based column in the substituted line. */
export interface UnsetVariable {
  name: string;
  line: number;
  column: number;
}

/**
 * Where a line's comment starts (its length when it has none): the first `#` outside quotes
 * at the start or after a blank. A quote opens a string only where a scalar can start (line
 * start, after a blank, `[`, `{`, `,` or `:`), so `it's` is a word.
 */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(line[i - 1]))) quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return i;
  }
  return line.length;
}
