/** Stable codes, so scripts and tests can tell failures apart. */
export const ERRORS = {
  CONFIG_INVALID: 'ERR_TANDEM_CONFIG_INVALID',
  CONFIG_UNREADABLE: 'ERR_TANDEM_CONFIG_UNREADABLE',
  ROUTES_CONFLICT: 'ERR_TANDEM_ROUTES_CONFLICT',
} as const;

/**
 * A configuration that cannot run. `problems` lists each field with what is wrong.
 *
 * @example
 * try { createConfig({}) } catch (e) { if (e instanceof ConfigError) console.error(e.message) }
 */
export class ConfigError extends Error {
  readonly status = 500;
  constructor(
    readonly code: string,
    readonly problems: string[],
  ) {
    super(`Invalid Tandem configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}
