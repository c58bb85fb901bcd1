import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../store';
import { createRedactor, type RedactOptions, type Redactor } from './redact-exchange';

/**
 * The deployment's redaction key (the HMAC key of fingerprints): `configured` (the
 * resolved config's `redact.key`: its own, else `TANDEM_REDACT_KEY`), else a random 256-bit key created once in Redis under
 * `keyName` (SET NX, so every instance and worker of the deployment reads the same key).
 * A key kept in Redis lets whoever reads Redis test guesses of low-entropy secrets against
 * their fingerprints; configure the key outside Redis where that matters. Rejects when
 * Redis cannot be reached.
 *
 * @example
 * const key = await resolveRedactKey(config.redact.key, redis, keys.redactKey);
 */
export async function resolveRedactKey(
  configured: string | undefined,
  redis: Pick<RedisClient, 'set' | 'get'>,
  keyName: string,
): Promise<Buffer> {
  if (configured) return Buffer.from(configured, 'utf8');
  await redis.set(keyName, randomBytes(32).toString('hex'), 'NX');
  const stored = await redis.get(keyName);
  if (!stored) throw new Error(`the redaction key ${keyName} could not be read back from Redis`);
  return Buffer.from(stored, 'utf8');
}

/**
 * The deployment's redaction key, read once; a failed lookup (Redis away) is tried again
 * on the next call.
 *
 * @example
 * const key = redactKeyFor(config.redact.key, redis, keys.redactKey);
 * createRedactor(config.redact, await key());
 */
export function redactKeyFor(
  configured: string | undefined,
  redis: Pick<RedisClient, 'set' | 'get'>,
  keyName: string,
): () => Promise<Buffer> {
  let made: Promise<Buffer> | null = null;
  return () =>
    (made ??= resolveRedactKey(configured, redis, keyName).catch((e: unknown) => {
      made = null;
      throw e;
    }));
}

/**
 * The deployment's redactor, made once its key is known; a failed key lookup (Redis away)
 * is tried again on the next call.
 *
 * @example
 * const redactor = redactorFor(config.redact, redis, keys.redactKey, 8 << 20);
 * (await redactor()).translated(out);
 */
export function redactorFor(
  o: RedactOptions & { key?: string },
  redis: Pick<RedisClient, 'set' | 'get'>,
  keyName: string,
  maxDecodedBytes: number,
): () => Promise<Redactor> {
  const key = redactKeyFor(o.key, redis, keyName);
  let made: Promise<Redactor> | null = null;
  return () =>
    (made ??= key()
      .then((k) => createRedactor(o, k, maxDecodedBytes))
      .catch((e: unknown) => {
        made = null;
        throw e;
      }));
}

/**
 * A customer id as records store it (see `Redactor.customer`), for lookups by customer:
 * one that holds no `;` is itself (no key needed); else the deployment's redactor
 * (`redactor`, e.g. from `redactorFor`) fingerprints its secret parameters.
 *
 * @example
 * const stored = storedCustomerFor(redactorFor(config.redact, redis, keys.redactKey, 8 << 20));
 * await stored('acme;token=x'); // 'acme;token=[REDACTED:…]'
 */
export function storedCustomerFor(redactor: () => Promise<Pick<Redactor, 'customer'>>): (customer: string) => Promise<string> {
  return (customer) => (customer.includes(';') ? redactor().then((r) => r.customer(customer)) : Promise.resolve(customer));
}
