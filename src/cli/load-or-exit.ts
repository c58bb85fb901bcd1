import { ConfigError, loadConfigFile, type TandemConfig } from '../config';

/**
 * Load the config file or print what is wrong and exit 2 (1 is kept for runtime failures).
 *
 * @example
 * const config = loadConfigOrExit('tandem.yaml');
 */
export function loadConfigOrExit(file: string): TandemConfig {
  try {
    return loadConfigFile(file);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n(${e.code}; file: ${file})\n`);
      process.exit(2);
    }
    throw e;
  }
}

/**
 * Run `stop` on the first SIGINT or SIGTERM, then exit 0 (or 1 if stopping failed).
 *
 * @example
 * onShutdown(() => server.close());
 */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping (finishing in-flight requests, flushing comparisons)...\n`);
    stop().then(
      () => process.exit(0),
      (e: Error) => {
        process.stderr.write(`stop failed: ${e.message}\n`);
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a second Ctrl-C while stopping must not kill the process half-way.
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
