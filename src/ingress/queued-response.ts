import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** Per connection: what to run when it closes, for each of its pipelined responses still waiting. */
const waiting = new WeakMap<Socket, Set<() => void>>();

/**
 * Run `gone` if the client's connection closes while this response waits behind an earlier
 * one's (HTTP/1.1 pipelining: Node queues it without a socket). Node never closes such a
 * response when the connection closes (no `close`, no `finish`: its request had already
 * emitted its own `close` once read), so without this the exchange would never end. Does
 * nothing for a response that has its socket (the usual case: its own `close` says it).
 * One `close` listener per connection, whatever the number of responses queued on it;
 * each is forgotten when its response finishes or closes.
 *
 * @example
 * onQueuedResponseGone(req, res, () => settle(state) && onSkip(req, 'client_closed'));
 */
export function onQueuedResponseGone(req: IncomingMessage, res: ServerResponse, gone: () => void): void {
  const socket = req.socket as Socket | null;
  if (res.socket || !socket || socket.destroyed) return;
  let set = waiting.get(socket);
  if (!set) {
    const all = (set = new Set());
    waiting.set(socket, all);
    socket.once('close', () => {
      waiting.delete(socket);
      for (const f of all) f();
    });
  }
  const pending = set;
  const run = () => (forget(), res.writableFinished || gone());
  const forget = () => (pending.delete(run), res.off('finish', forget), res.off('close', forget));
  pending.add(run);
  res.once('finish', forget);
  res.once('close', forget);
}
