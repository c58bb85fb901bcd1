/** `tandem suggest`: infer a route's mapping from pairs of answers and draft a translator on the kit. */
export { suggestTranslator } from './suggest';
export { exchangesFromDryRun, exchangesFromRedis } from './sources';
