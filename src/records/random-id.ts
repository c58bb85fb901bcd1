import { randomFillSync } from 'node:crypto';

/**
 * A random (version 4) UUID, as `crypto.randomUUID()` makes one (from the same CSPRNG,
 * 16 random bytes each, drawn 256 at a time as Node draws 128), written in one string:
 * Node's joins 20 pieces, about 0.5 KB of short-lived strings per id, and the proxy makes
 * two per shadowed request (its request id and its exchange id). `prefix` (ASCII) comes
 * before it in the same string.
 *
 * @example
 * randomId(); // '0b6f2a64-5d1c-4e8e-9a57-7b0f3c2d9e11'
 * randomId('f6b9a3c1.mi6y2k1c-'); // 'f6b9a3c1.mi6y2k1c-0b6f2a64-…'
 */
export function randomId(prefix = ''): string {
  if (next === BATCH) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next++ * 16;
  // A prefix too long for the scratch space, or not ASCII (none of Tandem's), is joined as strings are.
  if (prefix.length > SCRATCH - 36 || !ASCII.test(prefix)) return prefix + randomId();
  let j = prefix.length ? out.write(prefix, 0, 'latin1') : 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out[j++] = 45; // '-'
    // The version (4) and the variant (10xx) bits, as RFC 9562 section 5.4 sets them.
    const b = i === 6 ? (pool[at + i] & 0x0f) | 0x40 : i === 8 ? (pool[at + i] & 0x3f) | 0x80 : pool[at + i];
    out[j++] = HEX[b >> 4];
    out[j++] = HEX[b & 15];
  }
  return out.toString('latin1', 0, j);
}

const BATCH = 256;
const pool = Buffer.alloc(16 * BATCH);
let next = BATCH;
const SCRATCH = 256;
const out = Buffer.alloc(SCRATCH);
// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
const HEX = Buffer.from('0123456789abcdef', 'latin1');
