import { performance } from 'node:perf_hooks';
import { bytesBodyAs, type ExchangeRecord } from '../../src/records';
import { keySchema } from '../../src/store';
import { RecordCalls } from '../../src/store/record-call';
import { processExchange } from '../../src/worker';
import { createTranslatorRegistry } from '../../src/translate';
import { startBackend, type TestBackend } from '../support/backends';
import { repetitiveJson } from '../support/loop-delay';
import { startTestTandem, type TestTandem } from '../support/tandem';

/**
 * What the suites about 1 MiB records and the proxy's event loop (record-loop, rediff-loop)
 * share: a `tandem serve` (in-process worker, comparison threads) in front of a legacy and a
 * candidate answering differing 1 MiB JSON documents, with `POST /big/*` (mirrored) and
 * `GET /big/*` routes, and the measure their bounds are relative to.
 */
export const MAX_BODY = 1 << 20;
export const JSON_TYPE = { 'content-type': 'application/json' };
/** The client's body and the two backends' answers: 1 MiB less 1 KB each, differing. */
export const BIG = {
  request: repetitiveJson(MAX_BODY - 1024, '"request"'),
  legacyAnswer: repetitiveJson(MAX_BODY - 1024, '"legacy"'),
  candidateAnswer: repetitiveJson(MAX_BODY - 1024, '"other"'),
};

export interface BigRecordsRig {
  t: TestTandem;
  /** Milliseconds building one POST exchange's record documents takes on this thread now (median of 3). */
  onLoopMs(): Promise<number>;
  /** Wraps the store's `recordPack`: how long each call holds this thread before it first waits; `restore()` unwraps it. */
  watchRecordPacks(): { heldMs: number[]; restore(): void };
  stop(): Promise<void>;
}

/**
 * Starts the backends and the Tandem, with records of `maxRecordBytes` at most.
 *
 * @example
 * const rig = await startBigRecordsRig(2.5 * MAX_BODY);
 */
export async function startBigRecordsRig(maxRecordBytes: number, o: { rediff?: boolean } = {}): Promise<BigRecordsRig> {
  const backends: TestBackend[] = [];
  backends.push(await startBackend(() => ({ raw: BIG.legacyAnswer, headers: JSON_TYPE })));
  backends.push(await startBackend(() => ({ raw: BIG.candidateAnswer, headers: JSON_TYPE })));
  let t: TestTandem;
  try {
    t = await startTestTandem({
      legacy: { url: backends[0].url },
      candidate: { url: backends[1].url },
      retention: { maxRecordBytes },
      routes: [
        { name: 'big', match: 'POST /big/*', mirrorWrites: true },
        { name: 'big-get', match: 'GET /big/*' },
      ],
    });
  } catch (e) {
    await Promise.all(backends.map((b) => b.close()));
    throw e;
  }
  const onLoopMs = async () => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const body = (text: string) => bytesBodyAs(Buffer.from(text), 'utf8');
      const ex: ExchangeRecord = {
        id: `x${i}`,
        route: 'big',
        customer: 'anonymous',
        at: 0,
        requestId: 'q',
        params: {},
        request: { method: 'POST', path: '/big/1', query: {}, headers: JSON_TYPE, body: body(BIG.request) },
        legacy: { status: 200, headers: JSON_TYPE, body: body(BIG.legacyAnswer), durationMs: 1 },
        candidate: { status: 200, headers: JSON_TYPE, body: body(BIG.candidateAnswer), durationMs: 1 },
      };
      const out = await processExchange(ex, {
        translators: createTranslatorRegistry([], [{ name: 'big' }]),
        rulesFor: () => ({}),
        maxDecompressedBytes: 8 * MAX_BODY,
      });
      if (out.result.class !== 'mismatch') throw new Error(`the measured record is a mismatch's, not ${out.result.class}`);
      const calls = new RecordCalls(
        keySchema('loop'),
        { ttlSeconds: 60, exchangesPerRoute: 10, mismatchesPerRoute: 10, maxRecordBytes },
        null,
      );
      const start = performance.now();
      calls.call({ exchange: ex, result: out.result, extra: out }, o.rediff ? { rediff: true } : {});
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[1];
  };
  const watchRecordPacks = () => {
    const store = t.server.middleware.runtime.store();
    const recordPack = store.recordPack;
    const heldMs: number[] = [];
    store.recordPack = (...args) => {
      const start = performance.now();
      const settled = recordPack.apply(store, args);
      heldMs.push(performance.now() - start);
      return settled;
    };
    return { heldMs, restore: () => void (store.recordPack = recordPack) };
  };
  const stop = async () => {
    await t.stop();
    await Promise.all(backends.map((b) => b.close()));
  };
  return { t, onLoopMs, watchRecordPacks, stop };
}
