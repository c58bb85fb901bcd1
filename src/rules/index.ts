/**
 * Compare rules changed at runtime (ignore, noise, "not noise"), learned noise, and
 * how they merge over the configured rules.
 *
 * @example
 * const rules = new RuntimeRules(redis, 'tandem', { learnRate: 0.5, learnSamples: 5 });
 * const merged = await rules.rulesFor('product', route.rules);
 */
export { RuntimeRules } from './runtime-rules';
export type { RuleAuditEntry } from './runtime-rules';
export { loadRouteRules } from './load-route-rules';
export type { RouteRuleState, RuleKind } from './load-route-rules';
export { mergeRuntimeRules } from './merge-runtime-rules';
export type { RuleLists } from './merge-runtime-rules';
export { learnedNoise, isLearned } from './learned-noise';
export type { NoiseLearning, NoiseEvidence } from './learned-noise';
export { checkRulePath, RulePathError } from './check-rule-path';
export { rulesSource } from './rules-source';
