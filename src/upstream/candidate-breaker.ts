import type { RequestRecord } from '../records';
import type { Upstream } from './create-upstream';
import { sendRequest, type SendOutcome } from './send-request';

/** When the breaker opens and how often it probes while open. */
export interface BreakerOptions {
  /** Refused connections in a row that open the breaker. */
  threshold: number;
  /** While open, one request per this many ms is let through to probe the candidate. */
  probeEveryMs: number;
}

/**
 * Stops dialling a candidate that refuses connections. A refused connection costs the
 * proxy more CPU than a whole successful shadow request (a new socket, an error with
 * a stack), so with the candidate down every shadow would make clients pay. After
 * `threshold` refused connections in a row the breaker opens: requests are not sent,
 * and each comes back at once as the same `connect` error (so the exchange is still
 * recorded and classified, nothing is lost), until a probe, one per `probeEveryMs`,
 * connects again. Only refused connections count; slow candidates are bounded by the
 * in-flight cap instead.
 *
 * @example
 * const breaker = new CandidateBreaker();
 * const outcome = await breaker.send(candidate, request); // like sendRequest
 */
export class CandidateBreaker {
  private refusedInARow = 0;
  private nextProbeAt = 0;
  private lastError = '';

  constructor(
    private readonly o: BreakerOptions = { threshold: 5, probeEveryMs: 250 },
    private readonly send1: (up: Upstream, req: RequestRecord) => Promise<SendOutcome> = sendRequest,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether requests are being short-circuited now. */
  get open(): boolean {
    return this.refusedInARow >= this.o.threshold;
  }

  /** `sendRequest`, or the recorded connect error at once while the breaker is open. */
  async send(up: Upstream, req: RequestRecord): Promise<SendOutcome> {
    if (this.open) {
      const t = this.now();
      if (t < this.nextProbeAt) {
        return {
          error: {
            kind: 'connect',
            message: `not sent: the candidate refused ${this.refusedInARow} connections in a row (last: ${this.lastError})`,
          },
        };
      }
      this.nextProbeAt = t + this.o.probeEveryMs;
    }
    const outcome = await this.send1(up, req);
    if ('error' in outcome && outcome.error.kind === 'connect') {
      this.refusedInARow++;
      this.lastError = outcome.error.message;
      if (this.refusedInARow === this.o.threshold) this.nextProbeAt = this.now() + this.o.probeEveryMs;
    } else {
      this.refusedInARow = 0;
    }
    return outcome;
  }
}
