import { createHash } from 'node:crypto';
import type { RevokedSessions } from '../../store';
import { REDIS_CHECK_TIMEOUT_MS, withinDeadline } from './redis-deadline';

/**
 * Sessions signed out before they expire. A session cookie is stateless (see
 * `ReportSessions`), so signing out records the session as revoked, in Redis, shared by
 * every instance, until the moment it would have expired anyway (and in this process's
 * memory, so it holds at once even while Redis is away). Only a hash of the session is
 * stored. Memory is bounded: at most `maxLocal` revocations are kept locally.
 *
 * @example
 * const revocations = new SessionRevocations(() => store.revokedSessions);
 * await revocations.revoke(cookie, expiresAt);
 * await revocations.isRevoked(cookie); // true until expiresAt
 */
export class SessionRevocations {
  private readonly local = new Map<string, number>();

  constructor(
    private readonly shared: () => RevokedSessions | null,
    private readonly maxLocal = 10_000,
  ) {}

  /**
   * Revoke `session` until `expiresAt` (epoch ms). Rejects when Redis refuses the write or
   * gives no answer within `REDIS_CHECK_TIMEOUT_MS` (the local revocation holds).
   */
  async revoke(session: string, expiresAt: number, now = Date.now()): Promise<void> {
    const id = sessionId(session);
    if (this.local.size >= this.maxLocal) this.prune(now);
    if (this.local.size >= this.maxLocal) this.local.delete(this.local.keys().next().value as string);
    this.local.set(id, expiresAt);
    const ms = expiresAt - now;
    const shared = this.shared();
    if (ms > 0 && shared) await withinDeadline(shared.revoke(id, ms), REDIS_CHECK_TIMEOUT_MS, 'the session revocation');
  }

  /**
   * True when `session` was signed out (here, or on any instance sharing the Redis).
   * Rejects when Redis cannot answer, or gives no answer within `REDIS_CHECK_TIMEOUT_MS`
   * (the caller fails closed).
   */
  async isRevoked(session: string, now = Date.now()): Promise<boolean> {
    const id = sessionId(session);
    const until = this.local.get(id);
    if (until !== undefined) {
      if (until > now) return true;
      this.local.delete(id);
    }
    const shared = this.shared();
    return shared ? withinDeadline(shared.isRevoked(id), REDIS_CHECK_TIMEOUT_MS, 'the session revocation check') : false;
  }

  private prune(now: number): void {
    for (const [id, until] of this.local) if (until <= now) this.local.delete(id);
  }
}

/** What identifies a session in storage: a hash, never the cookie itself. */
const sessionId = (session: string) => createHash('sha256').update(session).digest('hex').slice(0, 32);
