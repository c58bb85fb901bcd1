import type { ExchangeRecord } from '../records';
import { loopTurn, SLICE_MS } from './loop-turns';

/** Prepared exchanges, each with the buffered exchange it came from at the same index in `from`, and those that could not be prepared. */
export interface Prepared {
  ready: ExchangeRecord[];
  from: ExchangeRecord[];
  failed: ExchangeRecord[];
}

type Prepare = (exchange: ExchangeRecord) => ExchangeRecord | Promise<ExchangeRecord>;

/**
 * The exchanges of `batch` as they will be sent (`ProducerOptions.prepare`, redaction,
 * applied), each with the buffered exchange it came from at the same index in `from`, and
 * those that could not be prepared (`prepare` threw or its promise rejected). Synchronous
 * when every exchange was prepared at once within `sliceMs` (ms, default `SLICE_MS`); a
 * batch that takes longer is prepared in slices of about `sliceMs` with a turn of the event
 * loop between them (the proxy's requests are served in between), and resolves once all
 * have settled, in the batch's order.
 */
export function prepareBatch(batch: ExchangeRecord[], prepare: Prepare | undefined, sliceMs = SLICE_MS): Prepared | Promise<Prepared> {
  if (!prepare) return { ready: batch, from: batch, failed: [] };
  const out: (ExchangeRecord | null)[] = [];
  const waits: Promise<void>[] = [];
  const one = (ex: ExchangeRecord) => {
    try {
      const r = prepare(ex);
      const i = out.push(r instanceof Promise ? null : r) - 1;
      if (r instanceof Promise)
        waits.push(
          r.then(
            (v) => void (out[i] = v),
            () => undefined,
          ),
        );
    } catch {
      out.push(null);
    }
  };
  /** Prepares from `out.length` on until the batch is done or `sliceMs` has passed; whether the batch is done. */
  const slice = (): boolean => {
    const started = performance.now();
    while (out.length < batch.length) {
      one(batch[out.length]);
      if (out.length < batch.length && performance.now() - started >= sliceMs) return false;
    }
    return true;
  };
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
  if (slice() && !waits.length) return sort();
  return (async () => {
    while (out.length < batch.length) {
      await loopTurn();
      slice();
    }
    await Promise.all(waits);
    return sort();
  })();
}
