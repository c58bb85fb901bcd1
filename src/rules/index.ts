/**
 * Compare rules changed at runtime (ignore, noise, "not noise"), learned noise, and
 * how they merge over the configured rules.
 *
 * @example
 * const rules = new RuntimeRules(redis, 'tandem', { learnRate: 0.5, learnSamples: 5 });
 * const merged = await rules.rulesFor('product', route.rules);
 */
export { RuntimeRules } from './runtime-rules';
export { mergeRuntimeRules } from './merge-runtime-rules';
export { learnedNoise, isLearned } from './learned-noise';
export { checkRulePath, RulePathError } from './check-rule-path';
export { rulesSource } from './rules-source';
