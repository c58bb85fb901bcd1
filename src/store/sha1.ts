import * as crypto from 'node:crypto';

/**
 * SHA-1 hex of a text's UTF-8 bytes, in one call: Node's one-shot `crypto.hash` (Node
 * 20.12+), which makes no `Hash` object (a few µs a call: the record path hashes several
 * texts per exchange), else `createHash`. The same digest either way.
 *
 * @example
 * sha1Hex('abc'); // 'a9993e364706816aba3e25717850c26c9cd0d89d'
 */
export const sha1Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha1', text, 'hex')
    : (text) => crypto.createHash('sha1').update(text).digest('hex');
