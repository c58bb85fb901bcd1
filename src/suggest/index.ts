/** `tandem suggest`: infer a route's mapping from pairs of answers and draft a translator on the kit. */
export { suggestTranslator } from './suggest';
export type { Suggestion } from './suggest';
export type { Rule } from './rule';
export { exchangesFromDryRun, exchangesFromRedis } from './sources';
