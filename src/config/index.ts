export { configSchema } from './schema';
export type { TandemOptions, RouteOptions, CompareRules } from './schema';
export { createConfig, CONFIG_ENV } from './create-config';
export type { TandemConfig, ResolvedRoute } from './create-config';
export { loadConfigFile, readConfigOptions } from './load-config';
export { ConfigError, ERRORS } from './errors';
export { unreachableRoutes } from './unreachable-routes';
export { sideListenPort } from './side-listen-port';
export { workerConcurrency, WORKER_CONCURRENCY } from './pipeline-schema';
