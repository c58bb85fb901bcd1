import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

/**
 * Tandem's logger: JSON lines (for collectors) unless stdout is a terminal, then
 * one readable line per entry (pino-pretty: time, level, message, fields), errors
 * included: a stack is never printed over many lines. `TANDEM_LOG_LEVEL` overrides
 * the configured level; `TANDEM_LOG_FORMAT=json|pretty` overrides the choice.
 *
 * @example
 * const log = createLogger('info');
 * log.info({ route: 'products' }, 'shadowing');
 */
export function createLogger(
  level: string = 'info',
  name = 'tandem',
  o: { pretty?: boolean; destination?: NodeJS.WritableStream } = {},
): Logger {
  const options = { name, level: process.env.TANDEM_LOG_LEVEL ?? level };
  if (!(o.pretty ?? wantsPretty())) return o.destination ? pino(options, o.destination as never) : pino(options);
  // On a terminal an error is its message, on the entry's one line: stacks belong in JSON logs.
  const oneLine = (e: unknown) =>
    e instanceof Error ? `${e.name}: ${e.message}` : typeof e === 'object' && e && 'message' in e ? String((e as Error).message) : e;
  const log = (o: Record<string, unknown>) => ('err' in o || 'error' in o ? { ...o, err: undefined, error: oneLine(o.err ?? o.error) } : o);
  // Loaded only for a terminal: a JSON-logging process (a server's) never holds pino-pretty's 40 modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof PinoPretty;
  return pino(
    { ...options, formatters: { log } },
    pretty({
      sync: true,
      colorize: !o.destination && process.stdout.isTTY === true,
      singleLine: true,
      errorLikeObjectKeys: [],
      ignore: 'pid,hostname,name',
      translateTime: 'SYS:HH:MM:ss.l',
      destination: (o.destination ?? 1) as never,
    }),
  );
}

/** Pretty on a terminal, JSON otherwise; `TANDEM_LOG_FORMAT` decides when set. */
export function wantsPretty(): boolean {
  const f = process.env.TANDEM_LOG_FORMAT;
  if (f === 'json') return false;
  if (f === 'pretty') return true;
  return process.stdout.isTTY === true;
}
