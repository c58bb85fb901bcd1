/**
 * The benchmark (`npm run bench`): scenarios, the reference proxy, load generators,
 * worker benchmarks and the summary. Entry point: `run.ts`; child entry points:
 * `upstream-server.ts`, `reference-proxy.ts`, `loadgen.ts`, `worker-micro.ts`.
 *
 * @example
 * import { runBenchmark, parseBenchOptions, formatSummary } from './bench';
 * console.log(formatSummary(await runBenchmark(parseBenchOptions(['--scenarios', '2,4']))));
 */
export { runBenchmark } from './run';
export { parseBenchOptions, BENCH_HELP } from './options';
export type { BenchOptions } from './options';
export { SCENARIOS, REFERENCE_ID, selectScenarios } from './scenarios';
export type { Scenario, CandidateKind } from './scenarios';
export { startReferenceProxy } from './reference-proxy';
export { startUpstream } from './upstream-server';
export { nginxMirrorConfig } from './nginx-config';
export { runFixedRate } from './fixed-rate';
export type { FixedRateResult } from './fixed-rate';
export { saturate, pickLoadTool } from './saturate';
export type { SaturationResult, LoadTool } from './saturate';
export { summaryRows, checkTargets, formatSummary } from './summary';
export type { SummaryRow, TargetCheck } from './summary';
export type { BenchResults, MachineInfo } from './results-types';
export type { ScenarioResult, SizeFigures, LoadPlan } from './run-scenario';
export { jsonDocument, pathFor, SIZES } from './payloads';
export { benchExchange, COMPARE_CASES } from './exchanges';
