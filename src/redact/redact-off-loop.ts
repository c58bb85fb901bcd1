import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Piscina } from 'piscina';
import { bodyBytes, type BodyRecord, type ExchangeRecord } from '../records';
import type { Redactor } from './redact-exchange';
import { ON_LOOP_BYTES } from './redact-limits';
import { BODY_SLOTS, type RedactAnswer, type RedactTask } from './thread-task';
import { withholdBody } from './withhold-body';

/**
 * A thread that redacts the exchanges too large to redact on the proxy's event loop (see
 * `redactOffLoop`). Started at the first such exchange and stopped after a minute without
 * one: a thread is a V8 heap of its own (tens of MB of RSS), which most deployments,
 * whose bodies stay small, never need.
 */
export interface RedactThread {
  /** The exchange redacted on the thread; rejects when the thread fails or takes longer than its timeout. */
  redact(ex: ExchangeRecord, redactor: Redactor): Promise<ExchangeRecord>;
  close(): Promise<void>;
}

/**
 * The redaction thread: one worker thread (piscina), its heap capped at `maxHeapMb`
 * (default 256), each exchange given `timeoutMs` (default 10,000 ms; the thread is then
 * ended and replaced at the next exchange).
 *
 * @example
 * const thread = redactThread();
 * const out = await thread.redact(exchange, redactor);
 */
export function redactThread(o: { timeoutMs?: number; idleMs?: number; maxHeapMb?: number } = {}): RedactThread {
  // piscina is loaded with the first large exchange: a comparison thread imports this module's
  // neighbours (`createRedactor`) and must not load a thread pool.
  let started: Promise<Piscina> | null = null;
  const pool = () =>
    (started ??= import('piscina').then(
      ({ Piscina }) =>
        new Piscina({
          filename: threadEntry(),
          minThreads: 0,
          maxThreads: 1,
          idleTimeout: o.idleMs ?? 60_000,
          resourceLimits: { maxOldGenerationSizeMb: o.maxHeapMb ?? 256 },
        }),
    ));
  return {
    async redact(ex, redactor) {
      const bytes: RedactTask['bytes'] = {};
      const exchange: Record<string, unknown> = { ...ex };
      for (const slot of BODY_SLOTS) {
        const message = ex[slot];
        const b = bytesOf(message?.body);
        if (!message || !b) continue;
        bytes[slot] = b.bytes;
        exchange[slot] = { ...message, body: b.record };
      }
      const task: RedactTask = { settings: redactor.settings, exchange: exchange as unknown as ExchangeRecord, bytes };
      const answer = (await (await pool()).run(task, { signal: AbortSignal.timeout(o.timeoutMs ?? 10_000) })) as RedactAnswer;
      const out: Record<string, unknown> = { ...answer.exchange };
      // The bodies that came back unchanged are the proxy's own records, bytes and all.
      for (const slot of answer.same) out[slot] = { ...answer.exchange[slot], body: ex[slot]!.body };
      return out as unknown as ExchangeRecord;
    },
    close: async () => {
      const p = started;
      started = null;
      await (await p)?.destroy();
    },
  };
}

/** A body that keeps its bytes, as the bytes and a record without its text (its `data` getter is never run). */
function bytesOf(body: BodyRecord | null | undefined): { bytes: Buffer; record: BodyRecord } | null {
  const bytes = bodyBytes(body);
  if (!body || !bytes) return null;
  const { encoding, size, truncated, sha256 } = body;
  return { bytes, record: { encoding, data: '', size, truncated, ...(sha256 ? { sha256 } : {}) } };
}

/**
 * An exchange redacted without stalling the proxy's event loop: on the loop when its bodies
 * come to `ON_LOOP_BYTES` at most (the usual exchange: no copy, no thread), else on the
 * redaction thread. When the thread fails or times out, every body of the exchange is
 * withheld (size and keyed fingerprint: one HMAC of its bytes on the loop, "redaction ...
 * failed (withheld: it may hold a secret)") and the rest redacted on the loop: the exchange
 * is still queued and compared, and never stored in clear.
 *
 * @example
 * producer = createProducerFor(config, queues, { ..., prepare: (ex) => redactOffLoop(redactor, thread, ex) });
 */
export function redactOffLoop(redactor: Redactor, thread: RedactThread, ex: ExchangeRecord): ExchangeRecord | Promise<ExchangeRecord> {
  const onLoop = redactor.exchangeOnLoop(ex, ON_LOOP_BYTES);
  if (onLoop) return onLoop;
  return thread.redact(ex, redactor).catch((e: Error) => {
    // Not the error's message: it may quote the body.
    const why = e?.name === 'AbortError' ? 'redaction timed out off the event loop' : 'redaction failed off the event loop';
    const withheld: Record<string, unknown> = { ...ex };
    for (const slot of BODY_SLOTS) {
      const message = ex[slot];
      if (message?.body) withheld[slot] = { ...message, body: withholdBody(message.body, redactor.fingerprint, why) };
    }
    return redactor.exchange(withheld as unknown as ExchangeRecord);
  });
}

/**
 * The compiled thread entry: next to this file once built; from `dist/` when this file
 * runs as TypeScript (tests), since a worker thread loads JavaScript only.
 */
function threadEntry(): string {
  const beside = join(__dirname, 'redact-thread.js');
  return existsSync(beside) ? beside : resolve(__dirname, '../../dist/src/redact/redact-thread.js');
}
