import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import IORedis from 'ioredis';
import { storedValues } from '../support/redis';

const DECODERS = [gunzipSync, brotliDecompressSync, inflateSync, inflateRawSync];

/**
 * Every occurrence of `marker` in `data`, looking through the encodings a secret could
 * hide in: the bytes as they are, gzip, br and deflate streams, and base64 runs (each
 * decoded in turn, to a bounded depth), each read as Latin-1 and as UTF-16 (LE and BE).
 *
 * @example
 * findSecrets(gzipSync('x SECRET-1'), /SECRET-[\w-]+/g); // ['SECRET-1']
 */
export function findSecrets(data: Buffer | string, marker: RegExp, depth = 3): string[] {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  const text = buf.toString('latin1');
  // The bytes read as Latin-1, UTF-16LE and UTF-16BE (both alignments): a secret shows in one of them whatever it was encoded in.
  const odd = buf.subarray(1);
  const views = [text, buf.toString('utf16le'), odd.toString('utf16le'), swapped(buf), swapped(odd)];
  const found = views.flatMap((v) => [...v.matchAll(new RegExp(marker.source, 'g'))].map((m) => m[0]));
  if (depth === 0) return found;
  for (const decode of DECODERS) {
    try {
      found.push(...findSecrets(decode(buf, { maxOutputLength: 16 << 20 }), marker, depth - 1));
    } catch {
      // not this encoding
    }
  }
  for (const [run] of text.matchAll(/[A-Za-z0-9+/]{16,}={0,2}/g)) found.push(...findSecrets(Buffer.from(run, 'base64'), marker, depth - 1));
  // Compressed bytes inside JSON text are escaped (\u0000...): undo JSON string escapes once.
  if (text.includes('\\u')) {
    for (const [s] of text.matchAll(/"(?:[^"\\]|\\.){8,}"/g)) {
      try {
        found.push(...findSecrets(Buffer.from(JSON.parse(s) as string, 'latin1'), marker, depth - 1));
      } catch {
        // not a JSON string
      }
    }
  }
  return found;
}

/** Bytes read as UTF-16BE. */
function swapped(b: Buffer): string {
  return Buffer.from(b.subarray(0, b.length - (b.length % 2)))
    .swap16()
    .toString('utf16le');
}

/**
 * Every key under `{prefix}` and every value in it (strings, hashes, sets, sorted sets,
 * lists, streams; as raw bytes), searched with `findSecrets`. `keys` says how much was seen.
 *
 * @example
 * const { secrets } = await scanRedis(url, prefix, /SECRET-[\w-]+/g);
 */
export async function scanRedis(
  url: string,
  prefix: string,
  marker: RegExp,
): Promise<{ keys: number; values: number; secrets: string[]; text: string }> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const secrets: string[] = [];
    const texts: string[] = [];
    let values = 0;
    for (const key of keys) {
      const parts = await storedValues(redis, key);
      secrets.push(...findSecrets(key, marker));
      for (const p of parts) {
        values++;
        secrets.push(...findSecrets(p, marker));
        texts.push(p.toString('utf8'));
      }
    }
    return { keys: keys.length, values, secrets, text: texts.join('\n') };
  } finally {
    redis.disconnect();
  }
}
