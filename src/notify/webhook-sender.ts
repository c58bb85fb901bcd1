/** How a webhook delivery is attempted. */
export interface DeliveryOptions {
  headers?: Record<string, string>;
  /** Attempts in all, the first included. */
  attempts: number;
  /** First retry delay in ms; doubled each retry, with up to 20% jitter, capped at 60 s. */
  retryDelayMs: number;
  timeoutMs: number;
  /** Aborts waiting between retries (shutdown). */
  signal?: AbortSignal;
}

/** How a delivery ended. */
export interface DeliveryResult {
  ok: boolean;
  attempts: number;
  /** Last HTTP status, when there was one. */
  status?: number;
  error?: string;
}

/**
 * POST one JSON event to a webhook, retrying network errors, timeouts, 408, 429 and
 * 5xx with exponential backoff; any other 4xx is final. Never throws.
 *
 * @example
 * const r = await deliverWebhook('https://hooks.example.com/t', { id: 'e1', type: 'new_signature' }, { attempts: 5, retryDelayMs: 1000, timeoutMs: 5000 });
 * if (!r.ok) log.warn(r, 'webhook failed');
 */
export async function deliverWebhook(url: string, event: { id: string; type: string }, o: DeliveryOptions): Promise<DeliveryResult> {
  const body = JSON.stringify(event);
  let last: DeliveryResult = { ok: false, attempts: 0 };
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    last = await attemptOnce(url, body, event, attempt, o);
    if (last.ok || !retryable(last.status)) return last;
    if (attempt === o.attempts || o.signal?.aborted) break;
    const delay = Math.min(60_000, o.retryDelayMs * 2 ** (attempt - 1)) * (1 + Math.random() * 0.2);
    if (!(await sleep(delay, o.signal))) break;
  }
  return last;
}

async function attemptOnce(
  url: string,
  body: string,
  event: { id: string; type: string },
  attempt: number,
  o: DeliveryOptions,
): Promise<DeliveryResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      signal: AbortSignal.timeout(o.timeoutMs),
      headers: {
        ...o.headers,
        'content-type': 'application/json',
        'user-agent': 'tandem-notify',
        'x-tandem-event-id': event.id,
        'x-tandem-event-type': event.type,
        'x-tandem-attempt': String(attempt),
      },
    });
    await res.arrayBuffer().catch(() => undefined);
    return { ok: res.ok, attempts: attempt, status: res.status, ...(res.ok ? {} : { error: `HTTP ${res.status}` }) };
  } catch (e) {
    return { ok: false, attempts: attempt, error: (e as Error).message };
  }
}

/** No status (network error, timeout), 408, 429 and 5xx are worth another try. */
function retryable(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

/** Resolves true after `ms`, or false at once when `signal` aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((done) => {
    const onAbort = () => {
      clearTimeout(timer);
      done(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
