import type { IncomingMessage } from 'node:http';

const waiting = new WeakMap<IncomingMessage, (status: number) => void>();

/**
 * Be told once the status a WebSocket handshake proxied to legacy ended with: 101 when
 * legacy switched protocols, legacy's own status when it refused (a 400, a 401, ...), 502
 * when legacy could not be reached or broke off before a status. Called at most once.
 *
 * @example
 * awaitUpgradeAnswer(req, (status) => metrics.served(route, 'legacy', status, seconds()));
 * proxy.upgrade(req, socket, head);
 */
export function awaitUpgradeAnswer(req: IncomingMessage, onAnswer: (status: number) => void): void {
  waiting.set(req, onAnswer);
}

/**
 * The handshake of `req` ended with `status` (see `awaitUpgradeAnswer`); a no-op for a
 * request nobody waits on (a plain request) or one already answered.
 *
 * @example
 * proxyReq.once('upgrade', () => upgradeAnswered(req, 101));
 */
export function upgradeAnswered(req: IncomingMessage, status: number): void {
  const onAnswer = waiting.get(req);
  if (!onAnswer) return;
  waiting.delete(req);
  onAnswer(status);
}
