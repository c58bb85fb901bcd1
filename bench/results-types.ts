import type { ProfileSplit } from './profile-split';
import type { LoadPlan, ScenarioResult } from './run-scenario';
import type { E2eResult } from './worker-e2e';
import type { MicroResult } from './worker-micro';
import type { RedisCostResult } from './worker-cluster';

/** Where and when the figures were taken. */
export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started: other work on the machine makes figures noisy. */
  loadAverageAtStart: number;
  pinned: boolean;
}

/** The whole result file (`bench/results/latest.json`). */
export interface BenchResults {
  machine: MachineInfo;
  plan: LoadPlan;
  notes: string[];
  scenarios: ScenarioResult[];
  worker: { micro: MicroResult[]; e2e: E2eResult[] } | null;
  /** What an exchange costs Redis through a worker: one Redis, then a cluster (per master). Absent when not run. */
  redisCost?: RedisCostResult[];
  /** With `--profile`: where each profiled process's busy time went, by category. */
  profiles?: ProfileSplit[];
}
