import type { ExchangeRecord } from '../records';
import { exchangeOfJson } from './exchange-json';

/** Characters of stored exchange JSON parsed in one turn of the event loop at most; a longer text is parsed alone in its turn. */
const PARSE_CHARS_PER_TURN = 256 * 1024;

/**
 * Stored exchanges' JSON read back (`exchangeOfJson`; null stays null), parsing at most
 * PARSE_CHARS_PER_TURN characters per turn of the event loop: a batch of large records
 * (1 MiB bodies parse in 26-90 ms each) never holds the loop for more than one of them.
 *
 * @example
 * const exs = await exchangesOfJson(await redis.mget(...keys));
 */
export async function exchangesOfJson(texts: (string | null)[]): Promise<(ExchangeRecord | null)[]> {
  const out: (ExchangeRecord | null)[] = [];
  let chars = 0;
  for (const text of texts) {
    if (text === null) {
      out.push(null);
      continue;
    }
    if (chars > 0 && chars + text.length > PARSE_CHARS_PER_TURN) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      chars = 0;
    }
    out.push(exchangeOfJson(text));
    chars += text.length;
  }
  return out;
}
