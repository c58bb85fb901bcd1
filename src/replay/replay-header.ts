/**
 * Header set on every replayed request (a file replay's legacy and candidate calls, and
 * a stored exchange replayed from the report), so a backend can tell a replay from live
 * traffic. Defined with the other marks in the upstream client.
 *
 * @example
 * if (req.headers[REPLAY_HEADER]) skipSideEffects();
 */
export { REPLAY_HEADER } from '../upstream';
