import type { IncomingMessage } from 'node:http';

/**
 * A request body read into memory up to a cap. When it turned out larger,
 * `complete` is false, `chunks` hold what was read and the request is paused with
 * the rest still unread (to be streamed on).
 *
 * @example
 * const b: BufferedBody = { chunks: [Buffer.from('{}')], size: 2, complete: true };
 */
export interface BufferedBody {
  chunks: Buffer[];
  size: number;
  complete: boolean;
}

/**
 * Read a request body, keeping at most `cap` bytes in memory. Rejects when the
 * client aborts or the stream errors.
 *
 * @example
 * const body = await readRequestBody(req, 1 << 20);
 * if (body.complete) send(Buffer.concat(body.chunks));
 */
export function readRequestBody(req: IncomingMessage, cap: number): Promise<BufferedBody> {
  const out: BufferedBody = { chunks: [], size: 0, complete: false };
  if (req.readableEnded || !req.readable) return Promise.resolve({ ...out, complete: true });
  return new Promise((done, fail) => {
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (c: Buffer) => {
      out.chunks.push(c);
      out.size += c.length;
      if (out.size > cap) {
        req.pause();
        cleanup();
        done(out);
      }
    };
    const onEnd = () => {
      cleanup();
      done({ ...out, complete: true });
    };
    const onError = (e: Error) => {
      cleanup();
      fail(e);
    };
    const onAborted = () => onError(new Error('client aborted the request'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}
