/**
 * Header set on every replayed request (a file replay's legacy and candidate calls, and
 * a stored exchange replayed from the report), so a backend can tell a replay from live
 * traffic.
 *
 * @example
 * if (req.headers[REPLAY_HEADER]) skipSideEffects();
 */
export const REPLAY_HEADER = 'x-tandem-replay';
