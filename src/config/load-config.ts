import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, ERRORS } from './errors';
import { createConfig, type TandemConfig } from './create-config';

/**
 * Read a YAML or JSON config file and resolve it. `${VAR}` in the file is replaced
 * by the environment variable, so secrets stay out of the file.
 *
 * @example
 * const config = loadConfigFile('tandem.yaml');
 */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): TandemConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(ERRORS.CONFIG_UNREADABLE, [`${file}: ${(e as Error).message}`]);
  }
  text = text.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => env[name] ?? '');
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError(ERRORS.CONFIG_UNREADABLE, [`${file}: not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`]);
  }
  const options = (raw ?? {}) as { translators?: unknown };
  // Translator modules are found relative to the config file, not the working directory.
  if (Array.isArray(options.translators)) {
    options.translators = options.translators.map((p) => (typeof p === 'string' && p.startsWith('.') && !isAbsolute(p) ? resolve(dirname(file), p) : p));
  }
  return createConfig(options as Parameters<typeof createConfig>[0]);
}
