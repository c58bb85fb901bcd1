import { TandemError } from '../errors';

/** Stable codes, so scripts and tests can tell failures apart. */
export const ERRORS = {
  CONFIG_INVALID: 'ERR_TANDEM_CONFIG_INVALID',
  CONFIG_UNREADABLE: 'ERR_TANDEM_CONFIG_UNREADABLE',
  ROUTES_CONFLICT: 'ERR_TANDEM_ROUTES_CONFLICT',
} as const;

/**
 * A configuration that cannot run. `problems` lists each field with what is wrong;
 * `issues` holds the same with their paths as arrays (when known), so a file loader
 * can point at lines. `codes` is every `ERR_TANDEM_*` code involved: each issue's own
 * (an issue without one has `code`), `code` first.
 *
 * @example
 * try { createConfig({}) } catch (e) { if (e instanceof ConfigError) console.error(e.message) }
 */
export class ConfigError extends TandemError {
  readonly codes: readonly string[];

  constructor(
    code: string,
    readonly problems: string[],
    readonly issues: readonly { path: (string | number)[]; message: string; code?: string }[] = [],
  ) {
    super(code, `Invalid Tandem configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { status: 500 });
    this.name = 'ConfigError';
    this.codes = [...new Set([code, ...issues.map((i) => i.code ?? code)])];
  }
}
