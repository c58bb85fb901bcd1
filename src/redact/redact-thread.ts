/**
 * Entry of the redaction thread (see `redact-off-loop.ts`): redacts an exchange too large to
 * redact on the proxy's event loop, with a redactor made from the proxy's redactor's settings.
 * Runs inside a worker thread only.
 */
import { bytesBodyAs, type ExchangeRecord } from '../records';
import { createRedactor, type Redactor } from './redact-exchange';
import { BODY_SLOTS, type RedactAnswer, type RedactTask } from './thread-task';

/** The redactor of the last settings seen (one deployment: one key, one config). */
let made: { settings: RedactTask['settings']; redactor: Redactor } | undefined;

export default function redactInThread(task: RedactTask): RedactAnswer {
  const s = task.settings;
  if (!made || JSON.stringify(made.settings) !== JSON.stringify(s)) {
    const key = typeof s.key === 'string' ? s.key : Buffer.from(s.key);
    made = { settings: s, redactor: createRedactor(s.options, key, s.maxDecodedBytes, s.maxReadBytes) };
  }
  // Bodies came as their bytes (a Uint8Array once cloned): records keeping their bytes again.
  const ex: Record<string, unknown> = { ...task.exchange };
  for (const slot of BODY_SLOTS) {
    const bytes = task.bytes[slot];
    const message = task.exchange[slot];
    if (!bytes || !message?.body) continue;
    const b = message.body;
    const body = bytesBodyAs(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), b.encoding, b.sha256);
    if (body.size !== b.size) body.size = b.size;
    ex[slot] = { ...message, body };
  }
  const input = ex as unknown as ExchangeRecord;
  const out = made.redactor.exchange(input);
  // A body that came back as it went need not be cloned back: the proxy puts its own record back.
  const same: RedactAnswer['same'] = [];
  const back: Record<string, unknown> = { ...out };
  for (const slot of BODY_SLOTS) {
    const message = out[slot];
    if (!message?.body || message.body !== input[slot]?.body) continue;
    same.push(slot);
    back[slot] = { ...message, body: null };
  }
  return { exchange: back as unknown as ExchangeRecord, same };
}
