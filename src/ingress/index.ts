export { tandem } from './middleware';
export type { TandemMiddleware } from './middleware';
export { startServer } from './server';
export type { TandemServer } from './server';
