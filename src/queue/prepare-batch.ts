import type { ExchangeRecord } from '../records';

/** Prepared exchanges, each with the buffered exchange it came from at the same index in `from`, and those that could not be prepared. */
export interface Prepared {
  ready: ExchangeRecord[];
  from: ExchangeRecord[];
  failed: ExchangeRecord[];
}

/**
 * The exchanges of `batch` as they will be sent (`ProducerOptions.prepare`, redaction,
 * applied), each with the buffered exchange it came from at the same index in `from`, and
 * those that could not be prepared (`prepare` threw or its promise rejected). Synchronous
 * when every exchange was prepared at once; else resolves once all have settled.
 */
export function prepareBatch(
  batch: ExchangeRecord[],
  prepare: ((exchange: ExchangeRecord) => ExchangeRecord | Promise<ExchangeRecord>) | undefined,
): Prepared | Promise<Prepared> {
  if (!prepare) return { ready: batch, from: batch, failed: [] };
  const out: (ExchangeRecord | null)[] = [];
  let waits: Promise<void>[] | null = null;
  for (const ex of batch) {
    try {
      const r = prepare(ex);
      const i = out.push(r instanceof Promise ? null : r) - 1;
      if (r instanceof Promise)
        (waits ??= []).push(
          r.then(
            (v) => void (out[i] = v),
            () => undefined,
          ),
        );
    } catch {
      out.push(null);
    }
  }
  const sort = (): Prepared => {
    const ready: ExchangeRecord[] = [];
    const from: ExchangeRecord[] = [];
    const failed: ExchangeRecord[] = [];
    batch.forEach((ex, i) => {
      const r = out[i];
      if (r) (ready.push(r), from.push(ex));
      else failed.push(ex);
    });
    return { ready, from, failed };
  };
  return waits ? Promise.all(waits).then(sort) : sort();
}
