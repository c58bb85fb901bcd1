export { configSchema, routeSchema, compareRulesSchema } from './schema';
export type { TandemOptions, ParsedConfig, RouteOptions, CompareRules } from './schema';
export { createConfig, mergeRules } from './create-config';
export type { TandemConfig, ResolvedRoute } from './create-config';
export { loadConfigFile } from './load-config';
export { ConfigError, ERRORS } from './errors';
export { compileMatch } from './route-matcher';
export type { RouteMatcher } from './route-matcher';
