import type { Agent, ClientRequest } from 'node:http';

/**
 * `agent`, its requests reading every header line of a response. Node's client keeps about
 * the first 1,000 lines of a head (`ClientRequest.maxHeadersCount`) and drops the rest without
 * a word: legacy's answer with more reached the client without them. The head is still
 * bounded by Node's 16 KB `maxHeaderSize`. The count is set as the agent takes the request,
 * before Node sets up the request's parser (on the next tick), for every request through it,
 * however it was made (http-proxy's own `http.request` included).
 *
 * @example
 * const agent = keepEveryHeaderLine(new http.Agent({ keepAlive: true }));
 */
export function keepEveryHeaderLine<A extends Agent>(agent: A): A {
  const pooled = agent as A & { addRequest(req: ClientRequest, ...rest: unknown[]): void };
  const add = pooled.addRequest;
  if (typeof add !== 'function') throw new Error('http.Agent has no addRequest: response header lines cannot all be kept');
  pooled.addRequest = function addRequest(this: A, req: ClientRequest, ...rest: unknown[]) {
    req.maxHeadersCount = 0;
    return add.call(this, req, ...rest);
  };
  return agent;
}
