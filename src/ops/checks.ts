import { connect } from 'node:net';
import type { RedisClient } from '../store';

/** One readiness check's outcome. */
export interface CheckResult {
  ok: boolean;
  /** How long the check took. */
  ms: number;
  detail?: string;
}

const since = (t: number) => Math.round(performance.now() - t);

/**
 * Redis answers PING within `timeoutMs` (fails at once while the connection is down).
 *
 * @example
 * await checkRedis(redis, 1000); // { ok: true, ms: 1 }
 */
export async function checkRedis(redis: RedisClient | null | undefined, timeoutMs: number): Promise<CheckResult> {
  const t = performance.now();
  if (!redis) return { ok: false, ms: 0, detail: 'not connected yet' };
  if (redis.status !== 'ready') return { ok: false, ms: 0, detail: `connection is ${redis.status}` };
  try {
    const pong = await withTimeout(redis.ping(), timeoutMs);
    return { ok: pong === 'PONG', ms: since(t), ...(pong === 'PONG' ? {} : { detail: `unexpected reply ${pong}` }) };
  } catch (e) {
    return { ok: false, ms: since(t), detail: (e as Error).message };
  }
}

/**
 * A TCP connection to the host and port of `url` opens within `timeoutMs`. Nothing is
 * sent, so legacy sees no request (and logs none).
 *
 * @example
 * await checkReachable('http://legacy.internal:8080', 1000);
 */
export function checkReachable(url: string, timeoutMs: number): Promise<CheckResult> {
  const t = performance.now();
  const u = new URL(url);
  const port = Number(u.port) || (u.protocol === 'https:' ? 443 : 80);
  return new Promise((done) => {
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port });
    const finish = (r: CheckResult) => {
      socket.destroy();
      done(r);
    };
    socket.setTimeout(timeoutMs, () => finish({ ok: false, ms: since(t), detail: `no connection to ${u.host} within ${timeoutMs} ms` }));
    socket.once('connect', () => finish({ ok: true, ms: since(t) }));
    socket.once('error', (e: NodeJS.ErrnoException) => finish({ ok: false, ms: since(t), detail: `${u.host}: ${e.code ?? e.message}` }));
  });
}

/**
 * The comparison worker of this process is running.
 *
 * @example
 * checkWorker(runtime.worker()); // { ok: true, ms: 0 }
 */
export function checkWorker(worker: { running(): boolean } | null | undefined): CheckResult {
  if (!worker) return { ok: false, ms: 0, detail: 'not started' };
  return worker.running() ? { ok: true, ms: 0 } : { ok: false, ms: 0, detail: 'stopped' };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
