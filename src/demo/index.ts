export { startSampleLegacy, startSampleCandidate } from './sample-backends';
export type { SampleBackend } from './sample-backends';
