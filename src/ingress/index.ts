export { tandem } from './middleware';
export type { TandemMiddleware } from './middleware';
export { startServer } from './server';
export type { TandemServer } from './server';
export { listenAside } from './side-listeners';
export type { SideListeners } from './side-listeners';
export { ListenError } from './listen-error';
