import { createConfig } from '../src/config';
import { createTranslatorsFor } from '../src/runtime';
import { processExchange, type ProcessDeps } from '../src/worker';
import { benchExchange, caseName, COMPARE_CASES, type CompareCase } from './exchanges';

/** Comparisons per second of one case, in-process (no Redis, no BullMQ). */
export interface MicroResult {
  case: string;
  perSecond: number;
  result: string;
}

/**
 * Run the worker's comparison (`processExchange`: normalise, translate, compare) on one
 * case in a loop for `ms` after a short warm-up, on whatever core this process has.
 *
 * @example
 * const r = await microBench({ size: '2k', differ: false }, 1500); // { case: '2k equal', perSecond: ..., result: 'match' }
 */
export async function microBench(c: CompareCase, ms: number): Promise<MicroResult> {
  const config = createConfig({
    legacy: { url: 'http://127.0.0.1:1' },
    candidate: { url: 'http://127.0.0.1:2' },
    routes: [{ name: 'items', match: 'GET /api/:size/:id' }],
  });
  const rules = config.routes[0].rules;
  const deps: ProcessDeps = { translators: createTranslatorsFor(config), rulesFor: () => rules, maxDecompressedBytes: 8 << 20 };
  // Fresh records, as a worker gets them from JSON (no identity shortcuts between runs).
  const exchanges = Array.from(
    { length: 64 },
    (_, i) => JSON.parse(JSON.stringify(benchExchange(`ex-${i}`, c))) as ReturnType<typeof benchExchange>,
  );
  let result = '';
  const loop = async (budgetMs: number) => {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < budgetMs) {
      for (let i = 0; i < 64; i++) result = (await processExchange(exchanges[i], deps)).result.class;
      n += 64;
    }
    return n / ((performance.now() - start) / 1000);
  };
  await loop(Math.min(300, ms / 4));
  return { case: caseName(c), perSecond: Math.round(await loop(ms)), result };
}

if (require.main === module) {
  void (async () => {
    const ms = Number(process.argv[2] ?? 1500);
    const sizes = process.argv.slice(3); // only these sizes' cases (all without)
    const out: MicroResult[] = [];
    for (const c of COMPARE_CASES.filter((x) => !sizes.length || sizes.includes(x.size))) out.push(await microBench(c, ms));
    process.stdout.write(`${JSON.stringify({ results: out })}\n`);
  })();
}
