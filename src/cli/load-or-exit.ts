import { ConfigError, ERRORS, loadConfigFile, readConfigOptions, type TandemConfig } from '../config';
import { TranslatorError } from '../translate';
import { createTranslatorsFor } from '../runtime';

/**
 * Every problem of a config file at once: unset variables, schema (with "did you
 * mean ...?" for unknown keys), route conflicts, and translators (modules that do not
 * load, names no module registers). `codes` are the `ERR_TANDEM_*` codes involved.
 *
 * @example
 * const { config, problems, codes } = checkConfigFile('tandem.yaml');
 */
export function checkConfigFile(file: string): { config?: TandemConfig; problems: string[]; codes: string[] } {
  const problems: string[] = [];
  const codes = new Set<string>();
  let config: TandemConfig | undefined;
  try {
    config = loadConfigFile(file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
    for (const c of e.codes) codes.add(c);
    if (e.code === ERRORS.CONFIG_UNREADABLE) return { problems, codes: [...codes] };
  }
  try {
    createTranslatorsFor(config ?? translatorRefs(file));
  } catch (e) {
    if (!(e instanceof TranslatorError)) throw e;
    for (const p of e.all) {
      problems.push(`translators: ${p.message}`);
      codes.add(p.code);
    }
  }
  return { config: problems.length ? undefined : config, problems, codes: [...codes] };
}

/** What the translator check needs from options that did not validate: module paths and each readable route's translator. */
function translatorRefs(file: string): { translators: string[]; routes: { name: string; translator?: string }[] } {
  const { options } = readConfigOptions(file, { ...process.env });
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const routes = Array.isArray(options.routes) ? (options.routes as { name?: unknown; translator?: unknown }[]) : [];
  return {
    translators: strings(options.translators),
    routes: routes.flatMap((r) =>
      r && typeof r.name === 'string' ? [{ name: r.name, translator: typeof r.translator === 'string' ? r.translator : undefined }] : [],
    ),
  };
}

/**
 * Load the config file (and check its translators), or print every problem with its
 * `ERR_TANDEM_*` codes and exit 2 (1 is kept for runtime failures).
 *
 * @example
 * const config = loadConfigOrExit('tandem.yaml');
 */
export function loadConfigOrExit(file: string): TandemConfig {
  const { config, problems, codes } = checkConfigFile(file);
  if (config) return config;
  process.stderr.write(
    `Invalid Tandem configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n(${codes.join(', ')}; file: ${file})\n`,
  );
  process.exit(2);
}

/**
 * Run `stop` on the first SIGINT or SIGTERM, then exit 0 (or 1 if stopping failed); the
 * line it prints says what stopping does (`doing`: a proxy's default, a worker's own). A
 * second signal while a signal's stop is under way exits at once (code 1), leaving unflushed
 * work behind (the buffered exchanges and counts are lost; the first stop's log says how
 * many so far). Returns a function that starts the same stop without a signal (`reason` is
 * logged; `tandem serve --processes`' children stop this way when their primary asks): a
 * no-op while stopping, so it never forces the exit a second signal would. A stop begun that
 * way is not escalated by the first signal that follows: a terminal's Ctrl-C sends SIGINT to
 * every process of its group, so a child hears it beside its primary's request (both stand
 * for one Ctrl-C); only a signal after that one forces the exit.
 *
 * @example
 * const stopNow = onShutdown(() => server.close());
 * process.on('message', (m) => m === 'stop' && stopNow('asked by the primary'));
 */
export function onShutdown(
  stop: () => Promise<void>,
  doing = 'finishing in-flight requests, flushing comparisons',
): (reason: string) => void {
  /** Signals heard since the stop began, counting the request that began it as one (so a signal after it is not "again"). */
  let heard = 0;
  let stopping = false;
  const begin = (reason: string) => {
    stopping = true;
    process.stderr.write(`\n${reason}: stopping (${doing})...\n`);
    stop().then(
      () => process.exit(0),
      (e: Error) => {
        process.stderr.write(`stop failed: ${e.message}\n`);
        process.exit(1);
      },
    );
  };
  const handler = (signal: string) => {
    heard++;
    if (!stopping) return begin(signal);
    if (heard === 1) {
      process.stderr.write(`\n${signal}: already stopping; ${signal} again exits now, without finishing the shutdown\n`);
      return;
    }
    process.stderr.write(`\n${signal} again: exiting now, without finishing the shutdown\n`);
    process.exit(1);
  };
  // `on`, not `once`: a second signal is handled too (it forces the exit).
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return (reason) => void (stopping || begin(reason));
}
