import type { ClientRequest } from 'node:http';

/**
 * Keep a request to a backend writable after the backend's response has come in full.
 * Node's http client stops relaying its socket's `drain` to the request as soon as it has
 * parsed a complete response (`socketOnData` removes its listener), so a body still being
 * piped into the request (the backend answered before reading all of it, as a handler that
 * ignores a GET's body does) stalls at the first write the socket buffers: the client's
 * request is never read to its end and the backend never gets the body's last chunk. Call
 * it on `response`; it relays `drain` itself until the request is finished.
 *
 * @example
 * out.on('response', () => keepDraining(out));
 */
export function keepDraining(out: ClientRequest): void {
  const socket = out.socket;
  if (!socket || out.writableFinished) return;
  // Node's own listener runs first while it is there and clears the need; this one only fills in after.
  const relay = () => {
    if (out.writableNeedDrain) out.emit('drain');
  };
  socket.on('drain', relay);
  const stop = () => socket.off('drain', relay);
  out.once('finish', stop);
  out.once('close', stop);
}
