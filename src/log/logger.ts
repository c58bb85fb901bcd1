import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs; `TANDEM_LOG_LEVEL` overrides the configured level.
 *
 * @example
 * const log = createLogger('info');
 * log.info({ route: 'products' }, 'shadowing');
 */
export function createLogger(level: string = 'info', name = 'tandem'): Logger {
  return pino({ name, level: process.env.TANDEM_LOG_LEVEL ?? level });
}
