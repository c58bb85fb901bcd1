import { InvalidArgumentError } from 'commander';

/**
 * commander argParsers for every numeric option of every command, so a bad value is a usage
 * error (exit 2, see `runCli`) naming the flag, never a NaN passed on to a config, a listener
 * or a loop. commander prefixes the message with the flag and the value given:
 * `error: option '-p, --port <port>' argument 'abc' is invalid. must be a whole number from 0 to 65535`.
 * Defaults given beside a parser are not parsed: give them as numbers.
 *
 * @example
 * cmd.option('-n, --requests <n>', 'requests to send', wholeNumber(1), 200);
 * wholeNumber(0, 100)('101'); // throws InvalidArgumentError('must be a whole number from 0 to 100')
 */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`must be ${describe('a whole number', min, max)}`);
    return n;
  };
}

/**
 * A number (fractions allowed, as `0.25` or `1e3`) from `min` to `max`.
 *
 * @example
 * cmd.option('--sample-rate <r>', 'share compared, 0-1', decimal(0, 1));
 * decimal(0, 1)('1.5'); // throws InvalidArgumentError('must be a number from 0 to 1')
 */
export function decimal(min: number, max = Infinity): (value: string) => number {
  return (value) => {
    const n = value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`must be ${describe('a number', min, max)}`);
    return n;
  };
}

/** A TCP port: 0 (the system picks a free one) to 65535. */
export const port = wholeNumber(0, 65535);

function describe(what: string, min: number, max: number): string {
  return max === Number.MAX_SAFE_INTEGER || max === Infinity ? `${what} of ${min} or more` : `${what} from ${min} to ${max}`;
}
