/**
 * Tandem's public API. Everything else is internal and may change.
 *
 * @example
 * import express from 'express';
 * import { tandem } from 'tandem';
 * const app = express();
 * app.use(tandem({ legacy: { url: 'http://legacy:8080' }, candidate: { url: 'http://candidate:8080' },
 *   routes: [{ name: 'product', match: 'GET /products/:id' }] }));
 */
export { tandem, startServer } from './ingress';
export type { TandemMiddleware, TandemServer } from './ingress';
export { createConfig, loadConfigFile, ConfigError, ERRORS } from './config';
export type { TandemOptions, TandemConfig, RouteOptions, CompareRules } from './config';
export { defineTranslator } from './translate';
export type { Translator, TranslatableRequest, TranslatableResponse, TranslationContext } from './translate';
export { startComparisonWorker, processExchange } from './worker';
export type { ExchangeRecord, ComparisonResult, ResultClass, Difference, Risk } from './records';
