import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Piscina } from 'piscina';
import type { CompareRules, TandemConfig } from '../config';
import type { RouteTranslatorRef } from '../translate';
import { isLosslessNumber, LosslessNumber, type Headers } from '../records';
import type { Comparer, ProcessDeps, ProcessedExchange } from '../worker';
import type { RecordDocuments } from '../store/record-documents';
import type { CompareTask, PrepareRecordTask, TranslateRequestTask, TranslateResponseTask } from './compare-thread';
import { exchangeToWire } from './body-wire';

/** What every comparison thread is started with (structured-cloned: plain data only). */
export interface CompareThreadInit {
  config: { translators: readonly string[]; routes: RouteTranslatorRef[] };
  baseDir: string;
  redact: TandemConfig['redact'];
  maxDecompressedBytes: number;
  /** Differences kept per result and the diff's operation budget (see `compareLimits`). */
  limits?: ProcessDeps['limits'];
}

/**
 * A {@link Comparer} backed by a pool of worker threads (piscina), so the comparison work
 * of `tandem serve`'s in-process worker (response translators, normalisation, diffs of
 * big bodies) never runs on the proxy's event loop. Each thread loads the config's
 * translators itself. A thread's heap is capped (`maxHeapMb`): a comparison that needs
 * more fails on its own (the worker records it as a failed comparison) and the thread
 * is replaced; the proxy's heap is untouched. So does one that takes over
 * `compareTimeoutMs` (waiting for a thread included): its thread is stopped and replaced.
 *
 * The threads start at once unless `startNow` is false: then on the first comparison or
 * translation. A thread is a V8 heap of its own (about 33 MB of RSS with the
 * translators and the comparison code loaded), which a `tandem serve --no-worker` whose
 * routes have no translator may never need (a rediff asked for in the report starts it).
 *
 * @example
 * const comparer = compareThreads(config, { threads: 1, maxDecompressedBytes: 8 << 20, redactKey: () => resolveKey() });
 * const out = await comparer.compare(exchange, rules);
 */
export function compareThreads(
  config: Pick<TandemConfig, 'translators' | 'routes' | 'redact'>,
  o: {
    threads: number;
    maxDecompressedBytes: number;
    limits?: ProcessDeps['limits'];
    redactKey?: () => Promise<Buffer>;
    baseDir?: string;
    maxHeapMb?: number;
    /** Milliseconds a comparison may take, waiting for a thread included (default 30 s; `worker.compareTimeoutMs`). */
    compareTimeoutMs?: number;
    /** Start the threads now (default) rather than at the first task. */
    startNow?: boolean;
  },
): Comparer {
  const init: CompareThreadInit = {
    // only what the translators need: routes carry compiled matchers, which cannot cross threads
    config: { translators: [...config.translators], routes: config.routes.map((r) => ({ name: r.name, translator: r.translator })) },
    baseDir: o.baseDir ?? process.cwd(),
    redact: config.redact,
    maxDecompressedBytes: o.maxDecompressedBytes,
    limits: o.limits,
  };
  let started: Piscina | null = null;
  const pool = () =>
    (started ??= new Piscina({
      filename: threadEntry(),
      minThreads: o.threads,
      maxThreads: o.threads,
      idleTimeout: Infinity,
      workerData: init,
      resourceLimits: { maxOldGenerationSizeMb: o.maxHeapMb ?? 512 },
    }));
  if (o.startNow ?? true) pool();
  const rulesIds = new WeakMap<CompareRules, number>();
  let nextRulesId = 1;
  return {
    async compare(exchange, rules, record) {
      let rulesId = rulesIds.get(rules);
      if (rulesId === undefined) rulesIds.set(rules, (rulesId = nextRulesId++));
      const task: CompareTask = {
        exchange: exchangeToWire(exchange),
        rules,
        rulesId,
        redactKey: o.redactKey ? new Uint8Array(await o.redactKey()) : undefined,
        ...(record ? { record } : {}),
      };
      // A comparison that never ends (a translator that spins) would hold its thread for ever: past the deadline
      // the thread is stopped and replaced, and the caller counts the exchange as a failed comparison.
      const ms = o.compareTimeoutMs ?? 30_000;
      const out = await withDeadline(ms, `comparison took over ${ms} ms`, (signal) => pool().run(task, { signal }));
      return revive(out as ProcessedExchange);
    },
    async prepareRecord(exchange, out, record, timeoutMs) {
      const task: PrepareRecordTask = { exchange: exchangeToWire(exchange), out, record };
      return withDeadline(timeoutMs, `record documents took over ${timeoutMs} ms`, (signal) =>
        pool().run(task, { name: 'prepareRecordInThread', signal }),
      ) as Promise<RecordDocuments>;
    },
    async translateRequest(route, request, params, maxDecodedBytes) {
      const task: TranslateRequestTask = { route, request, params, maxDecodedBytes };
      return revive((await pool().run(task, { name: 'translateRequestInThread' })) as typeof request);
    },
    async translateResponse(route, response, ctx) {
      const task: TranslateResponseTask = {
        route,
        response: { status: response.status, headers: response.headers, body: response.body },
        request: ctx.request,
        params: ctx.params,
        maxDecodedBytes: ctx.maxDecodedBytes,
      };
      const out = await withDeadline(ctx.timeoutMs, `response translation took over ${ctx.timeoutMs} ms`, (signal) =>
        pool().run(task, { name: 'translateResponseInThread', signal }),
      );
      return revive(out as { status: number; headers: Headers; body: Buffer });
    },
    close: async () => started?.destroy(),
  };
}

/**
 * Run a thread's task under a deadline of `ms` (milliseconds, waiting for a thread included):
 * past it, the task is aborted and rejects with `message`. Aborting a running task stops its
 * thread (piscina starts another): a task that spins never holds a thread past it.
 */
async function withDeadline<T>(ms: number, message: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ms);
  try {
    return await run(abort.signal);
  } catch (e) {
    if (abort.signal.aborted) throw new Error(message);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The compiled thread entry: next to this file once built; from `dist/` when this file
 * runs as TypeScript (tests), since a worker thread loads JavaScript only.
 */
function threadEntry(): string {
  const beside = join(__dirname, 'compare-thread.js');
  return existsSync(beside) ? beside : resolve(__dirname, '../../dist/src/runtime/compare-thread.js');
}

/**
 * Restore what structured cloning flattens: a `LosslessNumber` (exact big numbers) arrives
 * as a plain `{ isLosslessNumber, value }` object, a Buffer as a Uint8Array. Walks without
 * recursion (the values came from outside; their depth is bounded by the parse limit
 * but the walk does not rely on it).
 */
export function revive<T>(value: T): T {
  const fix = (v: unknown): unknown => {
    if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    if (
      v &&
      typeof v === 'object' &&
      !isLosslessNumber(v) &&
      (v as { isLosslessNumber?: unknown }).isLosslessNumber === true &&
      typeof (v as { value?: unknown }).value === 'string'
    ) {
      return new LosslessNumber((v as { value: string }).value);
    }
    return v;
  };
  const root = { v: value as unknown };
  const stack: object[] = [root];
  while (stack.length) {
    const o = stack.pop() as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (!v || typeof v !== 'object') continue;
      const fixed = fix(v);
      if (fixed !== v) o[k] = fixed;
      else if (!(v instanceof Uint8Array)) stack.push(v);
    }
  }
  return root.v as T;
}
