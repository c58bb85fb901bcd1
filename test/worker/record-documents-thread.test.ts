import { bytesBody, bytesBodyAs, type ExchangeRecord } from '../../src/records';
import { keySchema } from '../../src/store';
import { RecordCalls } from '../../src/store/record-call';
import { createRedactor } from '../../src/redact';
import { compareThreads } from '../../src/runtime/compare-threads';
import { createTranslatorsFor } from '../../src/runtime/translators-for';
import { inlineComparer, type Comparer } from '../../src/worker';
import { bodilessDocuments, failedRecord } from '../../src/worker/record-documents-for';
import { recordedExchange } from '../../src/worker/process-exchange';
import { writeTranslatorModule, type TranslatorModule } from '../support/translator-module';

/**
 * With `tandem serve`'s in-process worker, a result's record documents (its exchange's JSON,
 * the mismatch record, the content hash, the bodies a record over the cap leaves out) are
 * built on the comparison thread (`RecordExtra.prepared`). What the store sends Redis must be
 * what it sends when it builds them itself on the calling thread (a `tandem worker`), byte
 * for byte: every call compared here, through a real thread.
 */
const TRANSLATOR = `module.exports = {
  name: 'renames',
  routes: ['translated'],
  response: (res) => {
    return { ...res, body: { ...res.body, renamed: true } };
  },
};`;

const KEY = 'test-redaction-key-0123456789';
const RULES = {};
const json = { 'content-type': 'application/json' };

describe('record documents built on a comparison thread', () => {
  let module: TranslatorModule;
  let threads: Comparer;
  let inline: Comparer;
  beforeAll(() => {
    module = writeTranslatorModule(TRANSLATOR);
    const config = {
      translators: [module.path],
      routes: [{ name: 'translated', translator: 'renames' }, { name: 'plain' }],
      redact: { headers: [], bodyPaths: [] },
    };
    // compareThreads reads the routes' names and translators only
    threads = compareThreads(config as unknown as Parameters<typeof compareThreads>[0], {
      threads: 1,
      maxDecompressedBytes: 8 << 20,
      redactKey: async () => Buffer.from(KEY),
    });
    const translators = createTranslatorsFor(config);
    const redactor = createRedactor(config.redact, KEY, 8 << 20);
    inline = inlineComparer({ translators, maxDecompressedBytes: 8 << 20, redactor: async () => redactor });
  });
  afterAll(async () => {
    await threads?.close();
    module?.remove();
  });

  const big = (tag: string, n: number) => `{"items":[${Array(n).fill(`{"id":7,"tag":"${tag}","s":"q\\"\\\\é"}`).join(',')}]}`;
  let seq = 0;
  const exchange = (
    route: string,
    o: { request?: string; legacy: Buffer; candidate: Buffer | 'same' },
    id = `ex-${++seq}`,
  ): ExchangeRecord => {
    const legacy = bytesBodyAs(o.legacy, 'utf8');
    return {
      id,
      route,
      customer: 'acme',
      at: 1_700_000_000_000,
      requestId: `q-${id}`,
      params: {},
      request: { method: 'POST', path: '/x', query: {}, headers: json, body: o.request ? bytesBody(Buffer.from(o.request)) : null },
      legacy: { status: 200, headers: json, body: legacy, durationMs: 3 },
      candidate: { status: 200, headers: json, body: o.candidate === 'same' ? legacy : bytesBody(o.candidate), durationMs: 4 },
    };
  };
  const retention = (cap: number) => ({ ttlSeconds: 60, exchangesPerRoute: 10, mismatchesPerRoute: 10, maxRecordBytes: cap });

  const cases: [string, (id: string) => ExchangeRecord, number, boolean][] = [
    [
      'a mismatch over the cap (bodies left out)',
      (id: string) =>
        exchange('plain', { request: big('r', 900), legacy: Buffer.from(big('l', 900)), candidate: Buffer.from(big('c', 900)) }, id),
      64 << 10,
      false,
    ],
    [
      'a mismatch under the cap',
      (id: string) => exchange('plain', { legacy: Buffer.from(big('l', 50)), candidate: Buffer.from(big('c', 50)) }, id),
      1 << 20,
      false,
    ],
    [
      'a match sharing legacy’s bytes',
      (id: string) => exchange('plain', { legacy: Buffer.from(big('l', 300)), candidate: 'same' }, id),
      1 << 20,
      false,
    ],
    [
      'a sampled-out match',
      (id: string) => exchange('plain', { legacy: Buffer.from(big('l', 300)), candidate: 'same' }, id),
      1 << 20,
      true,
    ],
    [
      'a sampled-out mismatch',
      (id: string) => exchange('plain', { legacy: Buffer.from(big('l', 30)), candidate: Buffer.from(big('c', 30)) }, id),
      1 << 20,
      true,
    ],
    [
      'a binary (base64) body',
      (id: string) => exchange('plain', { legacy: Buffer.from([0xff, 0xfe, 1, 2, 3]), candidate: Buffer.from([0xff, 0, 1]) }, id),
      1 << 20,
      false,
    ],
    [
      'a translated mismatch over the cap',
      (id: string) => exchange('translated', { legacy: Buffer.from(big('l', 900)), candidate: Buffer.from(big('c', 900)) }, id),
      64 << 10,
      false,
    ],
  ];

  it.each(cases)('%s: the same script call as built on the calling thread', async (_name, make, cap, sampledOut) => {
    for (const tagging of ['deployment', 'route'] as const) {
      const keys = keySchema({ prefix: 'docs', tagging });
      const onThread = new RecordCalls(keys, retention(cap), null);
      const here = new RecordCalls(keys, retention(cap), null);
      const id = `ex-${++seq}`;
      const ex = make(id);
      const record = { recordId: keys.recordId(ex.route, ex.id), cap, sampledOut };
      const prepared = await threads.compare(ex, RULES, record);
      expect(prepared.prepared).toBeDefined();
      const out = await inline.compare(make(id), RULES);
      const item = (o: typeof out, e: ExchangeRecord) => ({ exchange: recordedExchange(e, o), result: o.result, extra: o, sampledOut });
      for (let round = 0; round < 2; round++) {
        // the second round: a sampled-out mismatch goes by its hash alone once its sample is stored
        const a = onThread.call(item(prepared, ex), {});
        const b = here.call(item(out, make(id)), {});
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        expect(a).toEqual(b);
        if (!('then' in a)) onThread.settled(a, 1 | 4);
        if (!('then' in b)) here.settled(b, 1 | 4);
      }
      // asked again in full (the script no longer holds the pair): the thread's documents are the full ones
      const full = (c: RecordCalls, o: typeof out, e: ExchangeRecord) => JSON.stringify(c.call(item(o, e), {}, true));
      expect(full(onThread, prepared, ex)).toBe(full(here, out, make(id)));
    }
  });

  it('builds a failed comparison’s documents on the thread, the same as on the calling thread', async () => {
    const keys = keySchema('docs');
    const ex = exchange('plain', { request: big('r', 200), legacy: Buffer.from(big('l', 200)), candidate: Buffer.from(big('c', 200)) });
    const record = { recordId: ex.id, cap: 1 << 20, sampledOut: false };
    const failed = await failedRecord(threads, ex, new RangeError('Maximum call stack size exceeded'), record);
    expect(failed.result.class).toBe('unparseable');
    expect(failed.prepared).toBeDefined();
    const here = await failedRecord(inline, ex, new RangeError('Maximum call stack size exceeded'), record);
    expect(here.prepared).toBeUndefined();
    const call = (o: typeof failed) =>
      JSON.stringify(new RecordCalls(keys, retention(1 << 20), null).call({ exchange: ex, result: o.result, extra: o }, {}));
    expect(call(failed)).toBe(call(here));
  });

  it('leaves every body out when the thread cannot build a failed comparison’s documents: counted once, no body stored', async () => {
    const ex = exchange('plain', {
      request: big('SECRET-R', 50),
      legacy: Buffer.from(big('SECRET-L', 50)),
      candidate: Buffer.from(big('SECRET-C', 50)),
    });
    const broken: Comparer = {
      compare: () => Promise.reject(new Error('thread exited')),
      prepareRecord: () => Promise.reject(new Error('record documents took over 10000 ms')),
      close: async () => undefined,
    };
    const record = { recordId: ex.id, cap: 1 << 20, sampledOut: false };
    const out = await failedRecord(broken, ex, new Error('thread exited'), record);
    expect(out.result).toMatchObject({ class: 'unparseable', reason: 'comparison failed: Error: thread exited' });
    expect(out.prepared).toEqual(bodilessDocuments(ex, out, record));
    const json = out.prepared!.exchangeJson;
    expect(json).not.toMatch(/SECRET/);
    expect(JSON.parse(json).storedWithout).toEqual(['request.body', 'legacy.body', 'candidate.body']);
    expect(JSON.parse(json).legacy.body).toEqual({ encoding: 'utf8', data: '', size: ex.legacy.body!.size, truncated: true });
  });
});
