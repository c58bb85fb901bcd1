export { ShadowDispatcher } from './shadow-dispatcher';
export type { ExchangeDraft, ShadowOptions } from './shadow-dispatcher';
